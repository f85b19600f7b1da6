package measures

import (
	"math"
	"slices"
)

// Funnel plots after Spiegelhalter (2005), "Funnel plots for comparing
// institutional performance", Statistics in Medicine 24:1185–1202, with
// the overdispersion methods of its §3.5 and of Spiegelhalter,
// Sherlaw-Johnson et al. (2012), "Statistical methods for healthcare
// regulation: rating, screening and surveillance", JRSS A 175:1–47.

// FunnelKind names the distribution of a unit's indicator under the target.
type FunnelKind uint8

const (
	// FunnelProportion: the indicator is r/n with r ~ Binomial(n, target);
	// target is a proportion in [0, 1] and n the denominator (persons or
	// contacts).
	FunnelProportion FunnelKind = iota
	// FunnelRate: the indicator is O/n with O ~ Poisson(target × n); target
	// is events per unit of exposure and n the exposure (person-years).
	// For a standardised ratio O/E use target 1 and n = E.
	FunnelRate
)

// FunnelMethod chooses how limits without overdispersion are computed.
type FunnelMethod uint8

const (
	// FunnelExact (the zero value) uses the exact binomial or Poisson
	// quantile r_p with Spiegelhalter's (2005, appendix A.1.1)
	// interpolation: with F the distribution function and p the tail
	// probability, α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)) and the limit is
	// (r_p − α)/n, which gives smooth limits from a discrete distribution.
	// For proportions n is rounded to the nearest whole number.
	FunnelExact FunnelMethod = iota
	// FunnelNormal uses the normal approximation target ± z·s(n), with
	// s(n)² = target(1 − target)/n for proportions and target/n for rates.
	FunnelNormal
)

// OverdispersionModel chooses how limits are widened for overdispersion.
type OverdispersionModel uint8

const (
	// NoOverdispersion (the zero value) draws the plain limits.
	NoOverdispersion OverdispersionModel = iota
	// Multiplicative draws target ± z·√φ·s(n) (Spiegelhalter 2005 §3.5.1).
	// φ below 1 is treated as 1: the adjustment never narrows the limits.
	Multiplicative
	// Additive draws target ± z·√(s(n)² + τ²), the DerSimonian–Laird
	// random-effects limits (Spiegelhalter 2005 §3.5.2; 2012 §4.2).
	Additive
)

// FunnelOptions configures FunnelLimits. The zero value gives exact limits
// without overdispersion. With an overdispersion model the limits are
// always normal-approximation limits, widened by Overdispersion.
type FunnelOptions struct {
	Method         FunnelMethod
	Model          OverdispersionModel
	Overdispersion Overdispersion
}

// Limits are the funnel control limits at one n, on the indicator's scale
// (a proportion in [0, 1], or a rate per unit of exposure ≥ 0). A unit
// outside the 95 % limits would occur by chance about 1 time in 20 (each
// side 2.5 %), outside the 99.8 % limits about 1 in 500 (each side 0.1 %).
// Proportion limits are clipped to [0, 1], rate limits at 0.
type Limits struct {
	Lower95, Upper95, Lower998, Upper998 float64
}

// FunnelPosition classifies an indicator value against Limits.
type FunnelPosition int8

// Positions from low to high. The zero value means inside the 95 % limits.
const (
	Below998 FunnelPosition = -2 // below the lower 99.8 % limit
	Below95  FunnelPosition = -1 // below the lower 95 % limit only
	Within   FunnelPosition = 0  // within the 95 % limits (inclusive)
	Above95  FunnelPosition = 1  // above the upper 95 % limit only
	Above998 FunnelPosition = 2  // above the upper 99.8 % limit
)

// Position returns where value lies relative to the limits; a value on a
// limit counts as inside it.
func (l Limits) Position(value float64) FunnelPosition {
	switch {
	case value < l.Lower998:
		return Below998
	case value < l.Lower95:
		return Below95
	case value > l.Upper998:
		return Above998
	case value > l.Upper95:
		return Above95
	}
	return Within
}

const (
	tail95  = 0.025 // each tail of the 95 % limits
	tail998 = 0.001 // each tail of the 99.8 % limits
)

// FunnelLimits returns the 95 % and 99.8 % funnel limits for a unit of size
// n around target. It returns NaN limits when n ≤ 0, when target is outside
// [0, 1] for proportions or negative for rates, or when an option is out of
// range. A degenerate target (0 or 1 for a proportion, 0 for a rate) has no
// spread and gives limits equal to the target.
func FunnelLimits(target, n float64, kind FunnelKind, opts FunnelOptions) Limits {
	nan := math.NaN()
	bad := Limits{nan, nan, nan, nan}
	if !(n > 0) || math.IsInf(n, 0) || math.IsNaN(target) || math.IsInf(target, 0) {
		return bad
	}
	switch kind {
	case FunnelProportion:
		if target < 0 || target > 1 {
			return bad
		}
		if opts.Method == FunnelExact && opts.Model == NoOverdispersion {
			n = math.Round(n)
			if n < 1 {
				return bad
			}
		}
		if target == 0 || target == 1 {
			return Limits{target, target, target, target}
		}
	case FunnelRate:
		if target < 0 {
			return bad
		}
		if target == 0 {
			return Limits{0, 0, 0, 0}
		}
	default:
		return bad
	}
	if opts.Method > FunnelNormal || opts.Model > Additive {
		return bad
	}

	var l Limits
	if opts.Model == NoOverdispersion && opts.Method == FunnelExact {
		limit := func(prob float64) float64 {
			if kind == FunnelProportion {
				return exactBinomialLimit(int64(n), target, prob)
			}
			return exactPoissonLimit(target, n, prob)
		}
		l = Limits{
			Lower95:  limit(tail95),
			Upper95:  limit(1 - tail95),
			Lower998: limit(tail998),
			Upper998: limit(1 - tail998),
		}
	} else {
		v := target / n
		if kind == FunnelProportion {
			v = target * (1 - target) / n
		}
		switch opts.Model {
		case Multiplicative:
			phi := opts.Overdispersion.Phi
			if !(phi > 1) {
				phi = 1
			}
			v *= phi
		case Additive:
			if t := opts.Overdispersion.Tau2; t > 0 {
				v += t
			}
		}
		sd := math.Sqrt(v)
		z95, z998 := zForLevel(0.95), zForLevel(0.998)
		l = Limits{
			Lower95:  target - z95*sd,
			Upper95:  target + z95*sd,
			Lower998: target - z998*sd,
			Upper998: target + z998*sd,
		}
	}
	hi := math.Inf(1)
	if kind == FunnelProportion {
		hi = 1
	}
	clip := func(x float64) float64 { return math.Min(hi, math.Max(0, x)) }
	return Limits{clip(l.Lower95), clip(l.Upper95), clip(l.Lower998), clip(l.Upper998)}
}

// binomialCDF is P(R ≤ r) for R ~ Binomial(n, p), 0 < p < 1.
func binomialCDF(r, n int64, p float64) float64 {
	switch {
	case r < 0:
		return 0
	case r >= n:
		return 1
	}
	return betaI(float64(n-r), float64(r+1), 1-p)
}

// binomialPMF is P(R = r) for R ~ Binomial(n, p), 0 < p < 1.
func binomialPMF(r, n int64, p float64) float64 {
	if r < 0 || r > n {
		return 0
	}
	ln, _ := math.Lgamma(float64(n) + 1)
	lr, _ := math.Lgamma(float64(r) + 1)
	lnr, _ := math.Lgamma(float64(n-r) + 1)
	return math.Exp(ln - lr - lnr + float64(r)*math.Log(p) + float64(n-r)*math.Log1p(-p))
}

// poissonCDF is P(O ≤ r) for O ~ Poisson(mu), mu > 0.
func poissonCDF(r int64, mu float64) float64 {
	if r < 0 {
		return 0
	}
	_, q := gammaPQ(float64(r)+1, mu)
	return q
}

// poissonPMF is P(O = r) for O ~ Poisson(mu), mu > 0.
func poissonPMF(r int64, mu float64) float64 {
	if r < 0 {
		return 0
	}
	lr, _ := math.Lgamma(float64(r) + 1)
	return math.Exp(float64(r)*math.Log(mu) - mu - lr)
}

// interpolatedLimit applies Spiegelhalter's interpolation: r is the
// smallest count with cdf(r) ≥ prob.
func interpolatedLimit(r int64, prob, n float64, cdf, pmf func(int64) float64) float64 {
	alpha := (cdf(r) - prob) / pmf(r)
	return (float64(r) - alpha) / n
}

// exactBinomialLimit is the interpolated prob-quantile of R/n, R ~ Bin(n, p).
func exactBinomialLimit(n int64, p, prob float64) float64 {
	cdf := func(r int64) float64 { return binomialCDF(r, n, p) }
	pmf := func(r int64) float64 { return binomialPMF(r, n, p) }
	lo, hi := int64(-1), n // cdf(lo) < prob ≤ cdf(hi)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if cdf(mid) >= prob {
			hi = mid
		} else {
			lo = mid
		}
	}
	return interpolatedLimit(hi, prob, float64(n), cdf, pmf)
}

// exactPoissonLimit is the interpolated prob-quantile of O/n,
// O ~ Poisson(rate × n).
func exactPoissonLimit(rate, n, prob float64) float64 {
	mu := rate * n
	cdf := func(r int64) float64 { return poissonCDF(r, mu) }
	pmf := func(r int64) float64 { return poissonPMF(r, mu) }
	lo := int64(-1)
	hi := int64(math.Ceil(mu + 10*math.Sqrt(mu) + 10))
	for cdf(hi) < prob {
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if cdf(mid) >= prob {
			hi = mid
		} else {
			lo = mid
		}
	}
	return interpolatedLimit(hi, prob, n, cdf, pmf)
}

// FunnelPoint is one unit on a funnel plot: its indicator is
// Numerator/Denominator (events/persons, events/person-years, or O/E).
type FunnelPoint struct {
	Numerator   float64
	Denominator float64
}

// Overdispersion holds the estimated overdispersion of a set of units
// around a target (Spiegelhalter 2005 §3.5).
//
// Phi is the multiplicative overdispersion factor: the mean of the squared
// z-scores z_i = (y_i − target)/s_i, s_i² = V(target)/n_i, after
// Winsorising at 10 % in each tail (z-scores below the 10th percentile are
// set to it, those above the 90th to it; percentiles as R's default
// quantile type 7). Tau2 is the additive between-unit variance by
// DerSimonian–Laird: τ² = max(0, (I·φ − (I − 1)) / (Σw − Σw²/Σw)) with
// w_i = 1/s_i² and I the number of units. PValue is P(χ²_{I−1} ≥ I·φ), the
// test of no overdispersion (approximate, since φ is Winsorised).
//
// With fewer than two usable points there is nothing to estimate: Phi is
// 1, Tau2 0 and PValue 1. The zero value (Phi 0) means "not estimated";
// FunnelLimits treats any Phi ≤ 1 as no multiplicative widening.
type Overdispersion struct {
	Phi    float64
	Tau2   float64
	Points int
	PValue float64
}

// EstimateOverdispersion estimates φ and τ² from units' indicators around
// target. Points with a denominator that is not positive are ignored. The
// target must lie strictly inside the kind's range (0 < target < 1 for
// proportions, target > 0 for rates), otherwise Phi and Tau2 are NaN. The
// result does not depend on the order of points.
func EstimateOverdispersion(points []FunnelPoint, target float64, kind FunnelKind) Overdispersion {
	var unitVar float64 // variance at n = 1
	switch kind {
	case FunnelProportion:
		unitVar = target * (1 - target)
	case FunnelRate:
		unitVar = target
	default:
		unitVar = math.NaN()
	}
	if !(unitVar > 0) || math.IsInf(unitVar, 0) {
		return Overdispersion{Phi: math.NaN(), Tau2: math.NaN(), PValue: math.NaN()}
	}
	zs := make([]float64, 0, len(points))
	ws := make([]float64, 0, len(points))
	for _, pt := range points {
		if !(pt.Denominator > 0) || math.IsInf(pt.Denominator, 0) || math.IsNaN(pt.Numerator) {
			continue
		}
		y := pt.Numerator / pt.Denominator
		w := pt.Denominator / unitVar // 1/s²
		zs = append(zs, (y-target)*math.Sqrt(w))
		ws = append(ws, w)
	}
	count := len(zs)
	if count < 2 {
		return Overdispersion{Phi: 1, Tau2: 0, Points: count, PValue: 1}
	}
	slices.Sort(zs)
	lz, uz := quantile7(zs, 0.1), quantile7(zs, 0.9)
	sumZ2 := 0.0
	for _, z := range zs {
		z = math.Min(uz, math.Max(lz, z))
		sumZ2 += z * z
	}
	phi := sumZ2 / float64(count)

	slices.Sort(ws)
	sumW, sumW2 := 0.0, 0.0
	for _, w := range ws {
		sumW += w
		sumW2 += w * w
	}
	tau2 := 0.0
	if den := sumW - sumW2/sumW; den > 0 {
		tau2 = math.Max(0, (float64(count)*phi-float64(count-1))/den)
	}
	_, pValue := gammaPQ(float64(count-1)/2, float64(count)*phi/2)
	return Overdispersion{Phi: phi, Tau2: tau2, Points: count, PValue: pValue}
}

// quantile7 is R's default (type 7) quantile of sorted, non-empty xs.
func quantile7(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-lo)*(xs[i+1]-xs[i])
}

// FunnelCurvePoint is the funnel limits at one size n.
type FunnelCurvePoint struct {
	N float64
	Limits
}

// FunnelCurve samples the limits for plotting at steps+1 sizes spaced
// geometrically from minN to maxN inclusive (dense where the funnel bends,
// sparse where it is flat). For exact proportion limits the sizes are
// rounded to whole numbers and repeated sizes dropped. It returns nil when
// minN ≤ 0, maxN < minN or steps < 1. Points come in increasing N.
func FunnelCurve(target, minN, maxN float64, steps int, kind FunnelKind, opts FunnelOptions) []FunnelCurvePoint {
	if !(minN > 0) || !(maxN >= minN) || math.IsInf(maxN, 0) || steps < 1 {
		return nil
	}
	integral := kind == FunnelProportion && opts.Method == FunnelExact && opts.Model == NoOverdispersion
	out := make([]FunnelCurvePoint, 0, steps+1)
	ratio := maxN / minN
	for i := 0; i <= steps; i++ {
		n := minN * math.Pow(ratio, float64(i)/float64(steps))
		switch i {
		case 0:
			n = minN
		case steps:
			n = maxN
		}
		if integral {
			n = math.Max(1, math.Round(n))
			if len(out) > 0 && out[len(out)-1].N == n {
				continue
			}
		}
		out = append(out, FunnelCurvePoint{N: n, Limits: FunnelLimits(target, n, kind, opts)})
	}
	return out
}
