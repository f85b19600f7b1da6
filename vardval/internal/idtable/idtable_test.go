package idtable

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
)

// hashes are the hashes the table is checked under: the real one (nil),
// one under which every id collides, and one with few distinct values.
var hashes = map[string]func([]byte) uint32{
	"maphash":  nil,
	"constant": func([]byte) uint32 { return 7 },
	"length":   func(b []byte) uint32 { return uint32(len(b)) },
}

// The table gives the same answers as a map from id to the order it was
// added in, on random ids (short, long, in sorted runs as in files sorted
// by person, and repeated), by Get, GetBatch and Beyond, whatever the hash:
// a hash only finds slots, the bytes decide.
func TestTableMatchesMap(t *testing.T) {
	for name, h := range hashes {
		f := func(seed uint64, n uint16, reserve bool) bool {
			rng := rand.New(rand.NewPCG(seed, 3))
			var tb Table
			if reserve {
				tb.Reserve(int(n))
			}
			tb.hash = h
			ref := map[string]int32{}
			var order [][]byte
			var maxID []byte
			total := int(n) % 3000
			if h != nil {
				total = min(total, 400) // every look-up probes all: keep it small
			}
			for i := range total {
				var id []byte
				switch rng.IntN(4) {
				case 0: // beyond every id so far, as in a sorted file
					id = fmt.Appendf(nil, "~%08d", i)
				case 1: // long, in the arena
					id = fmt.Appendf(nil, "person-with-a-long-pseudonym-%d", rng.IntN(total+1))
				default:
					id = fmt.Appendf(nil, "P%d", rng.IntN(total+1))
				}
				if b := tb.Beyond(id); b != (maxID == nil || bytes.Compare(id, maxID) > 0) {
					t.Logf("%s: Beyond(%q) = %v with greatest %q", name, id, b, maxID)
					return false
				}
				p, slot, hh, ok := int32(0), -1, uint32(0), false
				if !tb.Beyond(id) {
					p, slot, hh, ok = tb.Get(id)
				}
				want, known := ref[string(id)]
				if ok != known || (ok && p != want) {
					t.Logf("%s: Get(%q) = %d, %v; want %d, %v", name, id, p, ok, want, known)
					return false
				}
				if !known {
					tb.Put(id, slot, hh)
					ref[string(id)] = int32(len(order))
					order = append(order, id)
					if maxID == nil || bytes.Compare(id, maxID) > 0 {
						maxID = id
					}
				}
			}
			if tb.Len() != len(order) {
				return false
			}
			for p, id := range order {
				if !bytes.Equal(tb.Key(int32(p)), id) {
					t.Logf("%s: Key(%d) = %q, want %q", name, p, tb.Key(int32(p)), id)
					return false
				}
			}
			// Batches of known and unknown ids.
			tb.Flush()
			var keys [][]byte
			for i := range 2 * BatchSize {
				if i%3 == 0 || len(order) == 0 {
					keys = append(keys, fmt.Appendf(nil, "unknown-%d", i))
				} else {
					keys = append(keys, order[rng.IntN(len(order))])
				}
			}
			for lo := 0; lo < len(keys); lo += BatchSize {
				batch := keys[lo:min(lo+BatchSize, len(keys))]
				out := make([]int32, len(batch))
				tb.GetBatch(batch, out)
				for j, k := range batch {
					want, ok := ref[string(k)]
					if !ok {
						want = -1
					}
					if out[j] != want {
						t.Logf("%s: GetBatch(%q) = %d, want %d", name, k, out[j], want)
						return false
					}
				}
			}
			return !slices.ContainsFunc(order, func(id []byte) bool { return tb.Beyond(id) })
		}
		if err := quick.Check(f, &quick.Config{MaxCount: 60}); err != nil {
			t.Errorf("hash %s: %v", name, err)
		}
	}
}
