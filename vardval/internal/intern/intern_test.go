package intern

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
)

// Interners number strings as a map in first-seen order would, through
// the cache or not (short and long strings, many colliding in the cache),
// and Merge gives the sorted union of the used strings with every old
// index mapped to its new one (-1 when unused).
func TestInternerMatchesMap(t *testing.T) {
	f := func(seed uint64, n uint16) bool {
		rng := rand.New(rand.NewPCG(seed, 5))
		ins := []*Interner{{}, {}}
		refs := []map[string]int32{{}, {}}
		var strs [2][]string
		used := [2]map[string]bool{{}, {}}
		for range int(n) % 5000 {
			k := rng.IntN(2)
			var s string
			if rng.IntN(3) == 0 {
				s = fmt.Sprintf("LONG-CODE-%d", rng.IntN(500))
			} else {
				s = fmt.Sprintf("C%d", rng.IntN(20000))
			}
			want, ok := refs[k][s]
			if got, found := ins[k].Lookup([]byte(s)); found != ok || (ok && got != want) {
				t.Logf("Lookup(%q) = %d, %v; want %d, %v", s, got, found, want, ok)
				return false
			}
			i := ins[k].Intern([]byte(s))
			if !ok {
				want = int32(len(strs[k]))
				refs[k][s] = want
				strs[k] = append(strs[k], s)
			}
			if i != want {
				t.Logf("Intern(%q) = %d, want %d", s, i, want)
				return false
			}
			if rng.IntN(2) == 0 {
				ins[k].Used[i] = true
				used[k][s] = true
			}
		}
		all, maps := Merge(ins[0], ins[1])
		var want []string
		for k := range 2 {
			for s := range used[k] {
				if !slices.Contains(want, s) {
					want = append(want, s)
				}
			}
		}
		slices.Sort(want)
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(all, want) {
			t.Logf("Merge: %d strings, want %d", len(all), len(want))
			return false
		}
		for k := range 2 {
			for i, s := range strs[k] {
				w := int32(-1)
				if used[k][s] {
					w = int32(slices.Index(want, s))
				}
				if maps[k][i] != w {
					t.Logf("interner %d: %q maps to %d, want %d", k, s, maps[k][i], w)
					return false
				}
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 100}); err != nil {
		t.Error(err)
	}
}

// Pack is injective on ids of at most 7 bytes and 0 for longer ones; the
// cache returns what was put for a key until another key takes its slot.
func TestPackAndCache(t *testing.T) {
	seen := map[uint64]string{}
	for _, s := range []string{"", "A", "AB", "A\x00", "\x00A", "ABCDEFG", "ABCDEFH", "VC001", "VC010"} {
		k := Pack([]byte(s))
		if o, dup := seen[k]; dup {
			t.Errorf("Pack(%q) = Pack(%q)", s, o)
		}
		seen[k] = s
	}
	if Pack([]byte("ABCDEFGH")) != 0 {
		t.Error("Pack of 8 bytes is not 0")
	}
	var c Cache
	ref := map[uint64]int32{}
	for i := range 100000 {
		k := Pack(fmt.Appendf(nil, "%d", i))
		c.Put(k, int32(i))
		ref[k] = int32(i)
		if v, ok := c.Get(k); !ok || v != int32(i) {
			t.Fatalf("Get after Put(%d) = %d, %v", i, v, ok)
		}
	}
	for k, want := range ref {
		if v, ok := c.Get(k); ok && v != want {
			t.Fatalf("Get = %d, want %d", v, want)
		}
	}
}
