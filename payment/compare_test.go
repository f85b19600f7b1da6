package payment

import (
	"bytes"
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
