package measures

import (
	"context"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/vardval"
)

// TestExposureByAgeBand: listed days are split at the birthday that moves
// a person into the next five-year band (29 February birthdays move on
// 1 March in common years, as Date.AgeOn says).
func TestExposureByAgeBand(t *testing.T) {
	tests := []struct {
		name, birth string
		period      vardval.Period
		want        map[int]int64 // age band lower bound → days
	}{
		{"crosses 45 on 15 June", "1979-06-15", vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
			map[int]int64{40: 166, 45: 200}},
		{"inside one band", "1982-03-01", vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
			map[int]int64{40: 366}},
		{"leap-day birthday turns 25 on 1 March", "2000-02-29", vardval.Period{From: vardval.D(2025, 1, 1), To: vardval.D(2025, 12, 31)},
			map[int]int64{20: 59, 25: 306}},
		{"85 and over", "1930-01-01", vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
			map[int]int64{85: 366}},
		{"age unknown", "", vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
			map[int]int64{-1: 366}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder()
			u := b.unit("A", vardval.KindPrimary)
			p := b.person("p", vardval.Female, tc.birth)
			b.list(p, u, "2000-01-01", "")
			r := b.region()
			e, err := newEngine(r, tc.period, Definitions())
			if err != nil {
				t.Fatal(err)
			}
			a := e.newAccum()
			e.exposure(&personData{idx: p, person: &r.Persons[p], listings: r.ListingsOf(p)}, a)
			got := map[int]int64{}
			for k := range nStrata {
				if days := a.days[k]; days > 0 {
					band := k/nSexes - 1
					if band >= 0 {
						band *= bandWidth
					}
					got[band] += days
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("days by band (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStandardisedTotals: with the region as reference, the units'
// expected events add up to their observed events, and a unit's
// standardised rate is its ratio times the region's crude rate.
func TestStandardisedTotals(t *testing.T) {
	r := synthRegion(8000, 21)
	rep, err := Compute(context.Background(), r, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		Options{Registry: mustRegistry(defsNoMin()), Measures: []string{"ed_visits_per_1000", "antibiotics_per_1000"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rep.Measures {
		var obs, exp float64
		for _, row := range m.Rows[1:] {
			s := row.Standardised
			if s == nil {
				t.Fatalf("%s/%s: no standardisation", m.Definition.ID, row.UnitID)
			}
			obs += row.Numerator.InexactFloat64()
			exp += s.Expected
			if math.Abs(s.Value-s.Ratio*m.Target) > 1e-9*math.Max(1, s.Value) {
				t.Errorf("%s/%s: standardised value %v ≠ ratio %v × region %v", m.Definition.ID, row.UnitID, s.Value, s.Ratio, m.Target)
			}
			if !(s.RatioCI.Low <= s.Ratio && s.Ratio <= s.RatioCI.High) {
				t.Errorf("%s/%s: ratio outside its interval", m.Definition.ID, row.UnitID)
			}
		}
		if math.Abs(obs-exp) > 1e-6*obs {
			t.Errorf("%s: Σ observed %v ≠ Σ expected %v", m.Definition.ID, obs, exp)
		}
	}
}
