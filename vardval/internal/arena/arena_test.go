package arena

import (
	"slices"
	"strings"
	"testing"
	"testing/quick"
)

// Every id stored, short or long, comes back as it was, however many are
// stored and whatever their lengths (up to 255 bytes); Short tells the
// inline ones (at most 15 bytes) from the others.
func TestKeysMatchStrings(t *testing.T) {
	f := func(lens []uint8, seed byte) bool {
		var a Arena
		var keys []Key
		var want []string
		for i, n := range lens {
			s := strings.Repeat(string(rune('a'+(int(seed)+i)%26)), int(n))
			if n > 3 {
				s = s[:n/2] + string(rune('0'+i%10)) + s[n/2+1:]
			}
			keys = append(keys, a.Store([]byte(s)))
			want = append(want, s)
		}
		for i := range keys {
			if got := string(a.Bytes(&keys[i])); got != want[i] {
				t.Logf("key %d: %q, want %q", i, got, want[i])
				return false
			}
			if s, ok := keys[i].Short(); ok != (len(want[i]) <= 15) || (ok && string(s) != want[i]) {
				t.Logf("key %d (%d bytes): Short = %q, %v", i, len(want[i]), s, ok)
				return false
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 300}); err != nil {
		t.Error(err)
	}
	// Enough long ids to fill several chunks.
	var a Arena
	var keys []Key
	for i := range 20000 {
		keys = append(keys, a.Store([]byte(strings.Repeat("x", 100)+string(rune('A'+i%26)))))
	}
	for i := range keys {
		if got := a.Bytes(&keys[i]); len(got) != 101 || got[100] != byte('A'+i%26) {
			t.Fatalf("long key %d: %q", i, got)
		}
	}
	if len(a) < 2 {
		t.Errorf("2 MB of ids in %d chunks", len(a))
	}
}

// A Slab returns every id as it was, by At and by Each over any range,
// however many ids (over several chunks and mark blocks) of any length
// from 0 to 255 bytes, sharing prefixes or not.
func TestSlabMatchesSlice(t *testing.T) {
	f := func(lens []uint8, seed uint16, lo, span uint16) bool {
		var s Slab
		var want []string
		// Repeat the lengths to reach several chunks now and then.
		reps := 1 + int(seed%4)*2000
		for r := range reps {
			for i, n := range lens {
				// Runs of ids sharing prefixes, and unrelated ones.
				id := strings.Repeat(string(rune('a'+(int(seed)+i+r)%26)), int(n))
				if i%3 != 0 && n > 2 {
					id = "C" + strings.Repeat("0", int(n)-2) + string(rune('0'+i%10))
				}
				s.Add([]byte(id))
				want = append(want, id)
			}
		}
		if s.Len() != len(want) {
			return false
		}
		var buf []byte
		for i, id := range want {
			if i%7 == 0 || i < 100 {
				buf = s.At(i, buf)
				if got := string(buf); got != id {
					t.Logf("At(%d) = %q, want %q", i, got, id)
					return false
				}
			}
		}
		if len(want) == 0 {
			return true
		}
		a := int(lo) % len(want)
		b := min(len(want), a+int(span))
		next := a
		ok := true
		s.Each(a, b, func(i int, id []byte) bool {
			if i != next || string(id) != want[i] {
				t.Logf("Each: %d %q, want %d %q", i, id, next, want[next])
				ok = false
				return false
			}
			next++
			return true
		})
		if !ok || next != b {
			return false
		}
		// Drain gives every id in order, dropping each chunk once passed:
		// at the last id every chunk but the last is dropped. It leaves
		// the slab empty.
		var drained []string
		chunks, nils := len(s.chunks), 0
		s.Drain(func(id []byte) {
			nils = 0
			for _, ch := range s.chunks {
				if ch == nil {
					nils++
				}
			}
			drained = append(drained, string(id))
		})
		if nils != chunks-1 {
			t.Logf("Drain: %d of %d chunks dropped at the last id", nils, chunks)
			return false
		}
		if !slices.Equal(drained, want) || s.Len() != 0 || len(s.chunks) != 0 {
			t.Logf("Drain: %d ids, slab left with %d ids and %d chunks", len(drained), s.Len(), len(s.chunks))
			return false
		}
		return ok
	}
	count := 100
	if raceEnabled {
		count = 15
	}
	if err := quick.Check(f, &quick.Config{MaxCount: count}); err != nil {
		t.Error(err)
	}
}

// A Reader returns the same ids as Slab.At, read in order, backwards and
// at random.
func TestSlabReader(t *testing.T) {
	var s Slab
	var want []string
	for i := range 5000 {
		id := "C" + strings.Repeat("0", i%7) + strings.Repeat("x", i%5) + string(rune('a'+i%26))
		s.Add([]byte(id))
		want = append(want, id)
	}
	f := func(steps []uint16) bool {
		r := s.Reader()
		i := 0
		for _, st := range steps {
			switch st % 3 {
			case 0:
				i = int(st) % len(want)
			case 1:
				i = min(len(want)-1, i+int(st%20))
			default:
				i = max(0, i-int(st%20))
			}
			if got := string(r.At(i)); got != want[i] {
				t.Logf("At(%d) = %q, want %q", i, got, want[i])
				return false
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 300}); err != nil {
		t.Error(err)
	}
}
