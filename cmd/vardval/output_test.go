package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A failed write leaves the previous file byte for byte, removes the
// temporary file and names the file.
func TestWriteFileKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	os.WriteFile(path, []byte("old"), 0o644)
	e := &env{temps: &tempFiles{}}
	boom := errors.New("disk full")
	err := e.writeFileFunc(path, func(w io.Writer) error {
		w.Write([]byte("half a"))
		return boom
	})
	var oe *outputError
	if !errors.As(err, &oe) || oe.Path != path || !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want an *outputError naming %s", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("old file became %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary file left: %v", entries)
	}
	if err := e.writeFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file is %q, want new", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	if err := e.writeFile(filepath.Join(dir, "missing", "x.csv"), nil); !errors.As(err, &oe) {
		t.Errorf("a missing directory: %v", err)
	}
}

// A writer replaces a symlink at its target instead of writing through it
// to a file outside the directory.
func TestWriteFileDoesNotFollowSymlinks(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "precious")
	os.WriteFile(outside, []byte("precious"), 0o644)
	dir := t.TempDir()
	link := filepath.Join(dir, "run.csv")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "run", "--model", "vgr-2017", "--data", clean(), "--period", "2024", "--format", "csv", "--out", link)
	if code != 0 {
		t.Fatalf("run: %d %s", code, errs)
	}
	if b, _ := os.ReadFile(outside); string(b) != "precious" {
		t.Errorf("the file outside was written through the link: %q", b)
	}
	if st, err := os.Lstat(link); err != nil || !st.Mode().IsRegular() {
		t.Errorf("the link was not replaced by the output: %v %v", st, err)
	}
	// The same inside a plot directory, with --force.
	plots := t.TempDir()
	os.Symlink(outside, filepath.Join(plots, "ed_visits_per_1000.svg"))
	code, _, errs = run(t, "measures", "--data", clean(), "--period", "2024", "--plot", plots, "--force")
	if code != 0 {
		t.Fatalf("measures: %d %s", code, errs)
	}
	if b, _ := os.ReadFile(outside); string(b) != "precious" {
		t.Errorf("a plot was written through a link: %q", b)
	}
}

// --plot, --waterfall, web --export and synth --out refuse a directory that
// is not empty unless --force, and then replace only their own files.
func TestOutputDirectoriesNeedForce(t *testing.T) {
	module := filepath.Join(t.TempDir(), "vardval.wasm")
	os.WriteFile(module, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	for _, tc := range []struct {
		name string
		args func(dir string) []string
	}{
		{"plot", func(d string) []string {
			return []string{"measures", "--data", clean(), "--period", "2024", "--plot", d}
		}},
		{"waterfall", func(d string) []string {
			return []string{"compare", "--model", "vgr-2017", "--model", "halland-2019", "--data", clean(), "--period", "2024", "--waterfall", d}
		}},
		{"synth", func(d string) []string { return []string{"synth", "--persons", "50", "--out", d} }},
		{"export", func(d string) []string {
			return []string{"web", "--export", d, "--wasm", module, "--wasm-exec", module}
		}},
	} {
		dir := t.TempDir()
		keep := filepath.Join(dir, "notes.txt")
		os.WriteFile(keep, []byte("mine"), 0o644)
		code, out, errs := run(t, tc.args(dir)...)
		if code != 2 || !strings.Contains(errs, "--force") || !strings.Contains(errs, "not empty") {
			t.Errorf("%s into a non-empty directory: exit %d, %s%s", tc.name, code, out, errs)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s wrote into a directory it refused: %v", tc.name, entries)
		}
		code, out, errs = run(t, append(tc.args(dir), "--force")...)
		if code != 0 {
			t.Errorf("%s --force: exit %d, %s%s", tc.name, code, out, errs)
		}
		if b, _ := os.ReadFile(keep); string(b) != "mine" {
			t.Errorf("%s --force touched a file it does not write", tc.name)
		}
		if entries, _ := os.ReadDir(dir); len(entries) < 2 {
			t.Errorf("%s --force wrote nothing", tc.name)
		}
	}
}

// Unit ids become safe, distinct file names.
func TestFileNames(t *testing.T) {
	got := fileNames([]string{"region", "VC1", "../../etc/passwd", "region", ".hidden", "", "VC 191212-1212", "vc1", "a/b"}, ".svg")
	want := []string{"region.svg", "VC1.svg", "unit.._.._etc_passwd.svg", "region-2.svg", "unit.hidden.svg", "unit.svg", "VC__personnummer_.svg", "vc1-2.svg", "a_b.svg"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fileNames (-want +got):\n%s", diff)
	}
	for _, n := range got {
		if strings.ContainsAny(n, `/\`) || n[0] == '.' {
			t.Errorf("unsafe name %q", n)
		}
	}
}

// An interrupted command says only "interrupted" and exits 130, with
// nothing on stdout.
func TestInterruptedExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"check", clean()},
		{"run", "--model", "skane-2023", "--data", clean()},
		{"measures", "--data", clean()},
		{"synth", "--persons", "100", "--out", filepath.Join(t.TempDir(), "s")},
	} {
		var out, errb bytes.Buffer
		code := runMain(ctx, &env{stdout: &out, stderr: &errb}, args)
		if code != 130 || out.Len() != 0 || errb.String() != "vardval: interrupted\n" {
			t.Errorf("%v cancelled: exit %d, stdout %q, stderr %q; want 130, nothing, and \"interrupted\"", args, code, out.String(), errb.String())
		}
	}
}

// The local server closes slow and idle connections, answers 421 to a
// foreign Host and forbids framing.
func TestWebServerLimits(t *testing.T) {
	srv := newWebServer(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout} {
		if d <= 0 || d > 30*time.Second {
			t.Errorf("%s = %v, want (0, 30 s]", name, d)
		}
	}
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d", srv.MaxHeaderBytes)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, tc := range []struct {
		bound net.IP
		host  string
		want  int
	}{
		{net.IPv4(127, 0, 0, 1), "127.0.0.1:8080", 200},
		{net.IPv4(127, 0, 0, 1), "localhost:8080", 200},
		{net.IPv4(127, 0, 0, 1), "LOCALHOST", 200},
		{net.IPv4(127, 0, 0, 1), "[::1]:8080", 200},
		{net.IPv4(127, 0, 0, 1), "evil.example:8080", 421},
		{net.IPv4(127, 0, 0, 1), "10.0.0.5:8080", 421},
		{net.IPv4(127, 0, 0, 1), "", 421},
		{net.IPv4(192, 168, 1, 5), "192.168.1.5:8080", 200},
		{net.IPv4(192, 168, 1, 5), "rebind.example", 421},
		{net.IPv4zero, "192.168.1.9:8080", 200},
		{net.IPv4zero, "attacker.example:8080", 421},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = tc.host
		hostGuard(&net.TCPAddr{IP: tc.bound, Port: 8080}, ok).ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("bound %v, Host %q: %d, want %d", tc.bound, tc.host, rec.Code, tc.want)
		}
	}
}

// A connection that sends half a request, or none, is closed by the
// server (here with the read-header limit shortened to keep the test
// quick; TestWebServerLimits checks the real values).
func TestWebServerClosesSlowConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newWebServer(ln.Addr(), http.NotFoundHandler())
	srv.ReadHeaderTimeout, srv.IdleTimeout = 300*time.Millisecond, 300*time.Millisecond
	go srv.Serve(ln)
	defer srv.Close()
	for _, send := range []string{"", "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(send))
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		start := time.Now()
		_, err = conn.Read(make([]byte, 512))
		for err == nil {
			_, err = conn.Read(make([]byte, 512))
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("send %q: the server kept the connection open for %v", send, time.Since(start))
		}
		conn.Close()
	}
}

// A non-loopback address is warned about.
func TestWebWarnsOffLoopback(t *testing.T) {
	dir := t.TempDir()
	wasm, exec := filepath.Join(dir, "m.wasm"), filepath.Join(dir, "e.js")
	os.WriteFile(wasm, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	os.WriteFile(exec, []byte("//"), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out, errb bytes.Buffer
	cmdWeb(ctx, &env{stdout: &out, stderr: &errb}, []string{"--addr", "0.0.0.0:0", "--wasm", wasm, "--wasm-exec", exec})
	if !strings.Contains(errb.String(), "reachable from the network") {
		t.Errorf("no warning for 0.0.0.0: %q", errb.String())
	}
}

// A device or pipe as --out is written in place, never replaced: /dev/null
// stays a device, and /dev/full fails naming the file.
func TestWriteFileToDevices(t *testing.T) {
	e := &env{temps: &tempFiles{}}
	if err := e.writeFile("/dev/null", []byte("x")); err != nil {
		t.Errorf("/dev/null: %v", err)
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v %v", st, err)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		err := e.writeFile("/dev/full", []byte("x"))
		var oe *outputError
		if !errors.As(err, &oe) || oe.Path != "/dev/full" {
			t.Errorf("/dev/full: %v", err)
		}
		if st, err := os.Stat("/dev/full"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("/dev/full is no longer a device: %v %v", st, err)
		}
	}
	if err := e.writeFile(t.TempDir(), []byte("x")); err == nil {
		t.Error("a directory as the target: no error")
	}
}
