package measures

import (
	"context"
	"errors"
	"fmt"
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

// TestIdenticalRatesNotFlagged: two units with identical age-specific
// emergency-visit rates (10 % a year under 65, 100 % at 80) but opposite
// age mixes have very different crude rates; on the standardised funnel
// both have ratio 1 and neither is flagged, in either direction.
func TestIdenticalRatesNotFlagged(t *testing.T) {
	b := newBuilder()
	unitA, unitB := b.unit("A", vardval.KindPrimary), b.unit("B", vardval.KindPrimary)
	ed := b.unit("ED", vardval.KindEmergency)
	add := func(u vardval.UnitIndex, prefix string, young, old int) {
		for i := range young + old {
			birth, visit := "1994-01-01", i%10 == 0
			if i >= young {
				birth, visit = "1944-01-01", true
			}
			p := b.person(fmt.Sprintf("%s%04d", prefix, i), vardval.Female, birth)
			b.list(p, u, "2020-01-01", "")
			if visit {
				b.contact(p, ed, "2024-06-15", co{})
			}
		}
	}
	add(unitA, "a", 100, 100) // crude 110 per 200
	add(unitB, "b", 300, 50)  // crude 80 per 350
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	rep, err := Compute(context.Background(), b.region(), period, Options{Measures: []string{"ed_visits_per_1000"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rep.Measures[0].Rows[1:] {
		s, f := row.Standardised, row.Funnel
		if row.Suppressed || s == nil || f == nil {
			t.Fatalf("%s: %+v", row.UnitID, row)
		}
		if math.Abs(s.Ratio-1) > 1e-12 || f.Position != Within || f.On != "ratio" {
			t.Errorf("%s: ratio %v, position %d on %s", row.UnitID, s.Ratio, f.Position, f.On)
		}
		// The crude rate would sit outside the crude funnel.
		crude := FunnelLimits(rep.Measures[0].Target/1000, row.Denominator.InexactFloat64(), FunnelRate, FunnelOptions{})
		if crude.Position(row.Value.InexactFloat64()/1000) == Within {
			t.Errorf("%s: the crude rate is inside the crude funnel; the test does not test", row.UnitID)
		}
	}
}

// TestRatioFunnelAgreesWithInterval: the standardised funnel flag and the
// ratio's published interval (ExactPoissonEffective(O, deff, level)/E)
// agree at the matching level: above the 95 % limit ⇔ the 95 % interval's
// lower bound > 1, below ⇔ its upper bound < 1, and the same at 99.8 %.
// Includes the review's case E = 50, O = 71, deff = 2 (interval
// 0.992–1.970, so not flagged high).
func TestRatioFunnelAgreesWithInterval(t *testing.T) {
	check := func(o int64, e, deff float64) string {
		l := RatioFunnelLimits(e, deff, 0)
		pos := l.Position(float64(o) / e)
		for _, c := range []struct {
			level     float64
			high, low bool
		}{
			{0.95, pos == Above95 || pos == Above998, pos == Below95 || pos == Below998},
			{0.998, pos == Above998, pos == Below998},
		} {
			iv := ExactPoissonEffective(o, deff, c.level).Scale(1 / e)
			if math.Abs(iv.Low-1) < 1e-9 || math.Abs(iv.High-1) < 1e-9 {
				continue // on the boundary to rounding: either answer is right
			}
			if c.high != (iv.Low > 1) || c.low != (iv.High < 1) {
				return fmt.Sprintf("O=%d E=%g deff=%g level %g: position %v, interval %g–%g, limits %+v", o, e, deff, c.level, pos, iv.Low, iv.High, l)
			}
		}
		return ""
	}
	if msg := check(71, 50, 2); msg != "" {
		t.Error(msg)
	}
	if pos := RatioFunnelLimits(50, 2, 0).Position(71.0 / 50); pos != Within {
		t.Errorf("E=50 O=71 deff=2: %v, want within (interval 0.992–1.970 contains 1)", pos)
	}
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 2000
	params.Rng.Seed(1903)
	props := gopter.NewProperties(params)
	props.Property("flag high ⇔ interval above 1, low ⇔ below 1", prop.ForAll(
		func(e, ratio, deff float64) string {
			return check(int64(math.Round(ratio*e)), e, deff)
		},
		gen.Float64Range(0.05, 800), gen.Float64Range(0, 4), gen.Float64Range(0.5, 12),
	))
	props.TestingRun(t)
}

// TestReportRatioFlagsAgreeWithIntervals: in computed reports every
// standardised unit's funnel position agrees with its published 95 %
// ratio interval.
func TestReportRatioFlagsAgreeWithIntervals(t *testing.T) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	marks := 0
	for _, seed := range []uint64{1, 2, 3} {
		rep, err := Compute(context.Background(), synthRegion(3000, seed), period, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rep.Measures {
			for _, row := range m.Rows[1:] {
				s := row.Standardised
				if s == nil || row.Funnel == nil {
					continue
				}
				marks++
				p := row.Funnel.Position
				high, low := p == Above95 || p == Above998, p == Below95 || p == Below998
				if high != (s.RatioCI.Low > 1) || low != (s.RatioCI.High < 1) {
					t.Errorf("%s %s: position %v, ratio %g, interval %g–%g", m.Definition.ID, row.UnitID, p, s.Ratio, s.RatioCI.Low, s.RatioCI.High)
				}
			}
		}
	}
	if marks == 0 {
		t.Fatal("no standardised funnel mark: the test does not exercise the rule")
	}
}
