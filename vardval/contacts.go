package vardval

import (
	"context"
	"sort"
	"strconv"

	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/vardval/internal/arena"
)

// contactRec is a Contact while loading: 28 bytes instead of 32. The line
// each came from is kept beside them (lineRuns), in far less.
type contactRec struct {
	person     PersonIndex // -1 once rejected as a duplicate
	unit       UnitIndex
	date, req  Date
	clinician  int32
	fee        int32 // öre (at most 10^8), -1 when not given
	mode       Mode
	profession Profession
	urgent     YesNo
	newProblem YesNo
}

// lineRuns keeps the line of every contact a worker read: contact i came
// from line i+delta, and the delta changes only after a rejected row or a
// row over several lines, so one run of contacts with the same delta costs
// 8 bytes where a line per contact would cost 4 bytes each (190 MB at
// Sweden size).
type lineRuns struct {
	starts []int32 // the first contact of each run, ascending
	deltas []int32 // line − contact index in that run
}

// add notes that contact i (the next one) came from line.
func (l *lineRuns) add(i, line int) {
	d := int32(line - i)
	if k := len(l.deltas); k == 0 || l.deltas[k-1] != d {
		l.starts = append(l.starts, int32(i))
		l.deltas = append(l.deltas, d)
	}
}

// at returns the line contact i came from.
func (l *lineRuns) at(i int) int {
	k := sort.Search(len(l.starts), func(k int) bool { return int(l.starts[k]) > i }) - 1
	return i + int(l.deltas[k])
}

// appendShifted appends the runs of o, whose contacts follow the first
// base ones and whose lines are shift more here.
func (l *lineRuns) appendShifted(o *lineRuns, base, shift int) {
	for k, s := range o.starts {
		l.add(int(s)+base, int(s)+int(o.deltas[k])+shift)
	}
}

func (c *contactRec) contact() Contact {
	return Contact{Person: c.person, Unit: c.unit, Date: c.date, Requested: c.req, Clinician: c.clinician,
		Fee: int64(c.fee), Mode: c.mode, Profession: c.profession, Urgent: c.urgent, NewProblem: c.newProblem}
}

// contactRef is an accepted diagnosis that names a contact_id, checked
// against the accepted contacts once both files are read; the id itself
// is in the worker's dIDs, at the same index.
type contactRef struct {
	diag int32 // index in the worker's diagnoses
	line int32
}

func (w *worker) contactsFile(ctx context.Context, t *table) error {
	cID, cPerson, cUnit, cDate, cMode, cProf := t.col("contact_id"), t.col("person_id"), t.col("unit_id"), t.col("date"), t.col("mode"), t.col("profession")
	cUrgent, cFee, cReq, cNew, cClin := t.col("urgent"), t.col("fee"), t.col("requested"), t.col("new_problem"), t.col("clinician")
	return t.each(ctx, func(r *row) {
		id := r.field(cID)
		if !idShapeBytes(id) {
			r.reject("contact_id", "contact_id is empty or not a usable id")
			return
		}
		// The person is resolved once the listings are read, against their
		// persons and in parallel (resolveContactPersons): here the cell
		// is kept, its shape checked (a personnummer is checked on lookup,
		// see personCell).
		p, _, _, ok := w.personCell(r, &w.cells, r.field(cPerson), false)
		if !ok {
			return
		}
		u, ok := w.unit(r, cUnit, true)
		if !ok {
			return
		}
		c := Contact{Person: p, Unit: u, Clinician: -1, Fee: -1}
		if c.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		m := r.field(cMode)
		if string(m) == "visit" {
			c.Mode = ModeVisit
		} else if i := enumIndex(m, modeNames[:]); i > 0 {
			c.Mode = Mode(i)
		} else {
			r.reject("mode", "mode "+safeValue(string(m))+" is not one of visit, home, phone, video, chat")
			return
		}
		pr := r.field(cProf)
		if string(pr) == "nurse" {
			c.Profession = Nurse
		} else if string(pr) == "doctor" {
			c.Profession = Doctor
		} else if i := enumIndex(pr, professionNames[:]); i > 0 {
			c.Profession = Profession(i)
		} else {
			r.reject("profession", "profession "+safeValue(string(pr))+" is not one of doctor, nurse, psychologist, physio, occupational_therapist, counsellor, dietitian, other")
			return
		}
		if c.Urgent, ok = yesNo(r, cUrgent, "urgent"); !ok {
			return
		}
		fee, has, ok := r.fixed(cFee, "fee", 2, 0, 1_000_000*100, "a fee is not negative and at most 1,000,000 SEK")
		if !ok {
			return
		}
		if has {
			c.Fee = fee
		}
		if c.Requested, ok = r.date(cReq, "requested", false); !ok {
			return
		}
		if !c.Requested.IsZero() && c.Requested.After(c.Date) {
			r.reject("requested", "requested "+c.Requested.String()+" is after the contact date "+c.Date.String())
			return
		}
		if c.NewProblem, ok = yesNo(r, cNew, "new_problem"); !ok {
			return
		}
		if cl := r.field(cClin); len(cl) != 0 {
			i, ok := w.clins.Lookup(cl)
			if !ok {
				if s := string(cl); !idShape(s) {
					r.reject("clinician", "clinician is not a usable id (1–64 printable characters)")
					return
				} else if redact.Contains(s) {
					r.reject("clinician", "clinician must be a pseudonymous staff id, not a personnummer")
					return
				}
				i = w.clins.Intern(cl)
				w.clins.Used[i] = true
			}
			c.Clinician = i
		}
		// Duplicate contact ids are found once the whole file is read
		// (finishContacts), so that every row sharing an id is rejected.
		w.contacts.Add(contactRec{person: c.Person, unit: c.Unit, date: c.Date, req: c.Requested, clinician: c.Clinician,
			fee: int32(c.Fee), mode: c.Mode, profession: c.Profession, urgent: c.Urgent, newProblem: c.NewProblem})
		w.cLines.add(w.contacts.N-1, r.line)
		w.cIDs.Add(id)
	})
}

// finishContacts rejects every contact whose contact_id is shared with
// another accepted row, naming the other line (the first such row names the
// second; every later one names the first), and keeps the set of the
// remaining ids for the diagnoses' contact_id check (only with wantSet:
// without, contactSet stays nil). Ids are the same when their bytes are
// (dupIDs). Rows rejected for their person_id take no part. With
// parallel, the work is cut into the stopper's parts.
//
// When w.stopper() stops it, contactSet is left unset (the caller then
// returns).
func (w *worker) finishContacts(rep *FileReport, parallel, wantSet bool) {
	stop := w.stopper()
	if !parallel {
		stop.workers = 1
	}
	var take func(i int) bool
	if w.personRejected > 0 {
		take = func(i int) bool { return w.contacts.At(i).person >= 0 }
	}
	dups, set := dupIDs(stop, &w.cIDs, take, w.idHash(), wantSet)
	if stop.now() {
		return
	}
	for _, g := range dups {
		first, second := w.cLines.at(int(g[0])), w.cLines.at(int(g[1]))
		rep.reject(first, "contact_id", "contact_id is also used on line "+strconv.Itoa(second))
		for _, i := range g[1:] {
			rep.reject(w.cLines.at(int(i)), "contact_id", "contact_id is also used on line "+strconv.Itoa(first))
			w.contacts.At(int(i)).person = -1
		}
		w.contacts.At(int(g[0])).person = -1
	}
	w.contactSet = set
}

// idHash returns the hash that finds contact id candidates: idHash64, or the
// one a test set (loadKnobs.idHash).
func (w *worker) idHash() func([]byte) uint64 {
	if w.ld != nil && w.ld.idHash != nil {
		return w.ld.idHash
	}
	return idHash64
}

// bucketShift returns the shift that maps a 64-bit hash to its bucket when
// n hashes are spread over buckets of about per.
func bucketShift(n, per int) uint {
	b := 0
	for 1<<b < n/per && b < 24 {
		b++
	}
	return uint(64 - b)
}

// resolveContactRefs rejects the diagnoses whose contact_id is not an
// accepted contact (set, from finishContacts), in the stopper's parts.
func (w *worker) resolveContactRefs(set *idSet, rep *FileReport) {
	if w.dRefs.N == 0 {
		return
	}
	stop := w.stopper()
	hash := w.idHash()
	nr := w.dIDs.Len()
	bad := make([][]int32, stop.partsOf(nr, 1<<chunkBits))
	stop.parts(nr, 1<<chunkBits, func(k, lo, hi int) {
		q := idQuery{set: set, rd: set.reader()}
		flush := func() {
			q.run()
			for j := range q.n {
				if !q.found[j] {
					bad[k] = append(bad[k], q.at[j])
				}
			}
			q.reset()
		}
		w.dIDs.Each(lo, hi, func(i int, id []byte) bool {
			if stop.stop(i - lo) {
				return false
			}
			if q.add(int32(i), id, hash(id)) {
				flush()
			}
			return true
		})
		flush()
	})
	for _, refs := range bad {
		for _, i := range refs {
			ref := w.dRefs.At(int(i))
			d := w.diagnoses.At(int(ref.diag))
			if d.Person < 0 {
				continue // already rejected for its person_id
			}
			rep.reject(int(ref.line), "contact_id", "contact_id is not an accepted contact in contacts.csv")
			d.Person = -1
		}
	}
	w.dRefs, w.dIDs = chunked[contactRef]{}, arena.Slab{}
}
