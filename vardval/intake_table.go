package vardval

import (
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/vardval/csvin"
)

type column struct {
	name     string
	required bool
}

func cols(required []string, optional ...string) []column {
	var out []column
	for _, n := range required {
		out = append(out, column{n, true})
	}
	for _, n := range optional {
		out = append(out, column{n, false})
	}
	return out
}

// table is one open input file with its column positions.
type table struct {
	rep  *FileReport
	rd   *csvin.Reader
	idx  map[string]int
	head []string
	row  row // the current record, reused for every record
}

// row is the current record of a table, with helpers that reject it at most once.
type row struct {
	t        *table
	line     int
	fields   [][]byte
	rejected bool
	// pnCell is a personnummer-shaped person_id cell of this row whose
	// check was left to the lookup of its person (personCell); pt parses it
	// when another column rejects the row first, so that the row is
	// rejected for its person_id as when cells were checked as read.
	pnCell []byte
	pt     *personTable
}

// col returns the position of the named column, or -1 when the file has none.
func (t *table) col(name string) int {
	if i, ok := t.idx[name]; ok {
		return i
	}
	return -1
}

// field returns the trimmed bytes of column i (nil when i < 0). They point
// into the reader's buffer: copy what you keep.
func (r *row) field(i int) []byte {
	if i < 0 || i >= len(r.fields) {
		return nil
	}
	return trimSpace(r.fields[i])
}

func (r *row) get(name string) string { return string(r.field(r.t.col(name))) }

func (r *row) reject(column, reason string) {
	if r.rejected {
		return
	}
	if c := r.pnCell; c != nil {
		r.pnCell = nil
		if _, err := ParsePersonnummer(string(c), r.pt.ref); err != nil {
			r.pt.reject(r, err)
			return
		}
	}
	r.rejected = true
	r.t.rep.reject(r.line, column, reason)
}

// open reads the header of one file and checks its columns. It returns nil
// when the file is absent or unreadable (recorded in rep).
func open(name string, rd io.Reader, spec []column, required bool, rep *FileReport) *table {
	rep.File = name
	if of, ok := rd.(openFailed); ok {
		// LoadFS could not open it: given, but unreadable.
		rep.Present = true
		rep.setFatal(of.err)
		return nil
	}
	if rd == nil {
		if required {
			rep.setFatal(&FileError{File: name, Reason: "required file is missing"})
		}
		return nil
	}
	rep.Present = true
	cr, err := csvin.NewReader(rd)
	if err != nil {
		rep.setFatal(readerError(name, err))
		return nil
	}
	rep.Encoding = cr.Encoding()
	rep.Delimiter = string(cr.Delimiter())
	if cr.CROnly() {
		rep.LineEnds = "cr"
	}
	t := &table{rep: rep, rd: cr, idx: map[string]int{}, head: cr.Header()}
	rep.header = t.head
	known := map[string]bool{}
	for _, c := range spec {
		known[c.name] = true
	}
	// A first line without a required column that holds data (a row whose
	// header line is missing) is not echoed: it may hold a personnummer.
	missing := slices.ContainsFunc(spec, func(c column) bool { return c.required && !slices.Contains(t.head, c.name) })
	if data, named := headerLooksLikeData(t.head, known); missing && (data || !named) {
		why := "the header line is missing: the first line holds data, not the column names ("
		if !data {
			why = "the header line is missing or names none of the columns ("
		}
		rep.setFatal(&FileError{File: name, Reason: why + requiredNames(spec) + ")", Err: &csvin.HeaderError{Reason: csvin.ReasonNoHeader}})
		return nil
	}
	for i, h := range t.head {
		if _, dup := t.idx[h]; dup {
			rep.setFatal(&FileError{File: name, Column: redact.Text(h), Reason: "column appears twice in the header"})
			return nil
		}
		t.idx[h] = i
		if !known[h] {
			rep.Ignored = append(rep.Ignored, redact.Text(h))
		}
	}
	for _, c := range spec {
		if _, ok := t.idx[c.name]; c.required && !ok {
			rep.setFatal(&FileError{File: name, Column: c.name, Reason: "required column is missing"})
			return nil
		}
	}
	return t
}

// setFatal records that the file could not be read.
func (f *FileReport) setFatal(e *FileError) {
	f.fatal = e
	f.Error = e.Error()
}

// readerError turns an error of the CSV reader into the file's error,
// without repeating what the reader's own text says and with any text from
// the file masked.
func readerError(name string, err error) *FileError {
	var he *csvin.HeaderError
	var re *csvin.RecordError
	var rde *csvin.ReadError
	switch {
	case errors.As(err, &he):
		return &FileError{File: name, Reason: he.Reason, Err: err}
	case errors.As(err, &re):
		return &FileError{File: name, Reason: "the header (line " + strconv.Itoa(re.Line) + "): " + re.Reason, Err: err}
	case errors.As(err, &rde):
		return &FileError{File: name, Reason: redact.Text(rde.Error()), Err: err}
	}
	return &FileError{File: name, Reason: redact.Text(err.Error()), Err: err}
}

// requiredNames lists the required columns of spec, comma-separated.
func requiredNames(spec []column) string {
	var b strings.Builder
	for _, c := range spec {
		if c.required {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.name)
		}
	}
	return b.String()
}

// headerLooksLikeData tells of a header line that misses a required column
// whether it is rather a row of data (a cell holds a personnummer-shaped
// run, a date or a number) and whether any cell names a column of the file.
func headerLooksLikeData(head []string, known map[string]bool) (data, named bool) {
	for _, h := range head {
		if known[h] {
			named = true
		}
		if redact.Contains(h) || dateIn(h) || numberShaped(h) {
			data = true
		}
	}
	return data, named
}

// dateIn reports whether s holds a YYYY-MM-DD date shape.
func dateIn(s string) bool {
	for i := 0; i+10 <= len(s); i++ {
		if isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) && s[i+4] == '-' &&
			isDigit(s[i+5]) && isDigit(s[i+6]) && s[i+7] == '-' && isDigit(s[i+8]) && isDigit(s[i+9]) {
			return true
		}
	}
	return false
}

// numberShaped reports whether s is a number: digits with at most one '.'
// or ',' and an optional sign.
func numberShaped(s string) bool {
	_, why := parseFixed(s, 18)
	return s != "" && why == ""
}

// each calls fn for every record, counting reads and rejecting malformed
// records and records with the wrong number of fields. It stops early only
// on I/O errors (recorded as fatal) or cancellation. The *row passed to fn
// is reused for the next record.
func (t *table) each(ctx context.Context, fn func(*row)) error {
	n := 0
	r := &t.row
	for {
		rec, err := t.rd.Next()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			var re *csvin.RecordError
			if errors.As(err, &re) {
				t.rep.Read++
				col := ""
				if re.Field >= 0 && re.Field < len(t.head) {
					col = redact.Text(t.head[re.Field])
				}
				t.rep.reject(re.Line, col, re.Reason)
				continue
			}
			t.rep.setFatal(readerError(t.rep.File, err))
			return err
		}
		t.rep.Read++
		*r = row{t: t, line: rec.Line, fields: rec.Fields}
		if len(rec.Fields) != len(t.head) {
			r.reject("", "row has "+strconv.Itoa(len(rec.Fields))+" fields, the header has "+strconv.Itoa(len(t.head)))
			continue
		}
		fn(r)
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// date reads a required or optional date column (position ci); ok is false
// when the row was rejected.
func (r *row) date(ci int, name string, required bool) (Date, bool) {
	b := r.field(ci)
	if len(b) == 0 {
		if required {
			r.reject(name, name+" is empty")
			return Date{}, false
		}
		return Date{}, true
	}
	d, err := parseDateBytes(b)
	if err != nil {
		var de *DateError
		errors.As(err, &de)
		r.reject(name, name+" "+safeValue(string(b))+" is not a real date: "+de.Reason)
		return Date{}, false
	}
	return d, true
}

// period reads a from/to pair; to may be empty (open).
func (r *row) period(fi, ti int, from, to string, fromRequired bool) (Period, bool) {
	f, ok := r.date(fi, from, fromRequired)
	if !ok {
		return Period{}, false
	}
	t, ok := r.date(ti, to, false)
	if !ok {
		return Period{}, false
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		r.reject(to, to+" "+t.String()+" is before "+from+" "+f.String())
		return Period{}, false
	}
	return Period{From: f, To: t}, true
}

func (r *row) fixed(ci int, name string, scale int, min, max int64, what string) (int64, bool, bool) {
	s := r.field(ci)
	if len(s) == 0 {
		return 0, false, true
	}
	v, why := parseFixed(s, scale)
	if why != "" {
		r.reject(name, name+" "+safeValue(string(s))+": "+why)
		return 0, false, false
	}
	if v < min || v > max {
		r.reject(name, name+" "+safeValue(string(s))+" is out of range: "+what)
		return 0, false, false
	}
	return v, true, true
}

func yesNo(r *row, ci int, name string) (YesNo, bool) {
	b := r.field(ci)
	if len(b) == 0 {
		return NotGiven, true
	}
	switch string(b) {
	case "no":
		return No, true
	case "yes":
		return Yes, true
	}
	names := [...]string{"yes", "ja", "y", "j", "1", "no", "nej", "n", "0"}
	switch i := enumIndex(b, names[:]); {
	case i < 0:
	case i < 5:
		return Yes, true
	default:
		return No, true
	}
	r.reject(name, name+" "+safeValue(string(b))+" is not yes or no")
	return NotGiven, false
}
