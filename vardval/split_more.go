package vardval

import (
	"bytes"
	"context"
	"io"
)

// Reading the contacts file on more than two cores.
//
// With Workers above two, once a has read the contacts file's header the
// rest of what a would read is cut at line ends into Workers−1 parts of
// about equal size (each at least minSplit bytes): a reads the first, and
// one further worker each of the others, from the start, beside b reading
// the other files. When b is done it may still split a's part (split.go).
// The parts are merged in file order as b's is (contactsSplit.merge), so
// the Region and report are those of one worker reading the whole file:
// the same for any number of workers. A cut is kept only when no part
// before it held a '"' (a line end inside quotes is no record boundary);
// else the file is read again by a alone.

// extraPart is a part of the contacts file read by a worker of its own.
type extraPart struct {
	w   *worker
	t   *table
	rep *FileReport  // the part's rows, lines relative to the part
	q   *quoteReader // the part's bytes
}

// quoteReader notes whether a '"' was among the bytes read through it.
type quoteReader struct {
	rd    io.Reader
	quote bool
}

func (q *quoteReader) Read(p []byte) (int, error) {
	n, err := q.rd.Read(p)
	if !q.quote && bytes.IndexByte(p[:n], '"') >= 0 {
		q.quote = true
	}
	return n, err
}

// cut lowers the limit so that a reads about 1/n of what it has not read,
// and returns the parts that follow as [start, end) offsets, each starting
// after a line end and at least s.min bytes long; none when a has been
// handed a '"' or the rest is too short.
func (s *splitReader) cut(n int) [][2]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	rest := s.limit - s.pos
	if s.quote || n < 2 || rest < 2*s.min {
		return nil
	}
	n = int(min(int64(n), rest/max(s.min, 1)))
	var starts []int64
	from := s.pos
	for k := 1; k < n; k++ {
		at := s.lineEndAfter(max(from, s.pos+rest*int64(k)/int64(n)))
		if at < 0 {
			break
		}
		starts = append(starts, at)
		from = at
	}
	if len(starts) == 0 {
		return nil
	}
	out := make([][2]int64, len(starts))
	for i, st := range starts {
		end := s.limit
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		out[i] = [2]int64{st, end}
	}
	s.limit = starts[0]
	return out
}

// readExtras cuts the contacts file for the workers beyond a and b and
// starts one goroutine a part, each with a worker of its own (without
// persons, as a). t is a's table, its header read.
func (cs *contactsSplit) readExtras(ctx context.Context, ld *loader, t *table, workers int) {
	if t == nil || workers < 3 {
		return
	}
	cs.aT = t
	for _, r := range cs.sr.cut(workers - 1) {
		p := &extraPart{w: ld.newWorker(false), rep: &FileReport{File: FileContacts},
			q: &quoteReader{rd: io.NewSectionReader(cs.sr.src, r[0], r[1]-r[0])}}
		p.t = &table{rep: p.rep, rd: t.rd.Continue(p.q), idx: t.idx, head: t.head}
		cs.extras = append(cs.extras, p)
		cs.wg.Go(func() { _ = p.w.contactsFile(ctx, p.t) })
	}
}
