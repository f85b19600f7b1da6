package payment

import (
	"bytes"
	"context"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

func TestPropertyCompare(t *testing.T) {
	ps := gopter.NewProperties(params())
	ps.Property("compare(A, A) is zero; diffs and steps sum exactly", prop.ForAll(func(seed uint64) bool {
		rw := synthRows(synthSpec{seed: seed, persons: 80, primary: 3, year: 2023, contacts: 2})
		r := rw.region()
		skane := loadModel(t, "skane-2023")
		halland := loadModel(t, "halland-2019")
		halland.Valid.From = vardval.D(2023, 1, 1)
		for _, p := range halland.Params() {
			p.Values[0].From = vardval.D(2023, 1, 1)
		}
		a, b := runOn(t, skane, r), runOn(t, halland, r)
		same := Compare(a, a)
		if !same.Diff.IsZero() {
			return false
		}
		for _, u := range same.Units {
			if !u.Diff.IsZero() {
				return false
			}
			for _, s := range u.Steps {
				if !s.Amount.IsZero() {
					return false
				}
			}
		}
		c := Compare(a, b)
		sum := decimal.Zero
		for _, u := range c.Units {
			if !u.Diff.Equal(u.B.Sub(u.A)) {
				return false
			}
			steps := decimal.Zero
			for _, s := range u.Steps {
				steps = steps.Add(s.Amount)
			}
			if !steps.Equal(u.Diff) {
				return false
			}
			sum = sum.Add(u.Diff)
		}
		if !sum.Equal(c.Diff) {
			return false
		}
		var j, tb bytes.Buffer
		return WriteComparisonJSON(&j, c) == nil && WriteComparisonTable(&tb, c) == nil
	}, gen.UInt64()))
	ps.TestingRun(t)
}

func TestOverride(t *testing.T) {
	rw := synthRows(synthSpec{seed: 5, persons: 60, primary: 3, year: 2023, contacts: 2})
	r := rw.region()
	base := runOn(t, loadModel(t, "skane-2023"), r)
	same, err := loadModel(t, "skane-2023").With(Override{Key: "capitation.shares[2].share", From: vardval.D(2023, 1, 1), Value: decimal.RequireFromString("0.15"), Note: "unchanged"})
	if err != nil {
		t.Fatal(err)
	}
	c := Compare(base, runOn(t, same, r))
	if !c.Diff.IsZero() {
		t.Errorf("an override equal to the current value changed the total by %s", c.Diff)
	}
	// The shares must keep summing to 1: CNI up five points, ACG down five.
	raised, err := loadModel(t, "skane-2023").With(
		Override{Key: "components[0].shares[2].share", From: vardval.D(2023, 2, 1), Value: decimal.RequireFromString("0.20"), Note: "CNI 20 %"},
		Override{Key: "capitation.shares[0].share", From: vardval.D(2023, 2, 1), Value: decimal.RequireFromString("0.45"), Note: "ACG 45 %"},
	)
	if err != nil {
		t.Fatal(err)
	}
	st := runOn(t, raised, r)
	found := false
	for _, l := range st.Units[0].Lines {
		if l.Source == "override" && l.ValidFrom == vardval.D(2023, 2, 1) {
			found = true
		}
	}
	if !found {
		t.Error("the override does not show in the statement")
	}
	var oe *OverrideError
	if m, err := raised.With(Override{Key: "capitation.nope", From: vardval.D(2023, 1, 1), Value: decimal.Zero}); !asErr(err, &oe) || m != nil {
		t.Errorf("unknown key: %v", err)
	}
}

func TestMarginals(t *testing.T) {
	rw := synthRows(synthSpec{seed: 8, persons: 60, primary: 3, year: 2019, contacts: 2})
	r := rw.region()
	m := loadModel(t, "halland-2019")
	got, err := Marginals(context.Background(), m, r, vardval.YearMonth{Year: 2019, Month: 3}, "VC001", RunOptions{Measures: fakeMeasures})
	if err != nil {
		t.Fatal(err)
	}
	byWhat := map[string]decimal.Decimal{}
	for _, g := range got {
		byWhat[g.What] = g.Amount
	}
	for what, want := range map[string]string{
		"one more doctor visit at the unit by a person listed elsewhere":              "700.00",
		"one more doctor visit at another vårdcentral by a person listed at the unit": "-700.00",
		"one more doctor visit at the unit by an unlisted person":                     "700.00",
		"one more doctor visit at the unit by a person listed there":                  "0.00",
	} {
		if g, ok := byWhat[what]; !ok || g.StringFixed(2) != want {
			t.Errorf("%s: %s (found %v), want %s", what, g.StringFixed(2), ok, want)
		}
	}
	// an 85+ listed person earns (8400 − 2200) / 12 SEK more a month than a
	// 20–44 one (the per-listed deductions are the same), up to rounding.
	d := byWhat["one more listed person: M aged 85+ (age 90)"].Sub(byWhat["one more listed person: F aged 20–44 (age 25)"])
	if d.Sub(decimal.RequireFromString("516.67")).Abs().GreaterThan(decimal.RequireFromString("0.02")) {
		t.Errorf("85+ minus 20–44 = %s, want about 516.67", d)
	}
}

func TestWaterfallSVG(t *testing.T) {
	rw := synthRows(synthSpec{seed: 5, persons: 60, primary: 3, year: 2023, contacts: 2})
	r := rw.region()
	halland := loadModel(t, "halland-2019")
	halland.Valid.From = vardval.D(2023, 1, 1)
	for _, p := range halland.Params() {
		p.Values[0].From = vardval.D(2023, 1, 1)
	}
	c := Compare(runOn(t, loadModel(t, "skane-2023"), r), runOn(t, halland, r))
	for _, unit := range []string{"", "VC001"} {
		var a, b bytes.Buffer
		if err := WriteWaterfallSVG(&a, c, unit); err != nil {
			t.Fatal(err)
		}
		_ = WriteWaterfallSVG(&b, c, unit)
		if !bytes.HasPrefix(a.Bytes(), []byte("<svg")) || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("unit %q: bad or unstable svg", unit)
		}
	}
	var ue *UnknownUnitError
	if err := WriteWaterfallSVG(&bytes.Buffer{}, c, "nope"); !asErr(err, &ue) {
		t.Errorf("unknown unit: %v", err)
	}
}
