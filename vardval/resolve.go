package vardval

import (
	"slices"

	"github.com/vardval/vardval/vardval/internal/idtable"
)

// resolveContactPersons gives every contact read by a its person in b's
// table (the persons of the listings and the files b read), in parallel.
// Rows met in random order cost a batched lookup each here instead of a
// table of their own that finish would have to merge.
func resolveContactPersons(a, b *worker, rep *FileReport) {
	a.personRejected = resolveCells(a.stopper(), &b.pt, &a.contacts, 0, a.contacts.N, &a.cells, true, rep,
		func(c *contactRec) *PersonIndex { return &c.person },
		a.cLines.at)
	a.cells = cellStore{}
}

// windowResolver returns the step that gives the records added to recs
// since its last call their persons (resolveCells on that window, the
// lines kept in cells): files read after the listings call it every
// resolveWindow rows and at their end.
func windowResolver[T any](stop stopper, pt *personTable, recs *chunked[T], cells *cellStore, rep *FileReport, person func(*T) *PersonIndex) func() {
	base := 0
	return func() {
		resolveCells(stop, pt, recs, base, recs.N-base, cells, false, rep, person, cells.line)
		base = recs.N
	}
}

// lateOrWindow returns the cells a file's rows keep and the step that
// gives the records their persons (call it every resolveWindow rows and at
// the end). b, which keeps the persons, looks them up window by window
// (windowResolver); a, reading file k (0 observations, 1 prescriptions)
// while b still reads, keeps every cell in lateCells[k] for resolveLate
// and its step does nothing.
func lateOrWindow[T any](w *worker, k int, recs *chunked[T], rep *FileReport, person func(*T) *PersonIndex) (*cellStore, func()) {
	cells := &cellStore{}
	if w.late {
		w.lateCells[k] = cells
		return cells, func() {}
	}
	return cells, windowResolver(w.stopper(), &w.pt, recs, cells, rep, person)
}

// resolveLate gives the observations and prescriptions a read their
// persons in b's table, in parallel, once b is done (as
// resolveContactPersons does the contacts).
func resolveLate(a, b *worker, obsRep, rxRep *FileReport) {
	if c := a.lateCells[0]; c != nil {
		resolveCells(a.stopper(), &b.pt, &a.observations, 0, a.observations.N, c, true, obsRep,
			func(o *Observation) *PersonIndex { return &o.Person }, c.line)
	}
	if c := a.lateCells[1]; c != nil {
		resolveCells(a.stopper(), &b.pt, &a.prescriptions, 0, a.prescriptions.N, c, true, rxRep,
			func(x *Prescription) *PersonIndex { return &x.Person }, c.line)
	}
	a.lateCells = [2]*cellStore{}
}

// resolveWindow is how many rows of a file read after the listings keep
// their person_id cells before resolveCells looks them up: enough for
// batches, little memory.
const resolveWindow = 1 << chunkBits

// resolveCells gives records base..base+n-1 of recs their persons in pt.
// Each record's person field holds the index of its cell in cells; the
// distinct cells are looked up first (cut into the stopper's parts when
// parallel, the table then only read), in batches whose cache misses
// overlap; then, in cell order, the persons not in the table yet are added and invalid
// cells noted; last every record gets its cell's person, or -1 and a
// rejection on its line (line(i) for record base+i). It returns how many
// were rejected and empties cells. When stop stops it, records are left
// with cell indexes or stale persons (the caller then returns).
func resolveCells[T any](stop stopper, pt *personTable, recs *chunked[T], base, n int, cells *cellStore, parallel bool, rep *FileReport,
	person func(*T) *PersonIndex, line func(i int) int) int {
	pt.ids.Flush()
	nc := cells.keys.N
	if cap(cells.found) < nc {
		cells.found = make([]int32, nc)
	}
	found := cells.found[:nc]
	if !parallel {
		stop.workers = 1
	}
	misses := make([][]int32, stop.partsOf(nc, 1<<16))
	// settle adds the person of a cell not in the table, or notes why the
	// cell is invalid.
	var reasons map[int32]string
	scratch := &FileReport{}
	r := &row{t: &table{rep: scratch}}
	settle := func(at int32) {
		*r = row{t: r.t}
		if p, ok := pt.resolve(r, cells.cell(int(at))); ok {
			found[at] = int32(p)
			return
		}
		if reasons == nil {
			reasons = map[int32]string{}
		}
		reasons[at] = scratch.Rejections[len(scratch.Rejections)-1].Reason
	}
	// On one goroutine the table may change: a miss is settled at once,
	// while its slot is still in the cache (files whose persons are mostly
	// new, as the listings, insert in batches too). In parallel, the
	// misses wait.
	miss := func(k int, at int32) {
		if parallel {
			misses[k] = append(misses[k], at)
		} else {
			settle(at)
		}
	}
	stop.parts(nc, 1<<16, func(k, lo, hi int) {
		st := &findState{lastP: -1}
		bt := &st.batch
		var got [idtable.BatchSize]int32
		run := func() {
			if bt.n == 0 {
				return
			}
			if pt.ids.Pending() {
				pt.ids.Flush() // only on one goroutine: settle put them there
			}
			pt.ids.GetBatch(bt.key[:bt.n], got[:bt.n])
			for j := range bt.n {
				found[bt.at[j]] = got[j]
				if p := got[j]; p >= 0 {
					st.last = append(st.last[:0], bt.cell[j]...)
					st.lastP = p
				} else {
					miss(k, bt.at[j])
				}
			}
			bt.n, bt.buf = 0, bt.buf[:0]
		}
		for at := lo; at < hi; at++ {
			if stop.stop(at - lo) {
				return
			}
			cell := cells.cell(at)
			p, ok, key := pt.quick(cell, st)
			switch {
			case ok:
				found[at] = p
			case key == nil || pt.ids.Beyond(key):
				found[at] = -1
				if !parallel {
					run() // the cells before it first: persons are added in cell order
				}
				miss(k, int32(at))
			default:
				if len(st.key) > 0 && &key[0] == &st.key[0] {
					// Scratch space: keep a copy (buf never grows
					// past idtable.BatchSize × 12 bytes once warm).
					o := len(bt.buf)
					bt.buf = append(bt.buf, key...)
					key = bt.buf[o:len(bt.buf):len(bt.buf)]
				}
				bt.at[bt.n], bt.key[bt.n], bt.cell[bt.n] = int32(at), key, cell
				bt.n++
				if bt.n == idtable.BatchSize {
					run()
				}
			}
		}
		run()
	})
	// The misses of every part in cell order (an earlier part's first).
	for _, ms := range misses {
		slices.Sort(ms)
		for i, at := range ms {
			if stop.stop(i) {
				break
			}
			settle(at)
		}
	}
	bad := make([][][2]int32, stop.partsOf(n, 1<<16)) // rejected records: record, cell
	stop.parts(n, 1<<16, func(k, lo, hi int) {
		for i := lo; i < hi; i++ {
			if stop.stop(i - lo) {
				return
			}
			pp := person(recs.At(base + i))
			c := *pp
			if *pp = PersonIndex(found[c]); *pp < 0 {
				bad[k] = append(bad[k], [2]int32{int32(i), int32(c)})
			}
		}
	})
	rejected := 0
	for _, b := range bad {
		for _, x := range b {
			rep.reject(line(int(x[0])), "person_id", reasons[x[1]])
			rejected++
		}
	}
	cells.reset()
	return rejected
}
