package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkersFlag: check, run, measures and compare write
// byte-identical output whatever --workers is, on a region with rejected
// rows, a duplicate contact id and rows out of order.
func TestWorkersFlag(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := run(t, "synth", "--persons", "4000", "--seed", "11", "--out", data); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, errs)
	}
	// Faults: a row whose contact_id repeats another's, an unparsable
	// date, and the rows reversed.
	contacts := filepath.Join(data, "contacts.csv")
	b, err := os.ReadFile(contacts)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	header, rows := lines[0], lines[1:]
	bad := strings.Split(rows[0], ",")
	bad[0] = strings.Split(rows[1], ",")[0]
	rows = append(rows, strings.Join(bad, ","), strings.Replace(rows[2], "20", "x0", 1))
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	if err := os.WriteFile(contacts, []byte(header+"\n"+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"check", data, "--format", "json"},
		{"run", "--model", "halland-2019", "--data", data, "--format", "json"},
		{"run", "--model", "skane-2023", "--data", data, "--format", "csv"},
		{"measures", "--data", data, "--format", "json"},
		{"compare", "--model", "vgr-2017", "--model", "halland-2019", "--data", data, "--format", "json"},
	}
	for _, args := range commands {
		var want string
		for _, w := range []string{"", "1", "2", "3", "4", "8"} {
			a := args
			if w != "" {
				a = append(append([]string{}, args...), "--workers", w)
			}
			code, out, errs := run(t, a...)
			if code > 1 {
				t.Fatalf("%v: exit %d: %s", a, code, errs)
			}
			if w == "" {
				want = out
				if args[0] == "check" && !strings.Contains(out, "contact_id is also used on line") {
					t.Errorf("check: the duplicate contact id is not rejected:\n%.2000s", out)
				}
				continue
			}
			if out != want {
				t.Errorf("%v: output differs from the default worker count", a)
			}
		}
	}
	if code, _, errs := run(t, "run", "--model", "halland-2019", "--data", data, "--workers", "0"); code != 2 || !strings.Contains(errs, "want a whole number from 1 to 1024") {
		t.Errorf("--workers 0: exit %d: %s", code, errs)
	}
}
