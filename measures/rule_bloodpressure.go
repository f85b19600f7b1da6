package measures

import "github.com/vardval/vardval/vardval"

// LatestBloodPressure is rule latest_blood_pressure: persons listed on
// the period's last day who pass the population's conditions there and
// have a day in the period with both Threshold.Systolic and
// Threshold.Diastolic, counted when on the latest such day (the day's
// highest of each) systolic < SystolicBelow and diastolic <
// DiastolicBelow. Kind proportion. Keys: blood_pressure {systolic,
// diastolic, systolic_below, diastolic_below}.
type LatestBloodPressure struct {
	Threshold BloodPressureThreshold
}

// Name returns "latest_blood_pressure".
func (r *LatestBloodPressure) Name() string { return RuleLatestBloodPressure }

// Kind returns Proportion.
func (r *LatestBloodPressure) Kind() Kind { return Proportion }

func (r *LatestBloodPressure) check(d *Definition, codes codeSet) []problem {
	t := r.Threshold
	ps := codes.code("blood_pressure.systolic", t.Systolic)
	ps = append(ps, codes.code("blood_pressure.diastolic", t.Diastolic)...)
	ps = append(ps, sixDecimals("blood_pressure.systolic_below", t.SystolicBelow)...)
	return append(ps, sixDecimals("blood_pressure.diastolic_below", t.DiastolicBelow)...)
}

func (r *LatestBloodPressure) compile(e *engine, s *spec) {
	t := r.Threshold
	sv, _ := toFixed(t.SystolicBelow)
	dv, _ := toFixed(t.DiastolicBelow)
	s.sysCode, s.diaCode, s.sysBelow, s.diaBelow = e.codeIdx(t.Systolic), e.codeIdx(t.Diastolic), sv, dv
}

func (r *LatestBloodPressure) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.latestBP(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits])
}

func (r *LatestBloodPressure) clone() Rule { c := *r; return &c }

func (w *walker) latestBloodPressure(o *obj) Rule {
	r := &LatestBloodPressure{}
	if t := o.sub("blood_pressure"); t != nil {
		r.Threshold.Systolic = t.str("systolic", true)
		r.Threshold.Diastolic = t.str("diastolic", true)
		r.Threshold.SystolicBelow, _ = t.dec("systolic_below", true)
		r.Threshold.DiastolicBelow, _ = t.dec("diastolic_below", true)
		t.done()
	} else {
		o.missing("blood_pressure")
	}
	return r
}

func (e *engine) latestBP(pd *personData, s *spec, t []tally) {
	u := e.listedEnd(pd, s)
	if u == vardval.NoUnit {
		return
	}
	t[u].elig++ // in the population, measured or not
	if s.sysCode < 0 || s.diaCode < 0 {
		return
	}
	// Walk days backwards; the first day with both codes wins, taking the
	// highest value of each on that day.
	i := len(pd.obs) - 1
	for i >= 0 {
		day := pd.obs[i].Date
		if day.Before(e.period.From) {
			return
		}
		var sys, dia vardval.Fixed
		var hasSys, hasDia bool
		for ; i >= 0 && pd.obs[i].Date == day; i-- {
			o := &pd.obs[i]
			switch o.Code {
			case s.sysCode:
				if !hasSys || o.Value > sys {
					sys, hasSys = o.Value, true
				}
			case s.diaCode:
				if !hasDia || o.Value > dia {
					dia, hasDia = o.Value, true
				}
			}
		}
		if day.After(e.period.To) || !hasSys || !hasDia {
			continue
		}
		t[u].den++
		if sys < s.sysBelow && dia < s.diaBelow {
			t[u].num++
		}
		return
	}
}

// reads: FileObservations.
func (r *LatestBloodPressure) reads() []string { return []string{vardval.FileObservations} }
