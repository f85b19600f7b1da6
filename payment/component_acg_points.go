package payment

import (
	"fmt"
	"math/big"
)

// ACGPoints pays listing points × the unit's relative ACG case-mix (its
// listed persons' mean ACG weight over the region's mean, so the region's
// mean is 1.00) × a rate per point per month (Västra Götaland's vårdtyngd).
type ACGPoints struct {
	ComponentInfo
	Counting Counting
	Table    *Table
	Rate     Param
}

func parseACGPoints(d *Decoder) Component {
	p, o := d.p, d.o
	if p.m.ACG == nil {
		p.w.fail(d.info.Path, o.node, "acg_points needs the model's acg section")
	}
	return &ACGPoints{ComponentInfo: d.info, Counting: p.counting(o), Table: p.table(o, "table", true),
		Rate: o.param("rate", true, nonNegative)}
}

// Params returns the parameters of the ACGPoints, in file order.
func (c *ACGPoints) Params() []*Param { return []*Param{&c.Rate} }

// Need asks for the listed persons with their ACG weights, counted as c.Counting says.
func (c *ACGPoints) Need(n *Needs) { n.Listed(c.Counting) }

// Price adds the ACGPoints lines of the month for every statement unit.
func (c *ACGPoints) Price(mc *MonthContext) error {
	v, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	var acgR, nR int64
	for i := range mc.units {
		s := mc.snap(i, c.Counting)
		acgR += s.acg
		nR += s.n
	}
	if acgR == 0 || nR == 0 {
		return nil
	}
	regionMean := big.NewRat(acgR, nR*1_000_000)
	for i := range mc.units {
		s := mc.snap(i, c.Counting)
		if s.n == 0 {
			continue
		}
		pts, err := mc.points(c.Table, i, c.Counting)
		if err != nil {
			return err
		}
		cmi := quo(big.NewRat(s.acg, s.n*1_000_000), regionMean)
		l := productLine(c.Name, "acg", mul(pts, cmi), v, "ACG points", "SEK per point per month", nil)
		l.rule = fmt.Sprintf("ACG points = %s listing points (%s) × case-mix %s (unit mean ACG weight %s ÷ region mean %s)",
			ratDecimal(pts, 6), c.Table.ID, ratDecimal(cmi, 4), ratDecimal(big.NewRat(s.acg, s.n*1_000_000), 4), ratDecimal(regionMean, 4))
		mc.add(i, l)
	}
	return nil
}

// Clone returns a deep copy of the ACGPoints for Model.With.
func (x *ACGPoints) Clone(cp *ModelCopy) Component {
	y := *x
	y.Table, y.Rate = cp.Table(x.Table), x.Rate.Clone()
	return &y
}
