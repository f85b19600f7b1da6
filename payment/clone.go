package payment

import "slices"

// cloner deep-copies a model, keeping the sharing of tables within it: a
// table a component refers to is the copy's table of the same pointer.
type cloner struct {
	tables map[*Table]*Table
}

// clone returns a deep copy of m: every slice, table, spec, component and
// parameter is new, so that changing the copy never changes m. Decimal
// values are immutable and shared.
func (m *Model) clone() *Model {
	cl := &cloner{tables: map[*Table]*Table{}}
	c := *m
	c.Tables = nil
	for _, t := range m.Tables {
		c.Tables = append(c.Tables, cl.table(t))
	}
	if m.ACG != nil {
		a := *m.ACG
		a.Window, a.Missing = a.Window.clone(), a.Missing.clone()
		a.Categories = slices.Clone(a.Categories)
		for i := range a.Categories {
			a.Categories[i].Weight = a.Categories[i].Weight.clone()
		}
		c.ACG = &a
	}
	if m.CNI != nil {
		x := *m.CNI
		x.Missing = x.Missing.clone()
		c.CNI = &x
	}
	if m.Active != nil {
		x := *m.Active
		x.Window = x.Window.clone()
		c.Active = &x
	}
	c.Components = make([]Component, len(m.Components))
	for i, comp := range m.Components {
		c.Components[i] = cl.component(comp, m, &c)
	}
	return &c
}

func (cl *cloner) table(t *Table) *Table {
	if t == nil {
		return nil
	}
	if c, ok := cl.tables[t]; ok {
		return c
	}
	c := *t
	c.Bands = cloneBands(t.Bands)
	cl.tables[t] = &c
	return &c
}

// clone returns p with its own slice of values.
func (p Param) clone() Param {
	p.Values = slices.Clone(p.Values)
	return p
}

func cloneBands(bs Bands) Bands {
	bs = slices.Clone(bs)
	for i := range bs {
		bs[i].Value = bs[i].Value.clone()
	}
	return bs
}

func cloneRules(rs []ContactRule) []ContactRule {
	rs = slices.Clone(rs)
	for i := range rs {
		rs[i].Value = rs[i].Value.clone()
	}
	return rs
}

// component copies comp of m for the copy c (whose specs a pool's active
// index then refers to).
func (cl *cloner) component(comp Component, m, c *Model) Component {
	switch x := comp.(type) {
	case *Capitation:
		y := *x
		y.Rates = cloneBands(x.Rates)
		return &y
	case *ListingPoints:
		y := *x
		y.Table, y.Rate = cl.table(x.Table), x.Rate.clone()
		return &y
	case *ACGPoints:
		y := *x
		y.Table, y.Rate = cl.table(x.Table), x.Rate.clone()
		return &y
	case *PoolSplit:
		y := *x
		y.PerListedYear, y.PerMonth = x.PerListedYear.clone(), x.PerMonth.clone()
		y.Shares = slices.Clone(x.Shares)
		for i := range y.Shares {
			y.Shares[i].Table = cl.table(y.Shares[i].Table)
			y.Shares[i].Share = y.Shares[i].Share.clone()
		}
		if x.active != nil {
			if x.active == m.Active {
				y.active = c.Active
			} else {
				a := *x.active
				a.Window = a.Window.clone()
				y.active = &a
			}
		}
		return &y
	case *VisitFee:
		y := *x
		y.Fees = cloneRules(x.Fees)
		return &y
	case *Goal:
		y := *x
		y.Basis, y.Rate = cl.table(x.Basis), x.Rate.clone()
		y.Indicators = slices.Clone(x.Indicators)
		for i := range y.Indicators {
			in := &y.Indicators[i]
			in.Lower, in.Upper, in.Points = in.Lower.clone(), in.Upper.clone(), in.Points.clone()
		}
		return &y
	case *Coverage:
		y := *x
		y.Basis = cl.table(x.Basis)
		y.Kinds = slices.Clone(x.Kinds)
		y.Window, y.Lower, y.Upper, y.Rate = x.Window.clone(), x.Lower.clone(), x.Upper.clone(), x.Rate.clone()
		return &y
	case *Supplement:
		y := *x
		y.Items = slices.Clone(x.Items)
		for i := range y.Items {
			y.Items[i].Value = y.Items[i].Value.clone()
		}
		return &y
	case *VATCompensation:
		y := *x
		y.Of, y.Percent = slices.Clone(x.Of), x.Percent.clone()
		return &y
	case *CostResponsibility:
		y := *x
		y.Prices = cloneRules(x.Prices)
		return &y
	case *PatientFees:
		y := *x
		y.Share = x.Share.clone()
		return &y
	case *Limit:
		y := *x
		y.Min, y.Max = x.Min.clone(), x.Max.clone()
		return &y
	}
	// The component interface is sealed: every type is handled above
	// (a nil component stays nil).
	return comp
}
