package vardval

import (
	"slices"
	"strings"
)

// shortCache is a direct-mapped cache of short ids (at most 7 bytes, packed
// with their length into a uint64) to an index, in front of a map: unit
// ids, codes and clinicians are looked up on nearly every row.
type shortCache struct {
	keys [1 << shortBits]uint64 // 0 = empty
	vals [1 << shortBits]int32
}

const shortBits = 14

// pack returns b packed with its length, or 0 when b is longer than 7 bytes.
func pack(b []byte) uint64 {
	if len(b) > 7 {
		return 0
	}
	k := uint64(len(b)) << 56
	for i, c := range b {
		k |= uint64(c) << (8 * i)
	}
	return k
}

func (c *shortCache) slot(k uint64) int { return int((k * 0x9e3779b97f4a7c15) >> (64 - shortBits)) }

// get returns the index cached for packed id k (k != 0).
func (c *shortCache) get(k uint64) (int32, bool) {
	i := c.slot(k)
	return c.vals[i], c.keys[i] == k
}

// put caches index v for packed id k, when k != 0.
func (c *shortCache) put(k uint64, v int32) {
	if k != 0 {
		i := c.slot(k)
		c.keys[i], c.vals[i] = k, v
	}
}

// interner gives each distinct string a dense index in first-seen order.
type interner struct {
	cache *shortCache
	idx   map[string]int32
	strs  []string
	used  []bool // the string belongs to an accepted record
}

func (in *interner) intern(b []byte) int32 {
	i, ok := in.lookup(b)
	if ok {
		return i
	}
	if in.idx == nil {
		in.idx = map[string]int32{}
	}
	s := string(b)
	i = int32(len(in.strs))
	in.strs = append(in.strs, s)
	in.used = append(in.used, false)
	in.idx[s] = i
	in.cache.put(pack(b), i)
	return i
}

// lookup returns the index of b, if it has one.
func (in *interner) lookup(b []byte) (int32, bool) {
	if in.cache == nil {
		in.cache = new(shortCache)
	}
	k := pack(b)
	if k != 0 {
		if i, ok := in.cache.get(k); ok {
			return i, true
		}
	}
	i, ok := in.idx[string(b)]
	if ok {
		in.cache.put(k, i)
	}
	return i, ok
}

// mergeInterners returns the sorted union of the used strings of ins and,
// per interner, old index → index in that union (-1 when unused).
func mergeInterners(ins ...*interner) ([]string, [][]int32) {
	seen := map[string]bool{}
	var all []string
	for _, in := range ins {
		for i, s := range in.strs {
			if in.used[i] && !seen[s] {
				seen[s] = true
				all = append(all, s)
			}
		}
	}
	slices.Sort(all)
	pos := make(map[string]int32, len(all))
	for i, s := range all {
		pos[s] = int32(i)
	}
	maps := make([][]int32, len(ins))
	for k, in := range ins {
		m := make([]int32, len(in.strs))
		for i, s := range in.strs {
			m[i] = -1
			if in.used[i] {
				m[i] = pos[s]
			}
		}
		maps[k] = m
	}
	if all == nil {
		all = []string{}
	}
	return all, maps
}

// upper returns b upper-cased (as strings.ToUpper would) in w's scratch
// buffer, valid until the next call.
func (w *worker) upper(b []byte) []byte {
	var ok bool
	if w.scratch, ok = asciiUpper(w.scratch[:0], b); !ok {
		w.scratch = append(w.scratch[:0], strings.ToUpper(string(b))...)
	}
	return w.scratch
}
