//go:build !js

package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vardval/vardval/wasm/site"
)

// webProxyVersion is the version the install test publishes the source
// tree under in its file:// module proxy.
const webProxyVersion = "v0.99.0"

// webModuleProxy writes a GOPROXY directory holding this source tree as
// github.com/vardval/vardval@webProxyVersion (list, info, mod and zip).
func webModuleProxy(t *testing.T, root, proxy string) {
	t.Helper()
	dir := filepath.Join(proxy, "github.com", "vardval", "vardval", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	prefix := webModulePath + "@" + webProxyVersion + "/"
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if rel != "." && (d.Name() == ".git" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(prefix + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"list":                    []byte(webProxyVersion + "\n"),
		webProxyVersion + ".info": []byte(`{"Version":"` + webProxyVersion + `","Time":"2026-01-01T00:00:00Z"}`),
		webProxyVersion + ".mod":  gomod,
		webProxyVersion + ".zip":  buf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWebInstallAnywhere is item 10 of the page: after `go install
// github.com/vardval/vardval/cmd/vardval@latest` (here from a file://
// proxy holding this tree, into a fresh module cache) `vardval web
// --export DIR` works from an empty directory outside any source tree,
// the site carries a gzip copy of every file, and `vardval web` serves
// the module gzipped to a client that accepts it.
func TestWebInstallAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("installs and builds vardval from a module proxy (-short)")
	}
	goExe, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no Go toolchain")
	}
	root, err := webSourceTree()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cache, err := webGo(ctx, "", nil, "env", "GOMODCACHE")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	proxy := filepath.Join(tmp, "proxy")
	webModuleProxy(t, root, proxy)
	empty := filepath.Join(tmp, "empty")
	bin := filepath.Join(tmp, "bin")
	for _, d := range []string{empty, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The dependencies come from this machine's module cache, read as a
	// proxy: nothing is fetched from the network.
	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(cache, "cache", "download")),
		"GOMODCACHE="+filepath.Join(tmp, "modcache"), "GOFLAGS=-modcacherw -trimpath", "GOSUMDB=off", "GONOSUMDB=*",
		"GOWORK=off", "GOTOOLCHAIN=local", "GOBIN="+bin)
	run := func(timeout time.Duration, name string, args ...string) string {
		t.Helper()
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		cmd := exec.CommandContext(cctx, name, args...)
		cmd.Dir, cmd.Env = empty, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run(10*time.Minute, goExe, "install", webModulePath+"/cmd/vardval@latest")
	vardvalExe := filepath.Join(bin, "vardval")
	export := filepath.Join(tmp, "site")
	out := run(10*time.Minute, vardvalExe, "web", "--export", export)
	webCheckExport(t, export, out)

	// A "(devel)" binary, installed from the clone (`go install
	// ./cmd/vardval`), which no proxy can give the source of, exports from
	// the empty directory too: it builds from the source it carries.
	develBin := filepath.Join(tmp, "develbin")
	install := exec.CommandContext(ctx, goExe, "install", "./cmd/vardval")
	install.Dir, install.Env = root, append(env, "GOBIN="+develBin)
	if b, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install ./cmd/vardval: %v\n%s", err, b)
	}
	if v, err := webGo(ctx, "", nil, "version", "-m", filepath.Join(develBin, "vardval")); err != nil || !strings.Contains(v, webModulePath+"\t(devel)") {
		t.Logf("the binary installed from the clone is not (devel): %v\n%s", err, v)
	}
	develExport := filepath.Join(tmp, "develsite")
	out = run(10*time.Minute, filepath.Join(develBin, "vardval"), "web", "--export", develExport)
	webCheckExport(t, develExport, out)
	for _, n := range []string{site.WasmName, site.WasmName + site.GzipSuffix} {
		a, _ := os.ReadFile(filepath.Join(export, n))
		b, _ := os.ReadFile(filepath.Join(develExport, n))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the binary from the proxy and the one from the clone (%d and %d bytes)", n, len(a), len(b))
		}
	}
	// vardval web from the empty directory serves the module gzipped.
	cmd := exec.Command(vardvalExe, "web", "--addr", "127.0.0.1:0")
	cmd.Dir, cmd.Env = empty, env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	lines := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- l
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Minute):
		t.Fatalf("vardval web printed no address: %s", errb.String())
	}
	_, rest, ok := strings.Cut(line, "http://")
	if !ok {
		t.Fatalf("vardval web: %q %s", line, errb.String())
	}
	base, _, _ := strings.Cut(rest, "/")
	req, _ := http.NewRequest(http.MethodGet, "http://"+base+"/"+site.WasmName, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want, _ := os.ReadFile(filepath.Join(export, site.WasmName+site.GzipSuffix))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("GET /%s: %d, Content-Encoding %q, Content-Type %q", site.WasmName, resp.StatusCode, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	if !bytes.Equal(body, want) {
		t.Errorf("vardval web sent %d bytes of the module; the exported gzip copy has %d", len(body), len(want))
	}
}

// webCheckExport checks an exported site: every file with a gzip copy
// that unpacks to it, the module compressed to under a third.
func webCheckExport(t *testing.T, export, out string) {
	t.Helper()
	for _, n := range append(site.StaticNames(), site.WasmName, site.WasmExecName) {
		raw, err := os.ReadFile(filepath.Join(export, n))
		if err != nil {
			t.Fatalf("export lacks %s: %v\n%s", n, err, out)
		}
		gz, err := os.ReadFile(filepath.Join(export, n+site.GzipSuffix))
		if err != nil {
			t.Fatalf("export lacks %s%s", n, site.GzipSuffix)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatalf("%s%s: %v", n, site.GzipSuffix, err)
		}
		back, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(back, raw) {
			t.Errorf("%s%s does not unpack to %s (%v)", n, site.GzipSuffix, n, err)
		}
		if n == site.WasmName {
			t.Logf("exported %s: %.2f MB, %s%s %.2f MB", n, float64(len(raw))/1e6, n, site.GzipSuffix, float64(len(gz))/1e6)
			if len(gz)*3 > len(raw) {
				t.Errorf("%s%s is %d bytes of %d: not compressed", n, site.GzipSuffix, len(gz), len(raw))
			}
		}
	}
}
