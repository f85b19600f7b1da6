package payment

import (
	"fmt"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// VisitFee pays a fee per contact at the unit, by mode × profession ×
// listing relation (here, elsewhere, unlisted). The first matching rule
// prices a contact; contacts no rule matches are not paid.
type VisitFee struct {
	ComponentInfo
	Fees []ContactRule
}

// ContactRule matches contacts: Relation (or Kind for cost
// responsibility), Mode and Profession; -1 / 0 mean any.
type ContactRule struct {
	Relation   int                // relHere.., -1 any
	Kind       vardval.UnitKind   // for cost responsibility; 0 = any
	Mode       vardval.Mode       // 0 = any
	Profession vardval.Profession // 0 = any
	Label      string
	Value      Param
}

func (p *parser) relation(o *obj, key, s string) int {
	for i, n := range relNames() {
		if n == s {
			return i
		}
	}
	o.oneOf(key, s, "here", "elsewhere", "unlisted", "any")
	return -1
}

func (p *parser) contactRule(o *obj, kindKey bool) ContactRule {
	r := ContactRule{Relation: -1}
	var parts []string
	if kindKey {
		k := o.str("kind", true)
		if k != "any" && k != "" {
			if o.oneOf("kind", k, "primary", "emergency", "specialist", "digital", "any") {
				for i := vardval.KindPrimary; i <= vardval.KindDigital; i++ {
					if i.String() == k {
						r.Kind = i
					}
				}
			}
		}
		parts = append(parts, k)
	} else {
		s := o.str("relation", true)
		if s != "any" && s != "" {
			r.Relation = p.relation(o, "relation", s)
		}
		parts = append(parts, s)
	}
	m := o.str("mode", false)
	if m != "" && m != "any" {
		if o.oneOf("mode", m, "visit", "home", "phone", "video", "chat", "any") {
			for i := vardval.ModeVisit; i <= vardval.ModeChat; i++ {
				if i.String() == m {
					r.Mode = i
				}
			}
		}
		parts = append(parts, m)
	}
	pr := o.str("profession", false)
	if pr != "" && pr != "any" {
		ok := false
		for i := vardval.Doctor; i <= vardval.OtherProfession; i++ {
			if i.String() == pr {
				r.Profession, ok = i, true
			}
		}
		if !ok {
			o.w.fail(join(o.path, "profession"), o.get("profession"), "unknown profession %q", pr)
		}
		parts = append(parts, pr)
	}
	r.Label = strings.Join(parts, " ")
	r.Value = o.param("values", true, nonNegative)
	return r
}

func (r *ContactRule) matches(rel int, kind vardval.UnitKind, mode vardval.Mode, prof vardval.Profession) bool {
	return (r.Relation < 0 || r.Relation == rel) && (r.Kind == 0 || r.Kind == kind) &&
		(r.Mode == 0 || r.Mode == mode) && (r.Profession == 0 || r.Profession == prof)
}

func parseVisitFee(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &VisitFee{ComponentInfo: info}
	items, fp := o.seq("fees", true)
	for i, n := range items {
		fo := p.w.obj(index(fp, i), n)
		c.Fees = append(c.Fees, p.contactRule(fo, false))
		fo.done()
	}
	return c
}

// Params returns the parameters of the VisitFee, in file order.
func (c *VisitFee) Params() []*Param {
	var out []*Param
	for i := range c.Fees {
		out = append(out, &c.Fees[i].Value)
	}
	return out
}

// Need asks for the contacts at the unit by relation, mode and profession.
func (c *VisitFee) Need(n *Needs) { n.Contacts() }

// Price adds the VisitFee lines of the month for every statement unit.
func (c *VisitFee) Price(mc *MonthContext) error {
	for i, u := range mc.units {
		a := &mc.agg[u]
		counts := make([]int64, len(c.Fees))
		for rel := 0; rel < nRel; rel++ {
			for mode := 0; mode < nMode; mode++ {
				for prof := 0; prof < nProf; prof++ {
					n := a.contacts[rel][mode][prof]
					if n == 0 {
						continue
					}
					for k := range c.Fees {
						if c.Fees[k].matches(rel, 0, vardval.Mode(mode), vardval.Profession(prof)) {
							counts[k] += n
							break
						}
					}
				}
			}
		}
		for k, r := range c.Fees {
			if counts[k] == 0 {
				continue
			}
			v, err := mc.value(&r.Value)
			if err != nil {
				return err
			}
			mc.add(i, productLine(c.Name+" ("+r.Label+")", fmt.Sprintf("%03d", k), ratInt(counts[k]), v,
				"contacts ("+r.Label+")", "SEK per contact", nil))
		}
	}
	return nil
}

// Clone returns a deep copy of the VisitFee for Model.With.
func (x *VisitFee) Clone(cp *ModelCopy) Component {
	y := *x
	y.Fees = cloneRules(x.Fees)
	return &y
}
