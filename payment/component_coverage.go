package payment

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/vardval/vardval/vardval"
)

// Coverage (täckningsgrad) pays for the share of the listed persons'
// contacts over the last months that were made at their own unit: a rate
// per percentage point above the lower threshold, up to the upper, per
// basis unit per month. Contacts count in the denominator when their unit's
// kind is in Kinds (primary care by default).
type Coverage struct {
	ComponentInfo
	Basis    *Table
	Counting Counting
	Kinds    []vardval.UnitKind
	Window   Param
	Lower    Param // per cent
	Upper    Param // per cent
	Rate     Param // SEK per percentage point per basis unit per month
}

func parseCoverage(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &Coverage{ComponentInfo: info, Counting: p.counting(o)}
	if c.Counting.DayWeighted {
		p.w.fail(join(info.Path, "counting"), o.get("counting"), "coverage counts persons on a cut-off day")
	}
	c.Basis = p.basis(o)
	kinds, _, kp := p.stringList(o, "kinds", false)
	if len(kinds) == 0 {
		kinds = []string{"primary"}
	}
	for _, k := range kinds {
		found := false
		for i := vardval.KindPrimary; i <= vardval.KindDigital; i++ {
			if i.String() == k {
				c.Kinds = append(c.Kinds, i)
				found = true
			}
		}
		if !found {
			p.w.fail(kp, o.get("kinds"), "unknown unit kind %q", k)
		}
	}
	c.Window = o.param("window_months", true, wholeMonths)
	c.Lower = o.param("lower", true, percent)
	c.Upper = o.param("upper", true, percent)
	c.Rate = o.param("rate", true, nonNegative)
	return c
}

// Params returns the parameters of the Coverage, in file order.
func (c *Coverage) Params() []*Param { return []*Param{&c.Window, &c.Lower, &c.Upper, &c.Rate} }

func (c *Coverage) mask() uint8 {
	var m uint8
	for _, k := range c.Kinds {
		m |= 1 << k
	}
	return m
}

// Need asks for the listed persons and their contacts over the window.
func (c *Coverage) Need(n *Needs) {
	n.Listed(c.Counting)
	n.reg.readsContacts = true
	if v, ok := c.Window.At(n.ym.First()); ok {
		n.reg.coverageIndex(n.month, c.Counting, int(v.Value.IntPart()), c.mask())
	}
}

// Price adds the Coverage lines of the month for every statement unit.
func (c *Coverage) Price(mc *MonthContext) error {
	win, err := mc.value(&c.Window)
	if err != nil {
		return err
	}
	lo, err := mc.value(&c.Lower)
	if err != nil {
		return err
	}
	up, err := mc.value(&c.Upper)
	if err != nil {
		return err
	}
	rv, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	ki := mc.reg.coverageIndex(mc.month, c.Counting, int(win.Value.IntPart()), c.mask())
	for i, u := range mc.units {
		cv := mc.agg[u].cov[ki]
		basis, basisText, err := mc.basis(c.Basis, i, c.Counting)
		if err != nil {
			return err
		}
		if basis.Sign() == 0 {
			continue
		}
		pp := new(big.Rat)
		var pct *big.Rat
		if cv[1] > 0 {
			pct = big.NewRat(cv[0]*100, cv[1])
			pp = new(big.Rat).Sub(pct, rat(lo.Value))
			if pp.Sign() < 0 {
				pp = new(big.Rat)
			}
			if max := rat(decimal.Max(up.Value.Sub(lo.Value), decimal.Zero)); pp.Cmp(max) > 0 {
				pp = max
			}
		}
		l := productLine(c.Name, "coverage", basis, rv, basisText, "", pp)
		l.rateText = "SEK per basis unit"
		pctText := "no contacts"
		if pct != nil {
			pctText = ratDecimal(pct, 2).String() + " %"
		}
		l.rule = fmt.Sprintf("coverage %s (%d of %d contacts in the last %s months at the own unit), %s percentage points above %s %% (capped at %s %%) × %s SEK per point (%s)",
			pctText, cv[0], cv[1], win.Value, ratDecimal(pp, 4), lo.Value, up.Value, rv.Value, rv.Path)
		mc.add(i, l)
	}
	return nil
}

// Clone returns a deep copy of the Coverage for Model.With.
func (x *Coverage) Clone(cp *ModelCopy) Component {
	y := *x
	y.Basis = cp.Table(x.Basis)
	y.Kinds = slices.Clone(x.Kinds)
	y.Window, y.Lower, y.Upper, y.Rate = x.Window.Clone(), x.Lower.Clone(), x.Upper.Clone(), x.Rate.Clone()
	return &y
}
