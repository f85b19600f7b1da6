package idtable

import (
	"bytes"
	"hash/maphash"

	"github.com/vardval/vardval/vardval/internal/arena"
	"github.com/vardval/vardval/vardval/internal/chunk"
)

// Table maps ids as written (at most 255 bytes) to dense person
// indexes, with open addressing. The ids are kept per person (inline, or in
// large arena chunks) and the slots hold no pointers, so the garbage
// collector never looks inside it.
// A person has one key in the table: the pseudonym as written, or the 12
// digits of the personnummer.
//
// Files are often sorted by person: an id beyond the greatest so far is new
// without a lookup, and such ids are only put into the slots in one batch
// when a lookup needs them (a tight loop whose cache misses overlap).
type Table struct {
	seed    maphash.Seed
	arena   arena.Arena         // ids longer than 15 bytes
	refs    [][]arena.Key       // person p → its id, in chunks of refChunk (no copying as it grows)
	n       int                 // persons in refs
	slots   []idSlot            // len is zero or a power of two
	pending int                 // the last pending persons of refs are not in slots yet
	maxP1   int32               // 1 + the person with the greatest id; 0 when empty
	hash    func([]byte) uint32 // nil: maphash with seed (tests set another)
}

type idSlot struct {
	hash uint32
	val  int32 // person + 1; 0 = empty slot
}

// refBits sets the size of the chunks of Table.refs.
const refBits = 16

// Key returns the id of person p.
func (t *Table) Key(p int32) []byte {
	return t.arena.Bytes(&t.refs[p>>refBits][p&(1<<refBits-1)])
}

// Beyond reports whether b sorts after every id in the table, which
// therefore does not hold it.
func (t *Table) Beyond(b []byte) bool {
	return t.maxP1 == 0 || bytes.Compare(b, t.Key(t.maxP1-1)) > 0
}

// Get returns the person of id b, or the slot where b would go.
func (t *Table) Get(b []byte) (p int32, slot int, hash uint32, ok bool) {
	if t.pending > 0 || len(t.slots) == 0 {
		t.Flush()
	}
	h := t.hashOf(b)
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.val == 0 {
			return 0, int(i), h, false
		}
		if s.hash == h && string(t.Key(s.val-1)) == string(b) {
			return s.val - 1, int(i), h, true
		}
	}
}

// Reserve sizes the slots for n ids; the table must be empty.
func (t *Table) Reserve(n int) {
	t.seed = maphash.MakeSeed()
	size := 1024
	for size < 2*n+2 {
		size *= 2
	}
	t.slots = make([]idSlot, size)
	chunk.WriteEachPage(t.slots)
}

// Flush puts the pending ids into the slots, growing them to stay at most
// half full.
func (t *Table) Flush() {
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
		t.insert(idSlot{hash: t.hashOf(t.Key(int32(p))), val: int32(p + 1)})
	}
	t.pending = 0
}

func (t *Table) insert(s idSlot) {
	mask := uint32(len(t.slots) - 1)
	i := s.hash & mask
	for t.slots[i].val != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// Put stores id b for the new person t.n: at the slot and with the
// hash that get just returned for b, or pending when slot < 0 (b must then
// be beyond every id in the table).
func (t *Table) Put(b []byte, slot int, hash uint32) {
	key := t.arena.Store(b)
	if t.n&(1<<refBits-1) == 0 {
		t.refs = append(t.refs, make([]arena.Key, 0, 1<<refBits))
	}
	t.refs[len(t.refs)-1] = append(t.refs[len(t.refs)-1], key)
	t.n++
	p := int32(t.n)
	if t.Beyond(b) {
		t.maxP1 = p
	}
	if slot < 0 {
		t.pending++
		return
	}
	t.slots[slot] = idSlot{hash: hash, val: p}
	if 2*t.n > len(t.slots) {
		t.Flush()
	}
}

// Add stores id b for the new person t.n; b must not be in the table.
func (t *Table) Add(b []byte) {
	_, slot, h, _ := t.Get(b)
	t.Put(b, slot, h)
}

// BatchSize is how many lookups run together: enough cache misses in
// flight to hide most of their latency, few enough to stay in registers
// and L1.
const BatchSize = 16

// GetBatch looks up keys[0:n] and stores the persons (or -1) in out. The
// slots of all keys are loaded first and then the ids they point to, each
// pass a loop of independent loads whose cache misses overlap; a lookup
// one at a time in a busy loop waits for each miss in turn. The table
// must be flushed and is only read.
func (t *Table) GetBatch(keys [][]byte, out []int32) {
	var hs [BatchSize]uint32
	var ss [BatchSize]idSlot
	mask := uint32(len(t.slots) - 1)
	for j, k := range keys {
		hs[j] = t.hashOf(k)
	}
	for j := range keys {
		ss[j] = t.slots[hs[j]&mask]
	}
	var ks [BatchSize]arena.Key
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
		case s.hash == hs[j] && shortEqual(&ks[j], k):
			out[j] = s.val - 1
		default:
			p, _, _, ok := t.Get(k) // a long id, or probe on
			if !ok {
				p = -1
			}
			out[j] = p
		}
	}
}

// shortEqual reports whether k holds id b inline.
func shortEqual(k *arena.Key, b []byte) bool {
	s, ok := k.Short()
	return ok && string(s) == string(b)
}

// Pending reports whether ids were put beyond every other and are not in
// the slots yet (Flush puts them there; Get does it first).
func (t *Table) Pending() bool { return t.pending > 0 }

// Len returns the number of ids in the table.
func (t *Table) Len() int { return t.n }

// hashOf is the hash of b that slots are found by: maphash, or the one a
// test set (only to make ids collide).
func (t *Table) hashOf(b []byte) uint32 {
	if t.hash != nil {
		return t.hash(b)
	}
	return uint32(maphash.Bytes(t.seed, b))
}
