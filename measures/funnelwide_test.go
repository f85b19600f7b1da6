package measures

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/vardval/vardval/vardval"
)

// TestInflatedFunnelLimits: f = 1 gives the exact limits; the limits
// move continuously as τ² passes zero and widen monotonically with τ²
// and the design effect; the 99.8 % limits contain the 95 % limits.
func TestInflatedFunnelLimits(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	params.Rng.Seed(4)
	props := gopter.NewProperties(params)
	props.Property("continuous at τ² = 0, monotone in τ² and deff", prop.ForAll(
		func(theta, n, deff, tau2 float64, rate bool) bool {
			kind := FunnelProportion
			if rate {
				kind, theta = FunnelRate, theta*3
			}
			exact := FunnelLimits(theta, n, kind, FunnelOptions{})
			if InflatedFunnelLimits(theta, n, kind, 1, 0) != exact {
				return false
			}
			tiny := InflatedFunnelLimits(theta, n, kind, 1, 1e-15)
			if math.Abs(tiny.Upper95-exact.Upper95) > 1e-9 || math.Abs(tiny.Lower998-exact.Lower998) > 1e-9 {
				return false
			}
			a := InflatedFunnelLimits(theta, n, kind, deff, tau2)
			b := InflatedFunnelLimits(theta, n, kind, deff*1.5, tau2*2)
			return a.Lower95 <= exact.Lower95 && a.Upper95 >= exact.Upper95 &&
				b.Lower95 <= a.Lower95 && b.Upper95 >= a.Upper95 &&
				a.Lower998 <= a.Lower95 && a.Upper998 >= a.Upper95
		},
		gen.Float64Range(0.02, 0.98), gen.Float64Range(5, 5000), gen.Float64Range(1, 10), gen.Float64Range(0, 0.05), gen.Bool(),
	))
	props.TestingRun(t)
}

// TestStandardisedFunnel: the funnel of a standardised rate is on the
// ratio O/E around 1 at x = E, and a unit is flagged at 95 % only when
// its exact 95 % ratio interval excludes 1 or nearly so (the limits are
// interpolated, the interval is not).
func TestStandardisedFunnel(t *testing.T) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	rep, err := Compute(context.Background(), synthRegion(6000, 3), period, Options{Measures: []string{"ed_visits_per_1000", "antibiotics_per_1000"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rep.Measures {
		for _, row := range m.Rows[1:] {
			f, s := row.Funnel, row.Standardised
			if row.Suppressed {
				continue
			}
			if f == nil || s == nil || f.On != "ratio" || f.X != s.Expected {
				t.Fatalf("%s/%s: funnel %+v standardised %+v", m.Definition.ID, row.UnitID, f, s)
			}
			if !(f.Lower95 <= 1 && 1 <= f.Upper95) {
				t.Errorf("%s/%s: limits %v do not contain 1", m.Definition.ID, row.UnitID, f.Limits)
			}
			outside := f.Position == Above95 || f.Position == Above998 || f.Position == Below95 || f.Position == Below998
			excludes := !s.RatioCI.Contains(1)
			if outside && !excludes && !(s.RatioCI.Low > 0.9 || s.RatioCI.High < 1.1) {
				t.Errorf("%s/%s: flagged %d but ratio interval %v contains 1 well inside", m.Definition.ID, row.UnitID, f.Position, s.RatioCI)
			}
			if float64(s.Observed) != row.Numerator.InexactFloat64() {
				t.Errorf("%s/%s: observed %d, numerator %s", m.Definition.ID, row.UnitID, s.Observed, row.Numerator)
			}
		}
	}
}

// TestOverdispersionMinUnits: τ² is estimated only from at least the
// stated number of published units; with fewer the limits are the exact
// ones and the note says why.
func TestOverdispersionMinUnits(t *testing.T) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	r := synthRegion(6000, 5)
	few, err := Compute(context.Background(), r, period, Options{Overdispersion: true, OverdispersionMinUnits: 1000, Measures: []string{"coverage_own_unit"}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Compute(context.Background(), r, period, Options{Measures: []string{"coverage_own_unit"}})
	if err != nil {
		t.Fatal(err)
	}
	m, p := few.Measures[0], plain.Measures[0]
	if m.Overdispersion != nil || m.FunnelNote == "" || !strings.Contains(m.FunnelNote, "fewer than 1000") {
		t.Errorf("note %q, overdispersion %v", m.FunnelNote, m.Overdispersion)
	}
	for i := range m.Rows {
		if (m.Rows[i].Funnel == nil) != (p.Rows[i].Funnel == nil) || m.Rows[i].Funnel != nil && m.Rows[i].Funnel.Limits != p.Rows[i].Funnel.Limits {
			t.Errorf("row %d: limits differ from the exact ones", i)
		}
	}
	var ie *InputError
	if _, err := Compute(context.Background(), r, period, Options{OverdispersionMinUnits: -1}); !errors.As(err, &ie) || ie.Parameter != "overdispersion_min_units" {
		t.Errorf("negative OverdispersionMinUnits: %v, want an *InputError", err)
	}
}
