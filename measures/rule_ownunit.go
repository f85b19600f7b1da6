package measures

import "github.com/vardval/vardval/vardval"

// OwnUnitShare is rule own_unit_share (coverage): the selected contacts
// (population.contacts) in the last LastMonths calendar months of the
// period (the whole period if shorter) of persons listed on the contact
// date, counted when the contact is at the unit the person is listed at.
// Kind proportion. Keys: window last_months (months, relative_to
// period_end); population.contacts required.
type OwnUnitShare struct {
	LastMonths Window
}

// Name returns "own_unit_share".
func (r *OwnUnitShare) Name() string { return RuleOwnUnitShare }

// Kind returns Proportion.
func (r *OwnUnitShare) Kind() Kind { return Proportion }

func (r *OwnUnitShare) check(d *Definition, codes codeSet) []problem {
	return append(checkMonths("windows."+windowLastMonths, r.LastMonths), needContacts(&d.Population)...)
}

func (r *OwnUnitShare) compile(e *engine, s *spec) {
	s.fromDay = lastMonthsFrom(e.period, r.LastMonths.Months)
}

func (r *OwnUnitShare) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.ownUnit(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits])
}

func (r *OwnUnitShare) clone() Rule { c := *r; return &c }

func (w *walker) ownUnitShare(o *obj) Rule {
	ws := w.windows(o, RuleOwnUnitShare, windowLastMonths)
	return &OwnUnitShare{LastMonths: w.requireWindow(o, ws, windowLastMonths, relativeToPeriodEnd)}
}

// lastMonthsFrom returns the first day of the last months calendar months
// of period, or the period's first day when the period is shorter.
func lastMonthsFrom(period vardval.Period, months int) vardval.Date {
	from := period.To.FirstOfLastMonths(months)
	if from.Before(period.From) {
		from = period.From
	}
	return from
}

func (e *engine) ownUnit(pd *personData, s *spec, t []tally) {
	win := vardval.Period{From: s.fromDay, To: e.period.To}
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !win.Contains(c.Date) || !e.contactPasses(s, c) {
			continue
		}
		u := e.listedAt(pd, c.Date)
		if u == vardval.NoUnit || !e.ageOK(pd, s.def, c.Date) {
			continue
		}
		t[u].den++
		if c.Unit == u {
			t[u].num++
		}
	}
}

// reads: FileContacts.
func (r *OwnUnitShare) reads() []string { return []string{vardval.FileContacts} }
