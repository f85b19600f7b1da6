package vardval

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// A person first met in the listings takes its sex and birth date from the
// personnummer's digits (the row's parse already found it valid): for every
// spelling (12 digits, '-' after the date, 10 digits, '-' and '+' without
// the century) and for samordningsnummer (day + 60) they are those
// ParsePersonnummer gives.
func TestListingPersonsFromPersonnummer(t *testing.T) {
	ref := D(2024, 12, 31)
	var rows strings.Builder
	rows.WriteString("person_id,unit_id,from\n")
	type fact struct {
		Sex   Sex
		Birth Date
	}
	var want []fact
	for k := range 40 {
		year, month, day := 1915+k*2, 1+k%12, 1+k%28
		if k%5 == 1 {
			day += 60 // samordningsnummer
		}
		nnn := 980 + k%20
		full := fmt.Sprintf("%04d%02d%02d", year, month, day)
		short := full[2:]
		sep := "-"
		if year <= 1924 {
			sep = "+" // a hundred years old or more on ref
		}
		var id string
		switch k % 4 {
		case 0:
			id = withCheck(fmt.Sprintf("%s%03d", full, nnn))
		case 1:
			id = withCheck(fmt.Sprintf("%s-%03d", full, nnn))
		case 2:
			if sep == "+" {
				id = withCheck(fmt.Sprintf("%s+%03d", short, nnn))
			} else {
				id = withCheck(fmt.Sprintf("%s%03d", short, nnn))
			}
		case 3:
			id = withCheck(fmt.Sprintf("%s%s%03d", short, sep, nnn))
		}
		pn, err := ParsePersonnummer(id, ref)
		if err != nil {
			t.Fatalf("person %d: %v", k, err)
		}
		want = append(want, fact{pn.Sex(), pn.BirthDate()})
		fmt.Fprintf(&rows, "%s,VC1,2020-01-01\n", id)
	}
	m := readDir(t, "testdata/intake/clean")
	m[FileListings] = []byte(rows.String())
	delete(m, FileContacts)
	for _, name := range []string{FileDiagnoses, FileObservations, FilePrescriptions, FileProcedures, FileAdmissions, FileCalls, FileSurvey} {
		delete(m, name)
	}
	r, rep, err := Load(context.Background(), filesOf(m), LoadOptions{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files[2].Rejected != 0 {
		t.Fatalf("listings rejected: %+v", rep.Files[2].Rejections)
	}
	var got []fact
	for _, p := range r.Persons {
		got = append(got, fact{p.Sex, p.BirthDate})
	}
	order := func(a, b fact) int { return cmp.Or(a.Birth.Compare(b.Birth), cmp.Compare(a.Sex, b.Sex)) }
	slices.SortFunc(got, order)
	slices.SortFunc(want, order)
	if d := gocmp.Diff(want, got); d != "" {
		t.Errorf("persons' sex and birth date (-parsed +loaded):\n%s", d)
	}
}
