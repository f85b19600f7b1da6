package intern

import "slices"

// Cache is a direct-mapped cache of short ids (at most 7 bytes, packed
// with their length into a uint64) to an index, in front of a map: unit
// ids, codes and clinicians are looked up on nearly every row.
type Cache struct {
	keys [1 << cacheBits]uint64 // 0 = empty
	vals [1 << cacheBits]int32
}

const cacheBits = 14

// Pack returns b packed with its length, or 0 when b is longer than 7 bytes.
func Pack(b []byte) uint64 {
	if len(b) > 7 {
		return 0
	}
	k := uint64(len(b)) << 56
	for i, c := range b {
		k |= uint64(c) << (8 * i)
	}
	return k
}

func (c *Cache) slot(k uint64) int { return int((k * 0x9e3779b97f4a7c15) >> (64 - cacheBits)) }

// Get returns the index cached for packed id k (k != 0).
func (c *Cache) Get(k uint64) (int32, bool) {
	i := c.slot(k)
	return c.vals[i], c.keys[i] == k
}

// Put caches index v for packed id k, when k != 0.
func (c *Cache) Put(k uint64, v int32) {
	if k != 0 {
		i := c.slot(k)
		c.keys[i], c.vals[i] = k, v
	}
}

// Interner gives each distinct string a dense index in first-seen order.
type Interner struct {
	cache *Cache
	idx   map[string]int32
	Strs  []string // the strings, by index
	Used  []bool   // the string belongs to an accepted record
}

// Intern returns the index of b, giving it the next one when it has none.
func (in *Interner) Intern(b []byte) int32 {
	i, ok := in.Lookup(b)
	if ok {
		return i
	}
	if in.idx == nil {
		in.idx = map[string]int32{}
	}
	s := string(b)
	i = int32(len(in.Strs))
	in.Strs = append(in.Strs, s)
	in.Used = append(in.Used, false)
	in.idx[s] = i
	in.cache.Put(Pack(b), i)
	return i
}

// Lookup returns the index of b, if it has one.
func (in *Interner) Lookup(b []byte) (int32, bool) {
	if in.cache == nil {
		in.cache = new(Cache)
	}
	k := Pack(b)
	if k != 0 {
		if i, ok := in.cache.Get(k); ok {
			return i, true
		}
	}
	i, ok := in.idx[string(b)]
	if ok {
		in.cache.Put(k, i)
	}
	return i, ok
}

// Merge returns the sorted union of the used strings of ins and,
// per Interner, old index → index in that union (-1 when unused).
func Merge(ins ...*Interner) ([]string, [][]int32) {
	seen := map[string]bool{}
	var all []string
	for _, in := range ins {
		for i, s := range in.Strs {
			if in.Used[i] && !seen[s] {
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
		m := make([]int32, len(in.Strs))
		for i, s := range in.Strs {
			m[i] = -1
			if in.Used[i] {
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
