package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

type sweepJSON struct {
	Model       string
	Keys        []string
	ModelValues []struct{ Key, Value string } `json:"model_values"`
	Total       string
	Units       []struct {
		UnitID string `json:"unit_id"`
		Amount string
	}
	Variants []struct {
		Variant   int
		Name      string
		Values    []struct{ Key, Value string }
		Overrides []struct{ Key, Value, From, Source, Note string }
		Total     string
		Diff      string
		Units     []struct {
			UnitID string `json:"unit_id"`
			Amount string
			Diff   string
			Steps  []struct{ Component, Amount, Diff string }
		}
	}
}

// compare --vary prices the model under every value (a pool share with
// the largest other share taking up the difference), and every variant's
// region total and unit amounts are exactly those of compare --set with
// the same values; the differences sum to the region's; the output is the
// same for any number of workers.
func TestCompareVary(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "synth", "--persons", "20000", "--seed", "5", "--out", dir); code != 0 {
		t.Fatal(errs)
	}
	args := []string{"compare", "--model", "skane-2023", "--data", dir, "--period", "2024", "--format", "json",
		"--vary", "capitation.shares[2].share=0.10..0.20/0.05"}
	code, out, errs := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s sweepJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"capitation.shares[2].share", "capitation.shares[0].share"}, s.Keys); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if len(s.Variants) != 3 || s.ModelValues[0].Value != "0.15" || s.ModelValues[1].Value != "0.5" {
		t.Fatalf("got %d variants, model values %v", len(s.Variants), s.ModelValues)
	}
	for i, v := range s.Variants {
		cni := decimal.RequireFromString("0.10").Add(decimal.RequireFromString("0.05").Mul(decimal.NewFromInt(int64(i))))
		acg := decimal.RequireFromString("0.65").Sub(cni)
		if v.Values[0].Value != cni.String() || v.Values[1].Value != acg.String() {
			t.Fatalf("variant %d: values %v, want %s and %s", i+1, v.Values, cni, acg)
		}
		if v.Overrides[0].Source != "override" || v.Overrides[0].From != "2024-01-01" {
			t.Errorf("variant %d: override %+v", i+1, v.Overrides[0])
		}
		// The same proposal through --set.
		var c comparisonJSON
		code, cout, errs := run(t, "compare", "--model", "skane-2023", "--data", dir, "--period", "2024", "--format", "json",
			"--set", "capitation.shares[2].share="+cni.String(), "--set", "capitation.shares[0].share="+acg.String())
		if code != 0 {
			t.Fatal(errs)
		}
		if err := json.Unmarshal([]byte(cout), &c); err != nil {
			t.Fatal(err)
		}
		if v.Total != c.Total.B || s.Total != c.Total.A || v.Diff != c.Total.Diff {
			t.Errorf("variant %d: total %s diff %s, --set gives %s diff %s", i+1, v.Total, v.Diff, c.Total.B, c.Total.Diff)
		}
		sum := decimal.Zero
		for k, u := range v.Units {
			if u.UnitID != c.Units[k].UnitID || u.Amount != c.Units[k].B || u.Diff != c.Units[k].Diff {
				t.Errorf("variant %d, %s: %s (%s), --set gives %s (%s)", i+1, u.UnitID, u.Amount, u.Diff, c.Units[k].B, c.Units[k].Diff)
			}
			sum = sum.Add(dec(t, u.Diff))
		}
		if !sum.Equal(dec(t, v.Diff)) {
			t.Errorf("variant %d: unit differences sum to %s, region %s", i+1, sum, v.Diff)
		}
	}
	if !strings.Contains(s.Variants[0].Name, "capitation.shares[2].share=0.1") {
		t.Errorf("variant name %q", s.Variants[0].Name)
	}
	// Any number of workers, every format: the same bytes.
	for _, format := range []string{"json", "csv", "table"} {
		a := append(append([]string{}, args...), "--format", format, "--workers", "1")
		b := append(append([]string{}, args...), "--format", format, "--workers", "4")
		_, outA, _ := run(t, a...)
		_, outB, _ := run(t, b...)
		if outA == "" || outA != outB {
			t.Errorf("%s: output with 1 and 4 workers differs (or is empty)", format)
		}
	}
	// Two keys: a grid, the first key's values outer.
	code, out, errs = run(t, "compare", "--model", "skane-2023", "--data", dir, "--period", "2024", "--format", "json",
		"--vary", "capitation.shares[2].share=0.1,0.2", "--vary", "capitation.pool_per_listed_year=3000,3300,3600")
	if code != 0 {
		t.Fatal(errs)
	}
	s = sweepJSON{}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	var grid []string
	for _, v := range s.Variants {
		grid = append(grid, v.Values[0].Value+"/"+v.Values[1].Value)
	}
	if diff := cmp.Diff([]string{"0.1/3000", "0.1/3300", "0.1/3600", "0.2/3000", "0.2/3300", "0.2/3600"}, grid); diff != "" {
		t.Errorf("grid (-want +got):\n%s", diff)
	}
	// The table explains a unit's statement under each variant.
	code, out, _ = run(t, "compare", "--model", "skane-2023", "--data", dir, "--period", "2024-01",
		"--vary", "capitation.shares[2].share=0.1,0.2", "--unit", "VC001")
	if code != 0 || !strings.Contains(out, "\nvariant 1: ") || !strings.Contains(out, "\nvariant 2: ") || !strings.Contains(out, "source: override") {
		t.Errorf("--unit: exit %d:\n%s", code, out)
	}
	noPersonnummer(t, out)
}

// Wrong --vary requests exit 2 with a message, before or after reading.
func TestCompareVaryErrors(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "synth", "--persons", "2000", "--seed", "5", "--out", dir); code != 0 {
		t.Fatal(errs)
	}
	base := []string{"compare", "--model", "skane-2023", "--data", dir, "--period", "2024"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--vary", "capitation.shares[2].share"}, "want KEY="},
		{[]string{"--vary", "capitation.shares[2].share=0.2..0.1/0.01"}, "is empty"},
		{[]string{"--vary", "capitation.shares[2].share=0.1..0.2"}, "needs a step"},
		{[]string{"--vary", "capitation.shares[2].share=0.1..0.2/0"}, "greater than 0"},
		{[]string{"--vary", "capitation.shares[2].share=0,1"}, "variant 2"},
		{[]string{"--vary", "nosuch.rate=1,2"}, "no such parameter"},
		{[]string{"--vary", "a=1", "--vary", "b=1", "--vary", "c=1"}, "one or two keys"},
		{[]string{"--vary", "capitation.shares[2].share=0.7"}, "variant 1"},
		{[]string{"--vary", "capitation.shares[2].share=0.1", "--model", "vgr-2017"}, "usage"},
		{[]string{"--vary", "capitation.shares[2].share=0.1", "--format", "xlsx"}, "usage"},
		{[]string{"--vary", "capitation.shares[2].share=0.1", "--balance", "capitation.rate"}, "--balance"},
	} {
		code, _, errs := run(t, append(append([]string{}, base...), c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// FuzzParseVary: parseVary never panics, and what it accepts is one to
// maxVariants values, a range rising by its step.
func FuzzParseVary(f *testing.F) {
	for _, s := range []string{"a.b=1,2,3", "capitation.shares[2].share=0.10..0.20/0.01", "k=-1..1/0.5", "k=1..1/1", "k=", "=1", "k=1..2/0",
		"k=1,,2", "k=0,5", "k=1e3", "k=1..1000000000/0.0000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseVary(s)
		if err != nil {
			return
		}
		if v.key == "" || len(v.values) == 0 || len(v.values) > maxVariants {
			t.Fatalf("%q: key %q, %d values", s, v.key, len(v.values))
		}
		if _, rest, _ := strings.Cut(s, "="); strings.Contains(rest, "..") {
			for i := 1; i < len(v.values); i++ {
				if !v.values[i].GreaterThan(v.values[i-1]) {
					t.Fatalf("%q: values do not rise: %v", s, v.values)
				}
			}
		}
	})
}
