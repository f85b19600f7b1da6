package vardval

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/vardval/vardval/vardval/csvin"
)

// The hostile corpus: testdata/hostile/<case>/ holds one or more of the
// contract's files written as an attacker or an unlucky user would (no
// header line, old-Mac line ends, UTF-16, NUL bytes, personnummer planted
// in headers and cells, control characters). The files a case does not
// hold are taken from testdata/intake/clean.

// ignoreCause leaves FileError.Err out of comparisons: its text is in
// Reason, and a *csvin.ReadError holds the reader's own error value.
var ignoreCause = cmpopts.IgnoreFields(FileError{}, "Err")

// pnrForms are the personnummer forms that may never appear in a report.
var pnrForms = []*regexp.Regexp{regexp.MustCompile(`\d{6}[-+ ]?\d{4}`), regexp.MustCompile(`\d{10}`)}

// assertNoLeak fails when out holds a personnummer form or a control
// character other than tab and line feed.
func assertNoLeak(t *testing.T, what string, out []byte) {
	t.Helper()
	for _, re := range pnrForms {
		if m := re.Find(out); m != nil {
			t.Errorf("%s holds a personnummer form %q:\n%s", what, m, out)
		}
	}
	for _, r := range string(out) {
		if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) {
			t.Errorf("%s holds control character %U:\n%q", what, r, out)
			break
		}
	}
}

// hostileCases returns the case directories of the corpus.
func hostileCases(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("testdata/hostile/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no hostile corpus: %v", err)
	}
	return dirs
}

// hostileFiles is the clean region with the case's files in place of its own.
func hostileFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := readDir(t, "testdata/intake/clean")
	own := readDir(t, dir)
	if len(own) == 0 {
		t.Fatalf("%s holds no file of the contract", dir)
	}
	for k, v := range own {
		m[k] = v
	}
	return m
}

// reportOutputs renders everything intake says about a region: the text
// and JSON reports and the error.
func reportOutputs(t *testing.T, rep *IntakeReport, err error) map[string][]byte {
	t.Helper()
	var js, txt bytes.Buffer
	if e := rep.WriteJSON(&js); e != nil {
		t.Fatal(e)
	}
	if e := rep.WriteText(&txt); e != nil {
		t.Fatal(e)
	}
	out := map[string][]byte{"json report": js.Bytes(), "text report": txt.Bytes()}
	if err != nil {
		out["error"] = []byte(err.Error())
	}
	for _, f := range rep.Files {
		if fe := f.Fatal(); fe != nil {
			out[f.File+" file error"] = []byte(fe.Error())
		}
	}
	return out
}

func TestHostileCorpus(t *testing.T) {
	for _, dir := range hostileCases(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files := hostileFiles(t, dir)
			for _, run := range []struct {
				name string
				load func() (*IntakeReport, error)
			}{
				{"Load", func() (*IntakeReport, error) {
					_, rep, err := Load(context.Background(), filesOf(files), LoadOptions{})
					return rep, err
				}},
				{"Check", func() (*IntakeReport, error) { return Check(context.Background(), filesOf(files), LoadOptions{}) }},
			} {
				rep, err := run.load()
				for what, out := range reportOutputs(t, rep, err) {
					assertNoLeak(t, run.name+" "+what, out)
				}
				for _, f := range rep.Files {
					if f.Fatal() == nil && !f.Skipped && f.Read != f.Accepted+f.Rejected {
						t.Errorf("%s: read %d != accepted %d + rejected %d", f.File, f.Read, f.Accepted, f.Rejected)
					}
				}
			}
		})
	}
}

// loadOne loads the clean region with name replaced by data.
func loadOne(t *testing.T, name string, data []byte) (*IntakeReport, error) {
	t.Helper()
	files := readDir(t, "testdata/intake/clean")
	files[name] = data
	_, rep, err := Load(context.Background(), filesOf(files), LoadOptions{})
	return rep, err
}

// reasons returns the rejections of one file as "line:column: reason".
func reasons(rep *IntakeReport, name string) map[int]RowError {
	out := map[int]RowError{}
	for _, e := range rep.File(name).Rejections {
		out[e.Line] = e
	}
	return out
}

func corpusFile(t *testing.T, c, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/hostile", c, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileError returns the *FileError of err (failing when there is none).
func fileError(t *testing.T, err error) *FileError {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a *FileError", err)
	}
	return fe
}

func TestHeaderLineMissing(t *testing.T) {
	for _, c := range []struct{ dir, file string }{
		{"no-header", FileListings}, {"no-header-12digits", FileListings}, {"header-dates", FileListings},
		{"no-header-units", FileUnits}, {"header-only-pnr-dup", FileUnits},
	} {
		t.Run(c.dir, func(t *testing.T) {
			rep, err := loadOne(t, c.file, corpusFile(t, c.dir, c.file))
			fe := fileError(t, err)
			if fe.File != c.file || !strings.HasPrefix(fe.Reason, "the header line is missing") {
				t.Errorf("file error %q, want the header line is missing in %s", fe.Error(), c.file)
			}
			var he *csvin.HeaderError
			if !errors.As(err, &he) {
				t.Errorf("err %v does not wrap a *csvin.HeaderError", err)
			}
			// A first line without a date, number or personnummer that
			// names no column may be a header in other words.
			if want := "the header line is missing or names none of the columns (unit_id, name, kind)"; (c.dir == "no-header-units") != (fe.Reason == want) {
				t.Errorf("reason %q (want %q only for no-header-units)", fe.Reason, want)
			}
			if f := rep.File(c.file); len(f.Ignored) != 0 {
				t.Errorf("ignored columns %q listed for a file without a header line", f.Ignored)
			}
		})
	}
}

func TestIgnoredColumnsRedacted(t *testing.T) {
	rep, err := loadOne(t, FileListings, corpusFile(t, "header-pnr", FileListings))
	if err != nil {
		t.Fatal(err)
	}
	got := rep.File(FileListings).Ignored
	want := []string{"[personnummer]", "x\uFFFD[2jy", "[personnummer]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ignored = %q, want %q", got, want)
	}
	// A malformed cell in a column whose header holds a personnummer
	// names the column masked.
	rep, err = loadOne(t, FileListings, corpusFile(t, "bad-quote-pnr-column", FileListings))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.File(FileListings).Rejections {
		if e.Column != "[personnummer]" {
			t.Errorf("line %d: column %q, want it masked", e.Line, e.Column)
		}
	}
	// A column named twice: the duplicate is named masked.
	_, err = loadOne(t, FileListings, corpusFile(t, "header-dup-pnr", FileListings))
	if fe := fileError(t, err); fe.Column != "[personnummer]" || fe.Reason != "column appears twice in the header" {
		t.Errorf("file error %+v", fe)
	}
}

func TestCROnlyLineEnds(t *testing.T) {
	rep, err := loadOne(t, FileListings, corpusFile(t, "cr-only", FileListings))
	if err != nil {
		t.Fatal(err)
	}
	f := rep.File(FileListings)
	if f.Read != 3 || f.Accepted != 2 || f.LineEnds != "cr" {
		t.Errorf("read %d accepted %d line ends %q, want 3 rows read as lines, 2 accepted, cr", f.Read, f.Accepted, f.LineEnds)
	}
	if e, ok := reasons(rep, FileListings)[4]; !ok || e.Column != "person_id" {
		t.Errorf("line 4 (wrong check digit) not rejected for person_id: %+v", reasons(rep, FileListings))
	}
	var txt bytes.Buffer
	_ = rep.WriteText(&txt)
	if !strings.Contains(txt.String(), "old-Mac line ends (CR)") {
		t.Errorf("text report does not name the line ends:\n%s", txt.String())
	}
}

func TestPersonnummerShapedValuesRejected(t *testing.T) {
	rep, err := loadOne(t, FileUnits, corpusFile(t, "unit-pnr", FileUnits))
	if err != nil {
		t.Fatal(err)
	}
	got := reasons(rep, FileUnits)
	if e, ok := got[11]; ok {
		t.Errorf("units.csv line 11 (control characters in the name, masked where echoed) rejected: %+v", e)
	}
	for line, col := range map[int]string{6: "name", 7: "name", 8: "unit_id", 9: "unit_id", 10: "name", 12: "kind"} {
		e, ok := got[line]
		if !ok || e.Column != col {
			t.Errorf("units.csv line %d: %+v, want rejected in column %s", line, e, col)
			continue
		}
		if strings.ContainsAny(e.Reason, "0123456789") && col != "kind" {
			t.Errorf("units.csv line %d: reason %q repeats digits", line, e.Reason)
		}
	}
	rep, err = loadOne(t, FileAreas, corpusFile(t, "area-pnr", FileAreas))
	if err != nil {
		t.Fatal(err)
	}
	got = reasons(rep, FileAreas)
	for line, col := range map[int]string{4: "area", 5: "name", 7: "cni"} {
		if e, ok := got[line]; !ok || e.Column != col {
			t.Errorf("areas.csv line %d: %+v, want rejected in column %s", line, e, col)
		}
	}
	rep, err = loadOne(t, FileContacts, corpusFile(t, "clinician-pnr", FileContacts))
	if err != nil {
		t.Fatal(err)
	}
	got = reasons(rep, FileContacts)
	for line, col := range map[int]string{3: "clinician", 4: "clinician"} {
		e, ok := got[line]
		if !ok || e.Column != col || e.Reason != "clinician must be a pseudonymous staff id, not a personnummer" {
			t.Errorf("contacts.csv line %d: %+v, want rejected in column %s", line, e, col)
		}
	}
	if e := got[2]; e.Line != 0 {
		t.Errorf("contacts.csv line 2 rejected: %+v", e)
	}
}

func TestFeeThousandsSeparator(t *testing.T) {
	rep, err := loadOne(t, FileContacts, corpusFile(t, "clinician-pnr", FileContacts))
	if err != nil {
		t.Fatal(err)
	}
	got := reasons(rep, FileContacts)
	want := `fee "1,000.50": ` + reasonNotContractNumber
	if e := got[5]; e.Column != "fee" || e.Reason != want {
		t.Errorf("line 5: %+v, want fee: %s", e, want)
	}
	if e := got[10]; e.Column != "fee" || e.Reason != `fee "1 000": `+reasonNotContractNumber {
		t.Errorf("line 10: %+v", e)
	}
	for _, s := range []string{"1,000.50", "1.000,50", "1 000", "1'000", "1e3"} {
		if _, why := parseFixed(s, 2); why != reasonNotContractNumber {
			t.Errorf("parseFixed(%q) = %q, want %q", s, why, reasonNotContractNumber)
		}
	}
}

func TestUTF16Named(t *testing.T) {
	for _, c := range []struct{ dir, file string }{
		{"utf16le-nobom", FileListings}, {"utf16be-nobom", FileListings}, {"utf16le-bom", FileListings},
		{"utf16le-nobom-contacts", FileContacts},
	} {
		t.Run(c.dir, func(t *testing.T) {
			rep, _ := loadOne(t, c.file, corpusFile(t, c.dir, c.file))
			fe := rep.File(c.file).Fatal()
			if fe == nil || fe.Reason != csvin.ReasonUTF16 {
				t.Fatalf("file error %v, want %q", fe, csvin.ReasonUTF16)
			}
			if !strings.Contains(fe.Error(), "looks like UTF-16: save as UTF-8") {
				t.Errorf("%q does not say looks like UTF-16: save as UTF-8", fe.Error())
			}
			var he *csvin.HeaderError
			if !errors.As(fe, &he) || he.Reason != csvin.ReasonUTF16 {
				t.Errorf("%v does not wrap the *csvin.HeaderError", fe)
			}
		})
	}
}

// doubledWords returns a word said twice in a row, or a pair of words said
// twice ("read error: line 5: read error: …"), in msg; "" when none is.
func doubledWords(msg string) string {
	words := regexp.MustCompile(`[A-Za-z]+`).FindAllString(strings.ToLower(msg), -1)
	pairs := map[string]bool{}
	for i := 1; i < len(words); i++ {
		if words[i] == words[i-1] {
			return words[i]
		}
		p := words[i-1] + " " + words[i]
		if pairs[p] {
			return p
		}
		pairs[p] = true
	}
	return ""
}

func TestNoDoubledWords(t *testing.T) {
	// The messages before issue 15 are caught.
	for _, old := range []string{"listings.csv: cannot read header: header: no header line",
		"listings.csv: read error: line 5: read error: disk on fire"} {
		if doubledWords(old) == "" {
			t.Fatalf("doubledWords misses %q", old)
		}
	}
	check := func(msg string) {
		t.Helper()
		if w := doubledWords(msg); w != "" {
			t.Errorf("%q repeats %q", msg, w)
		}
	}
	for _, data := range []string{"", "\n\n", "a,\"b\n", "person_id,unit_id,\"fr\"om\n", "sep=;\n",
		"19121212-1212,VC1,2024-01-01\n", "a\x00b\x00\n\x00"} {
		_, err := loadOne(t, FileListings, []byte(data))
		check(fileError(t, err).Error())
	}
	// A read error in the header and in a row.
	for _, at := range []int{3, 200} {
		files := readDir(t, "testdata/intake/clean")
		fm := filesOf(files)
		fm.Listings = io.MultiReader(bytes.NewReader(files[FileListings][:at]), errReader{})
		_, _, err := Load(context.Background(), fm, LoadOptions{})
		fe := fileError(t, err)
		check(fe.Error())
		if !strings.Contains(fe.Reason, "disk on fire") {
			t.Errorf("%q does not carry the read error", fe.Reason)
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestNotReadIsNotZero(t *testing.T) {
	files := readDir(t, "testdata/intake/clean")
	files[FileUnits] = []byte("19121212-1212,x,y\n")
	_, rep, _ := Load(context.Background(), filesOf(files), LoadOptions{})
	var js, txt bytes.Buffer
	_ = rep.WriteJSON(&js)
	_ = rep.WriteText(&txt)
	for _, name := range []string{FileUnits, FileListings, FileContacts} {
		line := ""
		for _, l := range strings.Split(txt.String(), "\n") {
			if strings.HasPrefix(l, name+" ") {
				line = l
			}
		}
		if !strings.Contains(line, "not read") || regexp.MustCompile(`\s0\s`).MatchString(line) {
			t.Errorf("text report line %q: want not read, no zero counts", line)
		}
	}
	if strings.Contains(js.String(), `"read": 0`) && !strings.Contains(js.String(), `"present": false`) {
		t.Errorf("JSON report shows zero counts for files not read:\n%s", js.String())
	}
	if got := strings.Count(js.String(), `"status": "not read"`); got != 12 {
		t.Errorf("JSON report: %d files not read, want 12 (units and the eleven given after it):\n%s", got, js.String())
	}
}

var aBlock = [4096]byte(bytes.Repeat([]byte("a"), 4096))

// hugeLine is a reader of n bytes of one line with no line end.
type hugeLine struct{ n int64 }

func (h *hugeLine) Read(p []byte) (int, error) {
	if h.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), h.n)
	for i := int64(0); i < k; i += int64(copy(p[i:k], aBlock[:])) {
	}
	h.n -= k
	return int(k), nil
}

// TestHugeLinesEnd: a header line and a data row far beyond the record
// size limit (1 MiB) end in an error and a rejection, in bounded time.
// 256 MiB a line (64 MiB under -short or the race detector) is hundreds of
// times the limit, which proves intake stops reading a line at the limit
// as well as a larger size would, at a cost every test run can afford.
func TestHugeLinesEnd(t *testing.T) {
	size := int64(256 << 20)
	if testing.Short() || raceEnabled {
		size = 64 << 20
	}
	start := time.Now()
	files := readDir(t, "testdata/intake/clean")
	fm := filesOf(files)
	// A header of size bytes, and a data row of size bytes.
	fm.Listings = &hugeLine{n: size}
	_, _, err := Load(context.Background(), fm, LoadOptions{})
	fe := fileError(t, err)
	if !strings.Contains(fe.Reason, "longer than") || !strings.Contains(fe.Reason, "MiB") {
		t.Errorf("header: %q does not state the size limit", fe.Reason)
	}
	fm = filesOf(files)
	fm.Contacts = io.MultiReader(bytes.NewReader(files[FileContacts]), &hugeLine{n: size})
	_, rep, err := Load(context.Background(), fm, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.File(FileContacts)
	last := f.Rejections[len(f.Rejections)-1]
	if !strings.Contains(last.Reason, "1 MiB") {
		t.Errorf("huge row: %+v does not state the size limit", last)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("two %d-byte lines took %v", size, d)
	}
}

// TestDateErrorsMasked: the text of a date or period error masks a
// personnummer-shaped run and control characters.
func TestDateErrorsMasked(t *testing.T) {
	_, err := ParseDate("19121212-1212")
	_, perr := ParsePeriod("19121212-1212\x1b[2J")
	for _, e := range []error{err, perr} {
		var de *DateError
		var pe *PeriodError
		if !errors.As(e, &de) && !errors.As(e, &pe) {
			t.Fatalf("%v: not a *DateError or *PeriodError", e)
		}
		assertNoLeak(t, "error", []byte(e.Error()))
		if strings.Contains(e.Error(), "\\x1b") {
			t.Errorf("%q keeps the escape character", e.Error())
		}
	}
}
