package measures

import (
	"slices"

	"github.com/vardval/vardval/vardval"
)

// CareGuarantee is rule care_guarantee: new-problem contacts at a
// primary-care unit in the period (population.contacts selects them),
// counted when the person had contact the same day as requested
// (WithinDays 0, Licensed false) or, with Licensed, a contact with a
// licensed profession at a unit of the filter's kinds within WithinDays
// days of requested. Kind proportion. Keys: within_days (required),
// licensed_assessment; population.contacts required.
type CareGuarantee struct {
	WithinDays int
	Licensed   bool
}

// Name returns "care_guarantee".
func (r *CareGuarantee) Name() string { return RuleCareGuarantee }

// Kind returns Proportion.
func (r *CareGuarantee) Kind() Kind { return Proportion }

func (r *CareGuarantee) check(d *Definition, codes codeSet) []problem {
	var ps []problem
	if r.WithinDays < 0 {
		ps = append(ps, fail("within_days", "must not be negative"))
	}
	return append(ps, needContacts(&d.Population)...)
}

func (r *CareGuarantee) compile(e *engine, s *spec) {}

func (r *CareGuarantee) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.careGuarantee(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits], r, sc)
}

func (r *CareGuarantee) clone() Rule { c := *r; return &c }

func (w *walker) careGuarantee(o *obj) Rule {
	r := &CareGuarantee{Licensed: o.boolean("licensed_assessment")}
	r.WithinDays, _ = o.integer("within_days", true)
	return r
}

func (e *engine) careGuarantee(pd *personData, s *spec, t []tally, r *CareGuarantee, sc *scratch) {
	sc.units = sc.units[:0]
	defer func() { // each person's contacts at a unit are one cluster
		for _, c := range sc.units {
			t[c.u].cluster(c.y, c.n)
		}
	}()
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !e.period.Contains(c.Date) || !e.contactPasses(s, c) || !e.primary[c.Unit] {
			continue
		}
		if c.Requested.IsZero() || c.Requested.After(c.Date) || !e.ageOK(pd, s.def, c.Date) {
			continue
		}
		t[c.Unit].den++
		deadline := c.Requested.AddDays(r.WithinDays)
		ok := false
		if !r.Licensed {
			ok = !c.Date.After(deadline)
		} else {
			// any licensed contact in primary care from requested to deadline
			j, _ := slices.BinarySearchFunc(pd.contacts, c.Requested, func(x vardval.Contact, d vardval.Date) int {
				return x.Date.Compare(d)
			})
			for ; j < len(pd.contacts) && !pd.contacts[j].Date.After(deadline); j++ {
				x := &pd.contacts[j]
				if x.Unit >= 0 && assessing(x) && (s.kinds == 0 || e.kindBit[x.Unit]&s.kinds != 0) {
					ok = true
					break
				}
			}
		}
		y := int64(0)
		if ok {
			t[c.Unit].num++
			y = 1
		}
		sc.units = addTo(sc.units, c.Unit, y, 1)
	}
}

// counsellorLicensedFrom is the day hälso- och sjukvårdskurator became a
// licensed profession in Sweden (legitimationsyrke from 2019-07-01, prop.
// 2017/18:138).
var counsellorLicensedFrom = vardval.D(2019, 7, 1)

// assessing reports whether contact c is with a profession that makes a
// medical assessment under the care guarantee: a licensed profession
// (vardval.Profession.Licensed: doctor, nurse, psychologist,
// physiotherapist, occupational therapist, dietitian) or, for contacts
// from 2019-07-01, a counsellor (kurator).
func assessing(c *vardval.Contact) bool {
	return c.Profession.Licensed() || c.Profession == vardval.Counsellor && !c.Date.Before(counsellorLicensedFrom)
}

// reads: FileContacts, FileContacts + ":requested".
func (r *CareGuarantee) reads() []string {
	return []string{vardval.FileContacts, vardval.FileContacts + ":requested"}
}
