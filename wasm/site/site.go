package site

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed static
var static embed.FS

// CSP is the Content-Security-Policy of the meta tag
// in index.html: only the page's own origin, no inline code, WebAssembly
// compilation allowed, images also from data: and blob: URLs (the funnel
// plots), no plug-ins, no base URL changes and no form submissions.
const CSP = "default-src 'self'; connect-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"img-src 'self' data: blob:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

// HeaderCSP is the Content-Security-Policy header of every response: CSP
// and frame-ancestors 'none', so no other site can frame the page (a
// browser ignores frame-ancestors in a meta tag; a static host of an
// exported site should send this header).
const HeaderCSP = CSP + "; frame-ancestors 'none'"

// The file names of the site.
const (
	WasmName     = "vardval.wasm"
	WasmExecName = "wasm_exec.js"
)

// Assets are the two generated files served beside the static ones.
type Assets struct {
	Wasm     []byte // the GOOS=js GOARCH=wasm build of ./wasm
	WasmExec []byte // $(go env GOROOT)/lib/wasm/wasm_exec.js of the same toolchain
}

// StaticNames returns the names of the embedded static files, sorted.
func StaticNames() []string {
	var out []string
	entries, _ := fs.ReadDir(static, "static")
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}

// Static returns the embedded static file name ("index.html").
func Static(name string) ([]byte, bool) {
	b, err := static.ReadFile("static/" + name)
	return b, err == nil
}

// Contents returns every file of the site by name: the static files and, when
// given, vardval.wasm and wasm_exec.js.
func Contents(a Assets) map[string][]byte {
	out := map[string][]byte{}
	for _, n := range StaticNames() {
		b, _ := Static(n)
		out[n] = b
	}
	if a.Wasm != nil {
		out[WasmName] = a.Wasm
	}
	if a.WasmExec != nil {
		out[WasmExecName] = a.WasmExec
	}
	return out
}

// GzipSuffix is the suffix of a precompressed copy of a site file
// ("vardval.wasm.gz"): an exported site carries one beside every file, so
// that a static host (or a person) can serve the module at about a quarter
// of its size.
const GzipSuffix = ".gz"

// Gzip compresses b at the best compression, deterministically (no name,
// no modification time in the header): the same bytes give the same file.
func Gzip(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b) // a bytes.Buffer does not fail
	_ = zw.Close()
	return buf.Bytes()
}

// WithGzip returns files and, for each, its gzip copy under name +
// GzipSuffix: what an exported site holds.
func WithGzip(files map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, 2*len(files))
	for n, b := range files {
		out[n] = b
		out[n+GzipSuffix] = Gzip(b)
	}
	return out
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (a q of 0 refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".wasm": "application/wasm",
}

// Handler serves the site: GET or HEAD of "/" (index.html) and of each file
// by name, with the CSP header, nosniff, no referrer and no caching of the
// static files' stale copies (they are revalidated). A browser that
// accepts gzip gets each file's precompressed copy (compressed once, on
// the first request for it) with Content-Encoding: gzip, so the module
// travels at about 2.2 MB instead of 8.4 MB. Anything else is 404 or 405.
func Handler(a Assets) http.Handler {
	files := Contents(a)
	type packed struct {
		once sync.Once
		b    []byte
	}
	gz := make(map[string]*packed, len(files))
	for n := range files {
		gz[n] = &packed{}
	}
	modTime := time.Time{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", HeaderCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := path.Clean("/" + r.URL.Path)[1:]
		if name == "" {
			name = "index.html"
		}
		b, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if ct, ok := types[path.Ext(name)]; ok {
			h.Set("Content-Type", ct)
		}
		h.Set("Cache-Control", "no-cache")
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) && r.Header.Get("Range") == "" {
			p := gz[name]
			p.once.Do(func() { p.b = Gzip(b) })
			h.Set("Content-Encoding", "gzip")
			b = p.b
		}
		http.ServeContent(w, r, name, modTime, bytes.NewReader(b))
	})
}
