package measures

import (
	"slices"

	"github.com/vardval/vardval/vardval"
)

// LatestObservation is rule latest_observation: persons listed on the
// period's last day who pass the population's age and diagnosis
// conditions there and have a value of Threshold.Code in the period,
// counted when the latest (the day's highest on the last day) passes the
// threshold. Kind proportion. Keys: observation {code, op, value}; the
// code must be an observation code of the data contract.
type LatestObservation struct {
	Threshold ObservationThreshold
}

// Name returns "latest_observation".
func (r *LatestObservation) Name() string { return RuleLatestObservation }

// Kind returns Proportion.
func (r *LatestObservation) Kind() Kind { return Proportion }

func (r *LatestObservation) check(d *Definition, codes codeSet) []problem {
	t := r.Threshold
	ps := codes.code("observation.code", t.Code)
	if !slices.Contains([]string{">", ">=", "<", "<="}, t.Op) {
		ps = append(ps, fail("observation.op", "must be one of >, >=, <, <="))
	}
	return append(ps, sixDecimals("observation.value", t.Value)...)
}

func (r *LatestObservation) compile(e *engine, s *spec) {
	v, _ := toFixed(r.Threshold.Value)
	s.obsCode, s.obsOp, s.obsValue = e.codeIdx(r.Threshold.Code), r.Threshold.Op, v
}

func (r *LatestObservation) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.latestObservation(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits])
}

func (r *LatestObservation) clone() Rule { c := *r; return &c }

func (w *walker) latestObservation(o *obj) Rule {
	r := &LatestObservation{}
	if t := o.sub("observation"); t != nil {
		r.Threshold.Code = t.str("code", true)
		r.Threshold.Op = t.str("op", true)
		r.Threshold.Value, _ = t.dec("value", true)
		t.done()
	} else {
		o.missing("observation")
	}
	return r
}

func (e *engine) latestObservation(pd *personData, s *spec, t []tally) {
	u := e.listedEnd(pd, s)
	if u == vardval.NoUnit {
		return
	}
	t[u].elig++ // in the population, measured or not
	if s.obsCode < 0 {
		return
	}
	// The last observation of the code in the period; records are sorted
	// by date, code and value, so it is the day's highest.
	var last *vardval.Observation
	for i := len(pd.obs) - 1; i >= 0; i-- {
		o := &pd.obs[i]
		if o.Date.Before(e.period.From) {
			break
		}
		if o.Code == s.obsCode && !o.Date.After(e.period.To) {
			last = o
			break
		}
	}
	if last == nil {
		return
	}
	t[u].den++
	v, th := last.Value, s.obsValue
	var hit bool
	switch s.obsOp {
	case ">":
		hit = v > th
	case ">=":
		hit = v >= th
	case "<":
		hit = v < th
	case "<=":
		hit = v <= th
	}
	if hit {
		t[u].num++
	}
}

// reads: FileObservations.
func (r *LatestObservation) reads() []string { return []string{vardval.FileObservations} }
