package vardval

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/vardval/vardval/vardval/internal/arena"
	"github.com/vardval/vardval/vardval/internal/intern"
)

// Reading the contacts file on both cores.
//
// Worker a reads contacts.csv from the start while worker b reads every
// other file. When b is done first and the contacts file can be read at
// any offset (an io.ReaderAt with a Size, as *os.File through
// io.SectionReader, or *bytes.Reader), b takes the second half of what a
// has not read yet: a stops at a line end in the middle and b reads from
// there with a continuation of a's CSV reader. A line end is a record
// boundary unless it lies inside a quoted field; a has then seen a '"'
// before it. So the split is kept only when a read no '"' at all; else b's
// part is thrown away and a reads it after its own (rare: contacts have no
// free text). The records, clinicians, contact-id hashes, person cells and
// rejections of b's part are appended to a's, lines shifted by the lines a
// read, so that everything after is as if a had read the whole file.

// sizedReaderAt is what the contacts reader must be for a split.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// minSplit is the fewest bytes left unread that are worth a split.
const minSplit = 8 << 20

// splitReader reads src sequentially for a's CSV reader up to a limit
// that b may lower (split) to a line end a has not reached.
type splitReader struct {
	src   sizedReaderAt
	start int64 // where the reader stood when Load got it
	mu    sync.Mutex
	pos   int64 // next byte to hand to a
	limit int64 // a reads src[:limit]
	min   int64 // fewest unread bytes worth a split
	quote bool  // a '"' was among the bytes handed to a
}

func newSplitReader(src sizedReaderAt, start int64) *splitReader {
	return &splitReader{src: src, start: start, pos: start, limit: src.Size(), min: minSplit}
}

// splittable returns a splitReader for rd when it can be read at any
// offset (io.ReaderAt with Size) and says where it stands (io.Seeker).
func splittable(rd io.Reader) (*splitReader, bool) {
	sra, ok := rd.(sizedReaderAt)
	sk, ok2 := rd.(io.Seeker)
	if !ok || !ok2 {
		return nil, false
	}
	at, err := sk.Seek(0, io.SeekCurrent)
	if err != nil || at < 0 || at > sra.Size() {
		return nil, false
	}
	return newSplitReader(sra, at), true
}

func (s *splitReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pos >= s.limit {
		return 0, io.EOF
	}
	if rest := s.limit - s.pos; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := s.src.ReadAt(p, s.pos)
	s.pos += int64(n)
	if bytes.IndexByte(p[:n], '"') >= 0 {
		s.quote = true
	}
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// split lowers the limit to the first line end after the middle of what a
// has not read, when that is worth it, and returns where b starts (or -1)
// and where b's part ends (a's limit before the split).
func (s *splitReader) split() (start, end int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rest := s.limit - s.pos
	if s.quote || rest < s.min || rest < 2 {
		return -1, -1
	}
	end = s.limit
	at := s.lineEndAfter(s.pos + rest/2)
	if at < 0 {
		return -1, -1
	}
	s.limit = at
	return at, end
}

// lineEndAfter returns the offset just after the first '\n' at or after
// from, when that is before the limit; else -1. s.mu is held.
func (s *splitReader) lineEndAfter(from int64) int64 {
	var buf [64 << 10]byte
	for at := from; at < s.limit; at += int64(len(buf)) {
		n, err := s.src.ReadAt(buf[:min(int64(len(buf)), s.limit-at)], at)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			if at+int64(i)+1 >= s.limit {
				return -1
			}
			return at + int64(i) + 1
		}
		if err != nil {
			return -1
		}
	}
	return -1
}

// sawQuote reports whether a was handed a '"'.
func (s *splitReader) sawQuote() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quote
}

// contactsSplit is the state a and b share for one contacts file.
type contactsSplit struct {
	sr    *splitReader
	ready chan *table // a's table once its header is read (nil: none)
	a     *table
	start int64        // where b's part starts, or -1
	rep   *FileReport  // b's part's rows (lines relative to start)
	bt    *table       // b's part's table
	bq    *quoteReader // b's part's bytes
	// extras are the parts read by further workers from the start
	// (Workers above two, split_more.go), in file order after a's and b's;
	// wg waits for them.
	extras []*extraPart
	wg     sync.WaitGroup
	aT     *table // a's table, set by a when there are extras
}

// readSecondHalf is b's side: when a's table is open and enough is left, it
// splits and reads the second part into b's contact state; decided runs once
// the split has been decided (a test may hold a until then).
func (cs *contactsSplit) readSecondHalf(ctx context.Context, b *worker, decided func()) {
	t := <-cs.ready
	cs.a = t
	cs.start = -1
	end := int64(-1)
	if t != nil {
		cs.start, end = cs.sr.split()
	}
	decided()
	if cs.start < 0 {
		return
	}
	cs.rep = &FileReport{File: FileContacts}
	cs.bq = &quoteReader{rd: io.NewSectionReader(cs.sr.src, cs.start, end-cs.start)}
	cs.bt = &table{rep: cs.rep, rd: t.rd.Continue(cs.bq), idx: t.idx, head: t.head}
	_ = b.contactsFile(ctx, cs.bt)
}

// merge appends b's part, then the extra workers' parts, to a's after
// all are read. When a part before the last held a '"' (a's part: any
// '"' a was handed), a split point may have been inside a quoted field:
// every part is dropped and reread calls for the whole file to be read
// again, by a alone; likewise when a part could not be read.
func (cs *contactsSplit) merge(a, b *worker, rep *FileReport, reread func()) {
	cs.wg.Wait()
	if cs.a == nil {
		cs.a = cs.aT // b did not split: a's table, when there are extras
	}
	if cs.a == nil {
		return
	}
	var parts []*extraPart
	if cs.start >= 0 {
		parts = append(parts, &extraPart{w: b, t: cs.bt, rep: cs.rep, q: cs.bq})
	}
	parts = append(parts, cs.extras...)
	if len(parts) == 0 {
		return
	}
	defer func() {
		for _, p := range parts {
			p.w.contacts, p.w.cIDs, p.w.cells, p.w.clins, p.w.cLines = chunked[contactRec]{}, arena.Slab{}, cellStore{}, intern.Interner{}, lineRuns{}
		}
	}()
	if rep.fatal != nil {
		return // the file is unreadable: its report says so
	}
	again := cs.sr.sawQuote()
	for i, p := range parts {
		if p.rep.fatal != nil || (i < len(parts)-1 && p.q.quote) {
			again = true
		}
	}
	if again {
		// A split may be inside quotes, or a part could not be read (its
		// error would name a line of the part): read it all again.
		a.contacts, a.cIDs, a.cells, a.clins, a.cLines = chunked[contactRec]{}, arena.Slab{}, cellStore{}, intern.Interner{}, lineRuns{}
		reread()
		return
	}
	shift := int32(cs.a.rd.Line() - 1)
	for _, p := range parts {
		appendPart(a, p.w, p.rep, rep, shift)
		shift += int32(p.t.rd.Line() - 1)
	}
}

// appendPart appends the contacts worker w read in a part of the file
// (its report prep, lines relative to the part) to a's, the part starting
// after line shift of the file (report rep).
func appendPart(a, w *worker, prep, rep *FileReport, shift int32) {
	addPartRows(rep, prep, shift)
	clin := internInto(&a.clins, &w.clins)
	// The cells and contact ids are appended on a second goroutine while the
	// contacts are, each chunk of w's dropped once appended (as the
	// contacts' are below), so that the part is not held twice.
	cells := PersonIndex(a.cells.keys.N)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range w.cells.keys.N {
			a.cells.add(w.cells.cell(i))
			if (i+1)&(1<<chunkBits-1) == 0 {
				w.cells.keys.Chunks[i>>chunkBits] = nil
			}
		}
		w.cIDs.Drain(func(id []byte) { a.cIDs.Add(id) })
	})
	// Each chunk is dropped once appended: the collector may take it back
	// while a's chunks grow, instead of the part being held twice.
	a.cLines.appendShifted(&w.cLines, a.contacts.N, int(shift))
	for k, ch := range w.contacts.Chunks {
		for _, c := range ch {
			c.person += cells
			if c.clinician >= 0 {
				c.clinician = clin[c.clinician]
			}
			a.contacts.Add(c)
		}
		w.contacts.Chunks[k] = nil
	}
	wg.Wait()
}

// addPartRows adds the rows read in a part of a file (its report prep,
// lines relative to the part) to the file's report rep, the part starting
// after line shift.
func addPartRows(rep, prep *FileReport, shift int32) {
	rep.Read += prep.Read
	for _, e := range prep.Rejections {
		e.Line += int(shift)
		rep.Rejections = append(rep.Rejections, e)
	}
}

// internInto interns every string of src into dst, in src's order, marking
// as used those src marks, and returns dst's index of each of src's.
func internInto(dst, src *intern.Interner) []int32 {
	to := make([]int32, len(src.Strs))
	for i, s := range src.Strs {
		to[i] = dst.Intern([]byte(s))
		if src.Used[i] {
			dst.Used[to[i]] = true
		}
	}
	return to
}
