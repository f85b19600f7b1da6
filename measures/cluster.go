package measures

import "math"

// Clustering within persons. A clustered measure (Definition.Clustered)
// counts events of persons — doctor visits or visit pairs (continuity),
// new-problem contacts (care guarantee), emergency visits — and one
// person's events are not independent. Its estimate is a ratio
// R = Σ y_i / Σ n_i over the clusters i (a person at a unit: y_i the
// person's numerator, n_i the person's denominator; for rates y_i events
// and n_i listed days), and its variance is the cluster-robust
// (sandwich, "ratio estimator") variance
//
//	V_cl(R) = Σ_i (y_i − R·n_i)² / (Σ_i n_i)²
//
// (Williams 2000, Biometrics 56:645; Cochran 1977, Sampling Techniques
// §6.9; without a small-sample factor such as m/(m − 1), so that clusters
// of one event give a design effect of exactly 1). The
// design effect is V_cl over the variance that treats every event as
// independent: R(1 − R)/N for a proportion (binomial), O/T² for a rate
// (Poisson, O events in T days):
//
//	proportion: deff = Σ (y_i − R n_i)² / (N·R(1 − R)),  N = Σ n_i
//	rate:       deff = Σ (y_i − R n_i)² / O,              O = Σ y_i
//
// Σ (y_i − R n_i)² is computed as Σy² − 2R·Σyn + R²·Σn² from exact
// integer sums, in float64. The design effect used is deff when it is
// above 1 + 10⁻⁹ and 1 otherwise (negative within-person correlation is
// not credited, and rounding does not turn independent events into a
// design effect), and 1 when it is undefined: fewer than 2 clusters,
// R = 0, or R = 1 for a proportion.
// Intervals use the effective sample size (Kish 1965; Korn & Graubard
// 1998): WilsonEffective for proportions, ExactPoissonEffective for
// rates and standardised ratios; funnel limits use the same deff
// (InflatedFunnelLimits).

// DesignEffect returns the design effect (above 1 + 10⁻⁹, otherwise 1)
// for clusters with sums num = Σy, den = Σn, yy = Σy², nn = Σn²,
// yn = Σyn over m clusters (formulas above); rate selects the Poisson
// reference variance. It returns 1 when the design effect is undefined.
func DesignEffect(num, den, m, yy, nn, yn int64, rate bool) float64 {
	if m < 2 || den <= 0 || num <= 0 {
		return 1
	}
	r := float64(num) / float64(den)
	if !rate && num >= den {
		return 1
	}
	ss := float64(yy) - 2*r*float64(yn) + r*r*float64(nn)
	if ss < 0 {
		ss = 0 // rounding
	}
	ref := float64(num) // Poisson: Var(R)·T² = O
	if !rate {
		ref = float64(den) * r * (1 - r)
	}
	d := ss / ref
	if !(d > 1+1e-9) || math.IsInf(d, 0) {
		return 1
	}
	return d
}

// WilsonEffective returns the Wilson interval for the proportion x/n at
// the effective sample size n* = n/deff (x* = (x/n)·n*): with p̂ = x/n,
//
//	(p̂ + z²/(2n*) ∓ z·√(p̂(1 − p̂)/n* + z²/(4n*²))) / (1 + z²/n*),
//
// which for deff = 1 is Wilson(x, n, level) (returned exactly then). deff
// below 1 counts as 1. Domain as for Wilson.
func WilsonEffective(x, n int64, deff, level float64) Interval {
	if !(deff > 1) || math.IsInf(deff, 0) {
		return Wilson(x, n, level)
	}
	if n <= 0 || x < 0 || x > n || !validLevel(level) {
		return nanInterval()
	}
	z := zForLevel(level)
	p := float64(x) / float64(n)
	ne := float64(n) / deff
	z2 := z * z
	den := 1 + z2/ne
	centre := (p + z2/(2*ne)) / den
	half := z * math.Sqrt(p*(1-p)/ne+z2/(4*ne*ne)) / den
	low, high := centre-half, centre+half
	if x == 0 {
		low = 0
	}
	if x == n {
		high = 1
	}
	return Interval{Low: math.Max(0, low), High: math.Min(1, high)}
}

// ExactPoissonEffective returns the exact (Garwood) interval for the mean
// of a count x whose variance is deff times the Poisson variance: the
// count is taken as deff times a Poisson count of mean μ/deff observed as
// x* = x/deff, so
//
//	Low  = deff · Gamma(x*, 1) quantile at α/2 (0 when x = 0)
//	High = deff · Gamma(x* + 1, 1) quantile at 1 − α/2
//
// which for deff = 1 is ExactPoisson(x, level) (returned exactly then).
// deff below 1 counts as 1. Domain as for ExactPoisson.
func ExactPoissonEffective(x int64, deff, level float64) Interval {
	if !(deff > 1) || math.IsInf(deff, 0) {
		return ExactPoisson(x, level)
	}
	if x < 0 || !validLevel(level) {
		return nanInterval()
	}
	tail := (1 - level) / 2
	xe := float64(x) / deff
	low := 0.0
	if x > 0 {
		low = deff * gammaQuantile(xe, tail, false)
	}
	high := deff * gammaQuantile(xe+1, tail, true)
	return Interval{Low: low, High: high}
}
