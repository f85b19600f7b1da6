package vardval

import (
	"bytes"
	"context"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// UnitRow is one row of units.csv in the contract's terms. Kind and Owner
// take the contract's words ("primary", "public"; [UnitKind.String] and
// [Owner.String] give them); the zero From and To are "not given".
type UnitRow struct {
	UnitID       string
	Name         string
	Kind         string
	Municipality string
	Owner        string
	From, To     Date
}

// AreaRow is one row of areas.csv.
type AreaRow struct {
	Area string
	Name string
	CNI  decimal.NullDecimal // not Valid: not given
}

// ListingRow is one row of listings.csv. Sex takes the contract's codes
// ("F"/"K"/"2", "M"/"1"; [Sex.String] gives one); a zero To is still
// open, a zero BirthDate not given.
type ListingRow struct {
	PersonID  string
	UnitID    string
	From, To  Date
	Sex       string
	BirthDate Date
	Area      string
	ACG       string
	ACGWeight decimal.NullDecimal
}

// ContactRow is one row of contacts.csv. Mode, Profession, Urgent and
// NewProblem take the contract's words ([Mode.String],
// [Profession.String], [YesNo.String]); Fee is in SEK.
type ContactRow struct {
	ContactID  string
	PersonID   string
	UnitID     string
	Date       Date
	Mode       string
	Profession string
	Urgent     string
	Fee        decimal.NullDecimal
	Requested  Date
	NewProblem string
	Clinician  string
}

// DiagnosisRow is one row of diagnoses.csv.
type DiagnosisRow struct {
	PersonID  string
	Date      Date
	Code      string
	UnitID    string
	ContactID string
}

// ObservationRow is one row of observations.csv. A Value that is not
// Valid is an empty cell, which intake rejects (value is required).
type ObservationRow struct {
	PersonID string
	Date     Date
	Code     string
	Value    decimal.NullDecimal
	UnitID   string
}

// PrescriptionRow is one row of prescriptions.csv.
type PrescriptionRow struct {
	PersonID string
	Date     Date
	ATC      string
	UnitID   string
	DDD      decimal.NullDecimal
}

// String returns "yes", "no" or "" (not given), the contract's words.
func (y YesNo) String() string {
	switch y {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return ""
}

// The files in Files order, with the contract's columns.
const (
	bUnits = iota
	bAreas
	bListings
	bContacts
	bDiagnoses
	bObservations
	bPrescriptions
	bProcedures
	bAdmissions
	bClinicians
	bCalls
	bSurvey
	bFiles
)

var builderHeaders = [bFiles]string{
	"unit_id,name,kind,municipality,owner,from,to",
	"area,name,cni",
	"person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight",
	"contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician",
	"person_id,date,code,unit_id,contact_id",
	"person_id,date,code,value,unit_id",
	"person_id,date,atc,unit_id,ddd",
	"person_id,date,unit_id,code,clinician",
	"person_id,admitted,discharged,main_diagnosis,acute,hospital",
	"clinician,unit_id,profession,employment,from,to",
	"unit_id,date,calls,answered_same_day",
	"unit_id,period,question,respondents,positive",
}

// Builder builds a [Region] from rows held in memory (rows from a
// database, a message, a test), with exactly the rules, rejections and
// result of [Load] on the contract's CSV files.
//
// It does so by writing each row, as it is added, as a line of that file
// in memory (UTF-8 with a byte order mark, ',' delimiter, the contract's
// columns in the contract's order, every value quoted as RFC 4180 needs:
// a value cannot add a field, a row or a column) and reading the files
// with Load at [Builder.Build]. Hence:
//
//   - Report lines: the n-th row added to a file (counting from 1) is on
//     line n+1 of that file, as if under a header line; a value holding a
//     line break (allowed in free text such as a unit name) takes the
//     lines it would take in a file, so later rows of that file are one
//     line further down per break. [Listing].Line is that line too.
//   - A file with no row added is "not given" when it is optional, and
//     present with no rows when it is required (units, listings).
//   - A Date is written YYYY-MM-DD (the zero Date is an empty cell; an
//     impossible date such as month 13 is written as given and rejected
//     as a file's would be); a number not Valid is an empty cell, a Valid
//     one is written in full decimal notation (an integer part of more
//     than 20 digits, or more than 20 decimals, is cut to 20 of them: the
//     row is rejected for it all the same).
//   - Values are trimmed of surrounding spaces, and the words of the
//     contract are matched as in a file (case, "ja"/"nej", "K" and the
//     like).
//   - The report's Encoding is "utf-8-bom" and its Delimiter ",".
//
// A Builder is not safe for concurrent use. [Builder.Build] hands the rows
// to Load and leaves the Builder empty, ready for another region with the
// same options.
type Builder struct {
	opts  LoadOptions
	files [bFiles]bytes.Buffer
	rows  [bFiles]int
}

// NewBuilder returns an empty Builder whose Build loads with opts.
func NewBuilder(opts LoadOptions) *Builder { return &Builder{opts: opts} }

// AddUnit adds a row of units.csv.
func (b *Builder) AddUnit(u UnitRow) {
	b.add(bUnits, u.UnitID, u.Name, u.Kind, u.Municipality, u.Owner, dateText(u.From), dateText(u.To))
}

// AddArea adds a row of areas.csv.
func (b *Builder) AddArea(a AreaRow) { b.add(bAreas, a.Area, a.Name, numberText(a.CNI)) }

// AddListing adds a row of listings.csv.
func (b *Builder) AddListing(l ListingRow) {
	b.add(bListings, l.PersonID, l.UnitID, dateText(l.From), dateText(l.To), l.Sex, dateText(l.BirthDate), l.Area, l.ACG,
		numberText(l.ACGWeight))
}

// AddContact adds a row of contacts.csv.
func (b *Builder) AddContact(c ContactRow) {
	b.add(bContacts, c.ContactID, c.PersonID, c.UnitID, dateText(c.Date), c.Mode, c.Profession, c.Urgent, numberText(c.Fee),
		dateText(c.Requested), c.NewProblem, c.Clinician)
}

// AddDiagnosis adds a row of diagnoses.csv.
func (b *Builder) AddDiagnosis(d DiagnosisRow) {
	b.add(bDiagnoses, d.PersonID, dateText(d.Date), d.Code, d.UnitID, d.ContactID)
}

// AddObservation adds a row of observations.csv.
func (b *Builder) AddObservation(o ObservationRow) {
	b.add(bObservations, o.PersonID, dateText(o.Date), o.Code, numberText(o.Value), o.UnitID)
}

// AddPrescription adds a row of prescriptions.csv.
func (b *Builder) AddPrescription(p PrescriptionRow) {
	b.add(bPrescriptions, p.PersonID, dateText(p.Date), p.ATC, p.UnitID, numberText(p.DDD))
}

// add writes one record of file f.
func (b *Builder) add(f int, fields ...string) {
	buf := &b.files[f]
	if b.rows[f] == 0 {
		buf.WriteString("\ufeff")
		buf.WriteString(builderHeaders[f])
		buf.WriteByte('\n')
	}
	b.rows[f]++
	for i, s := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeField(buf, s)
	}
	buf.WriteByte('\n')
}

// writeField writes s as one CSV field: quoted, with quotes doubled, when
// it holds a delimiter (',' or ';'), a quote or a line break.
func writeField(buf *bytes.Buffer, s string) {
	if !strings.ContainsAny(s, ",;\"\r\n") {
		buf.WriteString(s)
		return
	}
	buf.WriteByte('"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		buf.WriteString(s[:i+1])
		buf.WriteByte('"')
		s = s[i+1:]
	}
	buf.WriteString(s)
	buf.WriteByte('"')
}

// Build loads the rows added since the last Build, exactly as [Load]
// loads the same rows from the contract's files, and returns Load's
// Region, report and error. The Builder is left empty.
func (b *Builder) Build(ctx context.Context) (*Region, *IntakeReport, error) {
	var files Files
	readers := [bFiles]*io.Reader{&files.Units, &files.Areas, &files.Listings, &files.Contacts, &files.Diagnoses,
		&files.Observations, &files.Prescriptions, &files.Procedures, &files.Admissions, &files.Clinicians, &files.Calls,
		&files.Survey}
	for f := range bFiles {
		if b.rows[f] == 0 && (f == bUnits || f == bListings) {
			b.files[f].WriteString("\ufeff" + builderHeaders[f] + "\n")
			b.rows[f] = -1
		}
		if b.rows[f] != 0 {
			// A bytes.Reader has ReadAt and Size: Load reads the contacts
			// on both cores as it would a file.
			*readers[f] = bytes.NewReader(b.files[f].Bytes())
		}
	}
	b.files, b.rows = [bFiles]bytes.Buffer{}, [bFiles]int{}
	return Load(ctx, files, b.opts)
}

// dateText is d as the contract writes it: YYYY-MM-DD, "" for the zero
// Date. An impossible date is written field by field as given (digits and
// '-' only), so that intake rejects it as it would in a file.
func dateText(d Date) string {
	if d.IsZero() {
		return ""
	}
	pad := func(n, w int) string {
		s := strconv.Itoa(n)
		if n < 0 {
			return s
		}
		for len(s) < w {
			s = "0" + s
		}
		return s
	}
	return pad(int(d.Year), 4) + "-" + pad(int(d.Month), 2) + "-" + pad(int(d.Day), 2)
}

// maxNumberDigits bounds the integer and the fraction digits numberText
// writes: intake rejects either beyond 13 and 6 digits, so a longer value
// is rejected with the same reason whatever its length.
const maxNumberDigits = 20

// numberText is n in full decimal notation ("12.5", "-3", "0.001"), ""
// when not Valid; it never uses an exponent. Its text is at most
// 2*maxNumberDigits+2 bytes whatever n's exponent: an exponent adds no
// more than maxNumberDigits zeros. The coefficient, though, is formatted
// in full before it is cut, so the work and the passing memory grow with
// its number of digits (as the decimal's own size does).
func numberText(n decimal.NullDecimal) string {
	if !n.Valid {
		return ""
	}
	d := n.Decimal
	co := d.Coefficient()
	neg := co.Sign() < 0
	digits := new(big.Int).Abs(co).String()
	exp := int64(d.Exponent())
	// Trailing zeros of the coefficient move into the exponent.
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	if digits == "0" {
		return "0"
	}
	var whole, frac string
	switch {
	case exp >= 0:
		whole = digits + strings.Repeat("0", int(min(exp, maxNumberDigits)))
	case -exp < int64(len(digits)):
		whole, frac = digits[:int64(len(digits))+exp], digits[int64(len(digits))+exp:]
	default:
		zeros := -exp - int64(len(digits))
		whole, frac = "0", strings.Repeat("0", int(min(zeros, maxNumberDigits)))+digits
	}
	if len(whole) > maxNumberDigits {
		whole = whole[:maxNumberDigits]
	}
	if len(frac) > maxNumberDigits {
		frac = frac[:maxNumberDigits]
	}
	s := whole
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}
