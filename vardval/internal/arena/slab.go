package arena

// Slab holds a sequence of ids (each at most 255 bytes) packed one after
// another, a length byte before each, in large chunks: about one byte
// more than the id itself, where a [Key] takes 16. Id i is found from a
// mark kept every 16 ids, by stepping over at most 15 others; [Slab.Each]
// walks a range in order. The zero Slab is empty and ready to use.
type Slab struct {
	chunks [][]byte
	marks  [][]uint64 // where id 16k starts: chunk<<32 | offset, in blocks of markBlock
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
	k := len(s.chunks)
	if k == 0 || len(s.chunks[k-1])+1+len(b) > cap(s.chunks[k-1]) {
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
	s.chunks[k-1] = append(append(s.chunks[k-1], byte(len(b))), b...)
	s.n++
}

// at returns the chunk and offset of id i.
func (s *Slab) at(i int) (int, int) {
	m := i / markEvery
	pos := s.marks[m/markBlock][m%markBlock]
	c, off := int(pos>>32), int(uint32(pos))
	for range i % markEvery {
		off += 1 + int(s.chunks[c][off])
		if off == len(s.chunks[c]) {
			c, off = c+1, 0
		}
	}
	return c, off
}

// At returns id i (0 <= i < Len). The bytes are the slab's: do not change
// them.
func (s *Slab) At(i int) []byte {
	c, off := s.at(i)
	ch := s.chunks[c]
	return ch[off+1 : off+1+int(ch[off])]
}

// Each calls fn with every id from lo to hi-1 in order, until fn returns
// false.
func (s *Slab) Each(lo, hi int, fn func(i int, id []byte) bool) {
	if lo >= hi {
		return
	}
	c, off := s.at(lo)
	for i := lo; i < hi; i++ {
		ch := s.chunks[c]
		l := int(ch[off])
		if !fn(i, ch[off+1:off+1+l]) {
			return
		}
		off += 1 + l
		if off == len(ch) && i+1 < s.n {
			c, off = c+1, 0
		}
	}
}
