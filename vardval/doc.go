// Package vardval is the domain of Swedish primary-care payment and
// follow-up: civil dates and periods, care units, persons, listings over
// time, contacts, diagnoses, observations, prescriptions and areas, and the
// intake that reads a region's register extracts (the CSV files of the
// public data contract) without losing a row.
//
// # Dates
//
// [Date] is a civil date with no time zone (the browser build has none);
// the zero Date means "not given". [NewDate] and [ParseDate] make only real
// dates; [D] is unchecked, for dates written in code. [Period] is
// inclusive at both ends; a zero To means still open. Date, [YearMonth]
// and Period are text in JSON and other encodings (encoding.TextMarshaler
// and TextUnmarshaler): "2024-03-05", "2024-03" and
// "2024-01-01..2024-06-30" (an open end left empty), the zero values "".
//
// # Intake
//
// [Load] streams each file once. Every record is either accepted or
// rejected with file, line, column and reason ([RowError]); per file,
// read = accepted + rejected ([FileReport]). A file that cannot be read at
// all is a [FileError] (wrapping the CSV reader's cause: UTF-16, a
// workbook, no header line, a read error); its report shows "not read",
// never zero counts ([FileReport.NotRead]). Cross-file checks (units exist, a person's listings
// do not overlap, contact ids are unique) are decided on content, never on
// row order: rows that conflict are rejected together or by a content
// order, so shuffling the data rows changes nothing but line numbers.
// [Check] gives the same report without building the Region, in less time
// and memory.
//
// The follow-up files (procedures.csv, admissions.csv, clinicians.csv,
// calls.csv, survey.csv; [Files].Procedures …) are optional and read last,
// on the calling goroutine, with the same report. Their persons are looked
// up in the finished Region by their keyed pseudonym; [Region.Followup]
// holds what was kept ([Followup]: procedures and admissions by person,
// staff periods, calls and survey answers by unit). A clinician's
// overlapping periods at a unit, a unit's repeated call day and a repeated
// survey question are rejected together, whatever the row order.
//
// [LoadFS] and [CheckFS] read the files from any [io/fs.FS] (os.DirFS, an
// embed.FS, fstest.MapFS, a *zip.Reader): a file that is not there is not
// given, and one that is there but cannot be read (a FIFO, device, socket
// or directory, refused before it is opened; a symlink to nothing; a
// failed open) is a [FileError], never skipped. [LoadOptions].Skip leaves
// out optional files a computation does not read.
//
// # Building in memory
//
// [NewBuilder] takes rows held in memory (from a database, a message, a
// test), one Add method per contract file with a typed row in the
// contract's own terms, and [Builder.Build] applies exactly the rules of
// Load to them, with the same [IntakeReport]. There is no other way to
// make a Region from parts: [Region.Extend] derives a new one from a
// loaded one (or from records alone) and checks it whole, and
// [Region.Validate] finds a Region assembled by hand or one whose slices
// were replaced or resized after it was built, reporting a [RegionError]
// (a Region as Load or Extend returned it passes at once, without a pass
// over its records); payment and measures check the regions they are
// given with it.
//
// # No process-wide side effects
//
// The library never runs the garbage collector, hands memory back to the
// operating system, reads or sets the memory limit, handles signals, exits
// the process, or leaves a goroutine running after a call returns. A program with a memory target does that
// itself, at the points Load offers ([LoadOptions].Reclaim), as the
// vardval command does.
//
// # Privacy
//
// A personnummer is checked ([ParsePersonnummer]) and turned into a keyed
// pseudonym ([Person].Key); it is never stored in a Region, and never
// appears in a rejection reason, error or output. Text from a file that is
// echoed (a cell in a reason, a header cell in "ignored columns" or as a
// column name, a file error) goes through internal/redact: a
// personnummer-shaped run, valid or not, is masked whole (not even its last
// digits survive), control characters are replaced; cell values quoted in
// reasons also have every other run of six or more digits masked. A first
// line that looks like data is reported as a missing header line without
// being echoed. Unit ids and names, areas and their names and clinicians
// holding a personnummer-shaped run are rejected, as they would be printed
// in statements. Masking is done only on these echo and reject paths.
//
// # Invariants of a loaded Region
//
// Units are sorted by ID; persons by pseudonym; each person's records by
// date and then by every other field; interned codes and clinicians are
// sorted. Hence the same input gives the same Region whatever the row order.
// A Region is read-only after Load and safe for concurrent readers.
package vardval
