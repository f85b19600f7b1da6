package payment

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// assumptionModel is a small model with two rates whose assumptions are
// given by decl (the top-level assumptions block, "" for none) and the
// two dated values' assumption texts.
func assumptionModel(decl, a, b string) string {
	s := "model: test-2024\nregion: Test\nvalid: {from: 2024-01-01}\ncurrency: SEK\nrounding: line-ore-half-even\n"
	if decl != "" {
		s += "assumptions:\n" + decl
	}
	return s + `components:
  - id: cap
    type: capitation
    per: month
    rates:
      - ages: 0-64
        values:
          - from: 2024-01-01
            value: "100"
            source: assumption
            assumption: ` + a + `
      - ages: 65-
        values:
          - from: 2024-01-01
            value: "200"
            assumption: ` + b + `
`
}

func TestAssumptionReferences(t *testing.T) {
	m, err := parseText("m.yaml", assumptionModel("  rates_unknown: >-\n    the rates were\n    not found\n", "rates_unknown", "rates_unknown"))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{m.Components[0].(*Capitation).Rates[0].Value.Values[0].Assumption,
		m.Components[0].(*Capitation).Rates[1].Value.Values[0].Assumption,
		m.Components[0].(*Capitation).Rates[1].Value.Values[0].Source}
	if diff := cmp.Diff([]string{"the rates were not found", "the rates were not found", "assumption"}, got); diff != "" {
		t.Errorf("resolved assumptions (-want +got):\n%s", diff)
	}
	// A text that is not id-shaped stays the reason itself, with or
	// without declared assumptions.
	m, err = parseText("m.yaml", assumptionModel("  a: used once\n", "a", `"not found, illustrative"`))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Components[0].(*Capitation).Rates[1].Value.Values[0].Assumption; got != "not found, illustrative" {
		t.Errorf("literal assumption: %q", got)
	}
}

func TestAssumptionErrors(t *testing.T) {
	tests := []struct {
		name, decl, a, b string
		want             []ModelError
	}{
		{"unknown id", "", "rates_unknown", "other text here",
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[0].values[0].assumption", Line: 16,
				Reason: `unknown assumption "rates_unknown" (declare it under assumptions)`}}},
		{"unknown id beside declared ones", "  known: text\n", "known", "knwon",
			[]ModelError{{File: "m.yaml", Path: "components[0].rates[1].values[0].assumption", Line: 23,
				Reason: `unknown assumption "knwon" (declare it under assumptions)`}}},
		{"never used", "  known: text\n  stale: old text\n", "known", "known",
			[]ModelError{{File: "m.yaml", Path: "assumptions.stale", Line: 8,
				Reason: `assumption "stale" is never used`}}},
		{"bad id", "  Bad-Id: text\n", "a b", "c d",
			[]ModelError{{File: "m.yaml", Path: "assumptions.Bad-Id", Line: 7,
				Reason: "an assumption id is lower-case letters, digits and underscores"}}},
		{"empty text", "  known: \"\"\n", "known", "known",
			[]ModelError{{File: "m.yaml", Path: "assumptions.known", Line: 7, Reason: "must not be empty"}}},
		{"duplicate id", "  known: text\n  known: again\n", "known", "known",
			[]ModelError{{File: "m.yaml", Path: "assumptions.known", Line: 8, Reason: "duplicate key"}}},
		{"not a mapping", "  - text\n", "a b", "c d",
			[]ModelError{{File: "m.yaml", Path: "assumptions", Line: 7,
				Reason: "expected a mapping of assumption ids to their reasons"}}},
		{"a nested value", "  known: [text]\n", "known", "known",
			[]ModelError{{File: "m.yaml", Path: "assumptions.known", Line: 7, Reason: "expected a single value"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseText("m.yaml", assumptionModel(tt.decl, tt.a, tt.b))
			if err == nil {
				t.Fatal("accepted")
			}
			var got []ModelError
			for _, e := range modelErrorsAll(err) {
				var me *ModelError
				if !errors.As(e, &me) {
					t.Fatalf("untyped error %T: %v", e, e)
				}
				got = append(got, *me)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// parseText parses text as the model file named file.
func parseText(file, text string) (*Model, error) {
	return ParseModel(strings.NewReader(text), ParseOptions{File: file})
}
