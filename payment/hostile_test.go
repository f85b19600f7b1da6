package payment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHostileModels: every model file in testdata/hostile is refused within
// a second, each problem a *ModelError, and no message repeats a
// personnummer-shaped run or a control character from the file.
func TestHostileModels(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile corpus: %v", err)
	}
	want := map[string]string{
		"exponent.yaml":           `not a plain decimal number: "1e2"`,
		"exponent-upper.yaml":     `not a plain decimal number: "1E+2"`,
		"long-number.yaml":        "a number has at most 40 significant digits, this one has 5000",
		"long-fraction.yaml":      "a number has at most 40 significant digits, this one has 5001",
		"comma-thousands.yaml":    `not a plain decimal number: "1,000.50"`,
		"negative-rate.yaml":      "must not be negative",
		"negative-share.yaml":     "must be a fraction between 0 and 1",
		"shares-not-one.yaml":     "the shares in force on 2024-01-01 sum to 1.1, not 1",
		"negative-pool.yaml":      "must not be negative",
		"personnummer-key.yaml":   `unknown key "` + "[personnummer]",
		"deep-nesting.yaml":       "not valid yaml: exceeded max depth",
		"unknown-assumption.yaml": `components[0].rates[0].values[0].assumption: unknown assumption "rate_not_fuond"`,
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		start := time.Now()
		err = CheckModel(data, ParseOptions{File: name})
		// A guard against a hang (each file is refused in milliseconds;
		// the race detector slows that tenfold), not a timing.
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: %v", name, d)
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		for _, e := range modelErrorsAll(err) {
			var me *ModelError
			if !errors.As(e, &me) {
				t.Errorf("%s: untyped error %T: %v", name, e, e)
			}
		}
		msg := err.Error()
		if pnrShape.MatchString(msg) || tenRun.MatchString(msg) || strings.ContainsAny(msg, "\x1b\x00\x07") {
			t.Errorf("%s: the message repeats the file: %q", name, msg)
		}
		if w, ok := want[name]; ok && !strings.Contains(msg, w) {
			t.Errorf("%s: %q, want %q in it", name, msg, w)
		}
	}
}
