package payment

import (
	"fmt"
	"math/big"
	"slices"
)

// Supplement pays fixed sums per month to named units (special
// assignments, rural units and the like); unit "all" pays every unit. A
// unit is paid only for the months it is open (MonthContext.Open).
type Supplement struct {
	ComponentInfo
	Items []SupplementItem
}

// SupplementItem is one fixed monthly sum.
type SupplementItem struct {
	Unit  string // unit id, or "all"
	Name  string
	Value Param // SEK per month
}

func parseSupplement(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &Supplement{ComponentInfo: info}
	items, ip := o.seq("items", true)
	for i, n := range items {
		so := p.w.obj(index(ip, i), n)
		c.Items = append(c.Items, SupplementItem{Unit: so.str("unit", true), Name: so.str("name", true), Value: so.param("values", true, anyValue)})
		so.done()
	}
	return c
}

// Params returns the parameters of the Supplement, in file order.
func (c *Supplement) Params() []*Param {
	var out []*Param
	for i := range c.Items {
		out = append(out, &c.Items[i].Value)
	}
	return out
}

// Need asks for nothing: a supplement is a fixed sum.
func (c *Supplement) Need(n *Needs) {}

// Price adds the Supplement lines of the month for every statement unit.
func (c *Supplement) Price(mc *MonthContext) error {
	for k, it := range c.Items {
		v, err := mc.value(&it.Value)
		if err != nil {
			return err
		}
		found := false
		for i, u := range mc.units {
			if it.Unit != "all" && mc.r.Units[u].ID != it.Unit {
				continue
			}
			found = true
			if !mc.Open(i) {
				mc.note(fmt.Sprintf("%s: supplement %q is not paid to unit %s in the months it is not open (units.csv from/to)", it.Value.Path, it.Name, mc.r.Units[u].ID))
				continue
			}
			l := productLine(c.Name+": "+it.Name, fmt.Sprintf("%03d", k), big.NewRat(1, 1), v, "month", "SEK per month", nil)
			mc.add(i, l)
		}
		if !found {
			mc.note(fmt.Sprintf("%s: supplement %q is for unit %q, which is not a primary-care unit in the data", it.Value.Path, it.Name, it.Unit))
		}
	}
	return nil
}

// Clone returns a deep copy of the Supplement for Model.With.
func (x *Supplement) Clone(cp *ModelCopy) Component {
	y := *x
	y.Items = slices.Clone(x.Items)
	for i := range y.Items {
		y.Items[i].Value = y.Items[i].Value.Clone()
	}
	return &y
}
