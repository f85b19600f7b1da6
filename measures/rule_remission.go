package measures

import (
	"fmt"
	"slices"

	"github.com/vardval/vardval/vardval"
)

// SustainedRemission is rule sustained_remission: persons with a moderate
// score on one of the Instruments in the period (the index, listed on the
// index date) who reach a remission score within FirstRemission days of
// the index and still score in remission within Sustained days of that
// first remission, with no non-remission score in between. Kind
// proportion. Keys: instruments, windows first_remission (relative_to
// index_date) and sustained_remission (relative_to first_remission);
// population.listed_on index_date.
type SustainedRemission struct {
	Instruments    []Instrument
	FirstRemission Window
	Sustained      Window
}

// RemissionFollowup is rule remission_followup: the persons of
// SustainedRemission's denominator with any score on the index
// instrument within Followup days of the index. Kind proportion. Keys:
// instruments, window followup (relative_to index_date);
// population.listed_on index_date.
type RemissionFollowup struct {
	Instruments []Instrument
	Followup    Window
}

// Name returns "sustained_remission".
func (r *SustainedRemission) Name() string { return RuleSustainedRemission }

// Kind returns Proportion.
func (r *SustainedRemission) Kind() Kind { return Proportion }

// Name returns "remission_followup".
func (r *RemissionFollowup) Name() string { return RuleRemissionFollowup }

// Kind returns Proportion.
func (r *RemissionFollowup) Kind() Kind { return Proportion }

func (r *SustainedRemission) check(d *Definition, codes codeSet) []problem {
	ps := checkDepression(d, r.Instruments, codes)
	ps = append(ps, checkDays("windows."+windowFirstRemission, r.FirstRemission, windowFirstRemission, relativeToIndexDate)...)
	return append(ps, checkDays("windows."+windowSustainedRemission, r.Sustained, windowSustainedRemission, relativeToFirstRemission)...)
}

func (r *RemissionFollowup) check(d *Definition, codes codeSet) []problem {
	ps := checkDepression(d, r.Instruments, codes)
	return append(ps, checkDays("windows."+windowFollowup, r.Followup, windowFollowup, relativeToIndexDate)...)
}

// checkDepression checks what the two remission rules share.
func checkDepression(d *Definition, instruments []Instrument, codes codeSet) []problem {
	var ps []problem
	if len(instruments) == 0 {
		ps = append(ps, failErr("instruments", &MissingKeyError{Key: "instruments"}))
	}
	for j, in := range instruments {
		key := fmt.Sprintf("instruments[%d]", j)
		ps = append(ps, codes.code(key+".code", in.Code)...)
		if in.ModerateMax.LessThan(in.ModerateMin) || !in.RemissionBelow.LessThanOrEqual(in.ModerateMin) {
			ps = append(ps, fail(key, "need remission_below ≤ moderate_min ≤ moderate_max"))
		}
		ps = append(ps, sixDecimals(key+".moderate_min", in.ModerateMin)...)
		ps = append(ps, sixDecimals(key+".moderate_max", in.ModerateMax)...)
		ps = append(ps, sixDecimals(key+".remission_below", in.RemissionBelow)...)
	}
	ps = append(ps, needListedOn(&d.Population, listedOnIndexDate)...)
	if dg := d.Population.Diagnoses; dg != nil && dg.RelativeTo != relativeToIndexDate {
		ps = append(ps, failErr("population.diagnoses.relative_to", &WindowError{Reason: "relative_to must be index_date for this rule"}))
	}
	return ps
}

func compileInstruments(e *engine, s *spec, instruments []Instrument) {
	for _, in := range instruments {
		lo, _ := toFixed(in.ModerateMin)
		hi, _ := toFixed(in.ModerateMax)
		rb, _ := toFixed(in.RemissionBelow)
		s.instr = append(s.instr, instrument{code: e.codeIdx(in.Code), modMin: lo, modMax: hi, remissionB: rb})
	}
}

func (r *SustainedRemission) compile(e *engine, s *spec) {
	compileInstruments(e, s, r.Instruments)
	s.win1 = [2]int{r.FirstRemission.FromDays, r.FirstRemission.ToDays}
	s.win2 = [2]int{r.Sustained.FromDays, r.Sustained.ToDays}
}

func (r *RemissionFollowup) compile(e *engine, s *spec) {
	compileInstruments(e, s, r.Instruments)
	s.win1 = [2]int{r.Followup.FromDays, r.Followup.ToDays}
}

func (r *SustainedRemission) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.depression(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits], sc, false)
}

func (r *RemissionFollowup) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.depression(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits], sc, true)
}

func (r *SustainedRemission) clone() Rule {
	c := *r
	c.Instruments = slices.Clone(r.Instruments)
	return &c
}

func (r *RemissionFollowup) clone() Rule {
	c := *r
	c.Instruments = slices.Clone(r.Instruments)
	return &c
}

// instruments reads the "instruments" list.
func (w *walker) instruments(o *obj) []Instrument {
	items, p := o.seq("instruments", true)
	var out []Instrument
	for i, item := range items {
		io := w.obj(index(p, i), item)
		in := Instrument{Code: io.str("code", true)}
		in.ModerateMin, _ = io.dec("moderate_min", true)
		in.ModerateMax, _ = io.dec("moderate_max", true)
		in.RemissionBelow, _ = io.dec("remission_below", true)
		io.done()
		out = append(out, in)
	}
	return out
}

func (w *walker) sustainedRemission(o *obj) Rule {
	r := &SustainedRemission{Instruments: w.instruments(o)}
	ws := w.windows(o, RuleSustainedRemission, windowFirstRemission, windowSustainedRemission)
	r.FirstRemission = w.requireWindow(o, ws, windowFirstRemission, relativeToIndexDate)
	r.Sustained = w.requireWindow(o, ws, windowSustainedRemission, relativeToFirstRemission)
	return r
}

func (w *walker) remissionFollowup(o *obj) Rule {
	r := &RemissionFollowup{Instruments: w.instruments(o)}
	r.Followup = w.requireWindow(o, w.windows(o, RuleRemissionFollowup, windowFollowup), windowFollowup, relativeToIndexDate)
	return r
}

// depression evaluates the sustained-remission rule or, with followup,
// the follow-up rule.
func (e *engine) depression(pd *personData, s *spec, t []tally, sc *scratch, followup bool) {
	if len(pd.obs) == 0 || (s.def.Population.Diagnoses != nil && !e.hasAnyDiagnosis(pd, s)) {
		return
	}
	// Index: the first day in the period with a moderate day-score on an
	// instrument (instruments in definition order break ties).
	var index vardval.Date
	inst := -1
	for i := 0; i < len(pd.obs) && inst < 0; {
		day := pd.obs[i].Date
		j := i
		for j < len(pd.obs) && pd.obs[j].Date == day {
			j++
		}
		if e.period.Contains(day) {
			for k, in := range s.instr {
				if v, ok := dayMax(pd.obs[i:j], in.code); ok && v >= in.modMin && v <= in.modMax {
					index, inst = day, k
					break
				}
			}
		} else if day.After(e.period.To) {
			break
		}
		i = j
	}
	if inst < 0 {
		return
	}
	u := e.listedAt(pd, index)
	if u == vardval.NoUnit || !e.ageOK(pd, s.def, index) {
		return
	}
	if dg := s.def.Population.Diagnoses; dg != nil &&
		(!e.hasDiagnosis(pd, s, index.AddDays(dg.FromDays), index.AddDays(dg.ToDays)) || e.excluded(pd, s, index.AddDays(dg.ToDays))) {
		return
	}
	in := s.instr[inst]
	// The instrument's day-scores after the index.
	sc.days = sc.days[:0]
	for i := 0; i < len(pd.obs); {
		day := pd.obs[i].Date
		j := i
		for j < len(pd.obs) && pd.obs[j].Date == day {
			j++
		}
		if day.After(index) {
			if v, ok := dayMax(pd.obs[i:j], in.code); ok {
				sc.days = append(sc.days, dayScore{day, v})
			}
		}
		i = j
	}
	t[u].den++
	if followup {
		w := s.win1
		for _, ds := range sc.days {
			n := index.DaysUntil(ds.day)
			if n >= w[0] && n <= w[1] {
				t[u].num++
				return
			}
		}
		return
	}
	first, sustained := s.win1, s.win2
	r1 := -1
	for k, ds := range sc.days {
		n := index.DaysUntil(ds.day)
		if n > first[1] {
			break
		}
		if n >= first[0] && ds.score < in.remissionB {
			r1 = k
			break
		}
	}
	if r1 < 0 {
		return
	}
	r1Day := sc.days[r1].day
	for _, ds := range sc.days[r1+1:] {
		n := r1Day.DaysUntil(ds.day)
		if n > sustained[1] || ds.score >= in.remissionB {
			return // past the window, or relapsed before reaching it
		}
		if n >= sustained[0] {
			t[u].num++
			return
		}
	}
}

// dayMax returns the highest value of code among one day's observations.
func dayMax(obs []vardval.Observation, code int32) (vardval.Fixed, bool) {
	var v vardval.Fixed
	found := false
	for i := range obs {
		if obs[i].Code == code && (!found || obs[i].Value > v) {
			v, found = obs[i].Value, true
		}
	}
	return v, found
}

// reads: the scores in observations.csv.
func (r *SustainedRemission) reads() []string { return []string{vardval.FileObservations} }

// reads: the scores in observations.csv.
func (r *RemissionFollowup) reads() []string { return []string{vardval.FileObservations} }
