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
//   - a run of six or more digits, a separator and a run of four or more
//     digits (YYMMDD-NNNC, YYMMDD+NNNC, YYYYMMDD-NNNC, YYYYMMDD NNNC); the
//     separator is '-', '+', an en or em dash, a space or a tab, or a dash
//     or plus with a space on either side ("YYMMDD - NNNC").
//
// [Text] masks every such run. [Terminal] and [Prose], for text the engine
// composed around its own amounts, leave an amount with a decimal part
// alone (2887500000.00, and "123456 7890.00" when 123456 cannot be a date
// of birth: month 01–12, day 01–31 or 61–91), so money printed with its
// decimals is never masked; a whole number of ten or more digits is.
//
// Each such run is replaced by [Mask]. Control characters (C0 but tab and
// line feed in [Terminal], all of C0 in [Text]; DEL; C1) and invalid UTF-8
// are replaced by U+FFFD, so text from a file cannot drive a terminal.
//
// The package has no state; every function is safe for concurrent use.
package redact
