package measures

import (
	"slices"

	"github.com/vardval/vardval/vardval"
)

// Polypharmacy is rule polypharmacy: persons listed on the period's last
// day (within the population's age limits), counted when they were
// dispensed at least MinDrugs different ATC codes in the last LastMonths
// calendar months of the period (the whole period if shorter). Kind
// proportion. Keys: min_drugs (required, positive), window last_months
// (months, relative_to period_end).
type Polypharmacy struct {
	MinDrugs   int
	LastMonths Window
}

// Name returns "polypharmacy".
func (r *Polypharmacy) Name() string { return RulePolypharmacy }

// Kind returns Proportion.
func (r *Polypharmacy) Kind() Kind { return Proportion }

func (r *Polypharmacy) check(d *Definition, codes codeSet) []problem {
	var ps []problem
	if r.MinDrugs <= 0 {
		ps = append(ps, fail("min_drugs", "must be positive"))
	}
	return append(ps, checkMonths("windows."+windowLastMonths, r.LastMonths)...)
}

func (r *Polypharmacy) compile(e *engine, s *spec) {
	s.fromDay = lastMonthsFrom(e.period, r.LastMonths.Months)
}

func (r *Polypharmacy) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.polypharmacy(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits], sc, r.MinDrugs)
}

func (r *Polypharmacy) clone() Rule { c := *r; return &c }

func (w *walker) polypharmacy(o *obj) Rule {
	r := &Polypharmacy{}
	r.MinDrugs, _ = o.integer("min_drugs", true)
	ws := w.windows(o, RulePolypharmacy, windowLastMonths)
	r.LastMonths = w.requireWindow(o, ws, windowLastMonths, relativeToPeriodEnd)
	return r
}

func (e *engine) polypharmacy(pd *personData, s *spec, t []tally, sc *scratch, minDrugs int) {
	u := e.listedEnd(pd, s)
	if u == vardval.NoUnit {
		return
	}
	t[u].den++
	sc.codes = sc.codes[:0]
	for i := range pd.rxs {
		x := &pd.rxs[i]
		if !x.Date.Before(s.fromDay) && !x.Date.After(e.period.To) {
			sc.codes = append(sc.codes, x.ATC)
		}
	}
	if len(sc.codes) < minDrugs {
		return
	}
	slices.Sort(sc.codes)
	if len(slices.Compact(sc.codes)) >= minDrugs {
		t[u].num++
	}
}

// reads: FilePrescriptions.
func (r *Polypharmacy) reads() []string { return []string{vardval.FilePrescriptions} }
