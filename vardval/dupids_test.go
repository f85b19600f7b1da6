package vardval

import (
	"bytes"
	"context"
	"fmt"
	"maps"
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

// idHashes are the hashes the contact id tests run with: the real one, and
// ones under which distinct ids collide (all of them, or most), which must
// change nothing: ids are decided on their bytes.
var idHashes = map[string]func([]byte) uint64{
	"real":     idHash64,
	"constant": func([]byte) uint64 { return 0x9e3779b97f4a7c15 },
	"length":   func(b []byte) uint64 { return uint64(len(b)) << 40 },
	"top bits": func(b []byte) uint64 { return idHash64(b) &^ (1<<40 - 1) },
}

// TestFinishContactsMatchesReference runs finishContacts on workers built
// directly, with rows rejected for their person_id after reading (which
// real files hardly reach: the row checks catch what resolve would), ids
// shared by many rows, short and long, on one to eight workers, from no
// rows to several chunks, and with hashes under which distinct ids
// collide; the rejections and the set of kept ids must equal a map by id.
func TestFinishContactsMatchesReference(t *testing.T) {
	for hname, hash := range idHashes {
		for _, workers := range []int{1, 2, 3, 8} {
			for _, total := range []int{0, 1, 100, 1 << chunkBits, 3<<chunkBits + 777} {
				if hname != "real" && total > 100 {
					// Under a colliding hash every look-up compares against
					// every id of its bucket: quadratic, so a small region
					// shows the bytes decide; the real hash covers the parts.
					continue
				}
				if raceEnabled && total >= 1<<chunkBits && workers != 8 {
					continue // the largest region once, on the most parts
				}
				for _, rejectEvery := range []int{0, 5} {
					for _, wantSet := range []bool{true, false} {
						finishContactsAgrees(t, hname, hash, workers, total, rejectEvery, wantSet)
					}
				}
			}
		}
	}
}

// finishContactsAgrees is one case of TestFinishContactsMatchesReference;
// without wantSet the rejections are the same and no set is kept.
func finishContactsAgrees(t *testing.T, hname string, hash func([]byte) uint64, workers, total, rejectEvery int, wantSet bool) {
	rng := rand.New(rand.NewPCG(uint64(total), uint64(rejectEvery)))
	w := &worker{ld: &loader{stop: stopper{workers: workers}, idHash: hash}}
	ids := make([]string, total)
	ps := make([]PersonIndex, total)
	for i := range total {
		ids[i] = "C" + strconv.Itoa(rng.IntN(total/3+1))
		if rng.IntN(7) == 0 {
			ids[i] += "-with-a-long-suffix" // kept in the arena
		}
		if rejectEvery > 0 && rng.IntN(rejectEvery) == 0 {
			ps[i] = -1
			w.personRejected++
		}
		w.contacts.Add(contactRec{person: ps[i]})
		w.cLines.add(i, i+2)
		w.cIDs.Add([]byte(ids[i]))
	}
	rep := &FileReport{}
	w.finishContacts(rep, workers > 1, wantSet)
	got := map[int]string{}
	for _, e := range rep.Rejections {
		got[e.Line] = e.Reason
	}
	byID := map[string][]int{}
	for i := range total {
		if ps[i] >= 0 {
			byID[ids[i]] = append(byID[ids[i]], i+2)
		}
	}
	want := map[int]string{}
	kept := map[string]bool{}
	for id, lines := range byID {
		if len(lines) == 1 {
			kept[id] = true
			continue
		}
		want[lines[0]] = "contact_id is also used on line " + strconv.Itoa(lines[1])
		for _, l := range lines[1:] {
			want[l] = "contact_id is also used on line " + strconv.Itoa(lines[0])
		}
	}
	name := fmt.Sprintf("hash %s, %d workers, %d rows, rejected every %d, set %v", hname, workers, total, rejectEvery, wantSet)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: rejections (-reference +got):\n%s", name, diff)
	}
	if !wantSet {
		if w.contactSet != nil {
			t.Errorf("%s: a set was kept", name)
		}
		return
	}
	if n := len(w.contactSet.ents); n != len(kept) {
		t.Errorf("%s: %d ids kept, want %d", name, n, len(kept))
	}
	for _, id := range append(slices.Collect(maps.Keys(byID)), "C-1", "X", "C0-with-a-long-suffiy") {
		if got, want := w.contactSet.has([]byte(id), hash([]byte(id)), w.contactSet.reader()), kept[id]; got != want {
			t.Errorf("%s: has(%q) = %v, want %v", name, id, got, want)
		}
	}
}

// Two distinct contact ids whose hashes collide are two contacts, and each
// diagnosis is linked to its own: loads with every id hashing alike (and
// with the real hash) give the same Region and report, in which only the
// truly shared id and the diagnosis naming no contact are rejected.
func TestContactIDsCollidingHashes(t *testing.T) {
	m := readDir(t, "testdata/intake/clean")
	m[FileContacts] = []byte("contact_id,person_id,unit_id,date,mode,profession\n" +
		"K1,191212121212,VC1,2024-03-01,visit,doctor\n" +
		"K2,191212121212,VC1,2024-03-02,visit,doctor\n" +
		"K3,191212121212,VC1,2024-03-03,visit,doctor\n" +
		"K3,191212121212,VC1,2024-03-04,visit,doctor\n")
	m[FileDiagnoses] = []byte("person_id,date,code,contact_id\n" +
		"191212121212,2024-03-01,J06,K1\n" +
		"191212121212,2024-03-02,J06,K2\n" +
		"191212121212,2024-03-03,J06,K3\n" +
		"191212121212,2024-03-04,J06,K4\n")
	want, wantRep, err := load(context.Background(), filesOf(m), LoadOptions{}, loadKnobs{})
	if err != nil {
		t.Fatal(err)
	}
	type rej struct {
		file string
		line int
	}
	var got []rej
	for _, f := range wantRep.Files {
		for _, e := range f.Rejections {
			if e.Column == "contact_id" {
				got = append(got, rej{f.File, e.Line})
			}
		}
	}
	if diff := cmp.Diff([]rej{{FileContacts, 4}, {FileContacts, 5}, {FileDiagnoses, 4}, {FileDiagnoses, 5}}, got, cmp.AllowUnexported(rej{})); diff != "" {
		t.Fatalf("contact_id rejections (-want +got):\n%s", diff)
	}
	for hname, hash := range idHashes {
		for _, workers := range []int{1, 2} {
			r, rep, err := load(context.Background(), filesOf(m), LoadOptions{Workers: workers}, loadKnobs{idHash: hash})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, r, cmp.AllowUnexported(Region{})); diff != "" {
				t.Errorf("hash %s, %d workers: region differs:\n%s", hname, workers, diff)
			}
			if diff := cmp.Diff(wantRep, rep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
				t.Errorf("hash %s, %d workers: report differs:\n%s", hname, workers, diff)
			}
		}
	}
}
