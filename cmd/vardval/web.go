package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	source "github.com/vardval/vardval"
	"github.com/vardval/vardval/wasm/site"
)

// vardval web serves the browser calculator, or exports it as a static
// site. The HTML, CSS and JS are embedded in the binary (package
// wasm/site); the WebAssembly module is built at run time with the Go
// toolchain (GOOS=js GOARCH=wasm go build ./wasm in the vardval source
// tree around the working directory, else in the source the binary
// carries: package source), as `go run ./cmd/vardval` needs the toolchain
// anyway, unless a prebuilt module is given with --wasm.
func cmdWeb(ctx context.Context, e *env, args []string) int {
	fs := newFlags("web", e)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve on")
	export := fs.String("export", "", "write the static site to this directory instead of serving it")
	wasmFile := fs.String("wasm", "", "serve this prebuilt vardval.wasm instead of building one (needs --wasm-exec or a Go toolchain for wasm_exec.js)")
	wasmExec := fs.String("wasm-exec", "", "wasm_exec.js to serve (default: the Go toolchain's)")
	force := fs.Bool("force", false, "let --export write into a directory that is not empty (replacing only the site's files)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 0 {
		fmt.Fprintln(e.stderr, "usage: vardval web [--addr 127.0.0.1:8080] [--export DIR] [--wasm FILE]")
		return 2
	}
	if *export != "" {
		if err := outputDir(*export, "--export", *force); err != nil {
			fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
			return 2
		}
	}
	assets, err := webAssets(ctx, e, *wasmFile, *wasmExec)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
		return 2
	}
	if *export != "" {
		if err := webExport(e, *export, assets); err != nil {
			fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
			return 2
		}
		files := site.WithGzip(site.Contents(assets))
		for _, n := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintf(e.stdout, "%s\t%d bytes\n", filepath.Join(*export, n), len(files[n]))
		}
		fmt.Fprintln(e.stdout, "serve the directory from any static host; it needs no server code (Content-Security-Policy is in index.html)")
		return 0
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
		return 2
	}
	srv := newWebServer(ln.Addr(), site.Handler(assets))
	if !loopback(ln.Addr()) {
		fmt.Fprintf(e.stderr, "vardval web: warning: %s is not a loopback address; the page will be reachable from the network\n", ln.Addr())
	}
	fmt.Fprintf(e.stdout, "vardval web: serving the calculator on http://%s/ (interrupt to stop)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_ = srv.Shutdown(sctx)
		return 0
	case err := <-done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
			return 2
		}
		return 0
	}
}

// webExport writes the static site to dir (prepared by outputDir), one
// file at a time, each atomically, every file with its gzip copy
// (name.gz) beside it.
func webExport(e *env, dir string, a site.Assets) error {
	files := site.WithGzip(site.Contents(a))
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := e.writeFile(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// The local server's limits: a connection that is slow to send its
// headers or request, slow to take the response, or idle is closed within
// 30 s; headers are at most 64 KiB.
const (
	webReadHeaderTimeout = 10 * time.Second
	webReadTimeout       = 30 * time.Second
	webWriteTimeout      = 30 * time.Second
	webIdleTimeout       = 30 * time.Second
	webMaxHeaderBytes    = 64 << 10
)

// newWebServer is the local server for the page at addr: the limits above,
// and a request whose Host is neither the bound address nor localhost
// (at the bound port) is answered 421 Misdirected Request, so a DNS
// rebinding page cannot read the calculator.
func newWebServer(addr net.Addr, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           hostGuard(addr, h),
		ReadHeaderTimeout: webReadHeaderTimeout,
		ReadTimeout:       webReadTimeout,
		WriteTimeout:      webWriteTimeout,
		IdleTimeout:       webIdleTimeout,
		MaxHeaderBytes:    webMaxHeaderBytes,
	}
}

// hostGuard answers 421 to a request whose Host names anything but the
// bound address or localhost. A DNS rebinding page reaches the server
// under its own host name, which is refused; an IP literal is the bound
// address itself (any of the machine's addresses when bound to all of
// them, any loopback address when bound to one).
func hostGuard(addr net.Addr, h http.Handler) http.Handler {
	var bound net.IP
	if ta, ok := addr.(*net.TCPAddr); ok {
		bound = ta.IP
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hostAllowed(r.Host, bound) {
			http.Error(w, "misdirected request: this server answers only to its own address or localhost", http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func hostAllowed(hostport string, bound net.IP) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil || bound == nil:
		return false
	case bound.IsUnspecified():
		return true
	case bound.IsLoopback():
		return ip.IsLoopback()
	default:
		return ip.Equal(bound)
	}
}

// loopback reports whether addr can only be reached from this machine.
func loopback(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// webAssets returns the module and wasm_exec.js: from the given files, or
// built with the Go toolchain.
func webAssets(ctx context.Context, e *env, wasmFile, wasmExecFile string) (site.Assets, error) {
	var a site.Assets
	var err error
	if wasmFile != "" {
		if a.Wasm, err = readInput(wasmFile, "module", maxWasmBytes); err != nil {
			return a, err
		}
	} else {
		fmt.Fprintln(e.stderr, "vardval web: building vardval.wasm with the Go toolchain (GOOS=js GOARCH=wasm) …")
		path, err := webBuildWasm(ctx, "")
		if err != nil {
			return a, err
		}
		if a.Wasm, err = os.ReadFile(path); err != nil {
			return a, err
		}
	}
	if wasmExecFile == "" {
		if wasmExecFile, err = webWasmExecPath(ctx); err != nil {
			return a, err
		}
	}
	a.WasmExec, err = readInput(wasmExecFile, "wasm_exec.js", maxModelBytes)
	return a, err
}

// maxWasmBytes bounds what is read of a --wasm module.
const maxWasmBytes = 256 << 20

// webGo runs the go command with args in dir and returns its trimmed
// standard output.
func webGo(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("the Go toolchain (go) is needed to build vardval.wasm; install Go or pass --wasm FILE")
		}
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// webModulePath is the module the wasm is built from.
const webModulePath = "github.com/vardval/vardval"

// webModuleRoot finds the vardval source to build the wasm from: the
// module root above the working directory whose go.mod declares
// github.com/vardval/vardval (a clone), else the source this binary
// carries (package source), written to a temporary directory that
// cleanup removes. The embedded source is exactly the binary's, however
// it was installed (`go install` from a clone or from a module proxy, or
// a copied binary); its dependencies come from the module cache, or
// through GOPROXY when the cache lacks them.
func webModuleRoot() (dir string, cleanup func(), err error) {
	if dir, err := webSourceTree(); err == nil {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "vardval-web-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	if err := os.CopyFS(tmp, source.Files); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("writing the browser build's source: %v", err)
	}
	return tmp, cleanup, nil
}

// webSourceTree finds a clone: the module root above the working
// directory whose go.mod declares github.com/vardval/vardval.
func webSourceTree() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module github.com/vardval/vardval") {
			if first, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n"); strings.TrimSpace(first) == "module github.com/vardval/vardval" {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("building vardval.wasm needs the vardval source tree: run from inside it, or pass --wasm FILE")
		}
		dir = parent
	}
}

// webBuildWasm builds ./wasm of the module root for js/wasm into out (""
// = the user cache directory, else a temporary directory) and returns the
// file's path. The go command's build cache makes a rebuild cheap.
func webBuildWasm(ctx context.Context, out string) (string, error) {
	root, cleanup, err := webModuleRoot()
	if err != nil {
		return "", err
	}
	defer cleanup()
	if out == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		dir = filepath.Join(dir, "vardval", "web")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		out = filepath.Join(dir, site.WasmName)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", out, os.Getpid())
	if _, err := webGo(ctx, root, []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOWORK=off"},
		"build", "-trimpath", "-ldflags=-s -w", "-o", tmp, "./wasm"); err != nil {
		os.Remove(tmp) // a build stopped half-way (an interrupt) may have left it
		return "", err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return out, nil
}

// webWasmExecPath returns the toolchain's wasm_exec.js: lib/wasm (Go 1.24
// and later), else misc/wasm.
func webWasmExecPath(ctx context.Context) (string, error) {
	goroot, err := webGo(ctx, "", nil, "env", "GOROOT")
	if err != nil {
		return "", err
	}
	for _, p := range []string{filepath.Join(goroot, "lib", "wasm", site.WasmExecName), filepath.Join(goroot, "misc", "wasm", site.WasmExecName)} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no %s under %s (lib/wasm or misc/wasm)", site.WasmExecName, goroot)
}
