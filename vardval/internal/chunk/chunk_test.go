package chunk

import (
	"slices"
	"testing"
	"testing/quick"
)

// Seq behaves as a plain slice under any sequence of appends and resets:
// the same length, the same element at every index, the same elements in
// order over Chunks, and every chunk but the last full.
func TestSeqMatchesSlice(t *testing.T) {
	f := func(ops []uint16, resets uint8) bool {
		var s Seq[int32]
		var ref []int32
		for i, op := range ops {
			if resets > 0 && i%(int(resets)+1) == int(resets) {
				s.Reset()
				ref = ref[:0]
				continue
			}
			// Runs of appends of up to 5000 elements reach several chunks.
			for k := range int(op % 5000) {
				v := int32(i*7919 + k)
				s.Add(v)
				ref = append(ref, v)
			}
		}
		if s.N != len(ref) {
			t.Logf("N = %d, want %d", s.N, len(ref))
			return false
		}
		for i, v := range ref {
			if *s.At(i) != v {
				t.Logf("At(%d) = %d, want %d", i, *s.At(i), v)
				return false
			}
		}
		var all []int32
		for k, ch := range s.Chunks {
			if k < len(s.Chunks)-1 && len(ch) != 1<<Bits {
				t.Logf("chunk %d of %d has %d elements", k, len(s.Chunks), len(ch))
				return false
			}
			all = append(all, ch...)
		}
		return slices.Equal(all, ref)
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 200}); err != nil {
		t.Error(err)
	}
}

// WriteEachPage leaves a fresh slice as it was (all zero), whatever its
// size and element type.
func TestWriteEachPageKeepsZeros(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 4096, 4097, 100_000} {
		b := make([]byte, n)
		WriteEachPage(b)
		s := make([]struct{ a, b int64 }, n/16)
		WriteEachPage(s)
		if slices.ContainsFunc(b, func(x byte) bool { return x != 0 }) || slices.ContainsFunc(s, func(x struct{ a, b int64 }) bool { return x.a != 0 || x.b != 0 }) {
			t.Errorf("n = %d: WriteEachPage changed a byte", n)
		}
	}
}
