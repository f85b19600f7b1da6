package vardval

import (
	"sync"
	"unsafe"

	"github.com/vardval/vardval/vardval/internal/arena"
	"github.com/vardval/vardval/vardval/internal/intern"
)

// finish merges the workers' persons, codes and clinicians, pseudonymises
// persons and puts them, codes and clinicians into a canonical order
// (independent of row order), then places every record in canonical order
// and builds the indexes.
//
// contactsOut, when not nil, is the slice the contacts are copied to, made
// ahead (contactsAhead). The contact ids are checked on resolved's
// goroutines (finish waits for them before it copies the diagnoses): by
// then, or, when checkIDs is not nil, by checkIDs once the person table
// is dropped (so that the two are never held at once; it reports false
// when ld.stop stopped it). The Persons are made once the contacts are
// copied (personOrder).
//
// It reports false, leaving the Region unfinished, when ld.stop stops it; it
// returns only once resolved is done either way.
func (ld *loader) finish(a, b *worker, bSums []byte, bOrder []int32, contactsOut []Contact, resolved *sync.WaitGroup, checkIDs func(*sync.WaitGroup) bool) bool {
	defer resolved.Wait()
	r := ld.r
	// Persons: b's table is the base (it read the listings, which give
	// pseudonymous persons their sex and birth date); a's persons are
	// looked up in it by identity.
	drafts := b.pt.drafts
	aMap := make([]PersonIndex, len(a.pt.drafts))
	nb, last := int32(len(drafts)), int32(-1)
	var pred predictor
	for j := range a.pt.drafts {
		if ld.stop.stop(j) {
			return false
		}
		d := &a.pt.drafts[j]
		key := a.pt.ids.Key(int32(j))
		g, ok := int32(0), false
		// The files are often in the same person order: try the persons
		// after the last match before hashing.
		if pred.try() {
			for k := last + 1; k < nb && k <= last+predictAhead && !ok; k++ {
				e := &drafts[k]
				if d.fromPNR {
					g, ok = k, e.fromPNR && e.pnr == d.pnr
				} else {
					g, ok = k, !e.fromPNR && string(b.pt.ids.Key(k)) == string(key)
				}
			}
			if ok {
				pred.hit()
			} else {
				pred.miss()
			}
		}
		if !ok {
			g, _, _, ok = b.pt.ids.Get(key)
		}
		if !ok {
			g = int32(len(drafts))
			drafts = append(drafts, *d)
			// Keep the identity in b's arena, which names every draft.
			b.pt.ids.Add(key)
		} else if g < nb {
			last = g
		}
		aMap[j] = PersonIndex(g)
	}
	a.pt = personTable{}
	order, newIdx, sums := ld.personOrder(drafts, &b.pt.ids, bSums, bOrder)
	if ld.stop.now() {
		return false
	}
	b.pt = personTable{}
	if checkIDs != nil && ld.opts.Reclaim != nil && a.contacts.N > 1<<20 {
		// The person table is garbage now: collected first (the program
		// may, LoadOptions.Reclaim), its memory takes the check's hashes
		// (8 bytes an id, and a quarter of that at a time for the
		// entries) instead of fresh pages beside it.
		ld.opts.Reclaim(int64(a.cIDs.Len()) * 10)
	}
	if checkIDs != nil && !checkIDs(resolved) {
		return false
	}
	for j, g := range aMap {
		aMap[j] = newIdx[g]
	}
	bMap := newIdx[:len(newIdx):len(newIdx)]

	// Codes and clinicians sorted, so indexes do not depend on row order.
	var codeMaps, clinMaps [][]int32
	resolved.Wait()
	if ld.stop.now() {
		return false
	}
	// The contact ids have answered every question (duplicates, the
	// diagnoses' contact_id): the largest table left after the records.
	a.cIDs, a.contactSet = arena.Slab{}, nil
	// A diagnosis's code counts once the diagnosis is accepted, which may
	// only have been settled by its contact_id.
	for _, ch := range b.diagnoses.Chunks {
		for i := range ch {
			if ch[i].Person >= 0 {
				b.codes.Used[ch[i].Code] = true
			}
		}
	}
	// Likewise observations and prescriptions, which may have been
	// rejected for their person_id after their code was interned. Either
	// worker may have read them (codes 0 for a, 1 for b).
	obsW, obsK, rxW, rxK := b, 1, b, 1
	if a.observations.N > 0 {
		obsW, obsK = a, 0
	}
	if a.prescriptions.N > 0 {
		rxW, rxK = a, 0
	}
	for _, ch := range obsW.observations.Chunks {
		for i := range ch {
			if ch[i].Person >= 0 {
				obsW.codes.Used[ch[i].Code] = true
			}
		}
	}
	for _, ch := range rxW.prescriptions.Chunks {
		for i := range ch {
			if ch[i].Person >= 0 {
				rxW.codes.Used[ch[i].ATC] = true
			}
		}
	}
	r.Codes, codeMaps = intern.Merge(&a.codes, &b.codes)
	r.Clinicians, clinMaps = intern.Merge(&a.clins, &b.clins)
	r.codeIndex = make(map[string]int32, len(r.Codes))
	for i, c := range r.Codes {
		r.codeIndex[c] = int32(i)
	}
	n := len(newIdx)
	if !b.pre {
		b.listN = b.listings.N
	}
	// The records are about to be copied into their final slices. The
	// heap is mostly pointer-free chunks, so a collection is cheap: the
	// program may collect here (LoadOptions.Reclaim), so that the copies
	// reuse the memory of the chunks and tables that are garbage by then
	// instead of growing the heap (likewise after the contacts, the
	// largest). A large contacts copy was made ahead (contactsOut): it is
	// not counted again.
	big := a.contacts.N+b.diagnoses.N+obsW.observations.N+rxW.prescriptions.N+b.listN > 1<<20
	reclaim := ld.opts.Reclaim
	if !big {
		reclaim = nil
	}
	need := int64(b.diagnoses.N)*int64(unsafe.Sizeof(Diagnosis{})) + int64(obsW.observations.N)*int64(unsafe.Sizeof(Observation{})) +
		int64(rxW.prescriptions.N)*int64(unsafe.Sizeof(Prescription{}))
	if contactsOut == nil {
		need += int64(a.contacts.N) * int64(unsafe.Sizeof(Contact{}))
	}
	if reclaim != nil && need > 0 {
		reclaim(need)
	}
	remap := func(c *contactRec) {
		if c.person >= 0 {
			c.person = bMap[c.person]
			if c.clinician >= 0 {
				c.clinician = clinMaps[0][c.clinician]
			}
		}
	}
	// Into a copy made ahead, the contacts' reading copy is handed back as
	// it is consumed: the copy is fresh memory, which occupies pages only
	// as they are written, so the two need not add up.
	var release *releaser
	if reclaim != nil && contactsOut != nil {
		release = &releaser{every: releaseBytes, fn: func(b int64) { reclaim(-max(1, b)) }}
	}
	r.Contacts, r.contOff = group(ld.stop, &a.contacts, n, remap, func(c *contactRec) PersonIndex { return c.person }, (*contactRec).contact,
		func(c *Contact) PersonIndex { return c.Person }, contactsOut, release)
	contactsOut = nil
	sortEach(ld.stop, r.Contacts, r.contOff, cmpContact)
	if ld.stop.now() {
		return false
	}
	r.contactMonths = countContactMonths(r.Contacts)
	if reclaim != nil {
		reclaim(0)
	}
	ld.fillPersons(order, drafts, sums)
	order, drafts, sums = nil, nil, nil
	if ld.stop.now() {
		return false
	}
	cm := codeMaps[1]
	r.Diagnoses, r.diagOff = place(ld.stop, &b.diagnoses, n, func(d *Diagnosis) bool {
		if d.Person < 0 {
			return false
		}
		d.Person, d.Code = bMap[d.Person], cm[d.Code]
		return true
	}, func(d *Diagnosis) PersonIndex { return d.Person }, cmpDiagnosis(cmpIndex))
	if b.pre {
		ls, poff := b.preList, b.preOff
		b.preList, b.preOff = nil, nil
		ld.stop.parts(len(ls), 1<<14, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				if ld.stop.stop(i - lo) {
					return
				}
				l := &ls[i]
				l.Person = bMap[l.Person]
				if l.ACG >= 0 {
					l.ACG = cm[l.ACG]
				}
			}
		})
		off := make([]int32, n+1)
		for rk, d := range bOrder {
			off[bMap[d]+1] = poff[rk+1] - poff[rk]
		}
		for i := 1; i <= n; i++ {
			off[i] += off[i-1]
		}
		r.Listings, r.listOff = ls, off
	} else {
		r.Listings, r.listOff = place(ld.stop, &b.listings, n, func(l *Listing) bool {
			l.Person = bMap[l.Person]
			if l.ACG >= 0 {
				l.ACG = cm[l.ACG]
			}
			return true
		}, func(l *Listing) PersonIndex { return l.Person }, cmpListing)
	}
	// Persons of records a read were looked up in b's table too (bMap).
	ocm, xcm := codeMaps[obsK], codeMaps[rxK]
	r.Observations, r.obsOff = place(ld.stop, &obsW.observations, n, func(o *Observation) bool {
		if o.Person < 0 {
			return false
		}
		o.Person, o.Code = bMap[o.Person], ocm[o.Code]
		return true
	}, func(o *Observation) PersonIndex { return o.Person }, cmpObservation(cmpIndex))
	r.Prescriptions, r.rxOff = place(ld.stop, &rxW.prescriptions, n, func(x *Prescription) bool {
		if x.Person < 0 {
			return false
		}
		x.Person, x.ATC = bMap[x.Person], xcm[x.ATC]
		return true
	}, func(x *Prescription) PersonIndex { return x.Person }, cmpPrescription(cmpIndex))
	shareZeros([]int{len(r.Diagnoses), len(r.Observations), len(r.Prescriptions)}, &r.diagOff, &r.obsOff, &r.rxOff)
	return !ld.stop.now()
}

// shareZeros gives every kind of record the region has none of (recs[i] is
// 0 for offs[i]) one slice of offsets, all zero: at 10 million persons
// each would hold 40 MB of zeros.
func shareZeros(recs []int, offs ...*[]int32) {
	var zeros []int32
	for i, off := range offs {
		if recs[i] != 0 {
			continue
		}
		if zeros == nil {
			zeros = *off
		} else {
			*off = zeros
		}
	}
}

// contactsAhead makes the slice a's contacts will be copied to, when they
// are many (releaseBytes or more) and the program has a memory hook
// (LoadOptions.Reclaim, told first): right after the files are read, while
// the heap holds hardly any free memory, so that the slice is fresh memory,
// which occupies pages only as they are written. Made later, it could
// reuse the memory of tables dropped by then, which the runtime zeroes
// first: every page at once, beside the reading copy. Else it returns nil
// (finish makes the slice then).
func (ld *loader) contactsAhead(a *worker) []Contact {
	size := int64(a.contacts.N) * int64(unsafe.Sizeof(Contact{}))
	if ld.opts.Reclaim == nil || size < releaseBytes {
		return nil
	}
	ld.opts.Reclaim(size)
	return make([]Contact, a.contacts.N)
}
