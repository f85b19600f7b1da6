package vardval

import (
	"context"
	"io"
	"sync"
)

// Reading the listings file on more than three cores.
//
// Worker b reads the listings and then pseudonymises their persons, while
// a (and, with Workers above two, further workers) read the contacts
// (split.go, split_more.go). With four workers or more the contacts need
// fewer cores than they are given, while b's listings are the longest
// path of the reading: so, when the listings file can be read at any
// offset, the rows after its header are cut at line ends into
// listingParts(Workers) parts (each at least minSplit bytes), b reading
// the first and one further worker each of the others. The further parts
// check their rows as b does (row checks only: the persons are looked up,
// and the rows of a person checked against each other, once all parts are
// merged), and are merged into b's in file order, lines shifted, their
// ACG codes interned in b's table and their person_id cells appended to
// b's: everything after is as if b had read the whole file, so the Region
// and report are the same for any number of workers. A cut is kept only
// when no part before it held a '"' (a line end inside quotes is no
// record boundary) and every part could be read; else the listings are
// read again by b alone.

// listingParts is how many parts the listings file is cut into for a
// number of workers: half of them (the contacts take the other half), and
// none below four.
func listingParts(workers int) int {
	if workers < 4 {
		return 1
	}
	return workers / 2
}

// listingsSplit is b's state for reading one listings file in parts.
type listingsSplit struct {
	sr     *splitReader
	parts  int
	extras []*listingPart
	n      int // how many further parts were read
	wg     sync.WaitGroup
	again  bool // the parts were dropped: read the file again whole
}

// listingSplitSeen is what a test learns of a split (loadKnobs.listings).
type listingSplitSeen struct {
	extras int
	again  bool
}

// listingPart is a part of the listings file read by a worker of its own.
type listingPart struct {
	w      *worker
	t      *table
	rep    *FileReport  // the part's rows, lines relative to the part
	q      *quoteReader // the part's bytes
	drafts chunked[listDraft]
	cells  cellStore
}

// start cuts what is left of the listings file after t's header, when
// worth it, and starts one goroutine a part after b's.
func (ls *listingsSplit) start(ctx context.Context, ld *loader, t *table) {
	for _, r := range ls.sr.cut(ls.parts) {
		p := &listingPart{w: ld.newWorker(false), rep: &FileReport{File: FileListings},
			q: &quoteReader{rd: io.NewSectionReader(ls.sr.src, r[0], r[1]-r[0])}}
		p.t = &table{rep: p.rep, rd: t.rd.Continue(p.q), idx: t.idx, head: t.head}
		ls.extras = append(ls.extras, p)
		ls.wg.Go(func() { _ = p.w.listingRows(ctx, p.t, &p.drafts, &p.cells) })
	}
}

// merge waits for the further parts and appends them, in file order, to
// b's drafts and cells (t is b's table). It reports false, leaving b's
// drafts as they were, when the file must be read again whole (ls.again).
func (ls *listingsSplit) merge(b *worker, t *table, drafts *chunked[listDraft], cells *cellStore) bool {
	ls.wg.Wait()
	parts := ls.extras
	ls.extras, ls.n = nil, len(parts)
	if len(parts) == 0 || t.rep.fatal != nil {
		return true
	}
	again := ls.sr.sawQuote()
	for i, p := range parts {
		if p.rep.fatal != nil || (i < len(parts)-1 && p.q.quote) {
			again = true
		}
	}
	if again {
		ls.again = true
		return false
	}
	rep := t.rep
	shift := int32(t.rd.Line() - 1)
	for _, p := range parts {
		addPartRows(rep, p.rep, shift)
		codes := internInto(&b.codes, &p.w.codes)
		base := PersonIndex(cells.keys.N)
		for i := range p.cells.keys.N {
			cells.add(p.cells.cell(i))
		}
		p.cells = cellStore{}
		// Each chunk is dropped once appended, so that the part is not
		// held twice.
		for k, ch := range p.drafts.Chunks {
			for _, d := range ch {
				d.l.Person += base
				d.l.Line += shift
				if d.l.ACG >= 0 {
					d.l.ACG = codes[d.l.ACG]
				}
				drafts.Add(d)
			}
			p.drafts.Chunks[k] = nil
		}
		shift += int32(p.t.rd.Line() - 1)
	}
	return true
}
