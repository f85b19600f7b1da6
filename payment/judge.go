package payment

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
)

// How a goal indicator's measure result is judged (Indicator.JudgedOn);
// see the package documentation, "Judging a goal indicator", for the
// formulas.
const (
	// JudgedOnValue judges the result's value as it is (the default).
	JudgedOnValue = "value"
	// JudgedOnBenefitOfDoubt judges the bound of the result's interval
	// most favourable to the unit: the upper bound when higher is better,
	// the lower when lower is better.
	JudgedOnBenefitOfDoubt = "benefit-of-doubt"
	// JudgedOnShrunk judges an empirical-Bayes estimate that shrinks the
	// unit's value toward the region by its precision: beta-binomial for
	// proportions, gamma-Poisson for rates, the prior estimated by the
	// method of moments from every unit's result of the measure.
	JudgedOnShrunk = "shrunk"
)

// JudgedDecimals is the number of decimals (half-even) a judged value is
// fixed to before its attainment is computed.
const JudgedDecimals = 6

// ShrinkMinUnits is the least number of units with a reportable result of
// a measure from which a shrunk indicator estimates its prior; with fewer,
// the unit is judged on its value and the line says why.
const ShrinkMinUnits = 10

// Judgement is how a goal line judged its measure result, for an
// indicator judged on anything but its value (Indicator.JudgedOn); nil
// on other lines. The values are on the measure's scale.
type Judgement struct {
	JudgedOn string          // JudgedOnBenefitOfDoubt or JudgedOnShrunk
	Value    decimal.Decimal // the unit's result value
	CILow    float64         // the result's interval (display only)
	CIHigh   float64
	Method   string          // the interval's method and level, e.g. "wilson-95"
	Judged   decimal.Decimal // the value attainment is computed from
	// Shrunk only: the region value the unit is shrunk toward (the pooled
	// value of the units in the prior), the weight of the unit's own value
	// (0..1) and the number of units the prior is estimated from.
	Region decimal.Decimal
	Weight decimal.Decimal
	Units  int
	// Note says why the value was judged as it is when the rule could not
	// apply (no interval, too few units); "" otherwise.
	Note string
	// Withheld marks a result disclosure control hid from publication:
	// it is judged all the same (pay is not publication), but the written
	// statement ([WriteJSON], [WriteCSV], [WriteTable]) shows none of its figures.
	Withheld bool
}

// judgeBenefit returns the judgement of result res under benefit-of-doubt.
func judgeBenefit(res *resultView, better string) *Judgement {
	j := &Judgement{JudgedOn: JudgedOnBenefitOfDoubt, Value: res.value, CILow: res.lo, CIHigh: res.hi, Method: res.method, Judged: res.value}
	if !intervalGiven(res) {
		j.Note = "the result has no interval, so it is judged on its value"
		return j
	}
	bound := res.hi
	if better == "lower" {
		bound = res.lo
	}
	b := ratDecimal(rat(floatDecimal(bound)), JudgedDecimals)
	if better == "lower" && b.LessThan(res.value) || better != "lower" && b.GreaterThan(res.value) {
		j.Judged = b
	}
	return j
}

// intervalGiven reports whether the result has an interval: finite
// bounds, low ≤ high, and not both zero unless the value is zero (a
// results file without ci_low and ci_high).
func intervalGiven(res *resultView) bool {
	lo, hi := res.lo, res.hi
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return false
	}
	if lo == 0 && hi == 0 && !res.value.IsZero() {
		return false
	}
	return true
}

// floatDecimal is interval bound x as the measures output writes it:
// rounded to 6 decimals in float64 (math.Round(x × 10⁶) / 10⁶, halves
// away from zero) and written as the shortest decimal that reads back as
// that float, so that a bound read from a results file judges as the
// computed one.
func floatDecimal(x float64) decimal.Decimal {
	r := math.Round(x*1e6) / 1e6
	d, err := decimal.NewFromString(strconv.FormatFloat(r, 'f', -1, 64))
	if err != nil {
		return decimal.Zero
	}
	return d
}

// prior is the method-of-moments prior of a shrunk measure over the
// units with a reportable result.
type prior struct {
	kind  measures.Kind
	scale int64
	k     int      // units in the prior
	mu    *big.Rat // pooled Σx/Σn (per person-year for rates, a share for proportions)
	tau2  *big.Rat // between-unit variance estimate (may be ≤ 0)
	m     *big.Rat // prior size: α+β (proportions) or the gamma rate (rates); nil = no shrinkage (weight 1)
	pool  bool     // τ² ≤ 0: every unit is judged on the region value (weight 0)
}

// estimatePrior estimates the prior of ind's measure from the results of
// the region's units over ind's window for the month, in the region's
// unit order (by id).
func (c *MonthContext) estimatePrior(ind *Indicator, kind measures.Kind, scale int64) *prior {
	var xs, ns []*big.Rat
	for _, u := range c.r.Units {
		r, ok := c.goalResult(ind, u.ID)
		if !ok || r.Suppressed || r.NotAvailable || r.Denominator.Sign() <= 0 || r.Numerator.Sign() < 0 {
			continue
		}
		d := deffRat(r.DesignEffect)
		xs, ns = append(xs, quo(rat(r.Numerator), d)), append(ns, quo(rat(r.Denominator), d))
	}
	return priorFrom(kind, scale, xs, ns)
}

// priorFrom estimates the prior from the units' numerators xs and
// denominators ns (positive), in a fixed order.
func priorFrom(kind measures.Kind, scale int64, xs, ns []*big.Rat) *prior {
	p := &prior{kind: kind, scale: scale}
	p.k = len(xs)
	if p.k < ShrinkMinUnits {
		return p
	}
	sx, sn := new(big.Rat), new(big.Rat)
	for i := range xs {
		sx.Add(sx, xs[i])
		sn.Add(sn, ns[i])
	}
	p.mu = quo(sx, sn)
	one := big.NewRat(1, 1)
	s, d := new(big.Rat), new(big.Rat)
	for i := range xs {
		dev := new(big.Rat).Sub(quo(xs[i], ns[i]), p.mu)
		s.Add(s, mul(ns[i], dev, dev))
		share := new(big.Rat).Sub(one, quo(ns[i], sn)) // 1 − n_i/N
		if kind == measures.Rate {
			d.Add(d, mul(ns[i], share))
		} else {
			d.Add(d, mul(new(big.Rat).Sub(ns[i], one), share))
		}
	}
	within := new(big.Rat).Set(p.mu) // rates: μ
	if kind != measures.Rate {
		within = mul(p.mu, new(big.Rat).Sub(one, p.mu)) // proportions: μ(1 − μ)
	}
	if d.Sign() <= 0 {
		p.tau2 = new(big.Rat)
		p.pool = true
		return p
	}
	num := new(big.Rat).Sub(s, mul(within, ratInt(int64(p.k-1))))
	p.tau2 = quo(num, d)
	switch {
	case p.tau2.Sign() <= 0:
		p.pool = true
	case kind == measures.Rate:
		p.m = quo(p.mu, p.tau2) // gamma rate β = μ/τ²
	default:
		m := new(big.Rat).Sub(quo(within, p.tau2), one) // α+β = μ(1−μ)/τ² − 1
		if m.Sign() > 0 {
			p.m = m
		}
	}
	return p
}

// deffRat is design effect f as an exact rational: f as the measures
// output writes it (rounded to 6 decimals, floatDecimal), and 1 when that
// is below 1, not finite or not given.
func deffRat(f float64) *big.Rat {
	if !(f > 1) || math.IsInf(f, 0) {
		return big.NewRat(1, 1)
	}
	d := rat(floatDecimal(f))
	if d.Cmp(big.NewRat(1, 1)) < 0 {
		return big.NewRat(1, 1)
	}
	return d
}

// judgeShrunk returns the judgement of result res under the prior p.
func judgeShrunk(res *resultView, p *prior) *Judgement {
	j := &Judgement{JudgedOn: JudgedOnShrunk, Value: res.value, CILow: res.lo, CIHigh: res.hi, Method: res.method, Judged: res.value, Units: p.k}
	if p.mu == nil {
		j.Note = fmt.Sprintf("only %d units have a reportable result of the measure, fewer than the %d a prior is estimated from, so it is judged on its value", p.k, ShrinkMinUnits)
		return j
	}
	scale := ratInt(p.scale)
	j.Region = ratDecimal(mul(p.mu, scale), JudgedDecimals)
	if res.den.Sign() <= 0 {
		j.Note = "the result has no denominator, so it is judged on its value"
		return j
	}
	d := deffRat(res.deff)
	x, n := quo(rat(res.num), d), quo(rat(res.den), d) // effective counts
	var w, post *big.Rat
	switch {
	case p.pool:
		w, post = new(big.Rat), p.mu
	case p.m == nil:
		w, post = big.NewRat(1, 1), quo(x, n)
	default:
		nm := new(big.Rat).Add(n, p.m)
		w = quo(n, nm)
		post = quo(new(big.Rat).Add(x, mul(p.m, p.mu)), nm) // (x + M·μ)/(n + M)
	}
	j.Weight = ratDecimal(w, JudgedDecimals)
	j.Judged = ratDecimal(mul(post, scale), JudgedDecimals)
	return j
}

// text is the judgement in words, for the line's explanation.
func (j *Judgement) text(better string) string {
	if j.Note != "" {
		return fmt.Sprintf("judged on %s: %s", j.JudgedOn, j.Note)
	}
	if j.JudgedOn == JudgedOnBenefitOfDoubt {
		which := "upper"
		if better == "lower" {
			which = "lower"
		}
		if j.Judged.Equal(j.Value) {
			return fmt.Sprintf("judged on benefit-of-doubt: the value %s, as the interval's %s bound is not more favourable to the unit", j.Judged, which)
		}
		return fmt.Sprintf("judged on benefit-of-doubt: the %s bound of the interval, %s", which, j.Judged)
	}
	return fmt.Sprintf("judged on shrunk: %s, empirical Bayes toward the region value %s with weight %s on the unit's own value (prior from %d units)",
		j.Judged, j.Region, j.Weight, j.Units)
}
