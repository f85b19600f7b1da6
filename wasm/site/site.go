package site

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"slices"
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

var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".wasm": "application/wasm",
}

// Handler serves the site: GET or HEAD of "/" (index.html) and of each file
// by name, with the CSP header, nosniff, no referrer and no caching of the
// static files' stale copies (they are revalidated). Anything else is 404
// or 405.
func Handler(a Assets) http.Handler {
	files := Contents(a)
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
		http.ServeContent(w, r, name, modTime, bytes.NewReader(b))
	})
}
