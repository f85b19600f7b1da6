package vardval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bigContacts is a contacts file of n rows over the clean region's units,
// with repeated persons (in runs and scattered), duplicate contact ids,
// invalid person_id cells, long pseudonyms and other faults; quote puts a
// quoted field (holding a line end) at row quoteAt.
func bigContacts(n, quoteAt int) []byte {
	var b bytes.Buffer
	b.WriteString("contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician\n")
	for i := range n {
		person := fmt.Sprintf("SYN%07d", i/3)
		switch {
		case i%97 == 0:
			person = "191212121213" // wrong check digit
		case i%89 == 0:
			person = fmt.Sprintf("PSEUDONYM-LONGER-THAN-FIFTEEN-%d", i%7)
		case i%13 == 0:
			person = fmt.Sprintf("SYN%07d", (i*7919)%(n/3+1))
		}
		id := fmt.Sprintf("C%d", i)
		if i%501 == 0 && i > 0 {
			id = fmt.Sprintf("C%d", i-250) // shared with a row in the other half, often
		}
		unit := "VC1"
		if i%2 == 1 {
			unit = "VC2"
		}
		mode := "visit"
		if i%331 == 0 {
			mode = "teleport"
		}
		clin := fmt.Sprintf("D%d", i%37)
		if i == quoteAt {
			clin = "\"D\n1\""
		}
		fmt.Fprintf(&b, "%s,%s,%s,2024-%02d-%02d,%s,doctor,no,%d,,no,%s\n", id, person, unit, 1+i%12, 1+i%28, mode, i%300, clin)
	}
	return b.Bytes()
}

// straddling returns bigContacts(n) with one row whose quoted clinician
// holds thousands of line ends right where the split falls (the first
// line end after the middle of what a has not read when it is held after
// its first 256 KiB read): a line end inside quotes, not a record boundary.
func straddling(n int) []byte {
	plainFile := bigContacts(n, -1)
	field := "\"D" + strings.Repeat("\n", 4000) + "1\""
	const readAhead = 256 << 10
	mid := readAhead + (len(plainFile)+len(field)-readAhead)/2
	cut := bytes.IndexByte(plainFile[mid-len(field)/2:], '\n') + mid - len(field)/2 + 1
	row := "CQ,SYN0000001,VC1,2024-01-01,visit,doctor,no,0,,no," + field + "\n"
	return append(append(append([]byte{}, plainFile[:cut]...), row...), plainFile[cut:]...)
}

// plain hides ReadAt, so that Load reads the contacts in one part.
type plain struct{ io.Reader }

// loadBothWays loads m with the contacts read in one part (ReadAt hidden)
// and in two, the split forced in the middle of what is unread once the
// header is read; at is where the second part started (-1: not split).
func loadBothWays(t *testing.T, m map[string][]byte) (one, two *Region, oneRep, twoRep *IntakeReport, at int64) {
	t.Helper()
	files := filesOf(m)
	files.Contacts = plain{files.Contacts}
	one, oneRep, err := Load(context.Background(), files, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	two, twoRep, err = load(context.Background(), filesOf(m), LoadOptions{},
		loadKnobs{splitMin: 1, hold: make(chan struct{}), splitAt: &at})
	if err != nil {
		t.Fatal(err)
	}
	return one, two, oneRep, twoRep, at
}

// Reading the contacts in two parts on both cores (forced in the middle)
// gives the same Region and report as reading them in one, also when a '"'
// in the first part makes the split unsafe (then they are read again in
// one part).
func TestSplitContactsMatchesOnePart(t *testing.T) {
	base := readDir(t, "testdata/intake/clean")
	for _, c := range []struct {
		name      string
		contacts  []byte
		wantSplit bool
	}{
		{"clean region (read whole on opening)", base[FileContacts], false},
		{"40,000 rows", bigContacts(40000, -1), true},
		{"quote read before the split", bigContacts(40000, 1000), false},
		{"quote in the first part after the split: read again whole", bigContacts(40000, 15000), true},
		{"quote in the second part", bigContacts(40000, 39000), true},
		{"split inside a quoted field: read again whole", straddling(40000), true},
	} {
		m := map[string][]byte{}
		for k, v := range base {
			m[k] = v
		}
		m[FileContacts] = c.contacts
		want, got, wantRep, gotRep, at := loadBothWays(t, m)
		if (at > 0) != c.wantSplit {
			t.Errorf("%s: split at %d", c.name, at)
		}
		if diff := cmp.Diff(wantRep, gotRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
			t.Errorf("%s: report (-one part +two):\n%s", c.name, diff)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
			t.Errorf("%s: region (-one part +two):\n%s", c.name, diff)
		}
		if c.name == "40,000 rows" && wantRep.Files[3].Rejected == 0 {
			t.Errorf("%s: no rejections: the test file lost its faults", c.name)
		}
	}
}

// risingContacts has n rows whose zero-padded ids rise from first.
func risingContacts(first, n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "C%07d,SYN%07d,VC%d,2024-03-%02d,visit,nurse,no,0,,no,N1\n", first+i, (first+i)/2, 1+i%2, 1+i%28)
	}
	return b.Bytes()
}

// Repeated contact ids are found across the two parts of a split, also
// when the ids rise within each part, with and without a diagnoses file.
func TestRisingContactIDs(t *testing.T) {
	base := readDir(t, "testdata/intake/clean")
	head := "contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician\n"
	// The split falls on the first line end past the middle of what a has
	// not read when held after its first 256 KiB: make the ids drop there.
	const n, readAhead = 40000, 256 << 10
	rowLen := len(risingContacts(0, 1))
	mid := readAhead + (len(head)+n*rowLen-readAhead)/2
	k := (mid - len(head) + 1 + rowLen - 1) / rowLen // first row after that line end
	overlap := append(append([]byte(head), risingContacts(0, k)...), risingContacts(k-10000, n-k)...)
	rising := append([]byte(head), risingContacts(0, 40000)...)
	for _, c := range []struct {
		name     string
		contacts []byte
		rejected int
	}{
		{"ids rising in each part only", overlap, 20000},
		{"ids rising throughout", rising, 0},
	} {
		for _, withDiagnoses := range []bool{false, true} {
			m := map[string][]byte{}
			for k, v := range base {
				if k != FileDiagnoses || withDiagnoses {
					m[k] = v
				}
			}
			if withDiagnoses {
				m[FileDiagnoses] = []byte("person_id,date,code,unit_id,contact_id\nSYN0000001,2024-03-02,F32.1,VC1,C0000002\n")
			}
			m[FileContacts] = c.contacts
			want, got, wantRep, gotRep, at := loadBothWays(t, m)
			if at <= 0 {
				t.Errorf("%s: not split", c.name)
			}
			if r := gotRep.Files[3].Rejected; r != c.rejected || wantRep.Files[3].Rejected != c.rejected {
				t.Errorf("%s (diagnoses %v): %d and %d rejected, want %d", c.name, withDiagnoses, wantRep.Files[3].Rejected, r, c.rejected)
			}
			if diff := cmp.Diff(want.Contacts, got.Contacts); diff != "" {
				t.Errorf("%s (diagnoses %v): contacts (-one part +two):\n%s", c.name, withDiagnoses, diff)
			}
			if diff := cmp.Diff(wantRep, gotRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
				t.Errorf("%s (diagnoses %v): report (-one part +two):\n%s", c.name, withDiagnoses, diff)
			}
		}
	}
}

// failAt reads like a bytes.Reader until byte at, where reading fails.
type failAt struct {
	*bytes.Reader
	at int64
}

func (f failAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) <= f.at {
		return f.Reader.ReadAt(p, off)
	}
	n := 0
	if off < f.at {
		n, _ = f.Reader.ReadAt(p[:f.at-off], off)
	}
	return n, errors.New("disk on fire")
}

// failPlain reads a failAt sequentially, without ReadAt.
type failPlain struct {
	f   failAt
	off int64
}

func (p *failPlain) Read(b []byte) (int, error) {
	n, err := p.f.ReadAt(b, p.off)
	p.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// A read error in either part of a split contacts file is reported as in
// one part: the same rows read, the same line in the error.
func TestSplitReadErrorAsInOnePart(t *testing.T) {
	m := readDir(t, "testdata/intake/clean")
	data := bigContacts(40000, -1)
	for _, at := range []int{len(data) * 3 / 10, len(data) * 7 / 10, len(data) * 95 / 100} {
		files := filesOf(m)
		files.Contacts = &failPlain{f: failAt{bytes.NewReader(data), int64(at)}}
		_, oneRep, err := Load(context.Background(), files, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		files = filesOf(m)
		files.Contacts = failAt{bytes.NewReader(data), int64(at)}
		var split int64
		_, twoRep, err := load(context.Background(), files, LoadOptions{}, loadKnobs{splitMin: 1, hold: make(chan struct{}), splitAt: &split})
		if err != nil {
			t.Fatal(err)
		}
		if oneRep.Files[3].Fatal() == nil {
			t.Fatalf("failing at %d: no read error", at)
		}
		if diff := cmp.Diff(oneRep, twoRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
			t.Errorf("failing at %d, split at %d: report (-one part +two):\n%s", at, split, diff)
		}
	}
}

// A contacts reader that has been read from already (a caller skipped its
// own preamble) is read from where it stands, split or not.
func TestSplitStartsWhereReaderStands(t *testing.T) {
	m := readDir(t, "testdata/intake/clean")
	pre := "# exported 2024-12-31 by system X\n"
	for _, contacts := range [][]byte{m[FileContacts], bigContacts(40000, -1)} {
		data := append([]byte(pre), contacts...)
		files := filesOf(m)
		files.Contacts = plain{bytes.NewReader(contacts)}
		want, wantRep, err := Load(context.Background(), files, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		br := bytes.NewReader(data)
		if _, err := br.Seek(int64(len(pre)), io.SeekStart); err != nil {
			t.Fatal(err)
		}
		files = filesOf(m)
		files.Contacts = br
		got, gotRep, err := load(context.Background(), files, LoadOptions{}, loadKnobs{splitMin: 1, hold: make(chan struct{})})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantRep, gotRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
			t.Errorf("%d bytes: report (-from the start +after a preamble):\n%s", len(contacts), diff)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
			t.Errorf("%d bytes: region (-from the start +after a preamble):\n%s", len(contacts), diff)
		}
	}
}

// lateFiles is a region whose observations and prescriptions name persons
// found nowhere else, personnummer that are not valid (alone and with
// another fault in the row), codes no other file has, and rows in no
// particular order.
func lateFiles(t *testing.T) map[string][]byte {
	t.Helper()
	m := readDir(t, "testdata/intake/faults")
	var obs, rx bytes.Buffer
	obs.WriteString("person_id,date,code,value,unit_id\n")
	rx.WriteString("person_id,date,atc,unit_id,ddd\n")
	for i := range 3000 {
		p := fmt.Sprintf("LATE%05d", (i*7919)%1200)
		switch i % 97 {
		case 5:
			p = "191212121213" // check digit
		case 6:
			p = "121212+1213"
		}
		fmt.Fprintf(&obs, "%s,2024-%02d-%02d,%s,%d,\n", p, 1+i%12, 1+i%28, []string{"BPSYS", "HBA1C", "ZZ9", "BMI"}[i%4], 20+i%60)
		if i%89 == 3 {
			fmt.Fprintf(&obs, "%s,2024-02-31,BPSYS,120,\n", p) // and a bad date
		}
		fmt.Fprintf(&rx, "%s,2024-%02d-%02d,%s,,%d\n", p, 1+i%12, 1+i%28, []string{"C09AA05", "N06AB10", "J01CA04"}[i%3], i%50)
	}
	m[FileObservations], m[FilePrescriptions] = obs.Bytes(), rx.Bytes()
	return m
}

// The observations and prescriptions read by a after the contacts (their
// persons looked up once b is done) give the same Region and report as
// read by b window by window, on the fault corpus, files of persons met
// only there, and both of those with their rows shuffled.
func TestLateFilesMatchB(t *testing.T) {
	shuffled := func(m map[string][]byte) map[string][]byte {
		out := map[string][]byte{}
		for k, v := range m {
			out[k] = shuffleRows(v, 3)
		}
		return out
	}
	noContacts := lateFiles(t)
	delete(noContacts, FileContacts) // a claims at once, while b reads the listings
	for _, c := range []struct {
		name  string
		m     map[string][]byte
		rich  bool // many rows accepted and rejected in both late files
		knobs loadKnobs
	}{
		{"faults", readDir(t, "testdata/intake/faults"), false, loadKnobs{aLate: true}},
		{"faults shuffled", shuffled(readDir(t, "testdata/intake/faults")), false, loadKnobs{aLate: true}},
		{"persons only in the late files", lateFiles(t), true, loadKnobs{aLate: true}},
		{"persons only in the late files, shuffled", shuffled(lateFiles(t)), true, loadKnobs{aLate: true}},
		{"only the prescriptions read by a", shuffled(lateFiles(t)), true, loadKnobs{aRx: true}},
		{"no contacts file", noContacts, true, loadKnobs{aLate: true}},
	} {
		want, wantRep, err := load(context.Background(), filesOf(c.m), LoadOptions{}, loadKnobs{bAll: true})
		if err != nil {
			t.Fatal(err)
		}
		got, gotRep, err := load(context.Background(), filesOf(c.m), LoadOptions{}, c.knobs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantRep, gotRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
			t.Errorf("%s: report (-b +a):\n%s", c.name, diff)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
			t.Errorf("%s: region (-b +a):\n%s", c.name, diff)
		}
		if o, x := gotRep.Files[5], gotRep.Files[6]; o.Read == 0 || x.Read == 0 || c.rich && (o.Accepted < 1000 || x.Accepted < 1000 || o.Rejected == 0 || x.Rejected == 0) {
			t.Errorf("%s: observations %d accepted, %d rejected, prescriptions %d and %d: the test lost its rows or faults",
				c.name, o.Accepted, o.Rejected, x.Accepted, x.Rejected)
		}
	}
}

// Check gives Load's report also when the contacts are split between the
// workers and when a reads the observations and prescriptions.
func TestCheckReportsAsLoadOnBothWorkers(t *testing.T) {
	base := readDir(t, "testdata/intake/clean")
	split := map[string][]byte{}
	for k, v := range base {
		split[k] = v
	}
	split[FileContacts] = bigContacts(40000, -1)
	for _, c := range []struct {
		name  string
		m     map[string][]byte
		knobs loadKnobs
	}{
		{"contacts split", split, loadKnobs{splitMin: 1, hold: make(chan struct{})}},
		{"late files read by a", lateFiles(t), loadKnobs{aLate: true}},
	} {
		_, want, err := Load(context.Background(), filesOf(c.m), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		k := c.knobs
		k.reportOnly = true
		var at int64
		if k.hold != nil {
			k.splitAt = &at
		}
		r, got, err := load(context.Background(), filesOf(c.m), LoadOptions{}, k)
		if err != nil || r != nil {
			t.Fatalf("%s: region %v, error %v", c.name, r != nil, err)
		}
		if k.hold != nil && at <= 0 {
			t.Errorf("%s: the contacts were not split", c.name)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
			t.Errorf("%s: report (-Load +Check):\n%s", c.name, diff)
		}
	}
}
