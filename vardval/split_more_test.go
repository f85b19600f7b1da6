package vardval

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// With three to eight workers the contacts file is cut into parts that
// further workers read from the start; the Region and report are those of
// reading it in one part, also when a '"' in one part (before the last)
// makes the cuts unsafe and the file is read again whole.
func TestExtraWorkersMatchOnePart(t *testing.T) {
	base := readDir(t, "testdata/intake/clean")
	for _, c := range []struct {
		name       string
		contacts   []byte
		wantExtras bool
	}{
		{"40,000 rows", bigContacts(40000, -1), true},
		{"quote read before the cuts", bigContacts(40000, 3), false},
		{"quote in a's part after the cuts: read again whole", bigContacts(40000, 4800), true},
		{"quote in a middle part: read again whole", bigContacts(40000, 25000), true},
		{"quote in the last part", bigContacts(40000, 39990), true},
		{"a quoted field with line ends in the middle", straddling(40000), true},
	} {
		m := map[string][]byte{}
		for k, v := range base {
			m[k] = v
		}
		m[FileContacts] = c.contacts
		files := filesOf(m)
		files.Contacts = plain{files.Contacts}
		want, wantRep, err := Load(context.Background(), files, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if wantRep.Files[3].Rejected == 0 {
			t.Fatalf("%s: no rejections: the test file lost its faults", c.name)
		}
		counts := []int{3, 4, 5, 8}
		if raceEnabled {
			counts = []int{3, 8} // the fewest and the most extra parts: the race detector makes each load slow
		}
		for _, w := range counts {
			name := fmt.Sprintf("%s, %d workers", c.name, w)
			extras := -1
			loadsAsOnePart(t, name, m, w, loadKnobs{splitMin: 1, extras: &extras}, want, wantRep)
			if (extras > 0) != c.wantExtras || (c.wantExtras && extras != w-2) {
				t.Errorf("%s: %d extra parts", name, extras)
			}
		}
	}
}

// loadsAsOnePart loads m on w workers with knobs, and checks it in the same
// way, and compares the Region and both reports with want and wantRep, those
// of one part.
func loadsAsOnePart(t *testing.T, name string, m map[string][]byte, w int, knobs loadKnobs, want *Region, wantRep *IntakeReport) {
	t.Helper()
	got, gotRep, err := load(context.Background(), filesOf(m), LoadOptions{Workers: w}, knobs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRep, gotRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
		t.Errorf("%s: report (-one part +parts):\n%s", name, diff)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
		t.Errorf("%s: region (-one part +parts):\n%s", name, diff)
	}
	_, chk, err := load(context.Background(), filesOf(m), LoadOptions{Workers: w}, loadKnobs{splitMin: knobs.splitMin, reportOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantRep, chk, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
		t.Errorf("%s: Check's report (-one part +parts):\n%s", name, diff)
	}
}
