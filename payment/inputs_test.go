package payment

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/examples"
)

func TestModelInputs(t *testing.T) {
	all := Inputs{Contacts: true, Diagnoses: true, Observations: true, Prescriptions: true, Followup: true}
	want := map[string]Inputs{
		"skane-2023":   {Contacts: true}, // visit fees and actively listed; ACG and CNI come with the listings
		"halland-2019": all,              // goal-related deductions read the measures
		"vgr-2017":     all,              // quality points read the measures
	}
	for _, em := range examples.Models() {
		m, err := ParseModel(bytes.NewReader(em.Data), ParseOptions{File: em.Path})
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[em.Name]
		if !ok {
			t.Errorf("%s: no expectation; add it", em.Name)
			continue
		}
		if diff := cmp.Diff(w, m.Inputs()); diff != "" {
			t.Errorf("%s Inputs() (-want +got):\n%s", em.Name, diff)
		}
	}
}

// Inputs and MeasureIDs come from what each component asks for in Need,
// whatever its type.
func TestModelInputsByComponent(t *testing.T) {
	v := `[{from: 2024-01-01, value: "1", source: "s"}]`
	all := Inputs{Contacts: true, Diagnoses: true, Observations: true, Prescriptions: true, Followup: true}
	for _, tc := range []struct {
		name, comp string
		want       Inputs
		measures   []string
	}{
		{"capitation only", "", Inputs{}, nil},
		{"supplement", `  - {id: s, type: supplement, items: [{unit: all, name: x, values: ` + v + `}]}`, Inputs{}, nil},
		{"visit fee", `  - {id: f, type: visit_fee, fees: [{relation: here, values: ` + v + `}]}`, Inputs{Contacts: true}, nil},
		{"cost responsibility", `  - {id: f, type: cost_responsibility, prices: [{kind: any, values: ` + v + `}]}`, Inputs{Contacts: true}, nil},
		{"patient fees", `  - {id: f, type: patient_fees, share: ` + v + `}`, Inputs{Contacts: true}, nil},
		{"coverage", `  - {id: c, type: coverage, basis: listed, window_months: ` + v + `, lower: ` + v + `, upper: ` + v + `, rate: ` + v + `}`,
			Inputs{Contacts: true}, nil},
		{"goal", `  - {id: g, type: goal, style: bonus, basis: listed, rate: ` + v + `, indicators: [` +
			`{measure: ed_visits_per_1000, better: lower, lower: ` + v + `, upper: ` + v + `, points: ` + v + `},` +
			`{measure: continuity_upc, better: higher, lower: ` + v + `, upper: ` + v + `, points: ` + v + `}]}`,
			all, []string{"continuity_upc", "ed_visits_per_1000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal
			if tc.comp != "" {
				src += tc.comp + "\n"
			}
			m, err := ParseModel(strings.NewReader(src), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, m.Inputs()); diff != "" {
				t.Errorf("Inputs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.measures, m.MeasureIDs()); diff != "" {
				t.Errorf("MeasureIDs (-want +got):\n%s", diff)
			}
		})
	}
}
