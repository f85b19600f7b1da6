package payment

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/examples"
)

func TestModelInputs(t *testing.T) {
	all := Inputs{Contacts: true, Diagnoses: true, Observations: true, Prescriptions: true}
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
