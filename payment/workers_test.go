package payment

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/vardval"
)

// TestAggregateWorkersAgree: the unit months of every embedded model's
// registry, for the months of 2024, are the same summed on one worker as
// on two or three (shares of unequal size, each with its own dense counts,
// added together), on a region large enough for the CLI to use several.
func TestAggregateWorkersAgree(t *testing.T) {
	r, _ := genSynth(t, 9000).load(t)
	months := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}.Months()
	for _, name := range []string{"skane-2023", "halland-2019", "vgr-2017"} {
		m := loadModel(t, name)
		reg := registryFor(m, months)
		wt, err := resolveWeights(m, r, months)
		if err != nil {
			t.Fatal(err)
		}
		one := aggregateOn(r, months, reg, wt, 1)
		var contacts, active int64
		for mi := range months {
			for _, u := range one.units[mi] {
				for _, x := range u.active {
					active += x
				}
				for _, a := range u.contacts {
					for _, b := range a {
						for _, c := range b {
							contacts += c
						}
					}
				}
			}
		}
		if contacts == 0 || (name == "skane-2023" && active == 0) {
			t.Errorf("%s: %d contacts and %d actively listed counted: the test region lost them", name, contacts, active)
		}
		for _, workers := range []int{2, 3} {
			got := aggregateOn(r, months, reg, wt, workers)
			if diff := cmp.Diff(one.units, got.units, cmp.AllowUnexported(unitMonth{}, snap{})); diff != "" {
				t.Errorf("%s: %d workers (-one +several):\n%s", name, workers, diff)
			}
		}
	}
}
