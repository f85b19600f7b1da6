package measures

import (
	"github.com/vardval/vardval/vardval"
)

// EmployedContacts is rule employed_contacts: of the contacts passing
// population.contacts (e.g. doctor contacts at primary-care units) dated
// in the period, attributed to the unit of the contact, the share made by
// a clinician whom clinicians.csv names as employed (employment employed)
// at that unit on the contact's date. A contact without a clinician, or
// whose clinician has no row at that unit covering the date, counts in the
// denominator and not in the numerator: unknown employment is not taken
// for employed. Kind proportion; listed_on none; no keys of its own.
type EmployedContacts struct{}

// Name returns "employed_contacts".
func (r *EmployedContacts) Name() string { return RuleEmployedContacts }

// Kind returns Proportion.
func (r *EmployedContacts) Kind() Kind { return Proportion }

func (r *EmployedContacts) check(d *Definition, codes codeSet) []problem {
	return append(needListedOn(&d.Population, listedOnNone), needContacts(&d.Population)...)
}

// staffKey is a clinician (index into Region.Clinicians) at a unit.
type staffKey struct {
	clin int32
	unit vardval.UnitIndex
}

func (r *EmployedContacts) compile(e *engine, s *spec) {
	idx := make(map[string]int32, len(e.r.Clinicians))
	for i, c := range e.r.Clinicians {
		idx[c] = int32(i)
	}
	employed := map[staffKey][]vardval.Period{}
	for _, st := range e.fu.Staff {
		c, ok := idx[st.Clinician]
		if !ok || st.Employment != vardval.Employed {
			continue
		}
		k := staffKey{c, st.Unit}
		employed[k] = append(employed[k], st.Period)
	}
	s.ext = employed
}

func (r *EmployedContacts) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	employed := s.ext.(map[staffKey][]vardval.Period)
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !e.period.Contains(c.Date) || !e.contactPasses(s, c) {
			continue
		}
		t := &a.t[si*e.nUnits+int(c.Unit)]
		t.den++
		if c.Clinician < 0 {
			continue
		}
		for _, p := range employed[staffKey{c.Clinician, c.Unit}] {
			if p.Contains(c.Date) {
				t.num++
				break
			}
		}
	}
}

func (r *EmployedContacts) clone() Rule { return &EmployedContacts{} }

// reads: FileContacts, FileContacts + ":clinician", FileClinicians.
func (r *EmployedContacts) reads() []string {
	return []string{vardval.FileContacts, vardval.FileContacts + ":clinician", vardval.FileClinicians}
}
