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
		Diagnoses: r(FileDiagnoses), Observations: r(FileObservations), Prescriptions: r(FilePrescriptions)}
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
