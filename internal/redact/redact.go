package redact

import (
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
// s[i] (the first digit of a run), or 0. With amounts, a run followed by
// '.' or ',' and a digit, or preceded by one, is an amount, not a number.
func pnrAt(s string, i int, amounts bool) int {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	first := j - i
	if amounts && i >= 2 && (s[i-1] == '.' || s[i-1] == ',') && isDigit(s[i-2]) {
		return 0
	}
	if first >= 10 {
		if amounts && decimalAt(s, j) {
			return 0
		}
		return first
	}
	if first < 6 || j+1 >= len(s) || (s[j] != '-' && s[j] != '+' && s[j] != ' ') || !isDigit(s[j+1]) {
		return 0
	}
	k := j + 1
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k-(j+1) < 4 || (amounts && decimalAt(s, k)) {
		return 0
	}
	return k - i
}

// decimalAt reports whether s[j:] starts with a decimal separator and a digit.
func decimalAt(s string, j int) bool {
	return j+1 < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(s[j+1])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
