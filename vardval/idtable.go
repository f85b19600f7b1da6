package vardval

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"

	"github.com/vardval/vardval/vardval/internal/chunk"
)

// idTable maps person ids as written (at most 255 bytes) to dense person
// indexes, with open addressing. The ids are kept per person (inline, or in
// large arena chunks) and the slots hold no pointers, so the garbage
// collector never looks inside it.
// A person has one key in the table: the pseudonym as written, or the 12
// digits of the personnummer.
//
// Files are often sorted by person: an id beyond the greatest so far is new
// without a lookup, and such ids are only put into the slots in one batch
// when a lookup needs them (a tight loop whose cache misses overlap).
type idTable struct {
	seed    maphash.Seed
	arena   keyArena  // ids longer than 15 bytes
	refs    [][]idKey // person p → its id, in chunks of refChunk (no copying as it grows)
	n       int       // persons in refs
	slots   []idSlot  // len is zero or a power of two
	pending int       // the last pending persons of refs are not in slots yet
	maxP1   int32     // 1 + the person with the greatest id; 0 when empty
}

type idSlot struct {
	hash uint32
	val  int32 // person + 1; 0 = empty slot
}

const arenaChunk = 1 << 20

// refBits sets the size of the chunks of idTable.refs.
const refBits = 16

// keyArena holds the ids too long to sit inline in an idKey, in large
// chunks; idTable and cellStore keep theirs in one each.
type keyArena [][]byte

// keyOf returns b as an idKey: inline when it has at most 15 bytes, else
// a reference to a copy of it in a (b has at most 255 bytes: the reference
// keeps 8 bits of length).
func (a *keyArena) keyOf(b []byte) idKey {
	var key idKey
	if len(b) <= len(key.b) {
		key.n = uint8(copy(key.b[:], b))
		return key
	}
	k := len(*a)
	if k == 0 || len((*a)[k-1])+len(b) > arenaChunk {
		*a = append(*a, make([]byte, 0, max(arenaChunk, len(b))))
		k++
	}
	off := len((*a)[k-1])
	(*a)[k-1] = append((*a)[k-1], b...)
	binary.LittleEndian.PutUint64(key.b[:8], uint64(k-1)<<32|uint64(off)<<8|uint64(len(b)))
	key.n = 255
	return key
}

// bytes returns the id k holds (inline, or in a).
func (a keyArena) bytes(k *idKey) []byte {
	if k.n != 255 {
		return k.b[:k.n]
	}
	ref := binary.LittleEndian.Uint64(k.b[:8])
	c, off, l := ref>>32, (ref>>8)&0xffffff, ref&0xff
	return a[c][off : off+l]
}

// idKey is a person's id: inline when it has at most 15 bytes (n is its
// length), else (n = 255) a reference chunk<<32 | offset<<8 | length into
// the arena in the first 8 bytes. Inline ids cost a lookup one cache miss
// less.
type idKey struct {
	b [15]byte
	n uint8
}

// key returns the id of person p.
func (t *idTable) key(p int32) []byte {
	return t.arena.bytes(&t.refs[p>>refBits][p&(1<<refBits-1)])
}

// beyond reports whether b sorts after every id in the table, which
// therefore does not hold it.
func (t *idTable) beyond(b []byte) bool {
	return t.maxP1 == 0 || bytes.Compare(b, t.key(t.maxP1-1)) > 0
}

// get returns the person of id b, or the slot where b would go.
func (t *idTable) get(b []byte) (p int32, slot int, hash uint32, ok bool) {
	if t.pending > 0 || len(t.slots) == 0 {
		t.flush()
	}
	h := uint32(maphash.Bytes(t.seed, b))
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.val == 0 {
			return 0, int(i), h, false
		}
		if s.hash == h && string(t.key(s.val-1)) == string(b) {
			return s.val - 1, int(i), h, true
		}
	}
}

// reserve sizes the slots for n ids; the table must be empty.
func (t *idTable) reserve(n int) {
	t.seed = maphash.MakeSeed()
	size := 1024
	for size < 2*n+2 {
		size *= 2
	}
	t.slots = make([]idSlot, size)
	chunk.WriteEachPage(t.slots)
}

// flush puts the pending ids into the slots, growing them to stay at most
// half full.
func (t *idTable) flush() {
	if len(t.slots) == 0 {
		t.seed = maphash.MakeSeed()
	}
	size := max(1024, len(t.slots))
	for size < 2*t.n+2 {
		size *= 2
	}
	if size != len(t.slots) {
		old := t.slots
		t.slots = make([]idSlot, size)
		chunk.WriteEachPage(t.slots)
		for _, s := range old {
			if s.val != 0 {
				t.insert(s)
			}
		}
	}
	for p := t.n - t.pending; p < t.n; p++ {
		t.insert(idSlot{hash: uint32(maphash.Bytes(t.seed, t.key(int32(p)))), val: int32(p + 1)})
	}
	t.pending = 0
}

func (t *idTable) insert(s idSlot) {
	mask := uint32(len(t.slots) - 1)
	i := s.hash & mask
	for t.slots[i].val != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// put stores id b for the new person t.n: at the slot and with the
// hash that get just returned for b, or pending when slot < 0 (b must then
// be beyond every id in the table).
func (t *idTable) put(b []byte, slot int, hash uint32) {
	key := t.arena.keyOf(b)
	if t.n&(1<<refBits-1) == 0 {
		t.refs = append(t.refs, make([]idKey, 0, 1<<refBits))
	}
	t.refs[len(t.refs)-1] = append(t.refs[len(t.refs)-1], key)
	t.n++
	p := int32(t.n)
	if t.beyond(b) {
		t.maxP1 = p
	}
	if slot < 0 {
		t.pending++
		return
	}
	t.slots[slot] = idSlot{hash: hash, val: p}
	if 2*t.n > len(t.slots) {
		t.flush()
	}
}

// add stores id b for the new person t.n; b must not be in the table.
func (t *idTable) add(b []byte) {
	_, slot, h, _ := t.get(b)
	t.put(b, slot, h)
}

// lookupBatch holds up to batchSize keys for idTable.getBatch.
type lookupBatch struct {
	n    int
	at   [batchSize]int32 // the contact each key is for
	key  [batchSize][]byte
	cell [batchSize][]byte
	buf  []byte // copies of keys that lived in scratch space
}

// batchSize is how many lookups run together: enough cache misses in
// flight to hide most of their latency, few enough to stay in registers
// and L1.
const batchSize = 16

// getBatch looks up keys[0:n] and stores the persons (or -1) in out. The
// slots of all keys are loaded first and then the ids they point to, each
// pass a loop of independent loads whose cache misses overlap; a lookup
// one at a time in a busy loop waits for each miss in turn. The table
// must be flushed and is only read.
func (t *idTable) getBatch(keys [][]byte, out []int32) {
	var hs [batchSize]uint32
	var ss [batchSize]idSlot
	mask := uint32(len(t.slots) - 1)
	for j, k := range keys {
		hs[j] = uint32(maphash.Bytes(t.seed, k))
	}
	for j := range keys {
		ss[j] = t.slots[hs[j]&mask]
	}
	var ks [batchSize]idKey
	for j := range keys {
		if s := ss[j]; s.val != 0 && s.hash == hs[j] {
			ks[j] = t.refs[(s.val-1)>>refBits][(s.val-1)&(1<<refBits-1)]
		}
	}
	for j, k := range keys {
		s := ss[j]
		switch {
		case s.val == 0:
			out[j] = -1 // the home slot is empty: not in the table
		case s.hash == hs[j] && ks[j].n != 255 && string(ks[j].b[:ks[j].n]) == string(k):
			out[j] = s.val - 1
		default:
			p, _, _, ok := t.get(k) // a long id, or probe on
			if !ok {
				p = -1
			}
			out[j] = p
		}
	}
}
