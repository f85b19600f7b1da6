package arena

// Slab holds a sequence of ids (each at most 255 bytes) packed one after
// another in large chunks, each id front-coded against the one before it:
// a byte for the length of the prefix they share, a byte for the length
// of the rest and the rest. Ids read in order from a file (contact ids
// C0000000001, C0000000002, ...) then take three or four bytes each, where
// a [Key] takes 16; ids in random order take about two bytes more than
// themselves. Every 16th id is stored whole, with a mark saying where it
// starts, so id i is rebuilt from at most 16 ([Slab.At]); [Slab.Each] walks
// a range in order. The zero Slab is empty and ready to use.
type Slab struct {
	chunks [][]byte
	marks  [][]uint64 // where id 16k starts: chunk<<32 | offset, in blocks of markBlock
	last   []byte     // the last id added
	n      int
}

const (
	markEvery = 16
	markBlock = 1 << 14 // marks per block (no copying as they grow)
)

// Len returns the number of ids.
func (s *Slab) Len() int { return s.n }

// Add appends id b, which must have at most 255 bytes.
func (s *Slab) Add(b []byte) {
	shared := 0
	if s.n%markEvery != 0 {
		for shared < len(b) && shared < len(s.last) && b[shared] == s.last[shared] {
			shared++
		}
	}
	rest := b[shared:]
	k := len(s.chunks)
	if k == 0 || len(s.chunks[k-1])+2+len(rest) > cap(s.chunks[k-1]) {
		s.chunks = append(s.chunks, make([]byte, 0, chunkSize))
		k++
	}
	if s.n%markEvery == 0 {
		m := s.n / markEvery
		if m%markBlock == 0 {
			s.marks = append(s.marks, make([]uint64, 0, markBlock))
		}
		s.marks[m/markBlock] = append(s.marks[m/markBlock], uint64(k-1)<<32|uint64(len(s.chunks[k-1])))
	}
	s.chunks[k-1] = append(append(s.chunks[k-1], byte(shared), byte(len(rest))), rest...)
	s.last = append(s.last[:0], b...)
	s.n++
}

// cursor walks the ids of a slab in order, rebuilding each in id.
type cursor struct {
	s      *Slab
	c, off int
	id     []byte
}

// seek places the cursor on mark m (id 16m).
func (cu *cursor) seek(m int) {
	pos := cu.s.marks[m/markBlock][m%markBlock]
	cu.c, cu.off = int(pos>>32), int(uint32(pos))
}

// next rebuilds the id at the cursor in cu.id and moves past it.
func (cu *cursor) next() {
	ch := cu.s.chunks[cu.c]
	shared, l := int(ch[cu.off]), int(ch[cu.off+1])
	cu.id = append(cu.id[:shared], ch[cu.off+2:cu.off+2+l]...)
	cu.off += 2 + l
	if cu.off == len(ch) && cu.c+1 < len(cu.s.chunks) {
		cu.c, cu.off = cu.c+1, 0
	}
}

// At returns id i (0 <= i < Len), rebuilt in buf (which it may grow):
// pass the result back as buf on the next call to reuse its memory.
func (s *Slab) At(i int, buf []byte) []byte {
	cu := cursor{s: s, id: buf[:0]}
	cu.seek(i / markEvery)
	for range i%markEvery + 1 {
		cu.next()
	}
	return cu.id
}

// Each calls fn with every id from lo to hi-1 in order, until fn returns
// false. The id passed to fn is valid only during the call.
func (s *Slab) Each(lo, hi int, fn func(i int, id []byte) bool) {
	if lo >= hi {
		return
	}
	cu := cursor{s: s}
	cu.seek(lo / markEvery)
	for range lo % markEvery {
		cu.next()
	}
	for i := lo; i < hi; i++ {
		cu.next()
		if !fn(i, cu.id) {
			return
		}
	}
}

// Drain calls fn with every id in order and leaves s empty, dropping each
// chunk once its ids are passed: a slab copied into another one is not
// held twice meanwhile. The id passed to fn is valid only during the call.
func (s *Slab) Drain(fn func(id []byte)) {
	cu := cursor{s: s}
	for range s.n {
		c := cu.c
		cu.next()
		fn(cu.id)
		if cu.c != c {
			s.chunks[c] = nil
		}
	}
	*s = Slab{}
}

// Reader reads ids of a slab by index, remembering where it is: an id
// after the last one read and stored since the same mark is rebuilt from
// there, so reading ids in about the order they were added costs one or
// two steps each, not up to 16. Make one with [Slab.Reader]; it is for one
// goroutine.
type Reader struct {
	cu cursor
	i  int // the id in cu.id, -1 for none
}

// Reader returns a Reader of s.
func (s *Slab) Reader() *Reader { return &Reader{cu: cursor{s: s}, i: -1} }

// At returns id i (0 <= i < Len). The bytes are valid until the next call.
func (r *Reader) At(i int) []byte {
	if i == r.i {
		return r.cu.id
	}
	if r.i < 0 || i < r.i || i/markEvery != r.i/markEvery {
		r.cu.seek(i / markEvery)
		r.i = i/markEvery*markEvery - 1
	}
	for ; r.i < i; r.i++ {
		r.cu.next()
	}
	return r.cu.id
}
