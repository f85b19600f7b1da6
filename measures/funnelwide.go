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
// widened limits as τ² passes zero. The engine draws a standardised
// ratio O/E with RatioFunnelLimits instead, so that its flag agrees with
// the ratio's interval.
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

// RatioFunnelLimits returns the 95 % and 99.8 % funnel limits of a
// standardised ratio O/E around 1 at expected count E, obtained by
// inverting the ratio's own interval (ExactPoissonEffective(O, deff,
// level) / E, the interval the report publishes) so that a unit is above
// a limit exactly when the interval at that level lies wholly above 1 and
// below exactly when it lies wholly below 1. With D = deff + τ²·E (deff
// below 1 or NaN counts as 1, τ² ≤ 0 or NaN as 0; τ²·E is the widening
// τ²·n/V(θ) of InflatedFunnelLimits at θ = 1, n = E, V = θ), x = E/D and
// each tail α (0.025, 0.001):
//
//	upper = D·a⁺ / E, where P(a⁺, x) = α,
//	lower = max(0, D·(a⁻ − 1)) / E, where Q(a⁻, x) = α,
//
// P and Q being the regularised incomplete gamma functions (P decreasing,
// Q increasing in a; solved by bisection to double precision). The
// interval's lower bound D·G⁻¹(O/D; α) exceeds E exactly when
// P(O/D, x) < α, i.e. O > D·a⁺; its upper bound D·G⁻¹(O/D + 1; 1 − α)
// is below E exactly when Q(O/D + 1, x) < α, i.e. O < D·(a⁻ − 1). With
// τ² > 0 the flag agrees with the interval at design effect D (the
// published interval does not include τ²). It returns NaN limits when E
// is not positive and finite.
func RatioFunnelLimits(expected, deff, tau2 float64) Limits {
	if !(expected > 0) || math.IsInf(expected, 0) {
		return Limits{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	}
	if !(deff > 1) || math.IsInf(deff, 0) {
		deff = 1
	}
	if !(tau2 > 0) || math.IsInf(tau2, 0) {
		tau2 = 0
	}
	dd := deff + tau2*expected
	x := expected / dd
	up := func(alpha float64) float64 {
		return dd * solveShape(x, alpha, false) / expected
	}
	low := func(alpha float64) float64 {
		return math.Max(0, dd*(solveShape(x, alpha, true)-1)) / expected
	}
	return Limits{Lower95: low(tail95), Upper95: up(tail95), Lower998: low(tail998), Upper998: up(tail998)}
}

// solveShape returns the shape a > 0 with P(a, x) = alpha (upper false;
// P falls as a grows) or Q(a, x) = alpha (upper true; Q rises), for x > 0
// and 0 < alpha < 1, by bisection.
func solveShape(x, alpha float64, upper bool) float64 {
	// h(a) is increasing in a and zero at the answer.
	h := func(a float64) float64 {
		p, q := gammaPQ(a, x)
		if upper {
			return q - alpha
		}
		return alpha - p
	}
	lo, hi := 0.0, x+10*math.Sqrt(x)+10
	for h(hi) < 0 {
		lo, hi = hi, 2*hi
	}
	for range 2000 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if mid == 0 || h(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
