package synth

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
)

// Config describes the synthetic region to generate. The zero value of
// every field but Persons has a documented default.
type Config struct {
	// Persons is the number of persons in the region (each gets one or two
	// listing rows). 0 generates only the units and areas.
	Persons int
	// Seed selects the region: the same Config always gives byte-identical
	// files.
	Seed uint64
	// Year is the data year: contacts, diagnoses, observations and
	// prescriptions fall within 1 January – 31 December of Year, listings
	// start in or before it. 0 means 2024. Valid: 1950–2150.
	Year int
	// PerUnit is the mean number of persons listed per primary-care unit
	// (vårdcentral); the region has max(3, round(Persons/PerUnit)) of
	// them. 0 means 9000, Sweden's average: about 10.6 million residents (SCB,
	// Folkmängd i riket, län och kommuner 31 december 2024) over about 1 200
	// vårdcentraler (Vårdföretagarna, Patienttoppen 2024) is about 8 800 a
	// unit, and Skåne about 9 000.
	PerUnit int
}

// Writers receives the generated files, one writer per file of the data
// contract (docs/data-contract.md). A nil writer skips that file; the region
// generated is the same whichever writers are nil. Generate buffers its
// writes and flushes before returning; it never closes a writer.
type Writers struct {
	Units, Listings, Contacts, Diagnoses, Observations, Prescriptions, Areas io.Writer
	// The follow-up files: procedures.csv, admissions.csv,
	// clinicians.csv, calls.csv and survey.csv.
	Procedures, Admissions, Clinicians, Calls, Survey io.Writer
}

// Summary counts the rows (header excluded) of each file of the generated
// region, whether or not the file's writer was nil, and the bytes written
// to the non-nil writers.
type Summary struct {
	Persons                                                                  int
	Units, Listings, Contacts, Diagnoses, Observations, Prescriptions, Areas int
	Procedures, Admissions, Clinicians, Calls, Survey                        int
	Bytes                                                                    int64
}

// String summarises s on one line: "20000 persons; units.csv 6 rows; …;
// 12.9 MB written".
func (s Summary) String() string {
	b := strconv.AppendInt(nil, int64(s.Persons), 10)
	b = append(b, " persons"...)
	for _, f := range OutputFiles() {
		b = append(b, "; "...)
		b = append(b, f...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(s.Rows(f)), 10)
		b = append(b, " rows"...)
	}
	b = append(b, "; "...)
	b = strconv.AppendFloat(b, float64(s.Bytes)/1e6, 'f', 1, 64)
	b = append(b, " MB written"...)
	return string(b)
}

// Rows returns the number of data rows of the file with contract name
// file ("contacts.csv"), or 0 for a name not in [Files].
func (s Summary) Rows(file string) int {
	switch file {
	case "units.csv":
		return s.Units
	case "listings.csv":
		return s.Listings
	case "contacts.csv":
		return s.Contacts
	case "diagnoses.csv":
		return s.Diagnoses
	case "observations.csv":
		return s.Observations
	case "prescriptions.csv":
		return s.Prescriptions
	case "areas.csv":
		return s.Areas
	case "procedures.csv":
		return s.Procedures
	case "admissions.csv":
		return s.Admissions
	case "clinicians.csv":
		return s.Clinicians
	case "calls.csv":
		return s.Calls
	case "survey.csv":
		return s.Survey
	}
	return 0
}

// OutputFiles returns the contract names of the files Generate writes, in the
// order of the fields of [Writers].
func OutputFiles() []string {
	return []string{"units.csv", "listings.csv", "contacts.csv", "diagnoses.csv",
		"observations.csv", "prescriptions.csv", "areas.csv",
		"procedures.csv", "admissions.csv", "clinicians.csv", "calls.csv", "survey.csv"}
}

// Header returns the header line (without line end) Generate writes for
// the contract file name file, or "" for a name not in [Files].
func Header(file string) string {
	for i, f := range OutputFiles() {
		if f == file {
			return headers()[i]
		}
	}
	return ""
}

func headers() []string {
	return []string{
		"unit_id,name,kind,municipality,owner,from,to",
		"person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight",
		"contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician",
		"person_id,date,code,unit_id,contact_id",
		"person_id,date,code,value,unit_id",
		"person_id,date,atc,unit_id,ddd",
		"area,name,cni",
		"person_id,date,unit_id,code,clinician",
		"person_id,admitted,discharged,main_diagnosis,acute,hospital",
		"clinician,unit_id,profession,employment,from,to",
		"unit_id,date,calls,answered_same_day",
		"unit_id,period,question,respondents,positive",
	}
}

// ConfigError reports an invalid [Config] field.
type ConfigError struct {
	Field  string // the Config field, e.g. "Persons"
	Value  int    // the value given
	Reason string
}

// Error describes the invalid field.
func (e *ConfigError) Error() string {
	return "synth: config " + e.Field + " = " + strconv.Itoa(e.Value) + ": " + e.Reason
}

// WriteError reports a failed write to one of the [Writers].
type WriteError struct {
	File string // contract file name, e.g. "contacts.csv"
	Err  error
}

// Error names the file and the writer's error.
func (e *WriteError) Error() string { return fmt.Sprintf("synth: writing %s: %v", e.File, e.Err) }

// Unwrap returns the writer's error.
func (e *WriteError) Unwrap() error { return e.Err }

func (c Config) normalised() (Config, error) {
	if c.Persons < 0 {
		return c, &ConfigError{Field: "Persons", Value: c.Persons, Reason: "must not be negative"}
	}
	if c.Persons > 999_999_999 {
		return c, &ConfigError{Field: "Persons", Value: c.Persons, Reason: "at most 999999999 persons"}
	}
	if c.Year == 0 {
		c.Year = 2024
	}
	if c.Year < 1950 || c.Year > 2150 {
		return c, &ConfigError{Field: "Year", Value: c.Year, Reason: "must be within 1950–2150"}
	}
	if c.PerUnit == 0 {
		c.PerUnit = 9000
	}
	if c.PerUnit < 0 {
		return c, &ConfigError{Field: "PerUnit", Value: c.PerUnit, Reason: "must not be negative"}
	}
	return c, nil
}

// Generate writes the synthetic region described by cfg to w, streaming
// person by person: memory stays bounded by the number of units and areas
// whatever cfg.Persons is. It checks ctx between persons and returns
// ctx's error when it is done. Errors are *ConfigError, *WriteError or the
// context's error; on error the files written so far are incomplete.
func Generate(ctx context.Context, cfg Config, w Writers) (Summary, error) {
	cfg, err := cfg.normalised()
	if err != nil {
		return Summary{}, err
	}
	g := newGen(cfg, w)
	return g.run(ctx)
}

// GenerateFiles generates the region of cfg in memory and returns each
// file's content by contract name (see [Files]). Its memory grows with the
// output, so it is meant for small regions: examples, tests and the
// embedded default of the command line.
func GenerateFiles(ctx context.Context, cfg Config) (map[string][]byte, Summary, error) {
	var bufs [nFiles]bytes.Buffer
	w := Writers{&bufs[0], &bufs[1], &bufs[2], &bufs[3], &bufs[4], &bufs[5], &bufs[6],
		&bufs[7], &bufs[8], &bufs[9], &bufs[10], &bufs[11]}
	s, err := Generate(ctx, cfg, w)
	if err != nil {
		return nil, s, err
	}
	out := make(map[string][]byte, len(bufs))
	for i, name := range OutputFiles() {
		out[name] = bufs[i].Bytes()
	}
	return out, s, nil
}
