package vardval

import (
	"bytes"
	"context"
)

func (w *worker) diagnosesFile(ctx context.Context, t *table) error {
	cPerson, cDate, cCode, cUnit, cContact := t.col("person_id"), t.col("date"), t.col("code"), t.col("unit_id"), t.col("contact_id")
	var cells cellStore
	resolve := windowResolver(w.stopper(), &w.pt, &w.diagnoses, &cells, t.rep, func(d *Diagnosis) *PersonIndex { return &d.Person })
	defer resolve()
	return t.each(ctx, func(r *row) {
		// The cell is kept here (its shape checked; a personnummer is
		// checked on lookup, see personCell), the person looked up once the
		// rows of the window are read (resolveCells).
		p, _, _, ok := w.personCell(r, &cells, r.field(cPerson), false)
		if !ok {
			return
		}
		d := Diagnosis{Person: p}
		if d.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		raw := r.field(cCode)
		code := w.upper(raw)
		if len(code) > 4 && code[3] == '.' {
			code = append(code[:3], code[4:]...)
		}
		if !icdShape(string(code)) {
			r.reject("code", "code "+safeValue(string(raw))+" is not an ICD-10 code (e.g. F32.1 or F321)")
			return
		}
		d.Code = w.codes.Intern(code)
		if d.Unit, ok = w.unit(r, cUnit, false); !ok {
			return
		}
		if cid := r.field(cContact); len(cid) != 0 {
			// Checked against the accepted contacts once both files are read.
			w.dRefs.Add(contactRef{diag: int32(w.diagnoses.N), line: int32(r.line)})
			w.dIDs.Add(cid)
		}
		w.diagnoses.Add(d)
		cells.addLine(r.line)
		if cells.lines.N == resolveWindow {
			resolve()
		}
	})
}

func (w *worker) observationsFile(ctx context.Context, t *table) error {
	ld := w.ld
	cPerson, cDate, cCode, cValue, cUnit := t.col("person_id"), t.col("date"), t.col("code"), t.col("value"), t.col("unit_id")
	cells, resolve := lateOrWindow(w, 0, &w.observations, t.rep, func(o *Observation) *PersonIndex { return &o.Person })
	defer resolve()
	return t.each(ctx, func(r *row) {
		// The cell is kept here (its shape checked; a personnummer is
		// checked on lookup, see personCell), the person looked up once the
		// rows of the window are read (resolveCells), or once b is done when
		// a read the file (resolveLate).
		p, _, _, ok := w.personCell(r, cells, r.field(cPerson), false)
		if !ok {
			return
		}
		o := Observation{Person: p}
		if o.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		raw := r.field(cCode)
		code := w.upper(raw)
		if bytes.IndexByte(code, '-') >= 0 {
			code = bytes.ReplaceAll(code, []byte("-"), nil)
		}
		if !codeShape(string(code)) {
			r.reject("code", "code "+safeValue(string(raw))+" is not an observation code")
			return
		}
		s := r.field(cValue)
		if len(s) == 0 {
			r.reject("value", "value is empty")
			return
		}
		v, why := parseFixed(s, 6)
		if why != "" {
			r.reject("value", "value "+safeValue(string(s))+": "+why)
			return
		}
		if rg, known := ld.ranges[string(code)]; known {
			if v < int64(rg.Min) || v > int64(rg.Max) {
				r.reject("value", string(code)+" value "+safeValue(string(s))+" is outside "+rg.Min.String()+"–"+rg.Max.String()+" "+rg.Unit)
				return
			}
			if rg.Integer && v%FixedScale != 0 {
				r.reject("value", string(code)+" value "+safeValue(string(s))+" must be a whole number")
				return
			}
		}
		o.Value = Fixed(v)
		if o.Unit, ok = w.unit(r, cUnit, false); !ok {
			return
		}
		// Its code counts as used once the person is settled (finish).
		o.Code = w.codes.Intern(code)
		w.observations.Add(o)
		cells.addLine(r.line)
		if cells.lines.N == resolveWindow {
			resolve()
		}
	})
}

func (w *worker) prescriptionsFile(ctx context.Context, t *table) error {
	cPerson, cDate, cATC, cUnit, cDDD := t.col("person_id"), t.col("date"), t.col("atc"), t.col("unit_id"), t.col("ddd")
	cells, resolve := lateOrWindow(w, 1, &w.prescriptions, t.rep, func(x *Prescription) *PersonIndex { return &x.Person })
	defer resolve()
	return t.each(ctx, func(r *row) {
		// The cell is kept here (its shape checked; a personnummer is
		// checked on lookup, see personCell), the person looked up once the
		// rows of the window are read (resolveCells), or once b is done when
		// a read the file (resolveLate).
		p, _, _, ok := w.personCell(r, cells, r.field(cPerson), false)
		if !ok {
			return
		}
		x := Prescription{Person: p}
		if x.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		raw := r.field(cATC)
		atc := w.upper(raw)
		if !atcShape(string(atc)) {
			r.reject("atc", "atc "+safeValue(string(raw))+" is not a 7-character ATC code (e.g. J01CA04)")
			return
		}
		if x.Unit, ok = w.unit(r, cUnit, false); !ok {
			return
		}
		ddd, has, ok := r.fixed(cDDD, "ddd", 6, 0, 100000*FixedScale, "0 to 100,000")
		if !ok {
			return
		}
		x.DDD, x.HasDDD = Fixed(ddd), has
		x.ATC = w.codes.Intern(atc)
		w.prescriptions.Add(x)
		cells.addLine(r.line)
		if cells.lines.N == resolveWindow {
			resolve()
		}
	})
}
