package vardval

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// The clean region's follow-up rows are linked to its persons: P-anna's
// procedures and admissions are hers, P-okänd (in no other file) is
// accepted and kept nowhere, and Check reports what Load reports.
func TestFollowupLinked(t *testing.T) {
	files := readDir(t, "testdata/intake/clean")
	r, rep, err := Load(context.Background(), filesOf(files), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st := rep.Status(); st != 0 {
		t.Fatalf("status %d", st)
	}
	f := r.Followup()
	var anna PersonIndex = -1
	for p := range r.Persons {
		for _, l := range r.ListingsOf(PersonIndex(p)) {
			if l.Line == 2 {
				anna = PersonIndex(p)
			}
		}
	}
	if anna < 0 {
		t.Fatal("P-anna not found")
	}
	var codes []string
	for _, x := range f.ProceduresOf(anna) {
		codes = append(codes, x.Code)
	}
	if diff := gocmp.Diff([]string{"DV112", "XV015"}, codes); diff != "" {
		t.Errorf("P-anna's procedures (-want +got):\n%s", diff)
	}
	if got := len(f.Procedures); got != 3 {
		t.Errorf("%d procedures kept, want 3 (P-okänd is in no other file)", got)
	}
	adm := f.AdmissionsOf(anna)
	want := []Admission{
		{Person: anna, Admitted: D(2024, 2, 1), Discharged: D(2024, 2, 5), Diagnosis: "J441", Acute: true, Hospital: "SJH1"},
		{Person: anna, Admitted: D(2024, 11, 1), Diagnosis: "I50", Hospital: "SJH1"},
	}
	if diff := gocmp.Diff(want, adm); diff != "" {
		t.Errorf("P-anna's admissions (-want +got):\n%s", diff)
	}
	if len(f.Staff) != 3 || len(f.Calls) != 2 || len(f.Survey) != 2 {
		t.Errorf("staff %d, calls %d, survey %d; want 3, 2, 2", len(f.Staff), len(f.Calls), len(f.Survey))
	}
	if f.Survey[1].Period != (Period{From: D(2024, 9, 1), To: D(2024, 10, 31)}) {
		t.Errorf("survey period %v", f.Survey[1].Period)
	}
	crep, err := Check(context.Background(), filesOf(files), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(rep, crep, gocmp.AllowUnexported(FileReport{})); diff != "" {
		t.Errorf("Check's report differs from Load's (-load +check):\n%s", diff)
	}
}

// Shuffling the rows of every follow-up file changes nothing but line
// numbers: the same records, in the same order.
func TestFollowupRowOrder(t *testing.T) {
	files := readDir(t, "testdata/intake/clean")
	for _, name := range followupNames() {
		files[name] = append(files[name], files[name][bytes.IndexByte(files[name], '\n')+1:]...)
	}
	files[FileCalls] = []byte("unit_id,date,calls,answered_same_day\nVC1,2024-01-02,100,90\nVC2,2024-01-02,40,40\nVC1,2024-01-03,7,7\n")
	base, _, err := Load(context.Background(), filesOf(files), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		m := map[string][]byte{}
		for k, v := range files {
			m[k] = v
		}
		for _, name := range followupNames() {
			lines := strings.SplitAfter(string(files[name]), "\n")
			head, rows := lines[0], slices.DeleteFunc(lines[1:], func(s string) bool { return s == "" })
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			m[name] = []byte(head + strings.Join(rows, ""))
		}
		r, _, err := Load(context.Background(), filesOf(m), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Followup().Equal(base.Followup()) {
			t.Fatalf("follow-up records depend on row order:\n%s", gocmp.Diff(base.Followup(), r.Followup()))
		}
	}
}

// A rejected follow-up row is a RowError with its file, line and column.
func TestFollowupRowError(t *testing.T) {
	files := readDir(t, "testdata/intake/clean")
	files[FileSurvey] = []byte("unit_id,period,question,respondents,positive\nVC1,2024-10,delaktighet,10,11\n")
	_, rep, err := Load(context.Background(), filesOf(files), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs := rep.File(FileSurvey).Rejections
	if len(rs) != 1 {
		t.Fatalf("%d rejections, want 1: %v", len(rs), rs)
	}
	var err1 error = &rs[0]
	var re *RowError
	if !errors.As(err1, &re) || re.File != FileSurvey || re.Line != 2 || re.Column != "positive" ||
		re.Reason != "positive 11 is more than respondents 10" {
		t.Errorf("got %v, want survey.csv line 2 column positive", err1)
	}
}

// FuzzLoadFollowup feeds arbitrary bytes as one of the follow-up files
// next to a clean region: never a panic, every row accounted for, no
// personnummer in a reason, Check's report equal to Load's, and as many
// records kept as were accepted for the persons and rows that are kept.
func FuzzLoadFollowup(f *testing.F) {
	clean := readDir(f, "testdata/intake/clean")
	faults := readDir(f, "testdata/intake/faults")
	names := followupNames()
	for i, n := range names {
		f.Add(uint8(i), clean[n])
		f.Add(uint8(i), faults[n])
	}
	f.Add(uint8(0), []byte("person_id;date;unit_id;code\r\n19121212-1212;2024-01-01;VC1;dv112\r\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		m := map[string][]byte{}
		for k, v := range clean {
			m[k] = v
		}
		name := names[int(which)%len(names)]
		m[name] = data
		r, rep, err := Load(context.Background(), filesOf(m), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, fr := range rep.Files {
			if fr.Read != fr.Accepted+fr.Rejected || fr.Rejected != len(fr.Rejections) || fr.Accepted < 0 {
				t.Fatalf("%s: read %d != accepted %d + rejected %d", fr.File, fr.Read, fr.Accepted, fr.Rejected)
			}
			for _, x := range fr.Rejections {
				if personnummerLike.MatchString(x.Reason) || personnummerLike.MatchString(x.Column) {
					t.Fatalf("%s:%d: reason shows a personnummer-shaped value: %q", fr.File, x.Line, x.Reason)
				}
			}
		}
		crep, err := Check(context.Background(), filesOf(m), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(rep, crep, gocmp.AllowUnexported(FileReport{})); diff != "" {
			t.Fatalf("Check differs from Load:\n%s", diff)
		}
		fu := r.Followup()
		var accepted int
		for _, fr := range rep.Files {
			if fr.File == name {
				accepted = fr.Accepted
			}
		}
		kept := map[string]int{FileProcedures: len(fu.Procedures), FileAdmissions: len(fu.Admissions),
			FileClinicians: len(fu.Staff), FileCalls: len(fu.Calls), FileSurvey: len(fu.Survey)}[name]
		if kept > accepted || (name != FileProcedures && name != FileAdmissions && kept != accepted) {
			t.Fatalf("%s: %d records kept, %d rows accepted", name, kept, accepted)
		}
		for p := range r.Persons {
			for _, x := range fu.ProceduresOf(PersonIndex(p)) {
				if x.Person != PersonIndex(p) || x.Unit < 0 || int(x.Unit) >= len(r.Units) {
					t.Fatalf("procedure %+v under person %d", x, p)
				}
			}
		}
	})
}

// A model of calls.csv's rules: a row is kept when its unit is known, its
// answered count is at most its calls and no other valid row has its unit
// and date (gopter; rows drawn over few units and days so that repeats
// and faults are common). The rejected rows are the others, on their lines.
func TestCallsModel(t *testing.T) {
	clean := readDir(t, "testdata/intake/clean")
	units := []string{"VC1", "VC2", "AKUT", "VC9"} // VC9 is not in units.csv
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	props := gopter.NewProperties(params)
	row := gen.SliceOfN(4, gen.IntRange(0, 20)) // unit, day, calls, answered
	props.Property("kept = valid rows whose unit and date no other valid row shares", prop.ForAll(
		func(rows [][]int) bool {
			var b strings.Builder
			b.WriteString("unit_id,date,calls,answered_same_day\n")
			type key struct{ u, d int }
			count := map[key]int{}
			valid := func(r []int) bool { return r[0]%4 != 3 && r[3] <= r[2] }
			for _, r := range rows {
				fmt.Fprintf(&b, "%s,2024-01-%02d,%d,%d\n", units[r[0]%4], 1+r[1]%5, r[2], r[3])
				if valid(r) {
					count[key{r[0] % 4, r[1] % 5}]++
				}
			}
			m := map[string][]byte{}
			for k, v := range clean {
				m[k] = v
			}
			m[FileCalls] = []byte(b.String())
			r, rep, err := Load(context.Background(), filesOf(m), LoadOptions{})
			if err != nil {
				t.Log(err)
				return false
			}
			var want []CallDay
			var rejected []int
			for i, x := range rows {
				if valid(x) && count[key{x[0] % 4, x[1] % 5}] == 1 {
					u, _ := r.UnitByID(units[x[0]%4])
					want = append(want, CallDay{Unit: u, Date: D(2024, 1, 1+x[1]%5), Calls: int64(x[2]), AnsweredSameDay: int64(x[3])})
				} else {
					rejected = append(rejected, i+2)
				}
			}
			slices.SortFunc(want, func(a, b CallDay) int {
				return cmp.Or(cmp.Compare(a.Unit, b.Unit), a.Date.Compare(b.Date))
			})
			var lines []int
			for _, x := range rep.File(FileCalls).Rejections {
				lines = append(lines, x.Line)
			}
			got := r.Followup().Calls
			if len(want) == 0 && len(got) == 0 {
				got, want = nil, nil
			}
			if d := gocmp.Diff(want, got); d != "" || !slices.Equal(rejected, lines) {
				t.Logf("kept (-want +got):\n%s\nrejected lines %v, want %v", d, lines, rejected)
				return false
			}
			return true
		},
		gen.SliceOfN(12, row),
	))
	props.TestingRun(t)
}

// Region.Extend keeps the follow-up records with their persons and units,
// the units renumbered when new ones sort before them.
func TestFollowupExtend(t *testing.T) {
	r, _, err := Load(context.Background(), filesOf(readDir(t, "testdata/intake/clean")), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := r.Extend(Extension{Units: []Unit{{ID: "A0", Name: "First", Kind: KindPrimary}}})
	if err != nil {
		t.Fatal(err)
	}
	before, after := r.Followup(), x.Followup()
	if len(after.Procedures) != len(before.Procedures) || len(after.Calls) != len(before.Calls) || len(after.Staff) != len(before.Staff) {
		t.Fatalf("records lost: %d/%d procedures, %d/%d calls", len(after.Procedures), len(before.Procedures), len(after.Calls), len(before.Calls))
	}
	for i, c := range before.Calls {
		if r.Units[c.Unit].ID != x.Units[after.Calls[i].Unit].ID {
			t.Errorf("call %d: unit %s became %s", i, r.Units[c.Unit].ID, x.Units[after.Calls[i].Unit].ID)
		}
	}
	for p := range r.Persons {
		b, a := before.ProceduresOf(PersonIndex(p)), after.ProceduresOf(PersonIndex(p))
		if len(a) != len(b) {
			t.Fatalf("person %d: %d procedures, had %d", p, len(a), len(b))
		}
		for i := range a {
			if r.Units[b[i].Unit].ID != x.Units[a[i].Unit].ID || a[i].Code != b[i].Code {
				t.Errorf("person %d procedure %d changed", p, i)
			}
		}
	}
}

// A personnummer links a follow-up row to its person however it is
// written, under any pseudonym key.
func TestFollowupPersonnummerLinked(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("region key")} {
		files := Files{
			Units:      strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\n"),
			Listings:   strings.NewReader("person_id,unit_id,from\n19121212-1212,VC1,2020-01-01\n"),
			Procedures: strings.NewReader("person_id,date,unit_id,code\n121212+1212,2024-01-02,VC1,XV015\n191212121212,2024-01-03,VC1,XV016\n"),
		}
		r, _, err := Load(context.Background(), files, LoadOptions{PseudonymKey: key})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Persons) != 1 {
			t.Fatalf("%d persons", len(r.Persons))
		}
		if got := r.Followup().ProceduresOf(0); len(got) != 2 || got[0].Code != "XV015" || got[1].Code != "XV016" {
			t.Errorf("key %q: procedures %+v, want both linked", key, got)
		}
	}
}
