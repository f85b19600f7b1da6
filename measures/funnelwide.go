package measures

import "math"

// DefaultOverdispersionMinUnits is the smallest number of published units
// from which the between-unit variance τ² is estimated when
// Options.OverdispersionMinUnits is 0.
const DefaultOverdispersionMinUnits = 10

// InflatedFunnelLimits returns the exact funnel limits of FunnelLimits
// (zero FunnelOptions: exact binomial or Poisson with Spiegelhalter's
// interpolation) at target θ and size n, widened about θ by
//
//	f = √(deff + τ²·n / V(θ)),  V(θ) = θ(1 − θ) for proportions, θ for rates,
//
// each limit becoming θ + (L_exact − θ)·f, then clipped to [0, 1]
// (proportions) or [0, ∞) (rates). deff is the unit's design effect
// (within-person clustering; values below 1 or NaN count as 1) and tau2
// the additive between-unit variance (≤ 0 or NaN counts as 0). For
// proportions n is rounded to a whole number (at least 1) in f as in the
// exact limits. The exact
// limits' distance from θ is about z·√(V(θ)/n), so the widened distance
// is about z·√(deff·V(θ)/n + τ²): the additive random-effects limits of
// Spiegelhalter (2005 §3.5.2) with the unit's clustered variance, while
// f = 1 (deff 1, τ² 0) gives exactly the exact limits. The limits are
// therefore continuous in τ² and deff: there is no jump from exact to
// widened limits as τ² passes zero. For a standardised ratio O/E use
// target 1, n = E and kind FunnelRate.
func InflatedFunnelLimits(target, n float64, kind FunnelKind, deff, tau2 float64) Limits {
	l := FunnelLimits(target, n, kind, FunnelOptions{})
	if math.IsNaN(l.Lower95) {
		return l
	}
	if !(deff > 1) {
		deff = 1
	}
	if !(tau2 > 0) || math.IsInf(tau2, 0) {
		tau2 = 0
	}
	if kind == FunnelProportion {
		n = math.Max(1, math.Round(n))
	}
	v := target
	if kind == FunnelProportion {
		v = target * (1 - target)
	}
	f := deff
	if v > 0 {
		f += tau2 * n / v
	}
	f = math.Sqrt(f)
	if f == 1 {
		return l
	}
	hi := math.Inf(1)
	if kind == FunnelProportion {
		hi = 1
	}
	w := func(x float64) float64 { return math.Min(hi, math.Max(0, target+(x-target)*f)) }
	return Limits{w(l.Lower95), w(l.Upper95), w(l.Lower998), w(l.Upper998)}
}
