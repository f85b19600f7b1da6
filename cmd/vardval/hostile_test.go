package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The hostile corpus (testdata/hostile): one directory per case, holding a
// region's files planted with what an attacker or an unlucky user would
// give (personnummer in every cell, header and file name, control
// characters, UTF-16, missing headers, CR line endings, overrides that
// break the model) and a file commands: one command per line,
//
//	EXIT ARGS... [| TEXT]
//
// EXIT is the exit status wanted (* for any of 0, 1 and 2), {dir} stands
// for the case's directory and {tmp} for an empty directory of the case,
// and TEXT must appear in the command's standard output or error. Every
// command's output, and every file it writes (inside .xlsx files too),
// must hold no personnummer shape, no control character and no panic.
func TestHostileCorpus(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("testdata", "hostile", "*", "commands"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no hostile corpus: %v", err)
	}
	for _, cf := range cases {
		dir := filepath.Dir(cf)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(cf)
			if err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			sc := bufio.NewScanner(bytes.NewReader(b))
			for n := 1; sc.Scan(); n++ {
				line := strings.TrimSpace(sc.Text())
				if line == "" || line[0] == '#' {
					continue
				}
				spec, want, _ := strings.Cut(line, "|")
				fields := strings.Fields(strings.NewReplacer("{dir}", dir, "{tmp}", tmp).Replace(spec))
				code, out, errs := runHostile(t, fields[1:])
				switch {
				case fields[0] == "*" && code > 2, fields[0] != "*" && strconv.Itoa(code) != fields[0]:
					t.Errorf("commands:%d: %v: exit %d, want %s\nstdout: %s\nstderr: %s", n, fields[1:], code, fields[0], out, errs)
				}
				if want = strings.TrimSpace(want); want != "" && !strings.Contains(out+errs, want) {
					t.Errorf("commands:%d: %v: output lacks %q\nstdout: %s\nstderr: %s", n, fields[1:], want, out, errs)
				}
				assertHarmless(t, "stdout of "+strings.Join(fields[1:], " "), []byte(out))
				assertHarmless(t, "stderr of "+strings.Join(fields[1:], " "), []byte(errs))
			}
			assertHarmlessFiles(t, tmp)
		})
	}
}

// runHostile runs a command in-process as main does, streams included.
func runHostile(t *testing.T, args []string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	so, se := newStreamWriter(&out), newStreamWriter(&errb)
	code := runMain(ctx, &env{stdout: so, stderr: se, temps: &tempFiles{}}, args)
	if ferr := flushStreams(so, se); code == 0 {
		code = ferr
	}
	if ctx.Err() != nil {
		t.Fatalf("%v did not end within two minutes", args)
	}
	return code, out.String(), errb.String()
}

// pnrForm is a personnummer in any spelling, or the digits planted in the
// corpus (1912-12-12, 2000-01-01 and 2024-02-31 with their numbers).
var pnrForm = regexp.MustCompile(`\d{6}[-+ ]?\d{4}|191212|200001019999|20240231`)

// panicText is what a crash prints.
var panicText = regexp.MustCompile(`panic:|goroutine \d+|fatal error:|runtime\.`)

func assertHarmless(t *testing.T, what string, b []byte) {
	t.Helper()
	if m := pnrForm.Find(b); m != nil {
		i := bytes.Index(b, m)
		t.Errorf("%s holds a personnummer form %q: …%s…", what, m, b[max(0, i-40):min(len(b), i+len(m)+20)])
	}
	if m := panicText.Find(b); m != nil {
		t.Errorf("%s holds panic text %q", what, m)
	}
	for i, c := range b {
		if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f || (c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f) {
			t.Errorf("%s holds control character %#x at %d: %q", what, c, i, b[max(0, i-20):min(len(b), i+20)])
			break
		}
	}
}

// assertHarmlessFiles checks every file under dir, the parts of .xlsx
// files one by one.
func assertHarmlessFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			t.Errorf("temporary file left behind: %s", path)
		}
		if filepath.Ext(path) != ".xlsx" {
			assertHarmless(t, path, b)
			return nil
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		for _, f := range zr.File {
			// The cells, shared strings and document properties; the theme
			// and styles hold the format's own digit strings (GUIDs).
			if !strings.HasPrefix(f.Name, "xl/worksheets/") && f.Name != "xl/sharedStrings.xml" && !strings.HasPrefix(f.Name, "docProps/") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Errorf("%s: %s: %v", path, f.Name, err)
				continue
			}
			part, _ := io.ReadAll(rc)
			rc.Close()
			assertHarmless(t, path+":"+f.Name, part)
		}
		return nil
	})
}

// clean is the small clean region of vardval's intake tests.
func clean() string { return filepath.Join("..", "..", "vardval", "testdata", "intake", "clean") }
