package i18n

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/payment"
)

const assumedModel = `model: test-2024
region: Test
valid:
  from: 2024-01-01
currency: SEK
rounding: line-ore-half-even
assumptions:
  not_found: the rate was not found
  untranslated: the window was not found
assumptions_sv:
  not_found: beloppet hittades inte
active:
  window_months:
    - from: 2024-01-01
      value: "36"
      assumption: untranslated
components:
  - id: cap
    type: capitation
    name: Capitation
    name_sv: Vårdpeng
    per: month
    rates:
      - ages: 0-
        values:
          - from: 2024-01-01
            value: "100"
            assumption: not_found
          - from: 2025-01-01
            value: "110"
            source: Prislista 2025, rates for persons of all ages
            source_sv: Prislista 2025, belopp för personer i alla åldrar
  - id: fee
    type: visit_fee
    name: Visit fees
    fees:
      - relation: elsewhere
        values:
          - from: 2024-01-01
            value: "400"
            assumption: assumed equal to the fee the other unit receives (1.00 × 400 SEK)
            assumption_sv: antaget lika med ersättningen som den andra enheten får (1,00 × 400 kr)
`

func TestModelTexts(t *testing.T) {
	m, err := payment.ParseModel(strings.NewReader(assumedModel), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, sv string }{
		{"the rate was not found", "beloppet hittades inte"},
		{"components[0].rates[0].values[0]: the rate was not found", "components[0].rates[0].values[0]: beloppet hittades inte"},
		{"pool size: the rate was not found", "pottens storlek: beloppet hittades inte"},
		{"weights age_sex, tables[0].weights[3].values[0]: the rate was not found",
			"vikterna age_sex, tables[0].weights[3].values[0]: beloppet hittades inte"},
		{"a listing at the unit without a CNI counts with cni.missing[0]: the rate was not found",
			"en listning vid enheten utan CNI räknas med cni.missing[0]: beloppet hittades inte"},
		{"a listing at the unit without an ACG weight counts with acg.missing_weight[0]: the rate was not found",
			"en listning vid enheten utan ACG-vikt räknas med acg.missing_weight[0]: beloppet hittades inte"},
		{"the CNI of a listing at the unit is computed from census shares with cni.reference[0]: the rate was not found",
			"CNI för en listning vid enheten beräknas ur befolkningsandelar med cni.reference[0]: beloppet hittades inte"},
		{"computed from cap (Capitation), which rests on an assumption: components[0].rates[0].values[0]: the rate was not found",
			"beräknad från cap (Vårdpeng), som vilar på ett antagande: components[0].rates[0].values[0]: beloppet hittades inte"},
		{"components[1].fees[0].values[0]: assumed equal to the fee the other unit receives (1.00 × 400 SEK)",
			"components[1].fees[0].values[0]: antaget lika med ersättningen som den andra enheten får (1,00 × 400 kr)"},
		// No Swedish text: the frame in Swedish, the reason as the file writes it.
		{"actively-listed definition, active.window_months[0]: the window was not found",
			"definitionen av aktivt listad, active.window_months[0]: the window was not found"},
		{"", ""},
	}
	sv, en := NewModelTexts(m, Swedish), NewModelTexts(m, English)
	for _, tc := range tests {
		if diff := cmp.Diff(tc.sv, sv.Assumption(tc.in)); diff != "" {
			t.Errorf("Swedish %q (-want +got):\n%s", tc.in, diff)
		}
		if got := en.Assumption(tc.in); got != tc.in {
			t.Errorf("English %q = %q, want it unchanged", tc.in, got)
		}
	}
	for in, want := range map[string]string{
		"Prislista 2025, rates for persons of all ages": "Prislista 2025, belopp för personer i alla åldrar",
		"a source without a Swedish text":               "a source without a Swedish text",
	} {
		if got := sv.Source(in); got != want {
			t.Errorf("Swedish source %q = %q, want %q", in, got, want)
		}
		if got := en.Source(in); got != in {
			t.Errorf("English source %q = %q, want it unchanged", in, got)
		}
	}
	var none *ModelTexts
	if got := none.Assumption("x"); got != "x" {
		t.Errorf("nil ModelTexts changed the text: %q", got)
	}
}

// ExampleModelTexts: a line's assumption in Swedish, from the model
// file's assumptions_sv (or assumption_sv beside an inline assumption).
func ExampleModelTexts() {
	m, err := payment.ParseModel(strings.NewReader(assumedModel), payment.ParseOptions{})
	if err != nil {
		panic(err)
	}
	a := NewModelTexts(m, Swedish)
	fmt.Println(a.Assumption("pool size: the rate was not found"))
	fmt.Println(NewModelTexts(m, English).Assumption("pool size: the rate was not found"))
	// Output:
	// pottens storlek: beloppet hittades inte
	// pool size: the rate was not found
}
