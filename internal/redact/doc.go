// Package redact masks personnummer-shaped digits and neutralises control
// characters in text that came from a region's data or from a user, before
// that text is echoed in a report, statement, plot, page or terminal.
//
// A personnummer-shaped run is masked whole, whether or not its date and
// check digit are valid, samordningsnummer included: nothing of the number
// survives, not even its last digits. The shapes are:
//
//   - a run of ten or more digits (YYMMDDNNNC, YYYYMMDDNNNC and longer runs
//     that hold one);
//   - a run of six or more digits, one separator ('-', '+' or a space) and a
//     run of four or more digits (YYMMDD-NNNC, YYMMDD+NNNC, YYYYMMDD-NNNC,
//     YYYYMMDD NNNC).
//
// Each such run is replaced by [Mask]. Control characters (C0 but tab and
// line feed in [Terminal], all of C0 in [Text]; DEL; C1) and invalid UTF-8
// are replaced by U+FFFD, so text from a file cannot drive a terminal.
//
// The package has no state; every function is safe for concurrent use.
package redact
