package vardval

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"
	"sync"

	"github.com/vardval/vardval/vardval/internal/chunk"
	"github.com/vardval/vardval/vardval/internal/idtable"
)

// personOrder pseudonymises the drafts (sums already holds the keys of the
// first len(sums)/10, and first is their order by pseudonym) and sorts them
// by pseudonym (then by identity, should two pseudonyms ever collide). It
// returns the drafts in that order (person index → draft index), draft
// index → person index, and sums with every key; fillPersons makes
// r.Persons from them. Both are nil, or unfinished, when ld.stop stops it.
//
// The Persons are made later (finish makes them once the contacts are
// copied): until then the drafts and sums hold the same facts without a
// pointer, in less memory, which the collector need not scan.
func (ld *loader) personOrder(drafts []personDraft, ids *idtable.Table, sums []byte, first []int32) ([]int32, []PersonIndex, []byte) {
	n := len(drafts)
	done := len(sums) / 10
	sums = append(sums, make([]byte, 10*(n-done))...)
	ld.pseudonyms(drafts[done:], done, ids, sums[10*done:]).Wait()
	if ld.stop.now() {
		return nil, nil, sums
	}
	var order []int32
	if len(first) != done {
		order = pseudonymOrder(ld.stop, drafts, ids, sums)
	} else {
		// The first done drafts are in order: sort the others and merge.
		order = first
		if n > done {
			less := draftLess(drafts, ids, sums)
			more := make([]int32, 0, n-done)
			for i := done; i < n; i++ {
				more = append(more, int32(i))
			}
			slices.SortFunc(more, less)
			order = make([]int32, 0, n)
			i, j := 0, 0
			for i < len(first) && j < len(more) {
				if less(more[j], first[i]) < 0 {
					order = append(order, more[j])
					j++
				} else {
					order = append(order, first[i])
					i++
				}
			}
			order = append(append(order, first[i:]...), more[j:]...)
		}
	}
	if ld.stop.now() {
		return nil, nil, sums
	}
	newIdx := make([]PersonIndex, n)
	ld.stop.parts(n, 1<<14, func(_, lo, hi int) {
		for to := lo; to < hi; to++ {
			if ld.stop.stop(to - lo) {
				return
			}
			newIdx[order[to]] = PersonIndex(to)
		}
	})
	return order, newIdx, sums
}

// fillPersons makes r.Persons from the drafts in order (personOrder), their
// keys from sums. It returns early when ld.stop stops it.
func (ld *loader) fillPersons(order []int32, drafts []personDraft, sums []byte) {
	n := len(order)
	ld.r.Persons = make([]Person, n)
	chunk.WriteEachPage(ld.r.Persons)
	ld.stop.parts(n, 1<<14, func(_, lo, hi int) {
		// Each part's keys share one string.
		var kb strings.Builder
		kb.Grow(20 * (hi - lo))
		var hx [20]byte
		for _, from := range order[lo:hi] {
			hex.Encode(hx[:], sums[10*from:10*from+10])
			kb.Write(hx[:])
		}
		keys := kb.String()
		for to := lo; to < hi; to++ {
			if ld.stop.stop(to - lo) {
				return
			}
			p := &drafts[order[to]]
			k := 20 * (to - lo)
			ld.r.Persons[to] = Person{Key: keys[k : k+20], Sex: p.sex, BirthDate: p.birth}
		}
	})
}

// draftLess orders drafts by pseudonym (sums) and, should two pseudonyms
// ever collide, by identity.
func draftLess(drafts []personDraft, ids *idtable.Table, sums []byte) func(x, y int32) int {
	var ba, bb []byte
	return func(x, y int32) int {
		if c := bytes.Compare(sums[10*x:10*x+10], sums[10*y:10*y+10]); c != 0 {
			return c
		}
		ba, bb = drafts[x].canon(ba[:0], ids.Key(x)), drafts[y].canon(bb[:0], ids.Key(y))
		return bytes.Compare(ba, bb)
	}
}

// pseudonymOrder returns the drafts' indexes in draftLess order: scattered
// into buckets by the pseudonym's leading bits (about two persons a
// bucket), then each bucket sorted. When stop stops it, the order is nil
// or unsorted.
func pseudonymOrder(stop stopper, drafts []personDraft, ids *idtable.Table, sums []byte) []int32 {
	n := len(drafts)
	hi := func(i int32) uint64 { return binary.BigEndian.Uint64(sums[10*i:]) }
	shift := bucketShift(n, 2)
	start := make([]int32, 1<<(64-shift)+1)
	chunk.WriteEachPage(start)
	for i := range int32(n) {
		if stop.stop(int(i)) {
			return nil
		}
		start[hi(i)>>shift+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, n)
	next := slices.Clone(start)
	for i := range int32(n) {
		if stop.stop(int(i)) {
			return nil
		}
		b := hi(i) >> shift
		order[next[b]] = i
		next[b]++
	}
	next = nil
	less := draftLess(drafts, ids, sums)
	for b := 0; b+1 < len(start); b++ {
		if stop.stop(b) {
			break
		}
		if g := order[start[b]:start[b+1]]; len(g) > 1 {
			slices.SortFunc(g, less)
		}
	}
	return order
}

// pseudonymKey is the key of the pseudonyms' HMAC: opts.PseudonymKey, or
// the fixed public key when it is empty.
func pseudonymKey(opts LoadOptions) []byte {
	if len(opts.PseudonymKey) == 0 {
		return []byte("vardval public pseudonym key")
	}
	return opts.PseudonymKey
}

// pseudonyms computes, on the stopper's workers, the first 10 bytes of the keyed
// HMAC-SHA256 of every draft's identity into sums; wait for it. The drafts
// are persons first, first+1, ... of ids.
func (ld *loader) pseudonyms(drafts []personDraft, first int, ids *idtable.Table, sums []byte) *sync.WaitGroup {
	key := pseudonymKey(ld.opts)
	n := len(drafts)
	wg := &sync.WaitGroup{}
	parts := ld.stop.partsOf(n, 1)
	for k := range parts {
		lo, up := k*n/parts, (k+1)*n/parts
		wg.Go(func() {
			m := hmac.New(sha256.New, key)
			var buf []byte
			var sum [sha256.Size]byte
			for i := lo; i < up; i++ {
				if ld.stop.stop(i - lo) {
					return
				}
				m.Reset()
				buf = drafts[i].canon(buf[:0], ids.Key(int32(first+i)))
				m.Write(buf)
				m.Sum(sum[:0])
				copy(sums[10*i:], sum[:10])
			}
		})
	}
	return wg
}
