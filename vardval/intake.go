package vardval

import (
	"context"
	"io"
)

// Files holds the readers of one region's input files; a nil reader means
// the file is not given. Units and Listings are required. Procedures,
// Admissions, Clinicians, Calls and Survey are the follow-up files
// (procedures.csv, admissions.csv, clinicians.csv, calls.csv, survey.csv),
// read last.
type Files struct {
	Units, Areas, Listings, Contacts, Diagnoses, Observations, Prescriptions io.Reader
	Procedures, Admissions, Clinicians, Calls, Survey                        io.Reader
}

// LoadOptions tunes [Load]. The zero value is ready to use.
type LoadOptions struct {
	// Reference is the day the century rule of 10-digit personnummer is
	// applied on ('-': under 100 years old that day, '+': 100 or older).
	// Zero means 2024-12-31, so that results never depend on the clock.
	Reference Date
	// PseudonymKey keys the HMAC that turns person ids into the pseudonyms
	// kept in Person.Key. Empty means a fixed public key: fine for
	// reproducibility, not for publishing keys outside the region.
	PseudonymKey []byte
	// PersonsHint is about how many distinct persons the files name (the
	// CLI guesses it from the size of listings.csv). It only sizes the
	// person table ahead, sparing its growth; zero means unknown. A wrong
	// guess costs only time or memory (at most 16 M persons are reserved).
	PersonsHint int
	// Workers is how many goroutines Load and Check may use at once; zero
	// (or less) means runtime.GOMAXPROCS(0). One reads every file and runs
	// every loop on the calling goroutine. From two on, the contacts are
	// read beside the other files and the loops after reading (person
	// look-ups, contact id checks, grouping, sorting, pseudonyms) are cut
	// into Workers parts; from three on, a contacts file that can be read
	// at any offset (io.ReaderAt with a Size, and io.Seeker) is cut into
	// Workers−1 parts read at once. The Region and report are the same,
	// byte for byte, whatever the number.
	Workers int
	// Skip names optional files of [FileNames] that the caller's
	// computation does not read (a payment model that uses no diagnoses):
	// a file named here that is given is not read, and its report is
	// marked [FileReport.Skipped] ("not read"). [LoadFS] and [CheckFS] do
	// not open it. Names of required files are ignored.
	Skip []string
	// Reclaim, when set, is called on the calling goroutine at the points
	// of [Load] where most of what was read has become garbage and the
	// final copies of the records are about to be made: once with need,
	// about how many bytes those copies allocate, and once more with need
	// 0 after the contacts (the largest) are copied. Contacts of 256 MiB or
	// more are copied into a slice made ahead, right after the files are
	// read (a call with its size comes first): it is fresh memory, which
	// occupies pages only as they are written, so the reading copy is
	// handed back as it is copied, with need −1 as the copy begins and −n
	// each time n more bytes of it are dropped. When the contact ids are
	// checked for duplicates after the persons are merged (no diagnosis
	// names a contact_id), it is called with their need first, the person
	// table being garbage by then. It is called only for
	// regions of more than about a million records, and never by [Check].
	// The library itself never runs the garbage collector, returns memory
	// to the operating system or reads or sets the memory limit: that is
	// the program's business, and this hook is where a program with a
	// memory target does it (the vardval command collects when need would
	// pass its memory limit, hands memory back while the contacts are
	// copied, or at each call when it has no limit). Nil does nothing.
	Reclaim func(need int64)
}

// ObservationRange is the accepted value range of a known observation code.
type ObservationRange struct {
	Code     string
	Min, Max Fixed
	Integer  bool   // only whole numbers
	Unit     string // e.g. "mmol/mol", "mmHg", "points"
}

// ObservationRanges returns the value ranges intake enforces for the
// observation codes of the contract. Other codes matching [A-Z0-9_-]{1,20}
// are accepted without a range check.
func ObservationRanges() []ObservationRange {
	f := func(n int64) Fixed { return Fixed(n * FixedScale) }
	return []ObservationRange{
		{"BMI", f(10), f(80), false, "kg/m²"},
		{"BPDIA", f(20), f(200), false, "mmHg"},
		{"BPSYS", f(50), f(300), false, "mmHg"},
		{"HBA1C", f(10), f(200), false, "mmol/mol"},
		{"MADRSS", f(0), f(54), true, "points"},
		{"PHQ9", f(0), f(27), true, "points"},
		{"SMOKING", f(0), f(1), true, "0 = no, 1 = yes"},
	}
}

// Load reads and validates one region's files. It streams every file once,
// accounts for every row in the report (read = accepted + rejected), and
// returns a Region built only from accepted rows. The report is always
// returned; the error is non-nil when a required file could not be read or
// ctx was cancelled, and then the Region is nil.
//
// Contacts are read on a second goroutine while listings, diagnoses,
// observations and prescriptions are read on the calling one; when the
// calling one is done first and files.Contacts is an io.ReaderAt with a
// Size method (io.SectionReader, bytes.Reader), it reads the second half of
// what is left of the contacts (split.go); when the second one is done
// first, it reads the prescriptions and observations if the calling one
// has not begun them. Person ids are looked up after each file, in
// batches. The result does not depend on timing, on the order of the input
// rows, on whether the contacts were split or on which goroutine read
// which file.
func Load(ctx context.Context, files Files, opts LoadOptions) (*Region, *IntakeReport, error) {
	return load(ctx, files, opts, loadKnobs{splitMin: minSplit})
}

// Check reads and validates files exactly as Load does and returns the
// same report, without building a Region: the persons are not
// pseudonymised and the records not put in order, which is most of Load's
// work after reading and all of its final copies. The error is as Load's.
func Check(ctx context.Context, files Files, opts LoadOptions) (*IntakeReport, error) {
	_, rep, err := load(ctx, files, opts, loadKnobs{splitMin: minSplit, reportOnly: true})
	return rep, err
}
