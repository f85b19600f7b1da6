package vardval

import (
	"sync/atomic"
	"unsafe"

	"github.com/vardval/vardval/vardval/internal/chunk"
)

// chunked is the append-only chunked sequence intake keeps its records in
// while reading (internal/chunk).
type chunked[T any] = chunk.Seq[T]

const chunkBits = chunk.Bits

// releaser is how group hands its source back while it moves it: fn is
// called on the calling goroutine with 0 as the moving begins, then each
// time about every more bytes of the source's chunks have been moved and
// dropped, with how many, so that the program may collect them while the
// rest are moved.
type releaser struct {
	every int64
	fn    func(int64)
}

// releaseBytes is about how much of the contacts' reading copy finish has
// handed back at a time: a handful of rounds for a Sweden-size contacts
// file, none for a Skåne-size one.
const releaseBytes = 256 << 20

// group moves the elements of src into one slice grouped by person (0..n-1;
// elements with a negative person are dropped), in input order within a
// person, and releases src. It returns the slice and the per-person offsets
// (len n+1). When stop stops it, the result is partial (the slice may be
// nil) and src may be kept: the caller then returns. fix, when not nil, is
// applied to every element first (it may change its person). The work is
// cut into the stopper's parts (stopper.parts): src's chunks in
// consecutive ranges, an earlier range's elements going first within a
// person, so the result is the same for any number of parts. tperson is
// person for a converted element. Files sorted by person go through the
// same bucket scatter: copying their runs in order was slower (a cache
// miss a run on the writes, against the scatter's sequential streams).
//
// dst, when its capacity holds every element kept, is where they go (a
// slice made ahead, see finish); else a new slice is made. release, when
// not nil, hands src back while it is moved (scatter).
func group[S, T any](stop stopper, src *chunked[S], n int, fix func(*S), person func(*S) PersonIndex, conv func(*S) T, tperson func(*T) PersonIndex,
	dst []T, release *releaser) ([]T, []int32) {
	off := make([]int32, n+1)
	if src.N == 0 {
		*src = chunked[S]{}
		return nil, off
	}
	// One pass per part fixes and counts each person's elements.
	counts := make([][]int32, stop.partsOf(len(src.Chunks), 2))
	stop.parts(len(src.Chunks), 2, func(k, lo, hi int) {
		cnt := make([]int32, n)
		chunk.WriteEachPage(cnt)
		for ci := lo; ci < hi; ci++ {
			if stop.now() {
				break
			}
			ch := src.Chunks[ci]
			for i := range ch {
				x := &ch[i]
				if fix != nil {
					fix(x)
				}
				if p := person(x); p >= 0 {
					cnt[p]++
				}
			}
		}
		counts[k] = cnt
	})
	for p := range n {
		if stop.stop(p) {
			return nil, off
		}
		sum := off[p]
		for _, c := range counts {
			sum += c[p]
		}
		off[p+1] = sum
	}
	var out []T
	if live := int(off[n]); live > 0 && cap(dst) >= live {
		out = dst[:live:live]
	} else if live > 0 {
		out = make([]T, live)
	}
	scatter(stop, src, n, off, counts, out, person, conv, tperson, release)
	*src = chunked[S]{}
	return out, off
}

// scatter moves the elements of src (in any person order) to their places
// in out, given the per-person offsets and each part's per-person counts
// (the parts being the consecutive ranges of src's chunks that
// stopper.parts gives), in input order within a person. A direct scatter
// would write all over out (a cache and TLB miss per element); instead the
// first pass sorts them into at most 512 buckets of consecutive persons
// (each bucket one range of out, written in 256 sequential streams), and
// the second places each bucket, small enough to stay in the cache, from a
// copy. Both passes are cut into parts: the first by ranges of src (an
// earlier range's elements going first in each bucket), the second by
// ranges of the buckets.
//
// With release, the first pass goes in rounds of about release.every bytes
// of src: each round moves the next share of every part's range (the parts
// carry on where they stopped, so the result is the same), drops the
// chunks it moved from src and calls release with their size (and release
// is called with 0 before the first).
//
// When stop stops it, out is left partly filled (the caller then returns).
func scatter[S, T any](stop stopper, src *chunked[S], n int, off []int32, counts [][]int32, out []T, person func(*S) PersonIndex, conv func(*S) T, tperson func(*T) PersonIndex,
	release *releaser) {
	shift := uint(0)
	for (n-1)>>shift >= 512 {
		shift++
	}
	// Bucket b holds persons [b<<shift, (b+1)<<shift).
	nb := (n-1)>>shift + 1
	cur := make([][]int32, len(counts))
	for k := range cur {
		cur[k] = make([]int32, nb)
	}
	for b := range nb {
		p0, p1 := b<<shift, min((b+1)<<shift, n)
		start := off[p0]
		for k, cnt := range counts {
			cur[k][b] = start
			for _, c := range cnt[p0:p1] {
				start += c
			}
		}
	}
	rounds := 1
	if release != nil {
		release.fn(0)
		rounds = int(max(1, min(int64(len(src.Chunks)), int64(src.N)*int64(unsafe.Sizeof(*new(S)))/max(1, release.every))))
	}
	for r := range rounds {
		var moved atomic.Int64
		stop.parts(len(src.Chunks), 2, func(k, lo, hi int) {
			c := cur[k]
			from, to := lo+(hi-lo)*r/rounds, lo+(hi-lo)*(r+1)/rounds
			for ci := from; ci < to; ci++ {
				if stop.now() {
					return
				}
				ch := src.Chunks[ci]
				for i := range ch {
					if p := person(&ch[i]); p >= 0 {
						b := p >> shift
						out[c[b]] = conv(&ch[i])
						c[b]++
					}
				}
				if release != nil {
					moved.Add(int64(cap(ch)) * int64(unsafe.Sizeof(*new(S))))
					src.Chunks[ci] = nil
				}
			}
		})
		if release != nil && !stop.now() {
			release.fn(moved.Load())
		}
	}
	stop.parts(nb, 2, func(_, lo, hi int) {
		var tmp []T
		var next []int32
		for b := lo; b < hi; b++ {
			if stop.now() {
				return
			}
			p0, p1 := b<<shift, min((b+1)<<shift, n)
			seg := out[off[p0]:off[p1]]
			tmp = append(tmp[:0], seg...)
			next = append(next[:0], off[p0:p1]...)
			for i := range tmp {
				p := int(tperson(&tmp[i])) - p0
				out[next[p]] = tmp[i]
				next[p]++
			}
		}
	})
}

// place remaps every record of src (fix returns false for a dropped one,
// whose person is then negative), moves them into one slice grouped by
// person and sorts each person's records with less. It returns the slice
// and the per-person offsets.
func place[T any](stop stopper, src *chunked[T], n int, fix func(*T) bool, person func(*T) PersonIndex, less func(a, b T) int) ([]T, []int32) {
	out, off := group(stop, src, n, func(x *T) { fix(x) }, person, func(x *T) T { return *x }, person, nil, nil)
	if len(out) > 0 {
		sortEach(stop, out, off, less)
	}
	return out, off
}
