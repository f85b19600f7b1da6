package vardval

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/vardval/vardval/internal/redact"
)

// reasonNotContractNumber is why a number with thousands separators, two
// decimal separators or other characters is rejected.
const reasonNotContractNumber = "not a number in the contract's format: one decimal separator ('.' or ','), no thousands separators"

// parseFixed parses a non-negative-or-negative decimal with '.' or ',' as
// the decimal separator into an integer scaled by 10^scale. It rejects more
// than scale decimals (never rounds), exponents, thousands separators and
// values beyond ±9e12 (in whole units). It never uses floating point.
func parseFixed[T string | []byte](s T, scale int) (int64, string) {
	if len(s) == 0 {
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
	if len(s) == 0 {
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
				// Too many decimals are told once the whole value is seen:
				// "1,000.50" has thousands separators, not 3 decimals.
				if decimals++; decimals <= scale {
					frac = frac*10 + int64(c-'0')
				}
			} else {
				if whole > 9e12 {
					return 0, "number too large"
				}
				whole = whole*10 + int64(c-'0')
			}
		case (c == '.' || c == ',') && !seenSep:
			seenSep = true
		default:
			return 0, reasonNotContractNumber
		}
	}
	if digitsSeen == 0 {
		return 0, "not a number"
	}
	if decimals > scale {
		return 0, "more than " + strconv.Itoa(scale) + " decimals"
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
// characters, a personnummer-shaped run masked whole ([redact.Text]: not
// even its last digits are kept), any other run of six or more digits
// masked and control characters replaced, so that a personnummer typed
// into the wrong column can never reach a report, nor the cell drive a
// terminal. It is called only on the reject path.
func safeValue(s string) string {
	s = redact.Text(s)
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

// idShapeBytes is idShape for bytes, without allocating for ASCII ids.
func idShapeBytes(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return idShape(string(b))
		}
	}
	return true
}

// looksLikePersonnummer is [LooksLikePersonnummer] for bytes.
func looksLikePersonnummer(b []byte) bool {
	// Eight and four digits at a time (digits8, digits4): this runs for
	// every person_id cell of every file.
	switch len(b) {
	case 10:
		return digits8(b) && isDigit(b[8]) && isDigit(b[9])
	case 12:
		return digits8(b) && digits4(b[8:])
	case 11:
		return (b[6] == '-' || b[6] == '+') && digits4(b) && isDigit(b[4]) && isDigit(b[5]) && digits4(b[7:])
	case 13:
		return (b[8] == '-' || b[8] == '+') && digits8(b) && digits4(b[9:])
	}
	return false
}

// digits8 reports whether b's first eight bytes are ASCII digits: each
// byte's high nibble is 3, and stays 3 when 6 is added (no carry leaves a
// byte: at most 0x3f+6).
func digits8(b []byte) bool {
	x := binary.LittleEndian.Uint64(b)
	const hi, three, six = 0xf0f0f0f0f0f0f0f0, 0x3030303030303030, 0x0606060606060606
	return x&hi == three && (x+six)&hi == three
}

// digits4 reports whether b's first four bytes are ASCII digits (as digits8).
func digits4(b []byte) bool {
	x := binary.LittleEndian.Uint32(b)
	const hi, three, six = 0xf0f0f0f0, 0x30303030, 0x06060606
	return x&hi == three && (x+six)&hi == three
}

// trimSpace is bytes.TrimSpace with a fast path for fields that start and
// end with a printable ASCII character.
func trimSpace(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if c, d := b[0], b[len(b)-1]; c > ' ' && c < 0x7f && d > ' ' && d < 0x7f {
		return b
	}
	return bytes.TrimSpace(b)
}

// parseDateBytes parses YYYY-MM-DD like [ParseDate] without allocating
// when the date is valid; on error it returns ParseDate's *DateError.
func parseDateBytes(b []byte) (Date, error) {
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y := int(b[0]-'0')*1000 + int(b[1]-'0')*100 + int(b[2]-'0')*10 + int(b[3]-'0')
		m := int(b[5]-'0')*10 + int(b[6]-'0')
		d := int(b[8]-'0')*10 + int(b[9]-'0')
		if isDigit(b[0]) && isDigit(b[1]) && isDigit(b[2]) && isDigit(b[3]) && isDigit(b[5]) && isDigit(b[6]) &&
			isDigit(b[8]) && isDigit(b[9]) && y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
			(d <= 28 || d <= DaysInMonth(y, m)) {
			return Date{Year: int16(y), Month: uint8(m), Day: uint8(d)}, nil
		}
	}
	return ParseDate(string(b))
}

// asciiUpper appends b upper-cased to dst and reports true when b is ASCII;
// otherwise it returns false (use strings.ToUpper, which knows Unicode).
func asciiUpper(dst, b []byte) ([]byte, bool) {
	for _, c := range b {
		if c >= 0x80 {
			return dst, false
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// enumIndex returns the index in names of b lower-cased (as
// strings.ToLower would), or -1. It allocates only for text that is not
// already one of the lower-case names.
func enumIndex(b []byte, names []string) int {
	for i, n := range names {
		if string(b) == n {
			return i
		}
	}
	l := strings.ToLower(string(b))
	for i, n := range names {
		if l == n {
			return i
		}
	}
	return -1
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
