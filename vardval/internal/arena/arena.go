package arena

import "encoding/binary"

// chunkSize is the size of an arena chunk (an id longer than it gets a
// chunk of its own).
const chunkSize = 1 << 20

// Arena holds the ids too long to sit inline in a Key, in large chunks.
// The zero Arena is empty and ready to use.
type Arena [][]byte

// Store returns b as an Key: inline when it has at most 15 bytes, else
// a reference to a copy of it in a (b has at most 255 bytes: the reference
// keeps 8 bits of length).
func (a *Arena) Store(b []byte) Key {
	var key Key
	if len(b) <= len(key.b) {
		key.n = uint8(copy(key.b[:], b))
		return key
	}
	k := len(*a)
	if k == 0 || len((*a)[k-1])+len(b) > chunkSize {
		*a = append(*a, make([]byte, 0, max(chunkSize, len(b))))
		k++
	}
	off := len((*a)[k-1])
	(*a)[k-1] = append((*a)[k-1], b...)
	binary.LittleEndian.PutUint64(key.b[:8], uint64(k-1)<<32|uint64(off)<<8|uint64(len(b)))
	key.n = 255
	return key
}

// Bytes returns the id k holds (inline, or in a).
func (a Arena) Bytes(k *Key) []byte {
	if k.n != 255 {
		return k.b[:k.n]
	}
	ref := binary.LittleEndian.Uint64(k.b[:8])
	c, off, l := ref>>32, (ref>>8)&0xffffff, ref&0xff
	return a[c][off : off+l]
}

// Key is an id: inline when it has at most 15 bytes (n is its
// length), else (n = 255) a reference chunk<<32 | offset<<8 | length into
// the arena in the first 8 bytes. Inline ids cost a lookup one cache miss
// less.
type Key struct {
	b [15]byte
	n uint8
}

// Short returns the id k holds inline, and false when it is kept in an
// arena (longer than 15 bytes).
func (k *Key) Short() ([]byte, bool) {
	if k.n == 255 {
		return nil, false
	}
	return k.b[:k.n], true
}
