package payment

import (
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/vardval/vardval/vardval"
)

// VATCompensation adds a percentage of the named earlier components'
// (rounded) amounts for privately owned units, so that public and private
// units compete on equal terms.
type VATCompensation struct {
	ComponentInfo
	Of      []string
	Percent Param
}

func parseVATCompensation(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &VATCompensation{ComponentInfo: info, Percent: o.param("percent", true, percent)}
	ids, nodes, lp := p.stringList(o, "of", true)
	for i, id := range ids {
		p.componentRef(o, "of", index(lp, i), nodes[i], id)
	}
	c.Of = ids
	return c
}

// Params returns the parameters of the VATCompensation, in file order.
func (c *VATCompensation) Params() []*Param { return []*Param{&c.Percent} }

// Need asks for nothing: it reads the earlier components' lines.
func (c *VATCompensation) Need(n *Needs) {}

// Price adds the VATCompensation lines of the month for every statement unit.
func (c *VATCompensation) Price(mc *MonthContext) error {
	v, err := mc.value(&c.Percent)
	if err != nil {
		return err
	}
	for i, u := range mc.units {
		if mc.r.Units[u].Owner != vardval.OwnerPrivate {
			continue
		}
		base := decimal.Zero
		for _, l := range mc.lines[i] {
			if slices.Contains(c.Of, l.Component) {
				base = base.Add(l.Amount)
			}
		}
		if base.IsZero() {
			continue
		}
		l := productLine(c.Name, "vat", rat(base), v, "SEK of "+strings.Join(c.Of, ", "), "("+v.Value.String()+" %)", big.NewRat(1, 100))
		l.rule = "paid to privately owned units only"
		mc.add(i, l)
	}
	return nil
}

// Clone returns a deep copy of the VATCompensation for Model.With.
func (x *VATCompensation) Clone(cp *ModelCopy) Component {
	y := *x
	y.Of, y.Percent = slices.Clone(x.Of), x.Percent.Clone()
	return &y
}
