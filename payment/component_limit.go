package payment

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// Limit caps and/or floors the unit-month total (Target "total", all lines
// so far) or one earlier component, in SEK per unit-month or per listed
// person; it adds the adjusting line.
type Limit struct {
	ComponentInfo
	Target   string // "total" or a component id
	Per      string // "unit" or "listed"
	Counting Counting
	Min      Param
	Max      Param
}

func parseLimit(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &Limit{ComponentInfo: info, Target: o.str("target", true), Per: o.str("per", true), Counting: p.counting(o)}
	if c.Target != "" && c.Target != "total" {
		p.componentRef(o, "target", join(info.Path, "target"), o.get("target"), c.Target)
	}
	if c.Per != "" {
		o.oneOf("per", c.Per, "unit", "listed")
	}
	c.Min = o.param("min", false, anyValue)
	c.Max = o.param("max", false, anyValue)
	if c.Min.IsZero() && c.Max.IsZero() {
		p.w.fail(info.Path, o.node, "a limit needs min, max or both")
	}
	return c
}

// Params returns the parameters of the Limit, in file order.
func (c *Limit) Params() []*Param {
	var out []*Param
	if !c.Min.IsZero() {
		out = append(out, &c.Min)
	}
	if !c.Max.IsZero() {
		out = append(out, &c.Max)
	}
	return out
}

// Need asks for the listed persons when the limit is per listed person.
func (c *Limit) Need(n *Needs) {
	if c.Per == "listed" {
		n.Listed(c.Counting)
	}
}

// Price adds the Limit lines of the month for every statement unit.
func (c *Limit) Price(mc *MonthContext) error {
	for i := range mc.units {
		sum := decimal.Zero
		for _, l := range mc.lines[i] {
			if c.Target == "total" || l.Component == c.Target {
				sum = sum.Add(l.Amount)
			}
		}
		scale := big.NewRat(1, 1)
		scaleText := "per unit and month"
		if c.Per == "unit" && !mc.Open(i) {
			continue // a per-unit bound applies only in months the unit is open
		}
		if c.Per == "listed" {
			s := mc.snap(i, c.Counting)
			scale = big.NewRat(s.n, mc.den(c.Counting))
			scaleText = fmt.Sprintf("per listed person × %s listed", ratDecimal(scale, 6))
		}
		for _, b := range []struct {
			p   *Param
			min bool
		}{{&c.Min, true}, {&c.Max, false}} {
			if b.p.IsZero() {
				continue
			}
			v, err := mc.value(b.p)
			if err != nil {
				return err
			}
			bound := mul(rat(v.Value), scale)
			diff := new(big.Rat).Sub(bound, rat(sum))
			if (b.min && diff.Sign() <= 0) || (!b.min && diff.Sign() >= 0) {
				continue
			}
			what := "cap"
			if b.min {
				what = "floor"
			}
			l := Line{Name: c.Name + " (" + what + ")", Key: what, exact: diff, exactQty: big.NewRat(1, 1), Rate: ratDecimal(diff, 6)}
			cite(&l, v)
			l.rule = fmt.Sprintf("%s of %s SEK %s on %s brings %s SEK to %s SEK", what, v.Value, scaleText, c.Target,
				mc.m.Rounding.Format(sum), mc.m.Rounding.Format(ratDecimal(bound, 6)))
			mc.add(i, l)
			sum = sum.Add(mc.m.Rounding.Round(diff))
		}
	}
	return nil
}

// Clone returns a deep copy of the Limit for Model.With.
func (x *Limit) Clone(cp *ModelCopy) Component {
	y := *x
	y.Min, y.Max = x.Min.Clone(), x.Max.Clone()
	return &y
}
