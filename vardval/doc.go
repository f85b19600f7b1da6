// Package vardval is the domain of Swedish primary-care payment and
// follow-up: civil dates and periods, care units, persons, listings over
// time, contacts, diagnoses, observations, prescriptions and areas, and the
// intake that reads a region's register extracts (the CSV files of the
// public data contract) without losing a row.
//
// # Dates
//
// [Date] is a civil date with no time zone (the browser build has none);
// the zero Date means "not given". [Period] is inclusive at both ends; a
// zero To means still open.
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
