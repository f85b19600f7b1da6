package vardval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// groupElem is an element of group's tests: a person and its input
// position, which shows the order within a person.
type groupElem struct {
	person PersonIndex
	pos    int32
}

// groupReference is the obvious grouping: a stable sort by person of the
// elements with a person, and the per-person offsets.
func groupReference(xs []groupElem, n int) ([]groupElem, []int32) {
	var out []groupElem
	for _, x := range xs {
		if x.person >= 0 {
			out = append(out, x)
		}
	}
	slices.SortStableFunc(out, func(a, b groupElem) int { return int(a.person) - int(b.person) })
	off := make([]int32, n+1)
	for _, x := range out {
		off[x.person+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	return out, off
}

// TestGroupMatchesReference checks group against a stable sort, for every
// shape of input and from one to five chunks, on sequences long enough
// that the two halves meet: persons in runs (a person's run may straddle
// the halves' boundary, or a person may have a run in each half), runs with
// dropped elements, a person met again within a half, and persons in
// random order with dropped elements. fix, applied once per element, maps
// stored persons through a random permutation (as finish's remapping does).
func TestGroupMatchesReference(t *testing.T) {
	for shape := range 5 {
		for chunks := range 5 {
			params := gopter.DefaultTestParameters()
			params.MinSuccessfulTests = 6
			properties := gopter.NewProperties(params)
			properties.Property(fmt.Sprintf("shape %d, %d+ chunks: group equals a stable sort by person", shape, chunks), prop.ForAll(
				func(seed uint64, n int) bool { return groupAgrees(t, seed, n, shape, chunks) },
				gen.UInt64(), gen.IntRange(1, 3000),
			))
			properties.TestingRun(t)
		}
	}
	// No persons, no elements; elements all dropped.
	var empty chunked[groupElem]
	who := func(x *groupElem) PersonIndex { return x.person }
	if out, off := group(stopper{}, &empty, 0, nil, who, func(x *groupElem) groupElem { return *x }, who, nil, nil); len(out) != 0 || !slices.Equal(off, []int32{0}) {
		t.Errorf("empty: got %v, %v", out, off)
	}
	var dropped chunked[groupElem]
	for range 3 << chunkBits {
		dropped.Add(groupElem{person: -1})
	}
	if out, off := group(stopper{}, &dropped, 4, nil, who, func(x *groupElem) groupElem { return *x }, who, nil, nil); len(out) != 0 || !slices.Equal(off, make([]int32, 5)) {
		t.Errorf("all dropped: got %d elements, offsets %v", len(out), off)
	}
}

// groupAgrees builds one input of the given shape and reports whether group
// agrees with groupReference on it.
func groupAgrees(t *testing.T, seed uint64, n, shape, chunks int) bool {
	rng := rand.New(rand.NewPCG(seed, 13))
	total := chunks<<chunkBits + rng.IntN(1<<chunkBits)
	xs := make([]groupElem, total)
	switch shape {
	case 0: // sorted runs
		p := 0
		for i := range xs {
			if rng.IntN(4) == 0 && p < n-1 {
				p++
			}
			xs[i].person = PersonIndex(p)
		}
	case 1: // sorted runs, then one earlier person again
		p := 0
		for i := range xs {
			if rng.IntN(4) == 0 && p < n-1 {
				p++
			}
			xs[i].person = PersonIndex(p)
		}
		xs[rng.IntN(total)].person = PersonIndex(rng.IntN(max(1, p)))
	case 2: // sorted runs with dropped elements
		p := 0
		for i := range xs {
			if rng.IntN(4) == 0 && p < n-1 {
				p++
			}
			xs[i].person = PersonIndex(p)
			if rng.IntN(1000) == 0 {
				xs[i].person = -1
			}
		}
	case 3: // sorted runs, the second half opening with an earlier person
		for i := range xs {
			xs[i].person = PersonIndex(i * n / total)
		}
		nChunks := (total + 1<<chunkBits - 1) >> chunkBits
		if b := nChunks / 2 << chunkBits; b > 0 && b < total {
			if last := xs[b-1].person; last > 0 && int(last) < n-1 {
				for i := b + 1; i < total; i++ {
					xs[i].person = max(xs[i].person, last+1)
				}
				xs[b].person = PersonIndex(rng.IntN(int(last)))
			}
		}
	default: // random order, some dropped
		for i := range xs {
			xs[i].person = PersonIndex(rng.IntN(n))
			if rng.IntN(500) == 0 {
				xs[i].person = -1
			}
		}
	}
	// The elements hold their person's preimage under perm, and fix maps
	// it: the order group sees is not the stored one.
	perm := rng.Perm(n)
	inv := make([]PersonIndex, n)
	for q, p := range perm {
		inv[p] = PersonIndex(q)
	}
	var src chunked[groupElem]
	for i, x := range xs {
		xs[i].pos = int32(i)
		y := groupElem{person: x.person, pos: int32(i)}
		if y.person >= 0 {
			y.person = inv[y.person]
		}
		src.Add(y)
	}
	var fixed atomic.Int64 // fix runs on several goroutines
	fix := func(x *groupElem) {
		fixed.Add(1)
		if x.person >= 0 {
			x.person = PersonIndex(perm[x.person])
		}
	}
	who := func(x *groupElem) PersonIndex { return x.person }
	// Half the time the source is handed back in rounds of a few chunks
	// (as finish does the contacts): each round's chunks are dropped from
	// src before release is called, and all of them are released.
	var rel *releaser
	var released int64
	chunkBytes := int64(1<<chunkBits) * int64(unsafe.Sizeof(groupElem{}))
	srcChunks := src.Chunks
	if rng.IntN(2) == 0 {
		calls := 0
		rel = &releaser{every: chunkBytes * int64(1+rng.IntN(3)), fn: func(b int64) {
			if calls++; calls == 1 && b != 0 {
				t.Errorf("release first called with %d bytes, want 0 as the moving begins", b)
			}
			released += b
			dropped := 0
			for _, ch := range srcChunks {
				if ch == nil {
					dropped++
				}
			}
			if int64(dropped)*chunkBytes != released {
				t.Errorf("%d bytes released with %d chunks dropped", released, dropped)
			}
		}}
	}
	got, off := group(stopper{workers: 1 + rng.IntN(8)}, &src, n, fix, who, func(x *groupElem) groupElem { return *x }, who, nil, rel)
	want, wantOff := groupReference(xs, n)
	if rel != nil && released != int64(len(srcChunks))*chunkBytes {
		t.Logf("shape %d, %d elements: %d bytes released of %d chunks", shape, total, released, len(srcChunks))
		return false
	}
	if slices.Equal(want, got) && slices.Equal(wantOff, off) && fixed.Load() == int64(total) {
		return true
	}
	if fixed.Load() != int64(total) {
		t.Logf("shape %d, %d elements: fix ran %d times", shape, total, fixed.Load())
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(groupElem{})); d != "" {
		t.Logf("shape %d, %d elements, %d persons: elements differ (-want +got):\n%s", shape, total, n, d)
	}
	if d := cmp.Diff(wantOff, off); d != "" {
		t.Logf("shape %d, %d elements, %d persons: offsets differ (-want +got):\n%s", shape, total, n, d)
	}
	return false
}
