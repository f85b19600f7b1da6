package payment

import "math/big"

// PatientFees deducts a share of the patient fees collected at the unit
// (where the region nets the fees against its payment).
type PatientFees struct {
	ComponentInfo
	Relation int // -1 any, else only contacts with that relation
	Share    Param
}

func parsePatientFees(d *Decoder) Component {
	p, o := d.p, d.o
	pf := &PatientFees{ComponentInfo: d.info, Relation: -1, Share: o.param("share", true, fraction)}
	if s := o.str("relation", false); s != "" && s != "any" {
		pf.Relation = p.relation(o, "relation", s)
	}
	return pf
}

// Params returns the parameters of the PatientFees, in file order.
func (c *PatientFees) Params() []*Param { return []*Param{&c.Share} }

// Need asks for the patient fees collected at the unit.
func (c *PatientFees) Need(n *Needs) { n.PatientFees() }

// Price adds the PatientFees lines of the month for every statement unit.
func (c *PatientFees) Price(mc *MonthContext) error {
	v, err := mc.value(&c.Share)
	if err != nil {
		return err
	}
	for i, u := range mc.units {
		var ore int64
		for rel := 0; rel < nRel; rel++ {
			if c.Relation < 0 || c.Relation == rel {
				ore += mc.agg[u].fees[rel]
			}
		}
		if ore == 0 {
			continue
		}
		l := productLine(c.Name, "fees", big.NewRat(ore, 100), v, "SEK patient fees collected", "share", big.NewRat(-1, 1))
		l.Rate = v.Value.Neg()
		mc.add(i, l)
	}
	return nil
}

// Clone returns a deep copy of the PatientFees for Model.With.
func (x *PatientFees) Clone(cp *ModelCopy) Component {
	y := *x
	y.Share = x.Share.Clone()
	return &y
}
