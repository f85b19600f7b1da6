package payment

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vardval/vardval/vardval"
)

func FuzzParseModel(f *testing.F) {
	f.Add([]byte(minimal), "100")
	f.Add([]byte("model: x\nvalid: {from: 2024-01-01}\ncomponents: [&a {id: a}, *a]\n"), "1")
	f.Add([]byte("model: [\n"), "-1")
	f.Add([]byte(strings.Replace(minimal, `"100"`, `"`+strings.Repeat("9", 41)+`"`, 1)), "1e400")
	f.Add([]byte(strings.Replace(minimal, `"100"`, `"1,5"`, 1)), "0,5")
	f.Add([]byte(strings.Replace(minimal, "valid: {from: 2024-01-01, to: 2024-12-31}", "valid: {from: 0001-01-01, to: 9999-12-31}", 1)), "7")
	f.Add([]byte(strings.Repeat("[", 5000)), "")
	f.Add([]byte("model: \"VC 19121212-1212\x1b[31m\"\n"), "19121212-1212")
	f.Add([]byte(assumptionModel("  a: the reason\n  b: unused\n", "a", "c")), "2")
	f.Fuzz(func(t *testing.T, data []byte, value string) {
		m, err := ParseModel(bytes.NewReader(data), ParseOptions{File: "f.yaml"})
		if err != nil {
			// every error is a *ModelError
			for _, e := range modelErrorsAll(err) {
				var me *ModelError
				if !errors.As(e, &me) {
					t.Fatalf("untyped error %T: %v", e, e)
				}
			}
			return
		}
		if m.Name == "" || len(m.Components) == 0 {
			t.Fatal("accepted a model without name or components")
		}
		// A model the parser accepts validates, and an override of its
		// first parameter either keeps it valid or leaves it as it was.
		if err := m.Validate(); err != nil {
			t.Fatalf("parsed, but Validate says %v", err)
		}
		d, err := ParseParameterValue(value)
		if err != nil {
			return
		}
		p := m.Params()[0]
		before := slices.Clone(p.Values)
		if c, err := m.With(Override{Key: p.Path, From: m.Valid.From, Value: d, Note: "fuzz"}); err != nil {
			var oe *OverrideError
			if !errors.As(err, &oe) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if c != nil {
				t.Fatal("a refused override returned a model")
			}
		} else if err := c.Validate(); err != nil {
			t.Fatalf("an accepted override left the model invalid: %v", err)
		}
		if !reflect.DeepEqual(before, p.Values) {
			t.Fatal("With changed the model it was called on")
		}
	})
}

// FuzzParseParameterValue: never a panic; a value is read back from its
// own text; at most MaxDigits digits; no exponent.
func FuzzParseParameterValue(f *testing.F) {
	for _, s := range []string{"294", "1.25", "0,15", "-0.5", "1e2", "00012.500", strings.Repeat("1", 41), "-", ".5", " 1 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseParameterValue(s)
		if err != nil {
			var ne *NumberError
			if !errors.As(err, &ne) {
				t.Fatalf("untyped error %T", err)
			}
			return
		}
		if strings.ContainsAny(s, "eE+_xX") {
			t.Fatalf("accepted %q", s)
		}
		if n := significantDigits(d); n > MaxDigits {
			t.Fatalf("%q has %d digits", s, n)
		}
		back, err := ParseParameterValue(d.String())
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %s → %v, %v", s, d, back, err)
		}
	})
}

func modelErrorsAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func FuzzReadResults(f *testing.F) {
	f.Add([]byte("measure,unit_id,numerator,denominator,value\ncare_guarantee_3d,VC1,45,50,90.0\n"))
	f.Add([]byte(`{"period":{"from":"2024-01-01","to":"2024-12-31"},"measures":[{"measure":"m","unit_id":"","numerator":1,"denominator":2,"value":0.5,"ci_low":0.1,"ci_high":0.9,"method":"wilson-95"}]}`))
	f.Add([]byte(`[{"measure":"m","unit_id":"u","numerator":"1","denominator":"2","value":"1e3"}]`))
	f.Add([]byte(`{"period":{"from":"2024-12-31","to":"2024-01-01"},"measures":[{"measure":"m","unit_id":"u","numerator":null,"denominator":null,"value":null,"suppressed":true,"suppression":"not_available","available":false,"not_given":["prescriptions.csv"]}]}`))
	f.Add([]byte("measure,unit_id,numerator,denominator,value,suppressed,suppression\nm,u,,,,true,not_available\n"))
	f.Add([]byte("\xef\xbb\xbfmeasure,unit_id,numerator,denominator,value\nm,u,1,2,0.5\nm,u,1,2,0.5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadResults(bytes.NewReader(data))
		if err != nil {
			for _, e := range modelErrorsAll(err) {
				var re *ResultsError
				if !errors.As(e, &re) {
					t.Fatalf("untyped error %T: %v", e, e)
				}
			}
			return
		}
		_ = res.Len()
		if strings.Contains(string(data), "1e3") && res.Len() > 0 {
			for _, k := range []string{"u"} {
				if r, ok := res.Lookup("m", k); ok && r.Value.String() == "1000" {
					t.Fatal("accepted an exponent")
				}
			}
		}
	})
}

// TestResultsPercent: a proportion on the percent scale (a region's own
// measure with scale 100) is read, with its value as written.
func TestResultsPercent(t *testing.T) {
	res, err := ReadResults(strings.NewReader("measure,unit_id,numerator,denominator,value\nm,u,1,2,50\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := res.Lookup("m", "u"); !ok || r.Value.String() != "50" {
		t.Fatalf("got %+v, %v; want value 50", r, ok)
	}
}

func TestResultsErrors(t *testing.T) {
	tests := []struct {
		in   string
		want ResultsError
	}{
		{"measure,unit_id,numerator,value\n", ResultsError{Line: 1, Column: "denominator", Reason: "missing required column"}},
		{"measure,unit_id,numerator,denominator,value\nm,u,1,2,x\n", ResultsError{Line: 2, Column: "value", Reason: `not a plain decimal number: "x"`}},
		{"measure,unit_id,numerator,denominator,value\nm,u,1,2,0.5\nm,u,1,2,0.5\n", ResultsError{Line: 3, Reason: `duplicate result for measure "m" and unit "u"`}},
		{"measure,unit_id,numerator,denominator,value\nm,u,1,2,3\n", ResultsError{Line: 2, Column: "value", Reason: "value 3 is neither numerator/denominator (a share, numerator ≤ denominator), nor that × 100 (a percentage), nor numerator/denominator × 1000 (a rate)"}},
		{"measure,unit_id,numerator,denominator,value\nm,u,3,2,150\n", ResultsError{Line: 2, Column: "value", Reason: "value 150 is neither numerator/denominator (a share, numerator ≤ denominator), nor that × 100 (a percentage), nor numerator/denominator × 1000 (a rate)"}},
		{"measure,unit_id,numerator,denominator,value\nm,u,3,2,1.5\n", ResultsError{Line: 2, Column: "value", Reason: "value 1.5 is neither numerator/denominator (a share, numerator ≤ denominator), nor that × 100 (a percentage), nor numerator/denominator × 1000 (a rate)"}},
		{"measure,unit_id,numerator,denominator,value\nm,u,-1,2,0\n", ResultsError{Line: 2, Column: "value", Reason: "numerator, denominator and value must not be negative"}},
		{"measure,unit_id,numerator,denominator,value,ci_low\nm,u,1,2,0.5,NaN\n", ResultsError{Line: 2, Column: "ci_low", Reason: `not a finite number: "NaN"`}},
		{"", ResultsError{Reason: "no results in the file: goal-related pay would silently be zero"}},
		{"measure,unit_id,numerator,denominator,value\n", ResultsError{Reason: "no results in the file: goal-related pay would silently be zero"}},
		{`{"measures":[{"measure":"m","numerator":1,"denominator":2,"value":1e3}]}`, ResultsError{Column: "measures[0].value", Reason: `not a plain decimal number: "1e3"`}},
	}
	for _, tt := range tests {
		_, err := ReadResults(strings.NewReader(tt.in))
		var re *ResultsError
		if !errors.As(err, &re) {
			t.Fatalf("%q: want *ResultsError, got %v", tt.in, err)
		}
		if *re != tt.want {
			t.Errorf("%q: got %+v, want %+v", tt.in, *re, tt.want)
		}
	}
}

// FuzzRun prices a small synthetic region under any model that parses:
// pricing must not panic, and every statement it returns must keep its
// exact sums.
func FuzzRun(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(strings.Replace(minimal, "components:", `acg: {source: person, missing_weight: [{from: 2024-01-01, value: "1", source: s}]}
cni: {missing: [{from: 2024-01-01, value: "1", source: s}]}
active: {window_months: [{from: 2024-01-01, value: "3", source: s}]}
tables: [{id: w, weights: [{ages: 0-, values: [{from: 2024-01-01, value: "1.5", source: s}]}]}]
components:
  - {id: pool, type: pool_split, pool_per_month: [{from: 2024-01-01, value: "1000", source: s}], shares: [{id: a, index: acg, share: [{from: 2024-01-01, value: "0.5", source: s}]}, {id: b, index: active, share: [{from: 2024-01-01, value: "0.5", source: s}]}]}
  - {id: cov, type: coverage, basis: w, window_months: [{from: 2024-01-01, value: "6", source: s}], lower: [{from: 2024-01-01, value: "90", source: s}], upper: [{from: 2024-01-01, value: "10", source: s}], rate: [{from: 2024-01-01, value: "1", source: s}]}
  - {id: lim, type: limit, target: total, per: listed, min: [{from: 2024-01-01, value: "5", source: s}], max: [{from: 2024-01-01, value: "1", source: s}]}`, 1)))
	rw := synthRows(synthSpec{seed: 4, persons: 40, primary: 3, year: 2024, contacts: 2})
	r := rw.region()
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(bytes.NewReader(data), ParseOptions{})
		if err != nil {
			return
		}
		p := vardval.Period{From: m.Valid.From, To: m.Valid.From.AddMonths(2).AddDays(-1)}
		st, err := Run(context.Background(), m, r, p, RunOptions{Measures: fakeMeasures})
		if err != nil {
			var re *RunError
			if !errors.As(err, &re) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		checkSums(t, st)
	})
}
