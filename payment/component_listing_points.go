package payment

// ListingPoints pays listing points (Σ age/sex weights of the listed) × a
// rate per point per month (Västra Götaland's age/sex part).
type ListingPoints struct {
	ComponentInfo
	Counting Counting
	Table    *Table
	Rate     Param
}

func parseListingPoints(d *Decoder) Component {
	p, o := d.p, d.o
	return &ListingPoints{ComponentInfo: d.info, Counting: p.counting(o), Table: p.table(o, "table", true),
		Rate: o.param("rate", true, nonNegative)}
}

// Params returns the parameters of the ListingPoints, in file order.
func (c *ListingPoints) Params() []*Param { return []*Param{&c.Rate} }

// Need asks for the listed persons by sex and age, counted as c.Counting says.
func (c *ListingPoints) Need(n *Needs) { n.Listed(c.Counting) }

// Price adds the ListingPoints lines of the month for every statement unit.
func (c *ListingPoints) Price(mc *MonthContext) error {
	v, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	for i := range mc.units {
		pts, err := mc.points(c.Table, i, c.Counting)
		if err != nil {
			return err
		}
		if pts.Sign() == 0 {
			continue
		}
		l := productLine(c.Name, "points", pts, v, "listing points (weights "+c.Table.ID+")", "SEK per point per month", nil)
		l.detail = c.Counting.describe(mc.ym)
		mc.add(i, l)
	}
	return nil
}

// Clone returns a deep copy of the ListingPoints for Model.With.
func (x *ListingPoints) Clone(cp *ModelCopy) Component {
	y := *x
	y.Table, y.Rate = cp.Table(x.Table), x.Rate.Clone()
	return &y
}
