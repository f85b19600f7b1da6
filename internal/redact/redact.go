package redact

import (
	"strings"
	"unicode/utf8"
)

// Mask replaces a personnummer-shaped run of digits. It holds no digit.
const Mask = "[personnummer]"

// replacement stands in for a control character or an invalid byte.
const replacement = "\uFFFD"

// Text returns s with every personnummer-shaped run masked and every
// control character (tab and line feed included) and invalid UTF-8 byte
// replaced by U+FFFD: for one value from the data (a unit name, an id, a
// header cell). It returns s itself when nothing needs changing.
func Text(s string) string {
	if clean(s, false) {
		return s
	}
	return string(appendRedacted(nil, []byte(s), false, false))
}

// Terminal is [Text] for whole lines of output: tab and line feed are kept,
// and a run that is a decimal amount (digits followed by '.' or ',' and a
// digit, as the engine prints money) is not taken for a personnummer.
func Terminal(b []byte) []byte {
	if clean(string(b), true) {
		return b
	}
	return appendRedacted(make([]byte, 0, len(b)+16), b, true, true)
}

// Prose is [Text] for a sentence the engine composed around text from the
// data or a model (an explanation, an override's description): a decimal
// amount such as "2887500000.00" is not taken for a personnummer. Tab and
// line feed are replaced as in Text.
func Prose(s string) string {
	if Text(s) == s {
		return s
	}
	b := Terminal([]byte(s))
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == '\t' || c == '\n' {
			out = append(out, replacement...)
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// Contains reports whether s holds a personnummer-shaped run.
func Contains(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) && (i == 0 || !isDigit(s[i-1])) {
			if n := pnrAt(s, i, false); n > 0 {
				return true
			}
		}
	}
	return false
}

// clean reports whether s needs no change: no run of six or more digits
// and no control character or invalid byte (tab and line feed allowed when
// lines is set).
func clean(s string, lines bool) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			run++
			if run >= 6 {
				return false
			}
			continue
		case c < 0x20 || c == 0x7f:
			if !lines || (c != '\t' && c != '\n') {
				return false
			}
		case c >= 0x80:
			if !utf8.ValidString(s[i:]) {
				return false
			}
			// C1 controls are U+0080..U+009F: 0xC2 0x80..0x9F.
			if c == 0xC2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F {
				return false
			}
		}
		run = 0
	}
	return true
}

// appendRedacted appends src to dst with personnummer runs masked and
// control characters replaced. lines keeps tab and line feed; amounts
// leaves decimal amounts alone.
func appendRedacted(dst, src []byte, lines, amounts bool) []byte {
	s := string(src)
	for i := 0; i < len(s); {
		c := s[i]
		if isDigit(c) && (i == 0 || !isDigit(s[i-1])) {
			if n := pnrAt(s, i, amounts); n > 0 {
				dst = append(dst, Mask...)
				i += n
				continue
			}
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		if c < 0x80 {
			if (c < 0x20 && !(lines && (c == '\t' || c == '\n'))) || c == 0x7f {
				dst = append(dst, replacement...)
			} else {
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9F) {
			dst = append(dst, replacement...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// pnrAt returns the length of the personnummer-shaped run that starts at
// s[i] (the first digit of a run), or 0.
//
// Without amounts every shape is masked, valid or not. With amounts (whole
// lines of the engine's own output, where money such as 2887500000.00 is
// printed), a bare run of digits with a decimal part is an amount, and so
// is a run with a separator and a decimal part whose date part cannot be a
// date of birth ("123456 7890.00" in a table); everything else is masked,
// so a whole number of ten digits is masked even when it is not a
// personnummer.
func pnrAt(s string, i int, amounts bool) int {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	first := j - i
	if first >= 10 {
		if amounts && (decimalAt(s, j) || (i >= 2 && (s[i-1] == '.' || s[i-1] == ',') && isDigit(s[i-2]))) {
			return 0
		}
		return first
	}
	if first < 6 {
		return 0
	}
	k := j + separatorAt(s, j)
	if k == j || k >= len(s) || !isDigit(s[k]) {
		return 0
	}
	second := k
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k-second < 4 || (amounts && decimalAt(s, k) && !dateLike(s[i:j], first)) {
		return 0
	}
	return k - i
}

// separatorAt returns the length of the separator between the birth date
// and the last four digits of a personnummer at s[j:], or 0: '-', '+', an
// en or em dash, a space or a tab, alone or with one space or tab on
// either side of a dash or plus ("191212 - 1212").
func separatorAt(s string, j int) int {
	n := 0
	if j+n < len(s) && (s[j+n] == ' ' || s[j+n] == '\t') {
		n++
	}
	if d := dashAt(s, j+n); d > 0 {
		n += d
		if j+n < len(s) && (s[j+n] == ' ' || s[j+n] == '\t') {
			n++
		}
	}
	return n
}

// dashAt returns the length of a '-', '+', en dash or em dash at s[j:].
func dashAt(s string, j int) int {
	switch {
	case j < len(s) && (s[j] == '-' || s[j] == '+'):
		return 1
	case strings.HasPrefix(s[j:], "\u2013"), strings.HasPrefix(s[j:], "\u2014"):
		return 3
	}
	return 0
}

// dateLike reports whether the date part of the digits d (the n digits
// before its last four, or all of d when n == len(d)) has a month and a
// day: YYMMDD or YYYYMMDD, the day 01–31 or 61–91 (samordningsnummer).
func dateLike(d string, n int) bool {
	if n != 6 && n != 8 {
		return true // not an amount's shape either: mask
	}
	md := d[n-4 : n]
	month := int(md[0]-'0')*10 + int(md[1]-'0')
	day := int(md[2]-'0')*10 + int(md[3]-'0')
	return month >= 1 && month <= 12 && ((day >= 1 && day <= 31) || (day >= 61 && day <= 91))
}

// decimalAt reports whether s[j:] starts with a decimal separator and a digit.
func decimalAt(s string, j int) bool {
	return j+1 < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(s[j+1])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
