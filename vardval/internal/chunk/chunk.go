package chunk

import "unsafe"

// Seq is an append-only sequence stored in chunks of 1<<Bits elements,
// so that growing it never copies and never leaves large garbage behind.
// The zero Seq is empty and ready to use. Loops that want the elements in
// bulk range over Chunks, in order; element i is Chunks[i>>Bits][i&(1<<Bits-1)].
type Seq[T any] struct {
	Chunks [][]T // every chunk but the last is full
	N      int   // the number of elements
}

// Bits sets the size of a chunk: 1<<Bits elements.
const Bits = 15

// Add appends x.
func (c *Seq[T]) Add(x T) {
	k := len(c.Chunks)
	if k == 0 || len(c.Chunks[k-1]) == cap(c.Chunks[k-1]) {
		c.Chunks = append(c.Chunks, make([]T, 0, 1<<Bits))
		k++
	}
	c.Chunks[k-1] = append(c.Chunks[k-1], x)
	c.N++
}

// Reset empties c, keeping its first chunk for reuse.
func (c *Seq[T]) Reset() {
	if len(c.Chunks) > 0 {
		c.Chunks = c.Chunks[:1]
		c.Chunks[0] = c.Chunks[0][:0]
	}
	c.N = 0
}

// At returns a pointer to element i (0 <= i < N).
func (c *Seq[T]) At(i int) *T { return &c.Chunks[i>>Bits][i&(1<<Bits-1)] }

// WriteEachPage writes a zero byte into every 4 KiB of s, which must be
// zero (fresh from make). A table that is read before it is written (hash
// slots probed, counts incremented, or pointers stored while the collector
// runs, whose write barrier reads the old value) otherwise faults twice on
// each fresh page: the read maps the shared zero page, then the write
// copies it and flushes the page from the TLB of every core the program
// has run on, which takes an interrupt to each (costly in a virtual
// machine). Written first, a page faults once. The byte is written through
// unsafe so that no write barrier reads the page first; a zero byte in
// zeroed memory changes nothing.
func WriteEachPage[T any](s []T) {
	if len(s) == 0 {
		return
	}
	var zero T
	n := uintptr(len(s)) * unsafe.Sizeof(zero)
	p := unsafe.Pointer(unsafe.SliceData(s))
	for off := uintptr(0); off < n; off += 4096 {
		*(*byte)(unsafe.Add(p, off)) = 0
	}
}
