package payment

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/redact"
)

// MaxDigits is the most significant digits a number in a model file or an
// override may have: the digits after any leading zeros, decimals included
// ("0.05" has two, "1200.50" six). Longer numbers are refused, so a number
// is parsed in time linear in its length and never grows a computation.
const MaxDigits = 40

// NumberError reports a value that is not a number in a model file's format
// (see [ParseParameterValue]).
type NumberError struct {
	Value  string // the value, shortened and with personnummer-shaped runs masked
	Digits int    // significant digits when there are more than MaxDigits, else 0
}

// Error says what is wrong with the value.
func (e *NumberError) Error() string {
	if e.Digits > 0 {
		return fmt.Sprintf("a number has at most %d significant digits, this one has %d", MaxDigits, e.Digits)
	}
	return "not a plain decimal number: " + strconv.Quote(e.Value)
}

// ParseParameterValue reads a parameter value given for an override (the
// CLI's --set, the page): an optional leading '-', digits, and optionally
// one decimal separator ('.' or ',') followed by digits ("294", "1.25",
// "0,15", "-0.5"), with at most [MaxDigits] significant digits. A model
// file writes numbers the same way but with '.' only: its parser refuses
// a comma, since "1,000" could be a thousand or one. Exponents ("1e2"),
// signs other than a leading '-', thousands separators, hexadecimal,
// infinities and NaN are refused. Surrounding spaces are ignored. The time taken is linear in
// len(s). Errors are *NumberError.
func ParseParameterValue(s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	d, digits, ok := parseNumber(s)
	if !ok {
		return decimal.Decimal{}, &NumberError{Value: shortText(s), Digits: digits}
	}
	return d, nil
}

// parseNumber is ParseParameterValue without the trimming: the value, the
// significant digits when there are too many, and whether s is a number.
func parseNumber(s string) (decimal.Decimal, int, bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intEnd := i
	fracStart, fracEnd := i, i
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		i++
		fracStart = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracEnd = i
		if fracEnd == fracStart {
			return decimal.Decimal{}, 0, false
		}
	}
	if intEnd == intStart || i != len(s) {
		return decimal.Decimal{}, 0, false
	}
	for intStart < intEnd-1 && s[intStart] == '0' {
		intStart++
	}
	digits := fracEnd - fracStart
	if intEnd-intStart > 1 || s[intStart] != '0' {
		digits += intEnd - intStart
	}
	if digits > MaxDigits {
		return decimal.Decimal{}, digits, false
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(s[intStart:intEnd])
	if fracEnd > fracStart {
		b.WriteByte('.')
		b.WriteString(s[fracStart:fracEnd])
	}
	d, err := decimal.NewFromString(b.String())
	return d, 0, err == nil
}

// significantDigits counts a decimal's digits as parseNumber does: the
// coefficient's digits, at least as many as its decimals.
func significantDigits(d decimal.Decimal) int {
	c := d.Coefficient()
	n := 0
	if c.Sign() != 0 {
		n = len(c.Text(10))
		if c.Sign() < 0 {
			n--
		}
	}
	if e := int(d.Exponent()); e < 0 && -e > n {
		n = -e
	}
	if e := int(d.Exponent()); e > 0 && n > 0 {
		n += e
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// shortText prepares a value from a model file or a user for an error
// message: personnummer-shaped runs masked, control characters replaced,
// and at most 60 bytes kept (then "…").
func shortText(s string) string { return clipText(s, 60) }

// clipText is shortText keeping at most max bytes.
func clipText(s string, max int) string {
	s = redact.Text(s) // first, so that a cut never leaves part of a number
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		return s[:cut] + "…"
	}
	return s
}
