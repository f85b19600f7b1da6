package payment

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
)

// Goal is goal-related pay (målrelaterad ersättning) from measure results.
// Thresholds are on the measure's own scale: shares 0–1 for proportions,
// events per 1 000 person-years for rates. Each indicator's attainment is 0 at or beyond the lower threshold, 1 at
// or beyond the upper, linear between (for "better: lower" the thresholds
// swap roles; equal thresholds make a step at the target), computed from
// the value as each indicator's JudgedOn says (the value itself, the
// bound of its interval most favourable to the unit, or an empirical-Bayes
// estimate; see the package documentation). A bonus pays
// attainment × points × rate × basis; a deduction takes (1 − attainment) ×
// points × rate × basis. The basis is listed persons or listing points.
// Each indicator reads its measure over its own window for the paid
// month (Indicator.Window, MeasuredOver: the payment year by default), so
// a month priced alone pays what it pays in a year run; results come from
// RunOptions.MeasuresOver (Price computes them per window), or from
// RunOptions.Measures when only those are given (e.g. a results file). A
// missing or suppressed result gives a zero line saying so (or a full
// deduction with missing: full); a measure that is not available (an
// input not given) does what Unavailable says. Price hands goal pay the
// unsuppressed result of a row hidden only by disclosure control
// (measures.Report.PayResult): pay is not publication.
type Goal struct {
	ComponentInfo
	Style      string // "bonus" or "deduction"
	Basis      *Table // nil = listed persons
	Counting   Counting
	Rate       Param // SEK per point per basis unit per month
	Indicators []Indicator
	// Missing says what a missing or suppressed result does: "skip" (the
	// default: no pay and no deduction) or "full" (attainment 0, so a
	// deduction applies in full and a bonus is not paid), so that not
	// reporting can never avoid a deduction.
	Missing string
	// Unavailable says what an indicator whose measure is not available
	// (the region was not given an input the measure reads) does:
	// UnavailableSkip, UnavailableFull or UnavailableReweight; when the
	// model does not say, as Missing says.
	Unavailable string
}

// Indicator is one measure in a goal component.
type Indicator struct {
	Measure string
	Better  string // "higher" or "lower"
	Lower   Param
	Upper   Param
	Points  Param
	Path    string
	// JudgedOn is how the measure's result is judged: JudgedOnValue (""
	// means the same), JudgedOnBenefitOfDoubt or JudgedOnShrunk.
	JudgedOn string
	// Window is the period the measure is read over for a paid month:
	// WindowPaymentYear ("" means the same), WindowLast12Months or
	// WindowPreviousYear (MeasuredOver).
	Window string
}

func parseGoal(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	w := p.w
	c := &Goal{ComponentInfo: info, Style: o.str("style", true), Counting: p.counting(o), Missing: o.str("missing", false)}
	if c.Style != "" {
		o.oneOf("style", c.Style, "bonus", "deduction")
	}
	if c.Missing == "" {
		c.Missing = "skip"
	} else {
		o.oneOf("missing", c.Missing, "skip", "full")
	}
	c.Unavailable = o.str("unavailable", false)
	if c.Unavailable == "" {
		c.Unavailable = c.Missing
	} else {
		o.oneOf("unavailable", c.Unavailable, UnavailableSkip, UnavailableFull, UnavailableReweight)
	}
	c.Basis = p.basis(o)
	c.Rate = o.param("rate", true, nonNegative)
	items, ip := o.seq("indicators", true)
	for i, n := range items {
		path := index(ip, i)
		io := w.obj(path, n)
		ind := Indicator{Measure: io.str("measure", true), Better: io.str("better", true), Path: path}
		if ind.Measure != "" && !p.knownMeasure(ind.Measure) {
			w.fail(join(path, "measure"), io.get("measure"), "unknown measure %q (known: "+strings.Join(p.known, ", ")+")", ind.Measure)
		}
		if ind.Better != "" {
			io.oneOf("better", ind.Better, "higher", "lower")
		}
		ind.JudgedOn = io.str("judged_on", false)
		if ind.JudgedOn != "" && io.oneOf("judged_on", ind.JudgedOn, JudgedOnValue, JudgedOnBenefitOfDoubt, JudgedOnShrunk) &&
			ind.JudgedOn == JudgedOnShrunk && ind.Measure != "" && p.knownMeasure(ind.Measure) {
			if _, err := measures.Lookup(ind.Measure); err != nil {
				w.fail(join(path, "judged_on"), io.get("judged_on"), "judged_on: shrunk needs the kind and scale of a built-in measure (measures/definitions.yaml); %q is not one", ind.Measure)
			}
		}
		ind.Window = io.str("window", false)
		if ind.Window != "" {
			io.oneOf("window", ind.Window, WindowPaymentYear, WindowLast12Months, WindowPreviousYear)
		}
		ind.Lower = io.param("lower", true, anyValue)
		ind.Upper = io.param("upper", true, anyValue)
		ind.Points = io.param("points", true, nonNegative)
		io.done()
		c.Indicators = append(c.Indicators, ind)
	}
	return c
}

// Params returns the parameters of the Goal, in file order.
func (c *Goal) Params() []*Param {
	out := []*Param{&c.Rate}
	for i := range c.Indicators {
		in := &c.Indicators[i]
		out = append(out, &in.Lower, &in.Upper, &in.Points)
	}
	return out
}

// Need asks for the listed persons (the basis) and the results of its measures.
func (c *Goal) Need(n *Needs) {
	n.Listed(c.Counting)
	for _, in := range c.Indicators {
		n.Measures(in.Measure)
	}
}

// attainment returns the exact attainment 0..1 of value v.
func attainment(v, lower, upper decimal.Decimal, better string) *big.Rat {
	if better == "lower" {
		v, lower, upper = v.Neg(), upper.Neg(), lower.Neg()
	}
	if !upper.GreaterThan(lower) {
		if v.GreaterThanOrEqual(upper) {
			return big.NewRat(1, 1)
		}
		return new(big.Rat)
	}
	a := quo(rat(v.Sub(lower)), rat(upper.Sub(lower)))
	if a.Sign() < 0 {
		return new(big.Rat)
	}
	if a.Cmp(big.NewRat(1, 1)) > 0 {
		return big.NewRat(1, 1)
	}
	return a
}

// Price adds the Goal lines of the month for every statement unit.
func (c *Goal) Price(mc *MonthContext) error {
	rv, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	type indValues struct{ lo, up, pts *Dated }
	vals := make([]indValues, len(c.Indicators))
	priors := make([]*prior, len(c.Indicators))
	for k := range c.Indicators {
		ind := &c.Indicators[k]
		var v indValues
		if v.lo, err = mc.value(&ind.Lower); err != nil {
			return err
		}
		if v.up, err = mc.value(&ind.Upper); err != nil {
			return err
		}
		if v.pts, err = mc.value(&ind.Points); err != nil {
			return err
		}
		vals[k] = v
		if ind.JudgedOn == JudgedOnShrunk && mc.hasMeasures() {
			d, err := measures.Lookup(ind.Measure)
			if err != nil {
				return &RunError{Model: mc.m.Name, Month: mc.ym.String(), Path: ind.Path, Reason: "judged_on: shrunk needs a built-in measure: " + err.Error()}
			}
			priors[k] = mc.estimatePrior(ind, d.Kind, d.Scale)
		}
	}
	for i, u := range mc.units {
		unitID := mc.r.Units[u].ID
		basis, basisText, err := mc.basis(c.Basis, i, c.Counting)
		if err != nil {
			return err
		}
		// Each indicator's result over its window, and whether it is
		// available (a missing or suppressed result is available but
		// absent; a measure whose input was not given is not available).
		res := make([]*resultView, len(c.Indicators))
		unavailable := make([]bool, len(c.Indicators))
		allPts, availPts := new(big.Rat), new(big.Rat)
		for k := range c.Indicators {
			ind := &c.Indicators[k]
			if r, ok := mc.goalResult(ind, unitID); ok {
				switch {
				case r.NotAvailable:
					unavailable[k] = true
					mc.note(fmt.Sprintf("measure %s is not available (the region was not given an input it reads%s), so goal pay on it does what the model says (unavailable: %s)",
						ind.Measure, notGivenOf(mc.r, ind.Measure), c.Unavailable))
				case !r.Suppressed:
					res[k] = &resultView{r.Value, r.Numerator, r.Denominator, r.CILow, r.CIHigh, r.Method, r.Withheld, r.DesignEffect}
				}
			}
			allPts.Add(allPts, rat(vals[k].pts.Value))
			if !unavailable[k] {
				availPts.Add(availPts, rat(vals[k].pts.Value))
			}
		}
		// reweight: the available indicators' points × all ÷ available.
		scale := big.NewRat(1, 1)
		if c.Unavailable == UnavailableReweight && availPts.Cmp(allPts) != 0 {
			scale = new(big.Rat)
			if availPts.Sign() > 0 {
				scale = quo(allPts, availPts)
			}
		}
		for k := range c.Indicators {
			ind := &c.Indicators[k]
			lo, up, pts := vals[k].lo, vals[k].up, vals[k].pts
			key := fmt.Sprintf("%03d", k)
			name := c.Name + ": " + ind.Measure
			over := mc.measuredText(ind)
			points := mul(rat(pts.Value), scale)
			pointsText := pts.Value.String()
			if scale.Cmp(big.NewRat(1, 1)) != 0 {
				pointsText = fmt.Sprintf("%s points re-weighted × %s (all points %s ÷ available points %s, an unavailable measure left out) = %s",
					pts.Value, ratDecimal(scale, 6), ratDecimal(allPts, 6), ratDecimal(availPts, 6), ratDecimal(points, 6))
			}
			if unavailable[k] {
				if c.Unavailable == UnavailableFull && c.Style == "deduction" {
					l := productLine(name, key, basis, rv, basisText, "", mul(big.NewRat(-1, 1), rat(pts.Value)))
					cite(&l, rv)
					l.rateText = "SEK per basis unit"
					l.rule = fmt.Sprintf("measure %s is not available (an input it reads was not given%s); the model deducts in full for an unavailable measure (unavailable: full): %s points × %s SEK per point (%s)",
						ind.Measure, prefixed("; ", over), pts.Value, rv.Value, pts.Path)
					mc.add(i, withWindow(l, ind, mc))
					continue
				}
				l := Line{Name: name, Key: key, exact: new(big.Rat), exactQty: basis}
				cite(&l, pts)
				what := "so the " + c.Style + " is not applied (unavailable: " + c.Unavailable + ")"
				if c.Unavailable == UnavailableReweight {
					what = "so it is left out and the other indicators' points are re-weighted (unavailable: reweight)"
				} else if c.Unavailable == UnavailableFull {
					what = "so the bonus is not paid (unavailable: full)"
				}
				l.rule = fmt.Sprintf("measure %s is not available (an input it reads was not given%s), %s", ind.Measure, prefixed("; ", over), what)
				mc.add(i, withWindow(l, ind, mc))
				continue
			}
			if res[k] == nil && c.Missing == "full" && c.Style == "deduction" {
				l := productLine(name, key, basis, rv, basisText, "", mul(big.NewRat(-1, 1), points))
				cite(&l, rv)
				l.rateText = "SEK per basis unit"
				l.rule = fmt.Sprintf("no reportable result for measure %s at this unit (missing or suppressed%s); the model deducts in full when a result is missing (missing: full): %s points × %s SEK per point (%s)",
					ind.Measure, prefixed("; ", over), pointsText, rv.Value, pts.Path)
				mc.add(i, withWindow(l, ind, mc))
				continue
			}
			if res[k] == nil {
				l := Line{Name: name, Key: key, exact: new(big.Rat), exactQty: basis}
				cite(&l, pts)
				l.rule = fmt.Sprintf("no reportable result for measure %s at this unit%s, so the %s is not applied", ind.Measure, prefixed(" ", over), c.Style)
				mc.add(i, withWindow(l, ind, mc))
				continue
			}
			r := res[k]
			var j *Judgement
			switch ind.JudgedOn {
			case JudgedOnBenefitOfDoubt:
				j = judgeBenefit(r, ind.Better)
			case JudgedOnShrunk:
				j = judgeShrunk(r, priors[k])
			}
			judged, judgedText := r.value, ""
			if j != nil {
				judged, judgedText = j.Judged, "; "+j.text(ind.Better)
			}
			a := attainment(judged, lo.Value, up.Value, ind.Better)
			f := a
			sign := big.NewRat(1, 1)
			if c.Style == "deduction" {
				f = new(big.Rat).Sub(big.NewRat(1, 1), a)
				sign = big.NewRat(-1, 1)
			}
			// effective rate per basis unit = ±f × points × rate
			l := productLine(name, key, basis, rv, basisText, "", mul(sign, f, points))
			cite(&l, rv)
			l.rateText = "SEK per basis unit"
			if j != nil {
				j.Withheld = r.withheld
			}
			if r.withheld {
				// The figures stay out of the statement, which is published
				// like the measures; the unit finds them in its own records.
				how := JudgedOnValue
				if j != nil {
					how = j.JudgedOn
				}
				l.rule = fmt.Sprintf("measure %s: result not published (hidden by disclosure control) and judged on %s all the same, since pay is not publication; its figures are withheld here too%s; thresholds %s–%s (%s better), attainment %s; %s %s points × %s SEK per point (%s)",
					ind.Measure, how, prefixed("; ", over), lo.Value, up.Value, ind.Better, ratDecimal(a, 4), c.Style, pointsText, rv.Value, pts.Path)
				l.Judgement = j
				mc.add(i, withWindow(l, ind, mc))
				continue
			}
			l.rule = fmt.Sprintf("measure %s = %s (%s/%s, interval %s–%s %s%s)%s, thresholds %s–%s (%s better), attainment %s; %s %s points × %s SEK per point (%s)",
				ind.Measure, r.value, r.num, r.den, displayBound(r.lo), displayBound(r.hi), r.method, prefixed("; ", over), judgedText, lo.Value, up.Value,
				ind.Better, ratDecimal(a, 4), c.Style, pointsText, rv.Value, pts.Path)
			l.Judgement = j
			mc.add(i, withWindow(l, ind, mc))
		}
	}
	return nil
}

// resultView is what a goal line cites from a measure result.
type resultView struct {
	value, num, den decimal.Decimal
	lo, hi          float64
	method          string
	withheld        bool    // hidden from publication by disclosure control, judged all the same
	deff            float64 // design effect (≤ 1 or unknown: 1)
}

// Clone returns a deep copy of the Goal for Model.With.
func (x *Goal) Clone(cp *ModelCopy) Component {
	y := *x
	y.Basis, y.Rate = cp.Table(x.Basis), x.Rate.Clone()
	y.Indicators = slices.Clone(x.Indicators)
	for i := range y.Indicators {
		in := &y.Indicators[i]
		in.Lower, in.Upper, in.Points = in.Lower.Clone(), in.Upper.Clone(), in.Points.Clone()
	}
	return &y
}
