package vardval

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/vardval/vardval/vardval/internal/arena"
	"github.com/vardval/vardval/vardval/internal/chunk"
	"github.com/vardval/vardval/vardval/internal/idtable"
)

// This file holds the structures that decide contact_id questions fast:
// which contacts share an id, and whether a diagnosis's contact_id is an
// accepted contact. The rules themselves are in contacts.go and
// records.go. A 64-bit hash of the id only finds candidates; whether two
// ids are the same is always decided on their bytes.

// idSet is a set of ids of a slab (the accepted contacts), built by
// dupIDs. Each member is an entry: the 32 bits of its hash that follow the
// coarse bucket's bits, then its index in ids. The entries are sorted, so
// that they are grouped by hash; fine buckets (the top bits of the hash)
// give where each group of about four starts.
type idSet struct {
	hash   func([]byte) uint64
	ids    *arena.Slab
	coarse uint     // bits of the coarse buckets dupIDs sorts by
	fine   uint     // bits of the buckets of start (at least coarse)
	start  []int32  // fine bucket b: ents[start[b]:start[b+1]]
	ents   []uint64 // hash bits << 32 | index
}

// entryBits returns the 32 bits of h after its top coarse bits.
func entryBits(h uint64, coarse uint) uint32 { return uint32((h << coarse) >> 32) }

// top returns the top bits of h (0 when bits is 0).
func top(h uint64, bits uint) uint64 {
	if bits == 0 {
		return 0
	}
	return h >> (64 - bits)
}

// has reports whether id, whose hash is h, is in the set: the entries with
// its hash bits are candidates, and a candidate is the id only when its
// bytes are the same. rd reads the candidates' ids (one per goroutine).
func (s *idSet) has(id []byte, h uint64, rd *arena.Reader) bool {
	if s == nil || len(s.ents) == 0 {
		return false
	}
	b := top(h, s.fine)
	want := entryBits(h, s.coarse)
	for _, e := range s.ents[s.start[b]:s.start[b+1]] {
		if uint32(e>>32) == want && bytes.Equal(rd.At(int(uint32(e))), id) {
			return true
		}
	}
	return false
}

// idQuery asks an idSet about up to idtable.BatchSize ids at once (as
// idtable.Table.GetBatch does): first every id's bucket bounds, then the
// first entry of each bucket, each a loop of independent loads whose
// cache misses overlap; then the scans and byte comparisons.
type idQuery struct {
	set   *idSet
	rd    *arena.Reader
	n     int
	at    [idtable.BatchSize]int32
	h     [idtable.BatchSize]uint64
	id    [idtable.BatchSize][]byte
	buf   []byte // the ids' bytes
	found [idtable.BatchSize]bool
}

// add queues id (whose hash is h) for the caller's index at; it reports
// whether the batch is full (call run).
func (q *idQuery) add(at int32, id []byte, h uint64) bool {
	o := len(q.buf)
	q.buf = append(q.buf, id...)
	q.at[q.n], q.h[q.n], q.id[q.n] = at, h, q.buf[o:len(q.buf):len(q.buf)]
	q.n++
	return q.n == len(q.at)
}

// run sets found for the queued ids.
func (q *idQuery) run() {
	s := q.set
	if s == nil || len(s.ents) == 0 {
		clear(q.found[:q.n])
		return
	}
	var lo, hi [idtable.BatchSize]int32
	var first [idtable.BatchSize]uint64
	for j := range q.n {
		b := top(q.h[j], s.fine)
		lo[j], hi[j] = s.start[b], s.start[b+1]
	}
	for j := range q.n {
		if lo[j] < hi[j] {
			first[j] = s.ents[lo[j]]
		}
	}
	for j := range q.n {
		q.found[j] = false
		if lo[j] == hi[j] {
			continue
		}
		want := entryBits(q.h[j], s.coarse)
		if uint32(first[j]>>32) > want {
			continue // the bucket's entries are sorted: no candidate
		}
		for _, e := range s.ents[lo[j]:hi[j]] {
			if uint32(e>>32) == want && bytes.Equal(q.rd.At(int(uint32(e))), q.id[j]) {
				q.found[j] = true
				break
			}
		}
	}
}

// reset empties the batch.
func (q *idQuery) reset() { q.n, q.buf = 0, q.buf[:0] }

// reader returns a reader of the set's ids for has (nil for a nil set).
func (s *idSet) reader() *arena.Reader {
	if s == nil {
		return nil
	}
	return s.ids.Reader()
}

// dupIDs finds the ids of ids that are shared, among the indexes for which
// take is true (all of them when take is nil): it returns every group of
// indexes sharing an id (each group in index order, groups in no given
// order) and, with wantSet, the set of the other ids (else nil). The ids
// are hashed with hash and scattered into buckets by the hash's top bits
// (about 64 a bucket), in the stopper's parts (an earlier part's ids first
// in a bucket); each bucket is sorted, and a run of entries with the same
// hash bits is sorted by id bytes to tell true duplicates from colliding
// hashes. Without wantSet the entries are made for a quarter of the
// buckets at a time (dupSlices), which at Sweden size keeps 280 MB less
// beside the hashes.
func dupIDs(stop stopper, ids *arena.Slab, take func(i int) bool, hash func([]byte) uint64, wantSet bool) ([][]int32, *idSet) {
	total := ids.Len()
	n := total
	if take != nil {
		n = 0
		for i := range total {
			if take(i) {
				n++
			}
		}
	}
	coarse := 64 - bucketShift(n, 64)
	nb := 1 << coarse
	const least = 2 << chunkBits // fewest ids worth cutting into parts
	// Each id is decoded and hashed once; the passes below read hs, where
	// an id not taken is 0 and a taken one has its lowest bit set (the
	// buckets and entries use only the top 56 bits: coarse is at most 24),
	// so that they need not call take again.
	hs := make([]uint64, total)
	cnt := make([][]int32, stop.partsOf(total, least))
	stop.parts(total, least, func(k, lo, hi int) {
		c := make([]int32, nb)
		chunk.WriteEachPage(c)
		ids.Each(lo, hi, func(i int, id []byte) bool {
			if stop.stop(i - lo) {
				return false
			}
			if take == nil || take(i) {
				h := hash(id)
				hs[i] = h | 1
				c[top(h, coarse)]++
			}
			return true
		})
		cnt[k] = c
	})
	start := make([]int32, nb+1)
	next := make([][]int32, len(cnt))
	for k := range next {
		next[k] = make([]int32, nb)
	}
	for b := range nb {
		at := start[b]
		for k, c := range cnt {
			next[k][b] = at
			at += c[b]
		}
		start[b+1] = at
	}
	cnt = nil
	nsl := 1
	if !wantSet {
		nsl = min(dupSlices, nb)
	}
	var ents []uint64
	var dups [][]int32
	for sl := range nsl {
		// Buckets [blo, bhi): their entries go to ents[start[b]-base:].
		blo, bhi := sl*nb/nsl, (sl+1)*nb/nsl
		base := start[blo]
		ents = make([]uint64, start[bhi]-base)
		stop.parts(total, least, func(k, lo, hi int) {
			nx := next[k]
			for i := lo; i < hi; i++ {
				if stop.stop(i - lo) {
					return
				}
				if h := hs[i]; h != 0 {
					b := int(top(h, coarse))
					if b < blo || b >= bhi {
						continue
					}
					ents[nx[b]-base] = uint64(entryBits(h, coarse))<<32 | uint64(uint32(i))
					nx[b]++
				}
			}
		})
		groups := make([][][]int32, stop.partsOf(bhi-blo, 2))
		stop.parts(bhi-blo, 2, func(k, lo, hi int) {
			for b := blo + lo; b < blo+hi; b++ {
				if stop.stop(b - blo - lo) {
					return
				}
				g := ents[start[b]-base : start[b+1]-base]
				if len(g) < 2 {
					continue
				}
				slices.Sort(g)
				for r := 0; r < len(g); {
					e := r + 1
					for e < len(g) && g[e]>>32 == g[r]>>32 {
						e++
					}
					if e-r > 1 {
						groups[k] = append(groups[k], sameIDs(ids, g[r:e])...)
					}
					r = e
				}
			}
		})
		for _, gs := range groups {
			dups = append(dups, gs...)
		}
	}
	next, hs = nil, nil
	if !wantSet {
		return dups, nil
	}
	set := &idSet{hash: hash, ids: ids, coarse: coarse}
	if len(dups) > 0 {
		// Drop every shared id from the set.
		drop := map[int32]bool{}
		for _, g := range dups {
			for _, i := range g {
				drop[i] = true
			}
		}
		kept := ents[:0]
		for b := range nb {
			lo, hi := start[b], start[b+1]
			start[b] = int32(len(kept))
			for _, e := range ents[lo:hi] {
				if !drop[int32(uint32(e))] {
					kept = append(kept, e)
				}
			}
		}
		start[nb] = int32(len(kept))
		ents = kept
	}
	// Fine buckets of about four, for the look-ups: the entries, sorted
	// by coarse bucket and then by the hash bits that follow, are sorted
	// by the top fine bits of the hash too.
	set.fine = min(coarse+4, max(coarse, 24))
	extra := set.fine - coarse
	fs := make([]int32, 1<<set.fine+1)
	chunk.WriteEachPage(fs)
	for b := range nb {
		for _, e := range ents[start[b]:start[b+1]] {
			f := uint64(b)<<extra | top(uint64(uint32(e>>32))<<32, extra)
			fs[f+1]++
		}
	}
	for i := 1; i < len(fs); i++ {
		fs[i] += fs[i-1]
	}
	set.start, set.ents = fs, ents
	return dups, set
}

// sameIDs splits run, entries with the same hash bits, into groups of
// indexes whose ids are the same (two or more, in index order); the run is
// left sorted by id and then index.
func sameIDs(ids *arena.Slab, run []uint64) [][]int32 {
	idx := func(e uint64) int { return int(uint32(e)) }
	var bx, by []byte
	slices.SortFunc(run, func(x, y uint64) int {
		bx, by = ids.At(idx(x), bx), ids.At(idx(y), by)
		if c := bytes.Compare(bx, by); c != 0 {
			return c
		}
		return int(int64(uint32(x)) - int64(uint32(y)))
	})
	var out [][]int32
	for r := 0; r < len(run); {
		e := r + 1
		bx = ids.At(idx(run[r]), bx)
		for e < len(run) {
			if by = ids.At(idx(run[e]), by); !bytes.Equal(bx, by) {
				break
			}
			e++
		}
		if e-r > 1 {
			g := make([]int32, 0, e-r)
			for _, x := range run[r:e] {
				g = append(g, int32(uint32(x)))
			}
			out = append(out, g)
		}
		r = e
	}
	return out
}

// dupSlices is how many slices of the buckets dupIDs makes the entries of
// in turn when it keeps no set.
const dupSlices = 4

// idHash64 is the hash that finds contact id candidates: eight bytes at a
// time, each word mixed in with a multiply, the result finished so that
// its top bits (the buckets) depend on every byte. It need not resist
// collisions: candidates are always compared byte for byte.
func idHash64(b []byte) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * 0xff51afd7ed558ccd
		h ^= h >> 32
		b = b[8:]
	}
	var t uint64
	for i, c := range b {
		t |= uint64(c) << (8 * i)
	}
	h = (h ^ t) * 0xc4ceb9fe1a85ec53
	h ^= h >> 29
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>32
}
