package vardval

import (
	"strconv"
	"strings"
)

// parseFixed parses a non-negative-or-negative decimal with '.' or ',' as
// the decimal separator into an integer scaled by 10^scale. It rejects more
// than scale decimals (never rounds), exponents, thousands separators and
// values beyond ±9e12 (in whole units). It never uses floating point.
func parseFixed(s string, scale int) (int64, string) {
	if s == "" {
		return 0, "empty number"
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	if s == "" {
		return 0, "not a number"
	}
	var whole, frac int64
	decimals := 0
	seenSep := false
	digitsSeen := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digitsSeen++
			if seenSep {
				decimals++
				if decimals > scale {
					return 0, "more than " + strconv.Itoa(scale) + " decimals"
				}
				frac = frac*10 + int64(c-'0')
			} else {
				if whole > 9e12 {
					return 0, "number too large"
				}
				whole = whole*10 + int64(c-'0')
			}
		case (c == '.' || c == ',') && !seenSep:
			seenSep = true
		default:
			return 0, "not a number (use digits with '.' or ',' as decimal separator)"
		}
	}
	if digitsSeen == 0 {
		return 0, "not a number"
	}
	for d := decimals; d < scale; d++ {
		frac *= 10
	}
	v := whole
	for i := 0; i < scale; i++ {
		v *= 10
	}
	v += frac
	if neg {
		v = -v
	}
	return v, ""
}

// safeValue quotes a cell value for a rejection reason: at most 24
// characters, and any run of six or more digits masked, so that a
// personnummer typed into the wrong column can never reach a report.
func safeValue(s string) string {
	var b strings.Builder
	run := 0
	flush := func(digits string) {
		if len(digits) >= 6 {
			b.WriteString("…")
		} else {
			b.WriteString(digits)
		}
	}
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if run == 0 {
				start = i
			}
			run++
			continue
		}
		if run > 0 {
			flush(s[start:i])
			run = 0
		}
		b.WriteByte(c)
	}
	if run > 0 {
		flush(s[start:])
	}
	out := b.String()
	if r := []rune(out); len(r) > 24 {
		out = string(r[:24]) + "…"
	}
	return strconv.Quote(out)
}

// icdShape reports whether code (upper-cased, dot removed) has the shape of
// an ICD-10(-SE) code: a letter, two digits, and up to four more letters or
// digits (F32, F321, E119, J069, Z000A).
func icdShape(code string) bool {
	if len(code) < 3 || len(code) > 7 {
		return false
	}
	if code[0] < 'A' || code[0] > 'Z' || !isDigit(code[1]) || !isDigit(code[2]) {
		return false
	}
	for i := 3; i < len(code); i++ {
		if !isDigit(code[i]) && (code[i] < 'A' || code[i] > 'Z') {
			return false
		}
	}
	return true
}

// normaliseICD upper-cases s and removes one dot after the third character.
func normaliseICD(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 4 && s[3] == '.' {
		s = s[:3] + s[4:]
	}
	return s
}

// atcShape reports whether code is a full ATC substance code (J01CA04).
func atcShape(code string) bool {
	if len(code) != 7 {
		return false
	}
	return isUpper(code[0]) && isDigit(code[1]) && isDigit(code[2]) && isUpper(code[3]) && isUpper(code[4]) &&
		isDigit(code[5]) && isDigit(code[6])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// codeShape reports whether s is a plain code: 1–20 of A–Z, 0–9, '_' or '-'.
func codeShape(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isUpper(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// idShape reports whether s is usable as an opaque id: 1–64 printable
// characters without control characters.
func idShape(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return false
		}
	}
	return true
}
