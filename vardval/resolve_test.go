package vardval

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/vardval/vardval/vardval/internal/idtable"
)

// cellPool returns person_id cells of every kind resolve meets: short and
// long pseudonyms, personnummer in their 12-, 13-, 10- and 11-character
// spellings (two of them the same person), invalid personnummer and
// unusable pseudonyms.
func cellPool() []string {
	pool := []string{
		"191212121212", "19121212-1212", "121212+1212", // one person
		"121212-1212",  // born 2012: another
		"195501011232", // valid
		"191212121213", // wrong check digit
		"5501011233",   // wrong check digit, 10 digits
		"P-bo", "P-bo2",
		"PSEUDONYM-LONGER-THAN-15-BYTES", "ANOTHER-PSEUDONYM-LONGER-THAN-15",
		string(make([]byte, 70)), // unusable (control bytes, too long)
	}
	for i := range 40 {
		pool = append(pool, fmt.Sprintf("SYN%09d", i))
	}
	return pool
}

// referencePersons is the obvious resolution: walk the cells in order, keep
// a map from each person's key (a personnummer's 12 digits, else the cell)
// to its index; the first cells of the table are known already.
func referencePersons(known, cells []string) (persons []int32, rejected int) {
	index := map[string]int32{}
	n := int32(0)
	key := func(c string) (string, bool) {
		if LooksLikePersonnummer(c) {
			pn, err := ParsePersonnummer(c, D(2024, 12, 31))
			if err != nil {
				return "", false
			}
			return pn.Canonical(), true
		}
		return c, idShape(c)
	}
	for _, c := range known {
		k, _ := key(c)
		if _, ok := index[k]; !ok {
			index[k] = n
			n++
		}
	}
	for _, c := range cells {
		k, ok := key(c)
		if !ok {
			persons = append(persons, -1)
			rejected++
			continue
		}
		p, found := index[k]
		if !found {
			p = n
			index[k] = p
			n++
		}
		persons = append(persons, p)
	}
	return persons, rejected
}

// resolveCells gives every record the person the obvious map-based walk
// gives, whatever the mix of known, new, repeated and invalid cells, on one
// goroutine or two, and rejects exactly the records of invalid cells.
func TestResolveCellsMatchesReference(t *testing.T) {
	pool := cellPool()
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	props := gopter.NewProperties(params)
	props.Property("resolveCells = map walk", prop.ForAll(
		func(seed uint64, nKnown, nRows int, twoCores bool) bool {
			rng := rand.New(rand.NewPCG(seed, 7))
			var known []string
			for range nKnown {
				c := pool[rng.IntN(len(pool))]
				if LooksLikePersonnummer(c) {
					if _, err := ParsePersonnummer(c, D(2024, 12, 31)); err != nil {
						continue
					}
				} else if !idShape(c) {
					continue
				}
				known = append(known, c)
			}
			cells := make([]string, nRows)
			for i := range cells {
				if i > 0 && rng.IntN(3) == 0 {
					cells[i] = cells[i-1] // runs, as in files sorted by person
				} else {
					cells[i] = pool[rng.IntN(len(pool))]
				}
			}
			pt := newPersonTable(D(2024, 12, 31))
			rep := &FileReport{}
			tr := &table{rep: rep}
			for i, c := range known {
				r := &row{t: tr, line: -i}
				if _, ok := pt.resolve(r, []byte(c)); !ok {
					t.Logf("known cell %q rejected", c)
					return false
				}
			}
			var recs chunked[Diagnosis]
			var cs cellStore
			for i, c := range cells {
				recs.Add(Diagnosis{Person: cs.intern([]byte(c))})
				cs.addLine(i + 2)
			}
			rejected := resolveCells(stopper{workers: 1 + int(seed%8)}, &pt, &recs, 0, recs.N, &cs, twoCores, rep,
				func(d *Diagnosis) *PersonIndex { return &d.Person }, func(i int) int { return i + 2 })
			want, wantRejected := referencePersons(known, cells)
			got := make([]int32, recs.N)
			for i := range got {
				got[i] = int32(recs.At(i).Person)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" || rejected != wantRejected || len(rep.Rejections) != wantRejected {
				t.Logf("persons (-want +got):\n%s\nrejected %d, want %d, listed %d", diff, rejected, wantRejected, len(rep.Rejections))
				return false
			}
			for _, e := range rep.Rejections {
				if e.Column != "person_id" || e.Line < 2 || cells[e.Line-2] == "" {
					t.Logf("rejection %+v", e)
					return false
				}
			}
			return true
		},
		gen.UInt64(), gen.IntRange(0, 30), gen.IntRange(0, 3*idtable.BatchSize+5), gen.Bool(),
	))
	props.TestingRun(t)

	// Large enough for both goroutines and many batches.
	params = gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 10
	props = gopter.NewProperties(params)
	props.Property("resolveCells = map walk, many rows", prop.ForAll(
		func(seed uint64) bool {
			rng := rand.New(rand.NewPCG(seed, 9))
			cells := make([]string, 70000)
			for i := range cells {
				cells[i] = fmt.Sprintf("SYN%09d", rng.IntN(5000))
				if rng.IntN(500) == 0 {
					cells[i] = "191212121213"
				}
			}
			pt := newPersonTable(D(2024, 12, 31))
			rep := &FileReport{}
			var recs chunked[Diagnosis]
			var cs cellStore
			for _, c := range cells {
				recs.Add(Diagnosis{Person: cs.intern([]byte(c))})
			}
			resolveCells(stopper{workers: 2 + int(seed%7)}, &pt, &recs, 0, recs.N, &cs, true, rep,
				func(d *Diagnosis) *PersonIndex { return &d.Person }, func(i int) int { return i + 2 })
			want, _ := referencePersons(nil, cells)
			for i := range cells {
				if int32(recs.At(i).Person) != want[i] {
					t.Logf("record %d: person %d, want %d", i, recs.At(i).Person, want[i])
					return false
				}
			}
			return true
		},
		gen.UInt64(),
	))
	props.TestingRun(t)
}
