package vardval

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// readDir loads the contract's files from a testdata directory into memory.
func readDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range FileNames() {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			out[name] = b
		}
	}
	return out
}

// filesOf turns in-memory file contents into Files.
func filesOf(m map[string][]byte) Files {
	r := func(name string) io.Reader {
		if b, ok := m[name]; ok {
			return bytes.NewReader(b)
		}
		return nil
	}
	return Files{Units: r(FileUnits), Areas: r(FileAreas), Listings: r(FileListings), Contacts: r(FileContacts),
		Diagnoses: r(FileDiagnoses), Observations: r(FileObservations), Prescriptions: r(FilePrescriptions),
		Procedures: r(FileProcedures), Admissions: r(FileAdmissions), Clinicians: r(FileClinicians), Calls: r(FileCalls),
		Survey: r(FileSurvey)}
}

// personnummerLike finds anything shaped like a personnummer in output.
var personnummerLike = regexp.MustCompile(`\d{6}[-+]?\d{4}`)

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestLoadGoldenReports(t *testing.T) {
	for _, dir := range []string{"clean", "faults"} {
		t.Run(dir, func(t *testing.T) {
			_, rep, _ := Load(context.Background(), filesOf(readDir(t, filepath.Join("testdata/intake", dir))), LoadOptions{})
			var js, txt bytes.Buffer
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteText(&txt); err != nil {
				t.Fatal(err)
			}
			for _, out := range [][]byte{js.Bytes(), txt.Bytes()} {
				if m := personnummerLike.Find(out); m != nil {
					t.Errorf("report contains something shaped like a personnummer: %q", m)
				}
			}
			for _, f := range rep.Files {
				if f.Read != f.Accepted+f.Rejected || f.Rejected != len(f.Rejections) {
					t.Errorf("%s: read %d != accepted %d + rejected %d (%d listed)", f.File, f.Read, f.Accepted, f.Rejected, len(f.Rejections))
				}
			}
			golden(t, filepath.Join("testdata/intake", dir+".report.json"), js.Bytes())
			golden(t, filepath.Join("testdata/intake", dir+".report.txt"), txt.Bytes())
		})
	}
}

func TestLoadClean(t *testing.T) {
	r, rep, err := Load(context.Background(), filesOf(readDir(t, "testdata/intake/clean")), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st := rep.Status(); st != 0 {
		var b bytes.Buffer
		rep.WriteText(&b)
		t.Fatalf("status %d, want 0:\n%s", st, b.String())
	}
	// 5 listed persons + 1 unlisted contact person.
	if got, want := len(r.Persons), 5; got != want {
		t.Errorf("persons = %d, want %d", got, want)
	}
	vc1, _ := r.UnitByID("VC1")
	vc2, _ := r.UnitByID("VC2")
	on := D(2024, 3, 1)
	if got := r.ListedOn(on); got[vc1] != 2 || got[vc2] != 2 {
		t.Errorf("ListedOn(%v) = %v, want VC1 2, VC2 2", on, got)
	}
	// July 2024: bo moved to VC2 on 1 July: VC1 has anna only (31 days), VC2 has bo, tolvan, cia.
	pd := r.PersonDays(MonthPeriod(YearMonth{2024, 7}))
	if pd[vc1] != 31 || pd[vc2] != 93 {
		t.Errorf("PersonDays(2024-07) = %v, want VC1 31, VC2 93", pd)
	}
	// The personnummer gave sex and birth date; it is not kept anywhere.
	found := false
	for _, p := range r.Persons {
		if p.BirthDate == D(1912, 12, 12) {
			found = true
			if p.Sex != Male {
				t.Errorf("19121212-1212 sex = %v, want M", p.Sex)
			}
		}
	}
	if !found {
		t.Error("no person born 1912-12-12 from the personnummer")
	}
	// Contacts and observations of a person come in date order.
	for p := range r.Persons {
		obs := r.ObservationsOf(PersonIndex(p))
		for i := 1; i < len(obs); i++ {
			if obs[i].Date.Before(obs[i-1].Date) {
				t.Errorf("observations of person %d out of order", p)
			}
		}
	}
}

func TestLoadMissingRequired(t *testing.T) {
	m := readDir(t, "testdata/intake/clean")
	delete(m, FileListings)
	_, rep, err := Load(context.Background(), filesOf(m), LoadOptions{})
	var fe *FileError
	if err == nil || !errors.As(err, &fe) || fe.File != FileListings {
		t.Fatalf("err = %v, want *FileError for listings.csv", err)
	}
	if rep.Status() != 2 {
		t.Errorf("status = %d, want 2", rep.Status())
	}
	m = readDir(t, "testdata/intake/clean")
	m[FileUnits] = []byte("unit_id,kind\nVC1,primary\n")
	_, _, err = Load(context.Background(), filesOf(m), LoadOptions{})
	if !errors.As(err, &fe) || fe.Column != "name" {
		t.Fatalf("err = %v, want missing column name", err)
	}
}

// TestPersonnummerCheckedOnLookup: a personnummer-shaped person_id in
// contacts and diagnoses is checked once per distinct cell when its person
// is looked up, yet a row is still rejected for its person_id (with the
// same reason) whether the number is its only fault or another column is
// wrong too, as when every cell was checked as read.
func TestPersonnummerCheckedOnLookup(t *testing.T) {
	files := map[string][]byte{
		FileUnits:    []byte("unit_id,name,kind\nVC1,Ett,primary\n"),
		FileListings: []byte("person_id,unit_id,from\n191212121212,VC1,2020-01-01\n"),
		FileContacts: []byte("contact_id,person_id,unit_id,date,mode,profession\n" +
			"C1,191212121212,VC1,2024-01-02,visit,doctor\n" + // 2: accepted
			"C2,191212121213,VC1,2024-01-02,visit,doctor\n" + // 3: Luhn digit, found on lookup
			"C3,191212121213,VC1,2024-01-02,visit,doctor\n" + // 4: the same cell again
			"C4,191212121213,VC9,2024-01-02,visit,doctor\n" + // 5: and an unknown unit
			"C5,19121212-1213,VC1,2024-01-02,walk,doctor\n" + // 6: and a bad mode
			"C6,1212121213,VC1,2024-01-02,visit,doctor\n" + // 7: 10 digits, Luhn digit
			"C7,19900101-0017,VC1,2024-13-02,visit,doctor\n" + // 8: valid, unlisted: the date
			"C8,19900101-0017,VC1,2024-01-03,phone,nurse\n" + // 9: accepted
			"C9,19121312-1212,VC1,2024-01-02,visit,doctor\n" + // 10: no such day
			"C10,121212+1212,VC1,2024-01-04,visit,doctor\n" + // 11: the listed person, without century
			"C11,19121212-1212,VC1,2024-01-05,visit,doctor\n" + // 12: the listed person, with '-'
			"C12,1212121212,VC1,2024-01-06,visit,doctor\n"), // 13: born 2012: someone else
		FileDiagnoses: []byte("person_id,date,code\n" +
			"191212121212,2024-01-02,I10\n" + // 2: accepted
			"191212121213,2024-01-02,I10\n" + // 3: Luhn digit
			"191212121213,2024-02-30,I10\n"), // 4: and a bad date
		FileObservations: []byte("person_id,date,code,value\n" +
			"121212+1212,2024-01-02,BPSYS,120\n" + // 2: accepted
			"121212+1213,2024-01-02,BPSYS,120\n" + // 3: Luhn digit
			"121212+1213,2024-01-02,BPSYS,abc\n"), // 4: and a bad value
		FilePrescriptions: []byte("person_id,date,atc\n" +
			"1212121213,2024-01-02,C09AA05\n" + // 2: Luhn digit
			"191212121212,2024-01-02,C09AA05\n"), // 3: accepted
	}
	r, rep, err := Load(context.Background(), filesOf(files), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Every spelling of the listed person finds them; the 10-digit one
	// without '+' is a person born in 2012.
	listed := r.Listings[0].Person
	perPerson := map[bool]int{}
	for _, c := range r.Contacts {
		perPerson[c.Person == listed]++
	}
	if diff := cmp.Diff(map[bool]int{true: 3, false: 2}, perPerson); diff != "" {
		t.Errorf("contacts of the listed person (true) and of others (-want +got):\n%s", diff)
	}
	if len(r.Persons) != 3 || len(r.ObservationsOf(listed)) != 1 || len(r.PrescriptionsOf(listed)) != 1 {
		t.Errorf("%d persons (want 3), the listed one with %d observations and %d prescriptions (want 1 and 1)",
			len(r.Persons), len(r.ObservationsOf(listed)), len(r.PrescriptionsOf(listed)))
	}
	type rej struct {
		Line   int
		Column string
	}
	reasonOf := func(s string) (string, error) {
		_, err := ParsePersonnummer(s, D(2024, 12, 31))
		var pe *PersonnummerError
		if !errors.As(err, &pe) {
			return "", err
		}
		return "person_id is shaped like a personnummer but is not valid: " + pe.Reason, nil
	}
	for _, tc := range []struct {
		file  string
		want  []rej
		cells map[int]string // line → the cell whose reason it must give
	}{
		{FileContacts, []rej{{3, "person_id"}, {4, "person_id"}, {5, "person_id"}, {6, "person_id"}, {7, "person_id"}, {8, "date"}, {10, "person_id"}},
			map[int]string{3: "191212121213", 4: "191212121213", 5: "191212121213", 6: "19121212-1213", 7: "1212121213", 10: "19121312-1212"}},
		{FileDiagnoses, []rej{{3, "person_id"}, {4, "person_id"}}, map[int]string{3: "191212121213", 4: "191212121213"}},
		{FileObservations, []rej{{3, "person_id"}, {4, "person_id"}}, map[int]string{3: "121212+1213", 4: "121212+1213"}},
		{FilePrescriptions, []rej{{2, "person_id"}}, map[int]string{2: "1212121213"}},
	} {
		f := rep.File(tc.file)
		var got []rej
		for _, e := range f.Rejections {
			got = append(got, rej{e.Line, e.Column})
			if cell, ok := tc.cells[e.Line]; ok {
				want, err := reasonOf(cell)
				if err != nil {
					t.Fatalf("%s line %d: test cell is valid: %v", tc.file, e.Line, err)
				}
				if e.Reason != want {
					t.Errorf("%s line %d: reason %q, want %q", tc.file, e.Line, e.Reason, want)
				}
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s rejections (-want +got):\n%s", tc.file, diff)
		}
		if f.Read != f.Accepted+f.Rejected {
			t.Errorf("%s: read %d != accepted %d + rejected %d", tc.file, f.Read, f.Accepted, f.Rejected)
		}
	}
}
