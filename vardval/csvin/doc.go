// Package csvin is the streaming CSV reader under vardval's intake.
//
// It reads the region files of the data contract (docs/data-contract.md):
//
//   - encoding UTF-8 with or without BOM, or Windows-1252 (Swedish Excel),
//     decided per file from a sniff of its start: a BOM means UTF-8; else,
//     if the first 64 KiB are valid UTF-8 the file is UTF-8, otherwise
//     Windows-1252. A field of a "UTF-8" file that turns out not to be valid
//     UTF-8 further down is decoded as Windows-1252 on its own, so that å, ä
//     and ö from Excel always come out right. Fields are always returned as
//     UTF-8. UTF-16 (Excel's "Unicode text"), told by its byte order mark
//     or, without one, by its zero bytes, and Excel workbooks (.xlsx, .xls)
//     are refused with a *HeaderError that names them;
//   - delimiter ',' or ';', whichever occurs more often outside quotes in the
//     header line (a tie, including none at all, means ',');
//   - line ends LF or CRLF; RFC 4180 quoting with doubled quotes and embedded
//     line breaks (a CRLF inside a quoted field is returned as LF, as
//     encoding/csv does; a lone CR is kept as data). A file whose first
//     64 KiB hold a carriage return and no line feed has old-Mac line ends:
//     every CR in it is read as a LF ([Reader.CROnly]);
//   - empty lines (nothing, or only CR, before the line end) are skipped; a
//     line of only delimiters is a record of empty fields.
//
// Line numbers are physical: the first line of the file is 1, and a record's
// Line is the line where it starts, however many line breaks its quoted
// fields hold and however many empty lines were skipped.
//
// Malformed records (a quote inside an unquoted field, text after a closing
// quote, a quoted field still open at the end of the input, a record longer
// than [MaxRecordSize], 1 MiB, however long the line: a 1 GB line is
// skipped in one pass without being kept) come back from [Reader.Next] as a *[RecordError]
// naming the record's start line and the 0-based index of the offending
// field; reading continues with the next record. To find the end of a
// malformed record the rest of it is scanned leniently: a quote opens a
// quoted field only at the start of a field, and after a closing quote
// anything up to the next delimiter belongs to the same field. An unclosed
// quote can thus swallow the rest of the input; it is reported once. Each
// call of Next consumes exactly one record (good or malformed), so callers
// can count rows read = rows accepted + rows rejected. Records whose number
// of fields differs from the header are not errors here.
//
// Memory is bounded by the longest record (plus a fixed buffer), never by
// the size of the input; malformed records are skipped without being kept.
// The reader does not allocate per field: [Record.Fields] point into an
// internal buffer and are valid only until the next call of Next.
//
// The zero Reader is not usable; create one with [NewReader]. Nothing in this
// package echoes field content in an error.
package csvin
