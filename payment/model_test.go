package payment

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/measures"
)

// minimal is a small valid model; tests replace parts of it.
const minimal = `model: test-2024
region: Test
valid: {from: 2024-01-01, to: 2024-12-31}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cap
    type: capitation
    per: month
    rates:
      - ages: 0-
        values:
          - {from: 2024-01-01, value: "100", source: "doc §1"}
`

func modelErrors(err error) []ModelError {
	var out []ModelError
	for _, me := range modelProblems(err) {
		out = append(out, *me)
	}
	return out
}

func TestEmbeddedModelsParse(t *testing.T) {
	ms := examples.Models()
	var names []string
	for _, em := range ms {
		names = append(names, em.Name)
		m, err := ParseModel(bytes.NewReader(em.Data), ParseOptions{File: em.Path})
		if err != nil {
			t.Errorf("%s: %v", em.Name, err)
			continue
		}
		if m.Name != em.Name {
			t.Errorf("%s: model name %q does not match its file", em.Path, m.Name)
		}
		for _, p := range m.Params() {
			for _, v := range p.Values {
				if v.Source == "" || (v.Source == "assumption" && v.Assumption == "") {
					t.Errorf("%s: %s has no source", em.Name, v.Path)
				}
			}
		}
	}
	if diff := cmp.Diff([]string{"halland-2019", "skane-2023", "vgr-2017"}, names); diff != "" {
		t.Errorf("embedded models (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		from string // replaced in minimal
		to   string
		want []ModelError
	}{
		{"unknown top key", "currency: SEK", "currency: SEK\ncolour: blue",
			[]ModelError{{File: "m.yaml", Path: "colour", Line: 5, Reason: `unknown key "colour"`}}},
		{"missing source", `source: "doc §1"`, `note: x`,
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[0].source", Line: 13, Reason: "missing source (cite a document and section or an address, or give an assumption with its reason)"}}},
		{"assumption without reason", `source: "doc §1"`, `source: assumption`,
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[0].assumption", Line: 13, Reason: `an assumed figure needs its reason under "assumption"`}}},
		{"float exponent", `value: "100"`, `value: 1e2`,
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[0].value", Line: 13, Reason: `not a plain decimal number: "1e2"`}}},
		{"infinity", `value: "100"`, `value: .inf`,
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[0].value", Line: 13, Reason: `not a plain decimal number: ".inf"`}}},
		{"duplicate validity", `- {from: 2024-01-01, value: "100", source: "doc §1"}`,
			"- {from: 2024-01-01, value: \"100\", source: \"doc §1\"}\n          - {from: 2024-01-01, value: \"101\", source: \"doc §2\"}",
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[1].from", Line: 14, Reason: "duplicate validity: another value also starts 2024-01-01"}}},
		{"overlapping validity", `- {from: 2024-01-01, value: "100", source: "doc §1"}`,
			"- {from: 2024-01-01, to: 2024-12-31, value: \"100\", source: \"doc §1\"}\n          - {from: 2024-06-01, value: \"101\", source: \"doc §2\"}",
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[1].from", Line: 14, Reason: "overlapping validity: the previous value runs to 2024-12-31"}}},
		{"mid-month start", `from: 2024-01-01, value`, `from: 2024-01-15, value`,
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[0].from", Line: 13, Reason: "a value must start on the first day of a month"}}},
		{"unknown component type", "type: capitation", "type: bonus",
			[]ModelError{
				{File: "m.yaml", Path: "components[0].type", Line: 8, Reason: `unknown component type "bonus" (known: ` + strings.Join(ComponentTypes(), ", ") + ")"},
			}},
		{"band gap", "- ages: 0-", "- ages: 1-",
			[]ModelError{{File: "m.yaml", Path: "components[0].rates", Line: 11, Reason: "no band covers age 0 for sex F"}}},
		{"unknown rounding", "rounding: line-ore-half-even", "rounding: nearest",
			[]ModelError{{File: "m.yaml", Path: "rounding", Line: 5, Reason: `unknown rounding rule "nearest" (known: ` + strings.Join(RoundingRules(), ", ") + ")"}}},
		{"no value in force", "from: 2024-01-01, value", "from: 2024-03-01, value",
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values", Line: 13, Reason: "no value in force on 2024-01-01, inside the model's validity"}}},
		{"unknown measure", "components:", `components:
  - id: goal
    type: goal
    style: bonus
    basis: listed
    rate: [{from: 2024-01-01, value: "1", source: s}]
    indicators:
      - measure: happiness
        better: higher
        lower: [{from: 2024-01-01, value: "1", source: s}]
        upper: [{from: 2024-01-01, value: "2", source: s}]
        points: [{from: 2024-01-01, value: "1", source: s}]`,
			[]ModelError{{File: "m.yaml", Path: "components[0].indicators[0].measure", Line: 13, Reason: `unknown measure "happiness" (known: ` + strings.Join(measures.IDs(), ", ") + ")"}}},
		{"vat of a later component", "components:", `components:
  - id: vat
    type: vat_compensation
    of: [cap]
    percent: [{from: 2024-01-01, value: "6", source: s}]`,
			[]ModelError{{File: "m.yaml", Path: "components[0].of[0]", Line: 9, Reason: `unknown or later component "cap" (only earlier components can be referred to)`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(minimal, tt.from, tt.to, 1)
			if src == minimal {
				t.Fatalf("replacement %q not found", tt.from)
			}
			_, err := ParseModel(strings.NewReader(src), ParseOptions{File: "m.yaml"})
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, modelErrors(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseNotYAML(t *testing.T) {
	_, err := ParseModel(strings.NewReader("model: [unclosed\n"), ParseOptions{})
	var me *ModelError
	if !errors.As(err, &me) {
		t.Fatalf("want *ModelError, got %v", err)
	}
}

func TestKnownMeasuresOption(t *testing.T) {
	src := strings.Replace(minimal, "components:", `components:
  - id: goal
    type: goal
    style: bonus
    basis: listed
    rate: [{from: 2024-01-01, value: "1", source: s}]
    indicators:
      - measure: happiness
        better: higher
        lower: [{from: 2024-01-01, value: "1", source: s}]
        upper: [{from: 2024-01-01, value: "2", source: s}]
        points: [{from: 2024-01-01, value: "1", source: s}]`, 1)
	if _, err := ParseModel(strings.NewReader(src), ParseOptions{KnownMeasures: []string{"happiness"}}); err != nil {
		t.Fatal(err)
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		rule string
		num  int64
		den  int64
		want string
	}{
		{"line-ore-half-even", 1, 8, "0.12"},   // 0.125 → even
		{"line-ore-half-even", 3, 8, "0.38"},   // 0.375 → even
		{"line-ore-half-even", -1, 8, "-0.12"}, // symmetric
		{"line-ore-half-even", 1, 3, "0.33"},   // 0.333…
		{"line-ore-half-even", 2, 3, "0.67"},   // 0.666…
		{"line-ore-half-up", 1, 8, "0.13"},     // away from zero
		{"line-ore-half-up", -1, 8, "-0.13"},   // away from zero
		{"line-krona-half-even", 5, 2, "2"},    // 2.5 → 2
		{"line-krona-half-even", 7, 2, "4"},    // 3.5 → 4
		{"line-krona-half-up", 5, 2, "3"},      // 2.5 → 3
		{"line-ore-half-even", 12345, 100, "123.45"},
	}
	for _, tt := range tests {
		r, ok := roundingRule(tt.rule)
		if !ok {
			t.Fatalf("rule %s", tt.rule)
		}
		got := r.Format(r.Round(big.NewRat(tt.num, tt.den)))
		want := decimal.RequireFromString(tt.want).StringFixed(r.Places)
		if got != want {
			t.Errorf("%s(%d/%d) = %s, want %s", tt.rule, tt.num, tt.den, got, want)
		}
	}
}

func TestAllocate(t *testing.T) {
	r, _ := roundingRule("line-ore-half-even")
	tests := []struct {
		total   string
		weights []int64
		want    []string
	}{
		{"1.00", []int64{1, 1, 1}, []string{"0.34", "0.33", "0.33"}},      // tie → lowest index
		{"100.00", []int64{1, 2, 3, 4}, []string{"10", "20", "30", "40"}}, // exact
		{"0.05", []int64{1, 1, 1, 1, 1, 1}, []string{"0.01", "0.01", "0.01", "0.01", "0.01", "0"}},
		{"10.00", []int64{0, 0}, []string{"0", "0"}}, // nothing to allocate to
		{"-1.00", []int64{1, 1, 1}, []string{"-0.34", "-0.33", "-0.33"}},
		{"2.00", []int64{1, 2}, []string{"0.67", "1.33"}}, // 0.666 vs 1.333: largest remainder .666
	}
	for _, tt := range tests {
		ws := make([]*big.Rat, len(tt.weights))
		for i, w := range tt.weights {
			ws[i] = ratInt(w)
		}
		got := r.Allocate(decimal.RequireFromString(tt.total), ws)
		var gs []string
		for _, g := range got {
			gs = append(gs, g.String())
		}
		if diff := cmp.Diff(tt.want, gs); diff != "" {
			t.Errorf("Allocate(%s, %v) (-want +got):\n%s", tt.total, tt.weights, diff)
		}
	}
}

func TestMeasureIDs(t *testing.T) {
	got := map[string][]string{}
	for _, em := range examples.Models() {
		m, err := ParseModel(bytes.NewReader(em.Data), ParseOptions{File: em.Path})
		if err != nil {
			t.Fatal(err)
		}
		got[em.Name] = m.MeasureIDs()
	}
	want := map[string][]string{
		"halland-2019": {"avoidable_hospitalisations_per_1000", "care_guarantee_3d", "coverage_own_unit",
			"depression_remission_6m", "diabetes_hba1c_over_70", "doctor_contacts_by_employed", "ed_visits_per_1000",
			"influenza_vaccination_65plus", "lifestyle_advice_chronic", "medication_review_elderly", "phone_same_day"},
		"skane-2023": nil,
		"vgr-2017":   {"antibiotics_per_1000", "diabetes_hba1c_over_70", "hypertension_bp_target"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("measure ids (-want +got):\n%s", diff)
	}
}
