package payment_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// TestPayIsNotPublication: a goal deduction with missing: full must not
// deduct in full from a unit whose result disclosure control hid (a small
// count, or complementary suppression) when the measures are computed in
// process: pay judges the unsuppressed result. Results read from a file
// keep the published meaning: a hidden result is missing.
func TestPayIsNotPublication(t *testing.T) {
	ctx := context.Background()
	// The review's case: synth --persons 5050 --seed 17, where
	// diabetes_hba1c_over_70 hides two units as small counts.
	var u, l, c, d, o, p, a bytes.Buffer
	if _, err := synth.Generate(ctx, synth.Config{Persons: 5050, Seed: 17, Year: 2024},
		synth.Writers{Units: &u, Listings: &l, Contacts: &c, Diagnoses: &d, Observations: &o, Prescriptions: &p, Areas: &a}); err != nil {
		t.Fatal(err)
	}
	r, lrep, err := vardval.Load(ctx, vardval.Files{Units: &u, Listings: &l, Contacts: &c, Diagnoses: &d, Observations: &o, Prescriptions: &p, Areas: &a}, vardval.LoadOptions{})
	if err != nil || lrep.Err() != nil {
		t.Fatal(err, lrep.Err())
	}
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	const id = "diabetes_hba1c_over_70"
	m, err := payment.ParseModel(strings.NewReader(exampleHeader+`components:
  - id: ded
    type: goal
    name: Deduction
    style: deduction
    missing: full
    basis: listed
    rate: [{from: 2024-01-01, value: "5", source: s}]
    indicators:
      - {measure: `+id+`, better: lower, lower: [{from: 2024-01-01, value: "0.10", source: s}], upper: [{from: 2024-01-01, value: "0.10", source: s}], points: [{from: 2024-01-01, value: "1", source: s}]}
`), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := measures.Compute(ctx, r, year, measures.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mr, _ := rep.Measure(id)
	hidden := map[string]bool{} // units hidden by disclosure control
	for _, row := range mr.Rows[1:] {
		if row.Suppression == measures.SuppressedSmallCount || row.Suppression == measures.SuppressedComplementary {
			hidden[row.UnitID] = true
		}
	}
	if len(hidden) == 0 {
		t.Fatal("no unit hidden by disclosure control: the test region does not exercise the rule")
	}
	full := func(st *payment.Statement, unit string) bool {
		u, _ := st.Unit(unit)
		for _, l := range u.Lines {
			if strings.Contains(l.Explanation, "deducts in full") {
				return true
			}
		}
		return false
	}
	for name, opts := range map[string]payment.PriceOptions{"computed": {}, "given": {Measures: rep}} {
		st, err := payment.Price(ctx, m, r, year, opts)
		if err != nil {
			t.Fatal(err)
		}
		for unit := range hidden {
			if full(st, unit) {
				t.Errorf("%s: %s deducted in full although its %s result was only hidden from publication", name, unit, id)
			}
		}
	}
	// The statement is published like the measures: a hidden result's
	// figures appear in none of its formats, though it was judged.
	for _, judged := range []string{"value", "benefit-of-doubt"} {
		mj, err := payment.ParseModel(strings.NewReader(strings.Replace(exampleHeader+`components:
  - id: ded
    type: goal
    name: Deduction
    style: deduction
    missing: full
    basis: listed
    rate: [{from: 2024-01-01, value: "5", source: s}]
    indicators:
      - {measure: `+id+`, better: lower, judged_on: JUDGED, lower: [{from: 2024-01-01, value: "0.10", source: s}], upper: [{from: 2024-01-01, value: "0.10", source: s}], points: [{from: 2024-01-01, value: "1", source: s}]}
`, "JUDGED", judged, 1)), payment.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		st, err := payment.Price(ctx, mj, r, year, payment.PriceOptions{Measures: rep})
		if err != nil {
			t.Fatal(err)
		}
		var js, cs, tb bytes.Buffer
		if err := payment.WriteJSON(&js, st, nil); err != nil {
			t.Fatal(err)
		}
		if err := payment.WriteCSV(&cs, st); err != nil {
			t.Fatal(err)
		}
		if err := payment.WriteTable(&tb, st); err != nil {
			t.Fatal(err)
		}
		for _, row := range mr.Rows[1:] {
			if !hidden[row.UnitID] || row.Unpublished == nil {
				continue
			}
			u, _ := st.Unit(row.UnitID)
			said := false
			for _, l := range u.Lines {
				if strings.Contains(l.Explanation, "result not published") {
					said = true
				}
				if l.Judgement != nil && !l.Judgement.Withheld {
					t.Errorf("%s, %s: judgement of a hidden result not marked withheld", judged, row.UnitID)
				}
			}
			if !said {
				t.Errorf("%s, %s: no line says the result is not published", judged, row.UnitID)
			}
			figure := row.Unpublished.Numerator.String() + "/" + row.Unpublished.Denominator.String()
			for name, out := range map[string]string{"json": js.String(), "csv": cs.String(), "table": tb.String()} {
				if strings.Contains(out, figure) {
					t.Errorf("%s, %s: the %s statement shows the hidden figures %s", judged, row.UnitID, name, figure)
				}
				if v := row.Unpublished.Value.String(); len(v) > 3 && strings.Contains(out, "= "+v+" ") {
					t.Errorf("%s, %s: the %s statement shows the hidden value %s", judged, row.UnitID, name, v)
				}
			}
		}
	}
	// From a file the hidden result is missing, as before.
	var b bytes.Buffer
	if err := measures.WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	res, err := payment.ReadResults(&b)
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Price(ctx, m, r, year, payment.PriceOptions{Results: res})
	if err != nil {
		t.Fatal(err)
	}
	for unit := range hidden {
		if !full(st, unit) {
			t.Errorf("results file: %s not deducted in full for a hidden result", unit)
		}
	}
}

// TestShrunkPriorCountsHiddenUnits: with the measures computed in
// process, the prior of a shrunk indicator is estimated from every unit
// with a result, those hidden only by disclosure control included (pay is
// not publication); from a results file only the published ones count.
func TestShrunkPriorCountsHiddenUnits(t *testing.T) {
	ctx := context.Background()
	var u, l, c, d, o, p, a bytes.Buffer
	if _, err := synth.Generate(ctx, synth.Config{Persons: 5050, Seed: 17, Year: 2024},
		synth.Writers{Units: &u, Listings: &l, Contacts: &c, Diagnoses: &d, Observations: &o, Prescriptions: &p, Areas: &a}); err != nil {
		t.Fatal(err)
	}
	r, lrep, err := vardval.Load(ctx, vardval.Files{Units: &u, Listings: &l, Contacts: &c, Diagnoses: &d, Observations: &o, Prescriptions: &p, Areas: &a}, vardval.LoadOptions{})
	if err != nil || lrep.Err() != nil {
		t.Fatal(err, lrep.Err())
	}
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	const id = "diabetes_hba1c_over_70"
	m, err := payment.ParseModel(strings.NewReader(exampleHeader+`components:
  - id: ded
    type: goal
    name: Deduction
    style: deduction
    basis: listed
    rate: [{from: 2024-01-01, value: "5", source: s}]
    indicators:
      - {measure: `+id+`, better: lower, judged_on: shrunk, lower: [{from: 2024-01-01, value: "0.10", source: s}], upper: [{from: 2024-01-01, value: "0.10", source: s}], points: [{from: 2024-01-01, value: "1", source: s}]}
`), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := measures.Compute(ctx, r, year, measures.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mr, _ := rep.Measure(id)
	withResult, published := 0, 0
	for _, row := range mr.Rows[1:] {
		if row.Unpublished != nil || !row.Suppressed && row.Denominator.Sign() > 0 {
			withResult++
		}
		if !row.Suppressed && row.Denominator.Sign() > 0 {
			published++
		}
	}
	if withResult == published {
		t.Fatal("no unit hidden by disclosure control: the test does not exercise the rule")
	}
	units := func(st *payment.Statement) int {
		for _, us := range st.Units {
			for _, l := range us.Lines {
				if l.Judgement != nil {
					return l.Judgement.Units
				}
			}
		}
		return -1
	}
	st, err := payment.Price(ctx, m, r, year, payment.PriceOptions{Measures: rep})
	if err != nil {
		t.Fatal(err)
	}
	if got := units(st); got != withResult {
		t.Errorf("in process: prior from %d units, want %d (hidden ones included)", got, withResult)
	}
	var b bytes.Buffer
	if err := measures.WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	res, err := payment.ReadResults(&b)
	if err != nil {
		t.Fatal(err)
	}
	st, err = payment.Price(ctx, m, r, year, payment.PriceOptions{Results: res})
	if err != nil {
		t.Fatal(err)
	}
	if got := units(st); got != published {
		t.Errorf("results file: prior from %d units, want the %d published", got, published)
	}
}
