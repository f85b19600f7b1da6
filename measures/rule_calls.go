package measures

import "github.com/vardval/vardval/vardval"

// CallsSameDay is rule calls_same_day: of the telephone calls to a
// primary-care unit (calls.csv) on days in the period, the share answered
// the same day: Σ answered_same_day / Σ calls over the unit's rows dated in
// the period. Kind proportion; the population is the unit's calls
// (listed_on none, no keys). Calls are counted as independent (Wilson),
// though calls of one day or one caller are not quite.
type CallsSameDay struct{}

// Name returns "calls_same_day".
func (r *CallsSameDay) Name() string { return RuleCallsSameDay }

// Kind returns Proportion.
func (r *CallsSameDay) Kind() Kind { return Proportion }

func (r *CallsSameDay) check(d *Definition, codes codeSet) []problem {
	return needListedOn(&d.Population, listedOnNone)
}

func (r *CallsSameDay) compile(e *engine, s *spec) {}

// tally does nothing per person: calls are per unit (tallyUnits).
func (r *CallsSameDay) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {}

func (r *CallsSameDay) tallyUnits(e *engine, s *spec, si int, a *accum) {
	for _, c := range e.fu.Calls {
		if c.Unit < 0 || int(c.Unit) >= e.nUnits || !e.primary[c.Unit] || !e.period.Contains(c.Date) {
			continue
		}
		t := &a.t[si*e.nUnits+int(c.Unit)]
		t.num += c.AnsweredSameDay
		t.den += c.Calls
	}
}

func (r *CallsSameDay) clone() Rule { return &CallsSameDay{} }

// reads: FileCalls.
func (r *CallsSameDay) reads() []string { return []string{vardval.FileCalls} }
