package measures

import (
	"math"

	"github.com/shopspring/decimal"
)

// Interval is a closed interval [Low, High] on the scale of the estimate it
// belongs to. The zero value is the degenerate interval [0, 0]. Functions in
// this package return Interval{NaN, NaN} for arguments outside their domain
// (a negative count, a count above its denominator, a level outside (0, 1));
// check with Valid.
type Interval struct {
	Low, High float64
}

// Valid reports whether both bounds are numbers and Low ≤ High.
func (iv Interval) Valid() bool {
	return !math.IsNaN(iv.Low) && !math.IsNaN(iv.High) && iv.Low <= iv.High
}

// Contains reports whether v lies in the closed interval.
func (iv Interval) Contains(v float64) bool {
	return iv.Low <= v && v <= iv.High
}

// Width is High − Low.
func (iv Interval) Width() float64 { return iv.High - iv.Low }

// Scale returns the interval with both bounds multiplied by f (f ≥ 0).
func (iv Interval) Scale(f float64) Interval {
	return Interval{Low: iv.Low * f, High: iv.High * f}
}

func nanInterval() Interval { return Interval{Low: math.NaN(), High: math.NaN()} }

// validLevel reports whether level is a usable two-sided confidence level.
func validLevel(level float64) bool { return level > 0 && level < 1 }

// zForLevel returns the two-sided normal critical value z with
// Φ(z) = 1 − (1−level)/2, e.g. 1.959963984540054 for 0.95 and
// 3.090232306167813 for 0.998. It is computed from the small tail
// probability so that no precision is lost near level 1.
func zForLevel(level float64) float64 {
	return -NormalQuantile((1 - level) / 2)
}

// NormalQuantile returns the p-quantile of the standard normal distribution,
// Φ⁻¹(p), by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37:477–484,
// 1988), accurate to about 1 part in 10¹⁶. It returns −Inf for p = 0, +Inf for
// p = 1 and NaN outside [0, 1].
func NormalQuantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		num := ((((((2.5090809287301226727e+3*r+3.3430575583588128105e+4)*r+
			6.7265770927008700853e+4)*r+4.5921953931549871457e+4)*r+
			1.3731693765509461125e+4)*r+1.9715909503065514427e+3)*r+
			1.3314166789178437745e+2)*r + 3.3871328727963666080
		den := ((((((5.2264952788528545610e+3*r+2.8729085735721942674e+4)*r+
			3.9307895800092710610e+4)*r+2.1213794301586595867e+4)*r+
			5.3941960214247511077e+3)*r+6.8718700749205790830e+2)*r+
			4.2313330701600911252e+1)*r + 1
		return q * num / den
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var v float64
	if r <= 5 {
		r -= 1.6
		num := ((((((7.74545014278341407640e-4*r+2.27238449892691845833e-2)*r+
			2.41780725177450611770e-1)*r+1.27045825245236838258)*r+
			3.64784832476320460504)*r+5.76949722146069140550)*r+
			4.63033784615654529590)*r + 1.42343711074968357734
		den := ((((((1.05075007164441684324e-9*r+5.47593808499534494600e-4)*r+
			1.51986665636164571966e-2)*r+1.48103976427480074590e-1)*r+
			6.89767334985100004550e-1)*r+1.67638483018380384940)*r+
			2.05319162663775882187)*r + 1
		v = num / den
	} else {
		r -= 5
		num := ((((((2.01033439929228813265e-7*r+2.71155556874348757815e-5)*r+
			1.24266094738807843860e-3)*r+2.65321895265761230930e-2)*r+
			2.96560571828504891230e-1)*r+1.78482653991729133580)*r+
			5.46378491116411436990)*r + 6.65790464350110377720
		den := ((((((2.04426310338993978564e-15*r+1.42151175831644588870e-7)*r+
			1.84631831751005468180e-5)*r+7.86869131145613259100e-4)*r+
			1.48753612908506148525e-2)*r+1.36929880922735805310e-1)*r+
			5.99832206555887937690e-1)*r + 1
		v = num / den
	}
	if q < 0 {
		v = -v
	}
	return v
}

// Wilson returns the Wilson score interval (Wilson 1927; Newcombe 1998
// method 3) for the proportion x/n at the two-sided confidence level level,
// without continuity correction. It equals R's
// prop.test(x, n, correct = FALSE)$conf.int and PHEindicatormethods'
// phe_proportion. The bounds are
//
//	(2x + z² ∓ z·√(z² + 4x(n−x)/n)) / (2(n + z²)),
//
// so Low is exactly 0 when x = 0 and High exactly 1 when x = n. It returns
// Interval{NaN, NaN} when n ≤ 0, x < 0, x > n or level is outside (0, 1).
func Wilson(x, n int64, level float64) Interval {
	if n <= 0 || x < 0 || x > n || !validLevel(level) {
		return nanInterval()
	}
	z := zForLevel(level)
	fx, fn := float64(x), float64(n)
	z2 := z * z
	root := z * math.Sqrt(z2+4*fx*(fn-fx)/fn)
	den := 2 * (fn + z2)
	low := (2*fx + z2 - root) / den
	high := (2*fx + z2 + root) / den
	if x == 0 {
		low = 0
	}
	if x == n {
		high = 1
	}
	return Interval{Low: math.Max(0, low), High: math.Min(1, high)}
}

// WilsonCC returns the Wilson score interval with continuity correction
// (Newcombe 1998, method 4):
//
//	Low  = (2x + z² − 1 − z·√(z² − 2 − 1/n + 4p̂(n(1−p̂) + 1))) / (2(n + z²)), 0 when x = 0
//	High = (2x + z² + 1 + z·√(z² + 2 − 1/n + 4p̂(n(1−p̂) − 1))) / (2(n + z²)), 1 when x = n
//
// It equals R's prop.test(x, n, correct = TRUE)$conf.int whenever
// |x − n/2| ≥ ½ (R shrinks the correction towards its null p = 0.5).
// Domain as for Wilson.
func WilsonCC(x, n int64, level float64) Interval {
	if n <= 0 || x < 0 || x > n || !validLevel(level) {
		return nanInterval()
	}
	z := zForLevel(level)
	fx, fn := float64(x), float64(n)
	p := fx / fn
	z2 := z * z
	den := 2 * (fn + z2)
	low, high := 0.0, 1.0
	if x > 0 {
		low = (2*fx + z2 - 1 - z*math.Sqrt(z2-2-1/fn+4*p*(fn*(1-p)+1))) / den
	}
	if x < n {
		high = (2*fx + z2 + 1 + z*math.Sqrt(z2+2-1/fn+4*p*(fn*(1-p)-1))) / den
	}
	return Interval{Low: math.Max(0, low), High: math.Min(1, high)}
}

// ExactPoisson returns the exact (Garwood 1936) confidence interval for the
// mean of a Poisson count x at the two-sided level level:
//
//	Low  = χ²(α/2; 2x)/2     = Gamma(x, 1) quantile at α/2 (0 when x = 0)
//	High = χ²(1−α/2; 2x+2)/2 = Gamma(x+1, 1) quantile at 1 − α/2
//
// with α = 1 − level. It equals R's poisson.test(x)$conf.int. The upper
// bound is found from the upper tail Q directly, so no precision is lost
// at levels near 1. It returns Interval{NaN, NaN} when x < 0 or level is
// outside (0, 1).
func ExactPoisson(x int64, level float64) Interval {
	if x < 0 || !validLevel(level) {
		return nanInterval()
	}
	tail := (1 - level) / 2
	low := 0.0
	if x > 0 {
		low = gammaQuantile(float64(x), tail, false)
	}
	high := gammaQuantile(float64(x)+1, tail, true)
	return Interval{Low: low, High: high}
}

// PoissonRate returns the exact (Garwood) interval for the rate
// x/exposure × per, e.g. per = 1000 for "per 1,000 person-years" when
// exposure is in person-years. It returns Interval{NaN, NaN} when x < 0,
// exposure ≤ 0, per ≤ 0 or level is outside (0, 1).
func PoissonRate(x int64, exposure, per, level float64) Interval {
	if !(exposure > 0) || !(per > 0) || math.IsInf(exposure, 0) || math.IsInf(per, 0) {
		return nanInterval()
	}
	iv := ExactPoisson(x, level)
	if !iv.Valid() {
		return iv
	}
	return iv.Scale(per / exposure)
}

// Suppress reports whether a result with this denominator must be
// suppressed: true when the denominator is below the smallest reportable
// denominator minimum (denominator < minimum), and always when the
// denominator is zero or negative, since then there is no value to show.
// A minimum of zero or less suppresses only empty denominators. The
// comparison is exact (decimal), so a minimum of 30 persons reports 30 and
// suppresses 29, and a minimum of 100 person-years suppresses 99.99.
func Suppress(denominator, minimum decimal.Decimal) bool {
	return denominator.Sign() <= 0 || denominator.LessThan(minimum)
}

// SuppressResult applies Suppress to r and, when it is suppressed, returns
// a copy with Suppressed set and the value, the numerator and the interval
// zeroed, so that no output can show or recompute the hidden value. The
// denominator is kept, since it explains the suppression. A result that
// is not suppressed is returned unchanged.
func SuppressResult(r Result, minimum decimal.Decimal) Result {
	if !Suppress(r.Denominator, minimum) {
		return r
	}
	r.Suppressed = true
	r.Numerator = decimal.Zero
	r.Value = decimal.Zero
	r.CILow, r.CIHigh = 0, 0
	return r
}

// --- incomplete gamma and beta functions --------------------------------

// maxIter bounds the series and continued fractions; both converge in
// O(√a) terms near x ≈ a, so this allows shapes up to about 10¹⁰.
const maxIter = 10_000_000

// gammaPQ returns the regularised incomplete gamma functions
// P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = 1 − P(a, x) for a > 0, x ≥ 0, by the
// series for x < a + 1 and Lentz's continued fraction otherwise (Numerical
// Recipes §6.2). The function that is not computed directly is its
// complement, so the smaller of the two is always accurate.
func gammaPQ(a, x float64) (p, q float64) {
	switch {
	case math.IsNaN(a) || math.IsNaN(x) || a <= 0 || x < 0:
		return math.NaN(), math.NaN()
	case x == 0:
		return 0, 1
	case math.IsInf(x, 1):
		return 1, 0
	}
	lga, _ := math.Lgamma(a)
	logPrefix := a*math.Log(x) - x - lga
	if x < a+1 {
		// Series: P = e^{-x} x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
		ap := a
		del := 1 / a
		sum := del
		for i := 0; i < maxIter; i++ {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*1e-16 {
				break
			}
		}
		p = sum * math.Exp(logPrefix)
		if p > 1 {
			p = 1
		}
		return p, 1 - p
	}
	// Continued fraction for Q (modified Lentz).
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < maxIter; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 3e-16 {
			break
		}
	}
	q = math.Exp(logPrefix) * h
	if q > 1 {
		q = 1
	}
	return 1 - q, q
}

// gammaDensity is the Gamma(a, 1) density at x > 0.
func gammaDensity(a, x float64) float64 {
	lga, _ := math.Lgamma(a)
	return math.Exp((a-1)*math.Log(x) - x - lga)
}

// gammaQuantile returns x ≥ 0 with P(a, x) = prob (upper false) or
// Q(a, x) = prob (upper true), for a > 0 and 0 < prob < 1. It brackets the
// root and refines it with safeguarded Newton steps, falling back to
// bisection, to full double precision.
func gammaQuantile(a, prob float64, upper bool) float64 {
	if !(a > 0) || !(prob > 0) || !(prob < 1) {
		return math.NaN()
	}
	// h(x) is increasing in x and zero at the answer.
	h := func(x float64) float64 {
		p, q := gammaPQ(a, x)
		if upper {
			return prob - q
		}
		return p - prob
	}
	// Initial guess: Wilson–Hilferty, with a small-value fallback.
	lowerProb := prob
	if upper {
		lowerProb = 1 - prob
	}
	z := NormalQuantile(lowerProb)
	if upper {
		z = -NormalQuantile(prob)
	}
	t := 1 / (9 * a)
	x := a * math.Pow(1-t+z*math.Sqrt(t), 3)
	if !(x > 0) || math.IsInf(x, 0) {
		// For small a, P(a, x) ≈ x^a / Γ(a+1) near zero.
		lg, _ := math.Lgamma(a + 1)
		x = math.Exp((math.Log(lowerProb) + lg) / a)
		if !(x > 0) {
			x = math.SmallestNonzeroFloat64
		}
	}
	// Bracket [lo, hi] with h(lo) < 0 ≤ h(hi).
	lo, hi := 0.0, x
	for h(hi) < 0 {
		lo = hi
		hi *= 2
		if math.IsInf(hi, 0) {
			return math.Inf(1)
		}
	}
	for i := 0; i < 400; i++ {
		hx := h(x)
		if hx == 0 {
			return x
		}
		if hx < 0 {
			lo = x
		} else {
			hi = x
		}
		next := x - hx/gammaDensity(a, x)
		if !(next > lo && next < hi) {
			next = lo + (hi-lo)/2
		}
		if math.Abs(next-x) <= 4e-16*x || hi-lo <= 4e-16*hi {
			return next
		}
		x = next
	}
	return x
}

// betaI returns the regularised incomplete beta function I_x(a, b) for
// a, b > 0 and 0 ≤ x ≤ 1 by Lentz's continued fraction (Numerical Recipes
// §6.4), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the
// fraction converges faster.
func betaI(a, b, x float64) float64 {
	switch {
	case math.IsNaN(x) || a <= 0 || b <= 0 || x < 0 || x > 1:
		return math.NaN()
	case x == 0:
		return 0
	case x == 1:
		return 1
	}
	lab, _ := math.Lgamma(a + b)
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m < maxIter; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 3e-16 {
			break
		}
	}
	return h
}
