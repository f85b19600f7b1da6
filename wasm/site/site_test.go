package site

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStaticFiles(t *testing.T) {
	want := []string{"app.js", "index.html", "slider.js", "style.css", "worker.js"}
	if diff := cmp.Diff(want, StaticNames()); diff != "" {
		t.Errorf("static files (-want +got):\n%s", diff)
	}
	html, _ := Static("index.html")
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindSubmatch(html)
	if m == nil || string(m[1]) != CSP {
		t.Errorf("index.html's CSP meta tag is not CSP:\n%s", m)
	}
	for _, name := range StaticNames() {
		b, _ := Static(name)
		s := string(b)
		// Nothing from outside the origin: no absolute URLs in src/href,
		// no fetch of another origin, no inline script or style.
		for _, bad := range []string{`src="http`, `href="http`, `src="//`, `href="//`, "fetch(\"http", "<style", "style=\"", "onclick=", "onload=", "innerHTML", "eval("} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
		if name == "index.html" && strings.Contains(s, "<script>") {
			t.Errorf("index.html has an inline script")
		}
	}
}

func TestHandler(t *testing.T) {
	h := Handler(Assets{Wasm: []byte("\x00asm"), WasmExec: []byte("// go")})
	tests := []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8"},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/worker.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/style.css", 200, "text/css; charset=utf-8"},
		{"GET", "/vardval.wasm", 200, "application/wasm"},
		{"GET", "/wasm_exec.js", 200, "text/javascript; charset=utf-8"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/../../etc/passwd", 404, ""},
		{"GET", "/static/app.js", 404, ""},
		{"POST", "/", 405, ""},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, rec.Code, tc.status)
		}
		if tc.ctype != "" && rec.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("%s %s: type %q", tc.method, tc.path, rec.Header().Get("Content-Type"))
		}
		if rec.Header().Get("Content-Security-Policy") != HeaderCSP {
			t.Errorf("%s %s: no CSP header", tc.method, tc.path)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no nosniff", tc.method, tc.path)
		}
	}
	// Without the generated assets the module is simply not there.
	rec := httptest.NewRecorder()
	Handler(Assets{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/vardval.wasm", nil))
	if rec.Code != 404 {
		t.Errorf("missing module: %d", rec.Code)
	}
}

func TestFiles(t *testing.T) {
	fs := Contents(Assets{Wasm: []byte("w"), WasmExec: []byte("e")})
	var names []string
	for n := range fs {
		names = append(names, n)
	}
	for _, n := range []string{"index.html", "app.js", "worker.js", "style.css", WasmName, WasmExecName} {
		if _, ok := fs[n]; !ok {
			t.Errorf("Files lacks %s (%v)", n, names)
		}
	}
}

func TestHandlerGzip(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm module "), 1000)
	h := Handler(Assets{Wasm: wasm, WasmExec: []byte("// go")})
	for _, tc := range []struct {
		accept string
		gzip   bool
	}{{"gzip, deflate, br", true}, {"br;q=1.0, gzip;q=0.8", true}, {"", false}, {"gzip;q=0", false}, {"deflate", false}} {
		req := httptest.NewRequest("GET", "/vardval.wasm", nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", tc.accept, got, tc.gzip)
		}
		if tc.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
			if !bytes.Equal(rec.Body.Bytes(), Gzip(wasm)) {
				t.Errorf("the gzip response is not Gzip of the module")
			}
		}
		if !bytes.Equal(body, wasm) || rec.Header().Get("Content-Type") != "application/wasm" || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: %d bytes, %q, Vary %q", tc.accept, len(body), rec.Header().Get("Content-Type"), rec.Header().Get("Vary"))
		}
	}
	files := WithGzip(Contents(Assets{Wasm: wasm}))
	if _, ok := files["index.html.gz"]; !ok || !bytes.Equal(files["vardval.wasm.gz"], Gzip(wasm)) {
		t.Errorf("WithGzip lacks the gzip copies: %d files", len(files))
	}
}
