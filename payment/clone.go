package payment

import "slices"

// clone returns a deep copy of m: every slice, table, spec, component and
// parameter is new, so that changing the copy never changes m. Decimal
// values are immutable and shared. Each component copies itself (Clone),
// mapping its tables through the ModelCopy, which keeps the sharing of
// tables within the model.
func (m *Model) clone() *Model {
	c := *m
	cp := &ModelCopy{from: m, to: &c, tables: map[*Table]*Table{}}
	c.Tables = nil
	for _, t := range m.Tables {
		c.Tables = append(c.Tables, cp.Table(t))
	}
	if m.ACG != nil {
		a := *m.ACG
		a.Window, a.Missing = a.Window.Clone(), a.Missing.Clone()
		a.Categories = slices.Clone(a.Categories)
		for i := range a.Categories {
			a.Categories[i].Weight = a.Categories[i].Weight.Clone()
		}
		c.ACG = &a
	}
	if m.CNI != nil {
		x := *m.CNI
		x.Missing = x.Missing.Clone()
		x.Weights = slices.Clone(x.Weights)
		for i := range x.Weights {
			x.Weights[i] = x.Weights[i].Clone()
		}
		x.Reference = x.Reference.Clone()
		c.CNI = &x
	}
	if m.Active != nil {
		x := *m.Active
		x.Window = x.Window.Clone()
		c.Active = &x
	}
	c.Components = make([]Component, len(m.Components))
	for i, comp := range m.Components {
		if comp != nil {
			c.Components[i] = comp.Clone(cp)
		}
	}
	return &c
}

// Clone returns p with its own slice of values, for a component's Clone.
func (p Param) Clone() Param {
	p.Values = slices.Clone(p.Values)
	return p
}

func cloneBands(bs Bands) Bands {
	bs = slices.Clone(bs)
	for i := range bs {
		bs[i].Value = bs[i].Value.Clone()
	}
	return bs
}

func cloneRules(rs []ContactRule) []ContactRule {
	rs = slices.Clone(rs)
	for i := range rs {
		rs[i].Value = rs[i].Value.Clone()
	}
	return rs
}
