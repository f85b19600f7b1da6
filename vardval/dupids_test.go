package vardval

import (
	"bytes"
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
