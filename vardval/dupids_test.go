package vardval

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDuplicateContactIDsMatchReference loads a contacts file of several
// chunks (so that finishContacts counts and scatters in two halves), read
// in one part and split, and checks the contact_id rejections against an
// obvious reference: among the rows not rejected for another column, every
// row of an id used more than once is rejected; the first such row (in
// file order) names the second, every later one names the first.
func TestDuplicateContactIDsMatchReference(t *testing.T) {
	base := readDir(t, "testdata/intake/clean")
	const n = 150_000 // over four chunks of rows
	contacts := bigContacts(n, -1)
	m := map[string][]byte{}
	for k, v := range base {
		m[k] = v
	}
	m[FileContacts] = contacts
	_, _, oneRep, twoRep, at := loadBothWays(t, m)
	if at <= 0 {
		t.Fatalf("the contacts were not split")
	}
	// The id of every data row, by line (line 1 is the header).
	ids := map[int]string{}
	for i, row := range bytes.Split(bytes.TrimSuffix(contacts, []byte("\n")), []byte("\n"))[1:] {
		ids[i+2] = string(row[:bytes.IndexByte(row, ',')])
	}
	for name, rep := range map[string]*IntakeReport{"one part": oneRep, "two parts": twoRep} {
		other := map[int]bool{}
		got := map[int]string{}
		for _, e := range rep.Files[3].Rejections {
			if e.Column == "contact_id" {
				got[e.Line] = e.Reason
			} else {
				other[e.Line] = true
			}
		}
		byID := map[string][]int{}
		for line, id := range ids {
			if !other[line] {
				byID[id] = append(byID[id], line)
			}
		}
		want := map[int]string{}
		for _, lines := range byID {
			if len(lines) < 2 {
				continue
			}
			slices.Sort(lines)
			want[lines[0]] = "contact_id is also used on line " + strconv.Itoa(lines[1])
			for _, l := range lines[1:] {
				want[l] = "contact_id is also used on line " + strconv.Itoa(lines[0])
			}
		}
		if len(want) < 200 {
			t.Fatalf("%s: only %d rows share an id: the test file lost its duplicates", name, len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: contact_id rejections (-reference +got):\n%s", name, diff)
		}
	}
}

// TestFinishContactsMatchesReference runs finishContacts on workers built
// directly, with rows rejected for their person_id after reading (which
// real files hardly reach: the row checks catch what resolve would), ids
// shared by many rows, on one to eight workers, from no rows to several
// chunks; the rejections and the set of kept ids must equal a map by id.
func TestFinishContactsMatchesReference(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		for _, total := range []int{0, 1, 100, 1 << chunkBits, 3<<chunkBits + 777} {
			for _, rejectEvery := range []int{0, 5} {
				rng := rand.New(rand.NewPCG(uint64(total), uint64(rejectEvery)))
				w := &worker{ld: &loader{stop: stopper{workers: workers}}}
				hs := make([]uint64, total)
				ps := make([]PersonIndex, total)
				for i := range total {
					hs[i] = uint64(rng.IntN(total/3+1)) * 0x9e3779b97f4a7c15
					if rejectEvery > 0 && rng.IntN(rejectEvery) == 0 {
						ps[i] = -1
						w.personRejected++
					}
					w.contacts.add(contactRec{person: ps[i], line: int32(i + 2)})
					w.cHash.add(hs[i])
				}
				rep := &FileReport{}
				w.finishContacts(rep, workers > 1)
				got := map[int]string{}
				for _, e := range rep.Rejections {
					got[e.Line] = e.Reason
				}
				byID := map[uint64][]int{}
				for i := range total {
					if ps[i] >= 0 {
						byID[hs[i]] = append(byID[hs[i]], i+2)
					}
				}
				want := map[int]string{}
				var kept []uint64
				for h, lines := range byID {
					if len(lines) == 1 {
						kept = append(kept, h)
						continue
					}
					want[lines[0]] = "contact_id is also used on line " + strconv.Itoa(lines[1])
					for _, l := range lines[1:] {
						want[l] = "contact_id is also used on line " + strconv.Itoa(lines[0])
					}
				}
				slices.Sort(kept)
				name := fmt.Sprintf("%d workers, %d rows, rejected every %d", workers, total, rejectEvery)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: rejections (-reference +got):\n%s", name, diff)
				}
				if !slices.Equal(kept, w.contactSet) {
					t.Errorf("%s: %d ids kept, want %d (sorted, unique)", name, len(w.contactSet), len(kept))
				}
			}
		}
	}
}
