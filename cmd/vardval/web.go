package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vardval/vardval/wasm/site"
)

// vardval web serves the browser calculator, or exports it as a static
// site. The HTML, CSS and JS are embedded in the binary (package
// wasm/site); the WebAssembly module is built at run time with the Go
// toolchain (GOOS=js GOARCH=wasm go build ./wasm in the vardval source
// tree), as `go run ./cmd/vardval` needs the toolchain anyway, unless a
// prebuilt module is given with --wasm.
func cmdWeb(ctx context.Context, e *env, args []string) int {
	fs := newFlags("web", e)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve on")
	export := fs.String("export", "", "write the static site to this directory instead of serving it")
	wasmFile := fs.String("wasm", "", "serve this prebuilt vardval.wasm instead of building one (needs --wasm-exec or a Go toolchain for wasm_exec.js)")
	wasmExec := fs.String("wasm-exec", "", "wasm_exec.js to serve (default: the Go toolchain's)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 0 {
		fmt.Fprintln(e.stderr, "usage: vardval web [--addr 127.0.0.1:8080] [--export DIR] [--wasm FILE]")
		return 2
	}
	assets, err := webAssets(ctx, e, *wasmFile, *wasmExec)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
		return 2
	}
	if *export != "" {
		if err := webExport(*export, assets); err != nil {
			fmt.Fprintf(e.stderr, "vardval: web: %v\n", err)
			return 2
		}
		files := site.Files(assets)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
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
	srv := &http.Server{Handler: site.Handler(assets), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "vardval web: serving the calculator on http://%s/ (interrupt to stop)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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

// webExport writes the static site to dir.
func webExport(dir string, a site.Assets) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range site.Files(a) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// webAssets returns the module and wasm_exec.js: from the given files, or
// built with the Go toolchain.
func webAssets(ctx context.Context, e *env, wasmFile, wasmExecFile string) (site.Assets, error) {
	var a site.Assets
	var err error
	if wasmFile != "" {
		if a.Wasm, err = os.ReadFile(wasmFile); err != nil {
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
	a.WasmExec, err = os.ReadFile(wasmExecFile)
	return a, err
}

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

// webModuleRoot finds the vardval source tree: the module root above the
// working directory whose go.mod declares github.com/vardval/vardval.
func webModuleRoot() (string, error) {
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
	root, err := webModuleRoot()
	if err != nil {
		return "", err
	}
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
	if _, err := webGo(ctx, root, []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"},
		"build", "-trimpath", "-ldflags=-s -w", "-o", tmp, "./wasm"); err != nil {
		return "", err
	}
	return out, os.Rename(tmp, out)
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
