//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests run the built command as a user does, in its own process:
// signals, kill -9, a full disk (a file size limit), a full or closed
// standard output, FIFOs and concurrent writers.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// vardvalBin builds the command once per test binary.
func vardvalBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vardval-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "vardval")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// result is one finished process.
type result struct {
	code        int
	stdout      string
	stderr      string
	took        time.Duration
	signalled   bool
	stdoutBytes []byte
}

// runBin runs the command with args, killing it after limit.
func runBin(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	return runCmd(t, limit, exec.Command(vardvalBin(t), args...))
}

func runCmd(t *testing.T, limit time.Duration, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	if cmd.Stdout == nil {
		cmd.Stdout = &out
	}
	cmd.Stderr = &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	r := result{took: time.Since(start), stdout: out.String(), stderr: errb.String(), stdoutBytes: out.Bytes()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.signalled = true
		}
	} else if err != nil {
		t.Fatal(err)
	}
	if r.took >= limit {
		t.Fatalf("%v did not end within %v", cmd.Args, limit)
	}
	assertHarmless(t, "stdout", []byte(r.stdout))
	assertHarmless(t, "stderr", []byte(r.stderr))
	return r
}

// synthRegion writes a synthetic region of n persons into a new directory.
func synthRegion(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "region")
	if r := runBin(t, time.Minute, "synth", "--persons", fmt.Sprint(n), "--seed", "5", "--out", dir); r.code != 0 {
		t.Fatalf("synth: %d %s", r.code, r.stderr)
	}
	return dir
}

// Writing to a full or closed standard output fails the command.
func TestStdoutFullOrClosed(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	defer full.Close()
	for _, args := range [][]string{{"models"}, {"run", "--model", "vgr-2017", "--data", clean(), "--period", "2024"}, {"check", clean()}} {
		cmd := exec.Command(vardvalBin(t), args...)
		cmd.Stdout = full
		r := runCmd(t, time.Minute, cmd)
		if r.code != 2 || !strings.Contains(r.stderr, "standard output") {
			t.Errorf("%v > /dev/full: exit %d, stderr %q; want 2 and why", args, r.code, r.stderr)
		}
		// A reader that has gone away (vardval models | head -0).
		cmd = exec.Command(vardvalBin(t), args...)
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		pr.Close()
		cmd.Stdout = pw
		r = runCmd(t, time.Minute, cmd)
		pw.Close()
		if r.code == 0 && !r.signalled {
			t.Errorf("%v into a closed pipe: exit 0", args)
		}
	}
}

// A FIFO, a device or a dangling symlink in a region folder or given as a
// model is refused before it is read, with exit status 2.
func TestNotRegularFiles(t *testing.T) {
	base := t.TempDir()
	region := func(name string, plant func(path string) error) string {
		dir := filepath.Join(base, name)
		os.MkdirAll(dir, 0o755)
		entries, _ := os.ReadDir(clean())
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(clean(), e.Name()))
			os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
		}
		return dir
	}
	for _, tc := range []struct {
		name, file string
		plant      func(path string) error
		want       string
	}{
		{"fifo-units", "units.csv", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file"},
		{"fifo-listings", "listings.csv", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file"},
		{"fifo-contacts", "contacts.csv", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file"},
		{"device-diagnoses", "diagnoses.csv", func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file"},
		{"dangling-units", "units.csv", func(p string) error { return os.Symlink(filepath.Join(base, "nowhere.csv"), p) }, "symlink"},
		{"dangling-prescriptions", "prescriptions.csv", func(p string) error { return os.Symlink(filepath.Join(base, "nowhere.csv"), p) }, "symlink"},
		{"directory-areas", "areas.csv", func(p string) error { return os.Mkdir(p, 0o755) }, "not a regular file"},
	} {
		dir := region(tc.name, nil)
		path := filepath.Join(dir, tc.file)
		os.Remove(path)
		if err := tc.plant(path); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"check", dir}, {"run", "--model", "vgr-2017", "--data", dir, "--period", "2024"}, {"measures", "--data", dir}} {
			r := runBin(t, 20*time.Second, args...)
			if r.code != 2 || !strings.Contains(r.stdout+r.stderr, tc.want) || !strings.Contains(r.stdout+r.stderr, tc.file) {
				t.Errorf("%s: %v: exit %d, want 2 naming %s and %q\n%s%s", tc.name, args[0], r.code, tc.file, tc.want, r.stdout, r.stderr)
			}
		}
	}
	// Models and results files.
	fifo := filepath.Join(base, "model.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(base, "huge.yaml")
	f, _ := os.Create(huge)
	f.Truncate(500 << 20) // sparse: 500 MB that take no disk
	f.Close()
	dangling := filepath.Join(base, "dangling.yaml")
	os.Symlink(filepath.Join(base, "nowhere.yaml"), dangling)
	for _, tc := range []struct{ model, want string }{
		{fifo, "not a regular file"}, {"/dev/zero", "not a regular file"}, {huge, "larger than"}, {dangling, "symlink"},
	} {
		for _, args := range [][]string{{"run", "--model", tc.model, "--data", clean()}, {"model", "check", tc.model},
			{"compare", "--model", "vgr-2017", "--model", tc.model, "--data", clean()}, {"run", "--model", "vgr-2017", "--data", clean(), "--results", tc.model}} {
			r := runBin(t, 20*time.Second, args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want 2 and %q", args, r.code, r.stderr, tc.want)
			}
		}
	}
}

// On a full disk (here: a file size limit of 4 KiB) the previous output
// stays byte for byte, no temporary file is left, and the command exits 2
// naming the file.
func TestFullDiskKeepsOldOutput(t *testing.T) {
	region := synthRegion(t, 3000)
	dir := t.TempDir()
	out := filepath.Join(dir, "statement.csv")
	old := []byte("the previous statement\n")
	os.WriteFile(out, old, 0o644)
	plots := filepath.Join(dir, "plots")
	os.MkdirAll(plots, 0o755)
	oldPlot := filepath.Join(plots, "ed_visits_per_1000.svg")
	os.WriteFile(oldPlot, old, 0o644)
	for _, args := range []string{
		`run --model skane-2023 --data ` + region + ` --format csv --out ` + out,
		`run --model skane-2023 --data ` + region + ` --format xlsx --out ` + out,
		`measures --data ` + region + ` --format json --out ` + out,
		`measures --data ` + region + ` --plot ` + plots + ` --force`,
	} {
		sh := exec.Command("sh", "-c", `ulimit -f 8; exec "$0" "$@"`, vardvalBin(t))
		sh.Args = append(sh.Args, strings.Fields(args)...)
		r := runCmd(t, time.Minute, sh)
		if r.code != 2 || !strings.Contains(r.stderr, "cannot write") {
			t.Errorf("%s on a full disk: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, f := range []string{out, oldPlot} {
			if b, _ := os.ReadFile(f); !bytes.Equal(b, old) {
				t.Errorf("%s: %s changed to %d bytes", args, f, len(b))
			}
		}
		for _, d := range []string{dir, plots} {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("%s: temporary file %s left behind", args, e.Name())
				}
			}
		}
	}
}

// Two writers of one file at once leave one complete output; kill -9 at
// any moment leaves the old file or the new one, whole.
func TestConcurrentWritersAndKill(t *testing.T) {
	region := synthRegion(t, 20000)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.json")
	outputs := map[string][]byte{}
	for _, m := range []string{"skane-2023", "vgr-2017"} {
		r := runBin(t, time.Minute, "run", "--model", m, "--data", region, "--format", "json")
		outputs[m] = r.stdoutBytes
	}
	whole := func(what string) {
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !bytes.Equal(b, outputs["skane-2023"]) && !bytes.Equal(b, outputs["vgr-2017"]) {
			t.Fatalf("%s: %s is neither output whole (%d bytes)", what, out, len(b))
		}
	}
	for i := 0; i < 4; i++ {
		var wg sync.WaitGroup
		for _, m := range []string{"skane-2023", "vgr-2017"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(vardvalBin(t), "run", "--model", m, "--data", region, "--format", "json", "--out", out)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s: %v %s", m, err, b)
				}
			}()
		}
		wg.Wait()
		whole(fmt.Sprintf("round %d", i))
	}
	for i, delay := range []time.Duration{0, 20, 50, 80, 120, 160, 200, 300} {
		m := []string{"skane-2023", "vgr-2017"}[i%2]
		cmd := exec.Command(vardvalBin(t), "run", "--model", m, "--data", region, "--format", "json", "--out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		whole(fmt.Sprintf("kill -9 after %d ms", delay))
	}
}

// Ctrl-C stops a command within half a second in every phase, says
// "interrupted" and exits 130; an interrupted synth leaves no region.
func TestInterruptEveryPhase(t *testing.T) {
	region := synthRegion(t, 150000)
	dir := t.TempDir()
	// A model of 13 MB takes seconds to parse, and the parser cannot be
	// asked to stop.
	big := filepath.Join(dir, "big.yaml")
	skane, err := os.ReadFile(filepath.Join("..", "..", "examples", "skane", "2023.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(big, append(skane, "\nextra:\n"+strings.Repeat("  - {a: 1, b: 2}\n", 700000)...), 0o644)
	total := 0
	defer func() {
		// Parsing the 13 MB model takes seconds anywhere: some interrupt
		// always lands while a command runs.
		if total == 0 {
			t.Error("every command finished before every interrupt: nothing was checked")
		}
	}()
	for _, args := range [][]string{
		{"model", "check", big},
		{"run", "--model", big, "--data", region},
		{"run", "--model", "halland-2019", "--data", region, "--out", filepath.Join(dir, "run.txt")},
		{"measures", "--data", region, "--plot", filepath.Join(dir, "plots"), "--force"},
		{"check", region},
		{"synth", "--persons", "400000", "--out", filepath.Join(dir, "synth")},
	} {
		interrupted := 0
		for _, delay := range []time.Duration{100, 250, 450, 700} {
			os.RemoveAll(filepath.Join(dir, "synth"))
			cmd := exec.Command(vardvalBin(t), args...)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForHandler(cmd.Process.Pid)
			time.Sleep(delay * time.Millisecond)
			sent := time.Now()
			cmd.Process.Signal(os.Interrupt)
			err := cmd.Wait()
			took := time.Since(sent)
			if cmd.ProcessState.ExitCode() == 0 {
				continue // finished before the interrupt
			}
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				// Still in the runtime's start-up, before main took the
				// signal (a loaded machine): the shell says 130 too.
				t.Logf("%v interrupted after %v: before main", args[0], delay*time.Millisecond)
				continue
			}
			interrupted++
			// Half a second, with room for a loaded test machine.
			if took > 3*time.Second {
				t.Errorf("%v interrupted after %v: stopped %v later", args[0], delay*time.Millisecond, took)
			}
			if cmd.ProcessState.ExitCode() != 130 || errb.String() != "vardval: interrupted\n" {
				t.Errorf("%v interrupted after %v: %v, stderr %q; want exit 130 and only \"interrupted\"", args[0], delay*time.Millisecond, err, errb.String())
			}
			if args[0] == "synth" {
				if _, err := os.Stat(filepath.Join(dir, "synth", "units.csv")); err == nil {
					t.Errorf("an interrupted synth left units.csv")
				}
				if r := runBin(t, time.Minute, "check", filepath.Join(dir, "synth")); r.code != 2 {
					t.Errorf("check takes an interrupted synth for a region: exit %d", r.code)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		}
		if interrupted == 0 {
			t.Logf("%v finished before every interrupt on this machine: nothing checked for it", args[0])
		}
		total += interrupted
	}
}

// waitForHandler waits until process pid catches SIGINT (on Linux, bit 1
// of SigCgt in /proc/PID/status: the Go runtime has started), elsewhere
// 50 ms.
func waitForHandler(pid int) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if hex, ok := strings.CutPrefix(line, "SigCgt:"); ok {
				var mask uint64
				fmt.Sscanf(strings.TrimSpace(hex), "%x", &mask)
				if mask&(1<<(int(syscall.SIGINT)-1)) != 0 {
					return
				}
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
}
