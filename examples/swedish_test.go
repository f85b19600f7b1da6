package examples_test

import (
	"bytes"
	"testing"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/payment"
)

// TestModelsSwedishAssumptions: every assumed figure of the embedded models
// carries its reason in Swedish too (assumption_sv, or assumptions_sv for a
// named one), so the Swedish page and `--lang sv` show no English reason.
func TestModelsSwedishAssumptions(t *testing.T) {
	for _, em := range examples.Models() {
		m, err := payment.ParseModel(bytes.NewReader(em.Data), payment.ParseOptions{File: em.Path})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range m.Params() {
			for _, d := range p.Values {
				if d.Assumption == "" {
					continue
				}
				n++
				if d.AssumptionSV == "" || d.AssumptionSV == d.Assumption {
					t.Errorf("%s: %s: the assumption has no Swedish text: %s", em.Path, d.Path, d.Assumption)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no assumed figure: the check saw nothing", em.Path)
		}
	}
}
