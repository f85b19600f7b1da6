package payment

import (
	"fmt"
	"math/big"

	"github.com/vardval/vardval/vardval"
)

// CostResponsibility deducts a price per contact that the unit's listed
// persons made at other units, by the other unit's kind (primary,
// emergency, digital, specialist), mode and profession; the first matching
// rule prices a contact.
type CostResponsibility struct {
	ComponentInfo
	Prices []ContactRule
}

func parseCostResponsibility(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &CostResponsibility{ComponentInfo: info}
	items, ip := o.seq("prices", true)
	for i, n := range items {
		fo := p.w.obj(index(ip, i), n)
		c.Prices = append(c.Prices, p.contactRule(fo, true))
		fo.done()
	}
	return c
}

// Params returns the parameters of the CostResponsibility, in file order.
func (c *CostResponsibility) Params() []*Param {
	var out []*Param
	for i := range c.Prices {
		out = append(out, &c.Prices[i].Value)
	}
	return out
}

// Need asks for the contacts the listed persons made at other units.
func (c *CostResponsibility) Need(n *Needs) { n.ContactsElsewhere() }

// Price adds the CostResponsibility lines of the month for every statement unit.
func (c *CostResponsibility) Price(mc *MonthContext) error {
	for i, u := range mc.units {
		a := &mc.agg[u]
		counts := make([]int64, len(c.Prices))
		for kind := 0; kind < nKind; kind++ {
			for mode := 0; mode < nMode; mode++ {
				for prof := 0; prof < nProf; prof++ {
					n := a.cost[kind][mode][prof]
					if n == 0 {
						continue
					}
					for k := range c.Prices {
						if c.Prices[k].matches(relElsewhere, vardval.UnitKind(kind), vardval.Mode(mode), vardval.Profession(prof)) {
							counts[k] += n
							break
						}
					}
				}
			}
		}
		for k, r := range c.Prices {
			if counts[k] == 0 {
				continue
			}
			v, err := mc.value(&r.Value)
			if err != nil {
				return err
			}
			l := productLine(c.Name+" ("+r.Label+")", fmt.Sprintf("%03d", k), ratInt(counts[k]), v,
				"contacts by listed persons at other units ("+r.Label+")", "SEK per contact", big.NewRat(-1, 1))
			l.Rate = v.Value.Neg()
			mc.add(i, l)
		}
	}
	return nil
}

// Clone returns a deep copy of the CostResponsibility for Model.With.
func (x *CostResponsibility) Clone(cp *ModelCopy) Component {
	y := *x
	y.Prices = cloneRules(x.Prices)
	return &y
}
