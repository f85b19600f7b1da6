package vardval

import (
	"context"
	"slices"
	"strconv"

	"github.com/vardval/vardval/internal/redact"
)

// contactRec is a Contact while loading: 32 bytes instead of 40, with the
// line it came from.
type contactRec struct {
	person     PersonIndex // -1 once rejected as a duplicate
	unit       UnitIndex
	date, req  Date
	clinician  int32
	fee        int32 // öre (at most 10^8), -1 when not given
	line       int32
	mode       Mode
	profession Profession
	urgent     YesNo
	newProblem YesNo
}

func (c *contactRec) contact() Contact {
	return Contact{Person: c.person, Unit: c.unit, Date: c.date, Requested: c.req, Clinician: c.clinician,
		Fee: int64(c.fee), Mode: c.mode, Profession: c.profession, Urgent: c.urgent, NewProblem: c.newProblem}
}

// contactRef is an accepted diagnosis that names a contact_id, checked
// against the accepted contacts once both files are read.
type contactRef struct {
	hash uint64
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
		// persons and on both cores (resolveContactPersons): here the cell
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
			i, ok := w.clins.lookup(cl)
			if !ok {
				if s := string(cl); !idShape(s) {
					r.reject("clinician", "clinician is not a usable id (1–64 printable characters)")
					return
				} else if redact.Contains(s) {
					r.reject("clinician", "clinician must be a pseudonymous staff id, not a personnummer")
					return
				}
				i = w.clins.intern(cl)
				w.clins.used[i] = true
			}
			c.Clinician = i
		}
		// Duplicate contact ids are found once the whole file is read
		// (finishContacts), so that every row sharing an id is rejected.
		w.contacts.add(contactRec{person: c.Person, unit: c.Unit, date: c.Date, req: c.Requested, clinician: c.Clinician,
			fee: int32(c.Fee), line: int32(r.line), mode: c.Mode, profession: c.Profession, urgent: c.Urgent, newProblem: c.NewProblem})
		w.cHash.add(fnv64a(id))
	})
}

// finishContacts rejects every contact whose contact_id is shared with
// another accepted row, naming the other line (the first such row names the
// second; every later one names the first), and keeps the sorted hashes of
// the remaining ids for the diagnoses' contact_id check.
//
// When w.stopper() stops it, contactSet is left unset (the caller then
// returns).
func (w *worker) finishContacts(rep *FileReport, parallel bool) {
	// Rows rejected for their person_id (person < 0) take no part.
	n := w.cHash.n - w.personRejected
	// Sort the hashes: scatter them into buckets by their top bits (about
	// 64 a bucket), then sort each bucket. With parallel, the stopper's
	// parts count and scatter a range of the rows each (an earlier range's
	// hashes first in a bucket), then sort a range of the buckets each.
	// Which rows take part is read from the contacts only when some were
	// rejected for their person_id.
	shift := bucketShift(n, 64)
	nb := 1 << (64 - shift)
	all := w.personRejected == 0
	stop := w.stopper()
	if !parallel {
		stop.workers = 1
	}
	nc := len(w.cHash.chunks)
	cnt := make([][]int32, stop.partsOf(nc, 2))
	stop.parts(nc, 2, func(k, lo, hi int) {
		c := make([]int32, nb)
		writeEachPage(c)
		for ci := lo; ci < hi; ci++ {
			if stop.now() {
				break
			}
			cs := w.contacts.chunks[ci]
			for i, h := range w.cHash.chunks[ci] {
				if all || cs[i].person >= 0 {
					c[h>>shift]++
				}
			}
		}
		cnt[k] = c
	})
	start := make([]int32, nb+1)
	next := make([][]int32, len(cnt))
	for k := range next {
		next[k] = make([]int32, nb)
	}
	for b := range nb {
		at := start[b]
		for k, c := range cnt {
			next[k][b] = at
			at += c[b]
		}
		start[b+1] = at
	}
	cnt = nil
	sorted := make([]uint64, n)
	stop.parts(nc, 2, func(k, lo, hi int) {
		nx := next[k]
		for ci := lo; ci < hi; ci++ {
			if stop.now() {
				return
			}
			cs := w.contacts.chunks[ci]
			for i, h := range w.cHash.chunks[ci] {
				if all || cs[i].person >= 0 {
					b := h >> shift
					sorted[nx[b]] = h
					nx[b]++
				}
			}
		}
	})
	stop.parts(nb, 2, func(_, lo, hi int) {
		for b := lo; b < hi; b++ {
			if stop.stop(b - lo) {
				return
			}
			if start[b+1]-start[b] > 1 {
				slices.Sort(sorted[start[b]:start[b+1]])
			}
		}
	})
	next = nil
	if stop.now() {
		return
	}
	var dups map[uint64]int32 // hash → index of its first row, -1 before it is seen
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			if dups == nil {
				dups = map[uint64]int32{}
			}
			dups[sorted[i]] = -1
		}
	}
	if dups != nil {
		second := map[uint64]int32{}
		for i := 0; i < w.cHash.n; i++ {
			h := *w.cHash.at(i)
			first, dup := dups[h]
			if !dup {
				continue
			}
			c := w.contacts.at(i)
			if c.person < 0 {
				continue // rejected for its person_id
			}
			c.person = -1
			if first < 0 {
				dups[h] = int32(i)
				continue
			}
			if _, ok := second[h]; !ok {
				second[h] = c.line
			}
			rep.reject(int(c.line), "contact_id", "contact_id is also used on line "+strconv.Itoa(int(w.contacts.at(int(first)).line)))
		}
		for h, first := range dups {
			rep.reject(int(w.contacts.at(int(first)).line), "contact_id", "contact_id is also used on line "+strconv.Itoa(int(second[h])))
		}
		keep := sorted[:0]
		for _, h := range sorted {
			if _, dup := dups[h]; !dup {
				keep = append(keep, h)
			}
		}
		sorted = keep
	}
	w.contactSet = sorted
	w.cHash = chunked[uint64]{}
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
// accepted contact.
func (w *worker) resolveContactRefs(set []uint64, rep *FileReport) {
	if w.dRefs.n == 0 {
		return
	}
	// Bucket the sorted set by the top bits of the hash for a short scan.
	shift := bucketShift(len(set), 4)
	start := make([]int32, 1<<(64-shift)+1)
	writeEachPage(start)
	for i, h := range set {
		if w.stopper().stop(i) {
			return
		}
		start[(h>>shift)+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	if w.stopper().now() {
		return
	}
	stop := w.stopper()
	bad := make([][]contactRef, stop.partsOf(len(w.dRefs.chunks), 4))
	stop.parts(len(w.dRefs.chunks), 4, func(k, lo, hi int) {
		// In batches (as idTable.getBatch): first every ref's bucket
		// bounds, then the first hash of each bucket, each a loop of
		// independent loads whose cache misses overlap; then the scans.
		var from, to [batchSize]int32
		var first [batchSize]uint64
		for _, ch := range w.dRefs.chunks[lo:hi] {
			if w.stopper().now() {
				return
			}
			for i := 0; i < len(ch); i += batchSize {
				refs := ch[i:min(i+batchSize, len(ch))]
				for j := range refs {
					b := refs[j].hash >> shift
					from[j], to[j] = start[b], start[b+1]
				}
				for j := range refs {
					if from[j] < to[j] {
						first[j] = set[from[j]]
					}
				}
				for j := range refs {
					h, found := refs[j].hash, false
					if from[j] < to[j] && first[j] >= h {
						found = first[j] == h
					} else {
						for _, x := range set[from[j]:to[j]] {
							if x >= h {
								found = x == h
								break
							}
						}
					}
					if !found {
						bad[k] = append(bad[k], refs[j])
					}
				}
			}
		}
	})
	for _, refs := range bad {
		for _, ref := range refs {
			d := w.diagnoses.at(int(ref.diag))
			if d.Person < 0 {
				continue // already rejected for its person_id
			}
			rep.reject(int(ref.line), "contact_id", "contact_id is not an accepted contact in contacts.csv")
			d.Person = -1
		}
	}
	w.dRefs = chunked[contactRef]{}
}
