package vardval

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The contract's file names, in the order intake reads them.
const (
	FileUnits         = "units.csv"
	FileAreas         = "areas.csv"
	FileListings      = "listings.csv"
	FileContacts      = "contacts.csv"
	FileDiagnoses     = "diagnoses.csv"
	FileObservations  = "observations.csv"
	FilePrescriptions = "prescriptions.csv"
)

// FileNames returns the contract's file names in the order intake reads them.
func FileNames() []string {
	return []string{FileUnits, FileAreas, FileListings, FileContacts, FileDiagnoses, FileObservations, FilePrescriptions,
		FileProcedures, FileAdmissions, FileClinicians, FileCalls, FileSurvey}
}

// RowError is one rejected input row: the file, the physical line where the
// record starts (header = 1), the header name of the offending column (""
// for a whole-row problem) and the reason. Reasons never contain a
// personnummer or any other person identity.
type RowError struct {
	File   string `json:"-"`
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (e *RowError) Error() string {
	return fmt.Sprintf("%s:%d:%s: %s", e.File, e.Line, e.Column, e.Reason)
}

// FileError reports a file that could not be read at all: missing when
// required, without a header, missing a required column, or an I/O error.
// Column and Reason never hold a personnummer or a control character: text
// from the file is masked ([redact.Text]), and a first line that looks like
// data is not echoed at all.
type FileError struct {
	File   string
	Column string // the missing required column, if that is the problem
	Reason string
	// Err is the cause when the CSV reader gave one: a *csvin.HeaderError
	// (no header line, UTF-16, a workbook), a *csvin.RecordError (a
	// malformed header line) or a *csvin.ReadError; or the file system's
	// error when [LoadFS] could not stat or open the file (errors.Is
	// finds fs.ErrPermission, for one); nil otherwise.
	Err error
}

// Unwrap returns the cause, for errors.As and errors.Is.
func (e *FileError) Unwrap() error { return e.Err }

func (e *FileError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s: column %s: %s", e.File, e.Column, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}

// FileReport accounts for every row of one input file: Read = Accepted +
// Rejected, and every rejected row is listed in Rejections (sorted by line).
type FileReport struct {
	File       string     `json:"file"`
	Present    bool       `json:"present"`
	Read       int        `json:"read"`
	Accepted   int        `json:"accepted"`
	Rejected   int        `json:"rejected"`
	Rejections []RowError `json:"rejections"`
	// Ignored lists extra header columns that the contract does not name.
	Ignored  []string `json:"ignored_columns,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	// LineEnds is "cr" for a file with old-Mac line ends (a carriage
	// return alone), read as line breaks; "" for LF or CRLF.
	LineEnds  string `json:"line_ends,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
	// Error is set when the file could not be read at all, or was not
	// read because a required file before it could not.
	Error string `json:"error,omitempty"`
	// Skipped is set for a file that was given but not read because the
	// caller's computation does not read it (e.g. a payment model that
	// uses no diagnoses; [LoadOptions].Skip): the file was not checked.
	Skipped bool `json:"skipped,omitempty"`

	fatal     *FileError
	blockedBy string   // the required file whose failure left this one unread
	header    []string // the header's column names, when the file was opened
}

// Fatal returns the error that stopped this file from being read, or nil.
func (f *FileReport) Fatal() *FileError { return f.fatal }

// NotRead reports whether the file was not (wholly) read: it could not be
// read, a required file before it could not, or the caller skipped it. Its
// counts are then not the file's: reports show "not read" in their place,
// never zero counts, and [IntakeReport.Totals] leaves them out. A file
// that was not given is not "not read" (it has no rows).
func (f *FileReport) NotRead() bool { return f.fatal != nil || f.Skipped || f.blockedBy != "" }

// MarshalJSON writes the report of one file. A file that was not read has
// "status": "not read" and null counts instead of zeros.
func (f FileReport) MarshalJSON() ([]byte, error) {
	type plain FileReport // the fields and tags, without this method
	if !f.NotRead() {
		return json.Marshal(plain(f))
	}
	return json.Marshal(struct {
		plain
		Status   string `json:"status"`
		Read     *int   `json:"read"`
		Accepted *int   `json:"accepted"`
		Rejected *int   `json:"rejected"`
	}{plain: plain(f), Status: "not read"})
}

// IntakeReport is the outcome of [Load]: one FileReport per contract file.
type IntakeReport struct {
	Files []FileReport `json:"files"`
}

// Status returns the contract's exit status: 0 when nothing was rejected,
// 1 when some rows were rejected, 2 when a file could not be read at all.
func (r *IntakeReport) Status() int {
	st := 0
	for _, f := range r.Files {
		if f.fatal != nil {
			return 2
		}
		if f.Rejected > 0 {
			st = 1
		}
	}
	return st
}

// Totals returns rows read, accepted and rejected over all files that were
// read ([FileReport.NotRead] is false).
func (r *IntakeReport) Totals() (read, accepted, rejected int) {
	for _, f := range r.Files {
		if f.NotRead() {
			continue
		}
		read += f.Read
		accepted += f.Accepted
		rejected += f.Rejected
	}
	return
}

// Err returns the first fatal file error, or nil.
func (r *IntakeReport) Err() error {
	for _, f := range r.Files {
		if f.fatal != nil {
			return f.fatal
		}
	}
	return nil
}

// File returns the report of the named file, or nil.
func (r *IntakeReport) File(name string) *FileReport {
	for i := range r.Files {
		if r.Files[i].File == name {
			return &r.Files[i]
		}
	}
	return nil
}

// WriteJSON writes the report in the contract's JSON shape.
func (r *IntakeReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes a human-readable report: one line per rejection as
// file:line:column: reason, then a summary table.
func (r *IntakeReport) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Files {
		if f.fatal != nil {
			fmt.Fprintf(&b, "%s\n", f.fatal.Error())
		}
		for _, e := range f.Rejections {
			fmt.Fprintf(&b, "%s:%d:%s: %s\n", f.File, e.Line, e.Column, e.Reason)
		}
	}
	fmt.Fprintf(&b, "%-18s %10s %10s %10s  %s\n", "file", "read", "accepted", "rejected", "notes")
	for _, f := range r.Files {
		var notes []string
		switch {
		case f.fatal != nil:
			notes = append(notes, "not read: "+f.fatal.Reason)
		case f.blockedBy != "":
			notes = append(notes, "not read: "+f.blockedBy+" could not be read")
		case f.Skipped:
			notes = append(notes, "not read: not needed here")
		case !f.Present:
			notes = append(notes, "not given")
		default:
			n := f.Encoding + ", '" + f.Delimiter + "'"
			if f.LineEnds == "cr" {
				n += ", old-Mac line ends (CR)"
			}
			notes = append(notes, n)
		}
		if len(f.Ignored) > 0 {
			notes = append(notes, "ignored columns: "+strings.Join(f.Ignored, ", "))
		}
		if f.NotRead() {
			fmt.Fprintf(&b, "%-18s %10s %10s %10s  %s\n", f.File, "-", "-", "-", strings.Join(notes, "; "))
			continue
		}
		fmt.Fprintf(&b, "%-18s %10d %10d %10d  %s\n", f.File, f.Read, f.Accepted, f.Rejected, strings.Join(notes, "; "))
	}
	read, acc, rej := r.Totals()
	fmt.Fprintf(&b, "%-18s %10d %10d %10d\n", "total", read, acc, rej)
	_, err := io.WriteString(w, b.String())
	return err
}

func (f *FileReport) reject(line int, column, reason string) {
	f.Rejections = append(f.Rejections, RowError{File: f.File, Line: line, Column: column, Reason: reason})
}

// finish sorts rejections and derives the counts. Each rejected record is
// counted once even if several checks (e.g. cross-file) named it.
func (f *FileReport) finish() {
	sort.SliceStable(f.Rejections, func(i, j int) bool { return f.Rejections[i].Line < f.Rejections[j].Line })
	if f.Rejections == nil {
		f.Rejections = []RowError{}
	}
	f.Rejected = len(f.Rejections)
	f.Accepted = f.Read - f.Rejected
}
