package vardval

import (
	"math/rand/v2"
	"slices"
	"testing"

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

// TestGroupMatchesReference checks group (both of its paths: runs copied in
// order and the bucket scatter) against a stable sort, on sequences long
// enough to span several chunks so that the two halves meet: persons in
// runs (a person's run may straddle the halves' boundary, or a person may
// have a run in each half), runs with dropped elements, a person met again
// within a half, and persons in random order. fix is applied once per
// element.
func TestGroupMatchesReference(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 30
	properties := gopter.NewProperties(params)
	properties.Property("group equals a stable sort by person", prop.ForAll(
		func(seed uint64, n int, shape int, chunks int) bool {
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
			default: // random order
				for i := range xs {
					xs[i].person = PersonIndex(rng.IntN(n))
				}
			}
			// Input positions are stored shifted by one person so that fix,
			// which undoes the shift, is seen to run exactly once.
			var src chunked[groupElem]
			for i, x := range xs {
				xs[i].pos = int32(i)
				y := groupElem{person: x.person, pos: int32(i)}
				if y.person >= 0 {
					y.person++
				}
				src.add(y)
			}
			fix := func(x *groupElem) {
				if x.person >= 0 {
					x.person--
				}
			}
			who := func(x *groupElem) PersonIndex { return x.person }
			got, off := group(&src, n, fix, who, func(x *groupElem) groupElem { return *x }, who)
			want, wantOff := groupReference(xs, n)
			if slices.Equal(want, got) && slices.Equal(wantOff, off) {
				return true
			}
			if d := cmp.Diff(want, got, cmp.AllowUnexported(groupElem{})); d != "" {
				t.Logf("shape %d, %d elements, %d persons: elements differ (-want +got):\n%s", shape, total, n, d)
				return false
			}
			if d := cmp.Diff(wantOff, off); d != "" {
				t.Logf("shape %d, %d elements, %d persons: offsets differ (-want +got):\n%s", shape, total, n, d)
				return false
			}
			return true
		},
		gen.UInt64(), gen.IntRange(1, 3000), gen.IntRange(0, 4), gen.IntRange(0, 4),
	))
	properties.TestingRun(t)
}
