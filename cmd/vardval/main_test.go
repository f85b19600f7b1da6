package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/shopspring/decimal"
)

// run runs the CLI in-process and returns its exit status and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), &env{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

var personnummerShape = regexp.MustCompile(`\b(\d{6}|\d{8})[-+]?\d{4}\b`)

func noPersonnummer(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if m := personnummerShape.FindString(s); m != "" {
			t.Errorf("output contains something shaped like a personnummer: %q", m)
		}
	}
}

func TestCheckExitStatuses(t *testing.T) {
	intake := filepath.Join("..", "..", "vardval", "testdata", "intake")
	tests := []struct {
		dir  string
		want int
	}{
		{filepath.Join(intake, "clean"), 0},
		{filepath.Join(intake, "faults"), 1},
		{t.TempDir(), 2}, // no units.csv, no listings.csv
		{filepath.Join(intake, "does-not-exist"), 2},
	}
	for _, tt := range tests {
		code, out, errs := run(t, "check", tt.dir, "--format", "json")
		if code != tt.want {
			t.Errorf("check %s: exit %d, want %d\n%s%s", tt.dir, code, tt.want, out, errs)
		}
		noPersonnummer(t, out, errs)
		if tt.want < 2 || out != "" {
			var rep struct {
				Files []struct {
					File                     string
					Read, Accepted, Rejected int
					Rejections               []struct {
						Line   int
						Column string
						Reason string
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Errorf("check %s: output is not the contract's JSON: %v", tt.dir, err)
			}
			for _, f := range rep.Files {
				if f.Read != f.Accepted+f.Rejected || len(f.Rejections) != f.Rejected {
					t.Errorf("%s: counts do not add up", f.File)
				}
			}
		}
	}
}

// The synthetic region written by `vardval synth` passes `vardval check`
// with no rejection, and every embedded model prices it with exact sums.
func TestSynthCheckRun(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "synth", "--persons", "20000", "--seed", "3", "--out", dir); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, errs)
	}
	if code, out, _ := run(t, "check", dir); code != 0 {
		t.Fatalf("check of synth output: exit %d\n%s", code, out)
	}
	code, list, _ := run(t, "models")
	if code != 0 {
		t.Fatal("models failed")
	}
	names := regexp.MustCompile(`(?m)^([a-z]+-\d{4})\t`).FindAllStringSubmatch(list, -1)
	if len(names) < 3 {
		t.Fatalf("models lists %d models, want at least 3:\n%s", len(names), list)
	}
	for _, n := range names {
		code, out, errs := run(t, "run", "--model", n[1], "--data", dir, "--format", "json", "--period", "2024")
		if code != 0 {
			t.Errorf("run %s: exit %d: %s", n[1], code, errs)
			continue
		}
		noPersonnummer(t, out, errs)
		var st struct {
			Total string
			Units []struct {
				UnitID string `json:"unit_id"`
				Total  string
				Lines  []struct {
					Amount, Parameter, Source string
					ValidFrom                 string `json:"valid_from"`
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("run %s: %v", n[1], err)
		}
		sum := decimal.Zero
		for _, u := range st.Units {
			us := decimal.Zero
			for _, l := range u.Lines {
				us = us.Add(decimal.RequireFromString(l.Amount))
				if l.Parameter == "" || l.ValidFrom == "" || l.Source == "" {
					t.Errorf("%s %s: a line lacks parameter, validity or source: %+v", n[1], u.UnitID, l)
				}
			}
			if !us.Equal(decimal.RequireFromString(u.Total)) {
				t.Errorf("%s %s: lines sum to %s, unit total %s", n[1], u.UnitID, us, u.Total)
			}
			sum = sum.Add(us)
		}
		if !sum.Equal(decimal.RequireFromString(st.Total)) {
			t.Errorf("%s: units sum to %s, region total %s", n[1], sum, st.Total)
		}
	}
}

func TestDefaultDemo(t *testing.T) {
	code, out, errs := run(t)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"halland", "region", "parameter", "source"} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	noPersonnummer(t, out, errs)
}

func TestModelCheck(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("model: x\nbogus: 1\n"), 0o644)
	if code, _, _ := run(t, "model", "check", bad); code != 1 {
		t.Errorf("model check of a bad file: exit %d, want 1", code)
	}
	if code, _, errs := run(t, "model", "check", "skane-2023"); code != 0 {
		t.Errorf("model check skane-2023: exit %d: %s", code, errs)
	}
}
