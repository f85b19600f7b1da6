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
// Results come from RunOptions.Measures, one per measure and unit for the
// whole run (typically computed over the run period), and price every
// month of it; a missing or suppressed result gives a zero line saying so
// (or a full deduction with missing: full). Price hands goal pay the
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
	priors := make([]*prior, len(c.Indicators))
	for k, ind := range c.Indicators {
		if ind.JudgedOn == JudgedOnShrunk && mc.opts.Measures != nil {
			d, err := measures.Lookup(ind.Measure)
			if err != nil {
				return &RunError{Model: mc.m.Name, Month: mc.ym.String(), Path: ind.Path, Reason: "judged_on: shrunk needs a built-in measure: " + err.Error()}
			}
			priors[k] = mc.estimatePrior(ind.Measure, d.Kind, d.Scale)
		}
	}
	for i, u := range mc.units {
		unitID := mc.r.Units[u].ID
		basis, basisText, err := mc.basis(c.Basis, i, c.Counting)
		if err != nil {
			return err
		}
		for k, ind := range c.Indicators {
			lo, err := mc.value(&ind.Lower)
			if err != nil {
				return err
			}
			up, err := mc.value(&ind.Upper)
			if err != nil {
				return err
			}
			pts, err := mc.value(&ind.Points)
			if err != nil {
				return err
			}
			key := fmt.Sprintf("%03d", k)
			name := c.Name + ": " + ind.Measure
			var res *resultView
			if mc.opts.Measures != nil {
				if r, ok := mc.opts.Measures(ind.Measure, unitID); ok && !r.Suppressed {
					res = &resultView{r.Value, r.Numerator, r.Denominator, r.CILow, r.CIHigh, r.Method, r.Withheld, r.DesignEffect}
				}
			}
			if res == nil && c.Missing == "full" && c.Style == "deduction" {
				l := productLine(name, key, basis, rv, basisText, "", mul(big.NewRat(-1, 1), rat(pts.Value)))
				cite(&l, rv)
				l.rateText = "SEK per basis unit"
				l.rule = fmt.Sprintf("no reportable result for measure %s at this unit (missing or suppressed); the model deducts in full when a result is missing (missing: full): %s points × %s SEK per point (%s)",
					ind.Measure, pts.Value, rv.Value, pts.Path)
				mc.add(i, l)
				continue
			}
			if res == nil {
				l := Line{Name: name, Key: key, exact: new(big.Rat), exactQty: basis}
				cite(&l, pts)
				l.rule = fmt.Sprintf("no reportable result for measure %s at this unit, so the %s is not applied", ind.Measure, c.Style)
				mc.add(i, l)
				continue
			}
			var j *Judgement
			switch ind.JudgedOn {
			case JudgedOnBenefitOfDoubt:
				j = judgeBenefit(res, ind.Better)
			case JudgedOnShrunk:
				j = judgeShrunk(res, priors[k])
			}
			judged, judgedText := res.value, ""
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
			l := productLine(name, key, basis, rv, basisText, "", mul(sign, f, rat(pts.Value)))
			cite(&l, rv)
			l.rateText = "SEK per basis unit"
			if j != nil {
				j.Withheld = res.withheld
			}
			if res.withheld {
				// The figures stay out of the statement, which is published
				// like the measures; the unit finds them in its own records.
				how := JudgedOnValue
				if j != nil {
					how = j.JudgedOn
				}
				l.rule = fmt.Sprintf("measure %s: result not published (hidden by disclosure control) and judged on %s all the same, since pay is not publication; its figures are withheld here too; thresholds %s–%s (%s better), attainment %s; %s %s points × %s SEK per point (%s)",
					ind.Measure, how, lo.Value, up.Value, ind.Better, ratDecimal(a, 4), c.Style, pts.Value, rv.Value, pts.Path)
				l.Judgement = j
				mc.add(i, l)
				continue
			}
			l.rule = fmt.Sprintf("measure %s = %s (%s/%s, interval %s–%s %s)%s, thresholds %s–%s (%s better), attainment %s; %s %s points × %s SEK per point (%s)",
				ind.Measure, res.value, res.num, res.den, displayBound(res.lo), displayBound(res.hi), res.method, judgedText, lo.Value, up.Value,
				ind.Better, ratDecimal(a, 4), c.Style, pts.Value, rv.Value, pts.Path)
			l.Judgement = j
			mc.add(i, l)
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
