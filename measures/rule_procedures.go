package measures

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// The windows of rule procedure_share.
const (
	windowProcedures = "procedures"
	windowDrugs      = "drugs"
)

// ProcedureShare is rule procedure_share: persons listed at a primary-care
// unit on the period's last day (within the population's age limits on
// that day and its diagnosis condition), counted when procedures.csv has a
// procedure with one of Codes dated within the procedures window, at any
// unit. With MinDrugs > 0 only persons with prescriptions of at least
// MinDrugs different ATC codes dated within the drugs window are in the
// denominator. Kind proportion. Keys: procedures {codes} (required, KVÅ
// codes), windows procedures (required) and drugs (with min_drugs), both
// day windows relative_to period_end (from_days..to_days days from the
// period's last day, both included), min_drugs.
type ProcedureShare struct {
	Codes      []string // KVÅ codes, upper-case, matched exactly
	Procedures Window
	MinDrugs   int // 0: no drug condition
	Drugs      Window
}

// Name returns "procedure_share".
func (r *ProcedureShare) Name() string { return RuleProcedureShare }

// Kind returns Proportion.
func (r *ProcedureShare) Kind() Kind { return Proportion }

func (r *ProcedureShare) check(d *Definition, codes codeSet) []problem {
	ps := needListedOn(&d.Population, listedOnPeriodEnd)
	if len(r.Codes) == 0 {
		ps = append(ps, fail("procedures.codes", "at least one KVÅ code is required"))
	}
	for k, c := range r.Codes {
		if !kvaCode(c) {
			ps = append(ps, fail("procedures.codes["+strconv.Itoa(k)+"]", "not a KVÅ code (five letters or digits, the first a letter)"))
		}
	}
	ps = append(ps, checkDays("windows."+windowProcedures, r.Procedures, windowProcedures, relativeToPeriodEnd)...)
	switch {
	case r.MinDrugs < 0:
		ps = append(ps, fail("min_drugs", "must not be negative"))
	case r.MinDrugs > 0:
		ps = append(ps, checkDays("windows."+windowDrugs, r.Drugs, windowDrugs, relativeToPeriodEnd)...)
	case r.Drugs.Name != "":
		ps = append(ps, failErr("windows", &WindowError{Name: windowDrugs, Reason: "only with min_drugs"}))
	}
	return ps
}

// kvaCode reports whether c has the shape of a KVÅ code.
func kvaCode(c string) bool {
	if len(c) != 5 || c[0] < 'A' || c[0] > 'Z' {
		return false
	}
	for i := 1; i < 5; i++ {
		if (c[i] < 'A' || c[i] > 'Z') && (c[i] < '0' || c[i] > '9') {
			return false
		}
	}
	return true
}

// procedureSpec is what procedure_share compiles.
type procedureSpec struct {
	codes            map[string]bool
	procFrom, procTo vardval.Date
	drugFrom, drugTo vardval.Date
	minDrugs         int
}

func (r *ProcedureShare) compile(e *engine, s *spec) {
	ps := &procedureSpec{codes: map[string]bool{}, minDrugs: r.MinDrugs}
	for _, c := range r.Codes {
		ps.codes[c] = true
	}
	end := e.period.To
	ps.procFrom, ps.procTo = end.AddDays(r.Procedures.FromDays), end.AddDays(r.Procedures.ToDays)
	ps.drugFrom, ps.drugTo = end.AddDays(r.Drugs.FromDays), end.AddDays(r.Drugs.ToDays)
	s.ext = ps
}

func (r *ProcedureShare) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	ps := s.ext.(*procedureSpec)
	u := e.listedEnd(pd, s)
	if u == vardval.NoUnit {
		return
	}
	if ps.minDrugs > 0 {
		sc.codes = sc.codes[:0]
		for i := range pd.rxs {
			x := &pd.rxs[i]
			if !x.Date.Before(ps.drugFrom) && !x.Date.After(ps.drugTo) {
				sc.codes = append(sc.codes, x.ATC)
			}
		}
		if len(sc.codes) < ps.minDrugs {
			return
		}
		slices.Sort(sc.codes)
		if len(slices.Compact(sc.codes)) < ps.minDrugs {
			return
		}
	}
	t := &a.t[si*e.nUnits+int(u)]
	t.den++
	for i := range pd.procs {
		x := &pd.procs[i]
		if !x.Date.Before(ps.procFrom) && !x.Date.After(ps.procTo) && ps.codes[x.Code] {
			t.num++
			return
		}
	}
}

func (r *ProcedureShare) clone() Rule {
	c := *r
	c.Codes = slices.Clone(r.Codes)
	return &c
}

func (w *walker) procedureShare(o *obj) Rule {
	r := &ProcedureShare{}
	if p := o.sub("procedures"); p != nil {
		for _, c := range p.strs("codes") {
			r.Codes = append(r.Codes, strings.ToUpper(strings.TrimSpace(c)))
		}
		p.done()
	} else {
		o.missing("procedures")
	}
	r.MinDrugs, _ = o.integer("min_drugs", false)
	ws := w.windows(o, RuleProcedureShare, windowProcedures, windowDrugs)
	r.Procedures = w.requireWindow(o, ws, windowProcedures, relativeToPeriodEnd)
	if dw, ok := ws[windowDrugs]; ok {
		if dw.RelativeTo == "" {
			dw.RelativeTo = relativeToPeriodEnd
		}
		r.Drugs = dw
	} else if r.MinDrugs > 0 {
		r.Drugs = w.requireWindow(o, ws, windowDrugs, relativeToPeriodEnd)
	}
	return r
}

// reads: procedures.csv, and prescriptions.csv with a drug condition.
func (r *ProcedureShare) reads() []string {
	if r.MinDrugs > 0 {
		return []string{vardval.FilePrescriptions, vardval.FileProcedures}
	}
	return []string{vardval.FileProcedures}
}
