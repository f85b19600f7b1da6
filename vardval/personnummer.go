package vardval

// Personnummer and samordningsnummer (Swedish personal identity and
// coordination numbers).
//
// A personnummer is sensitive personal data: nothing in this file ever puts
// its digits into an error message, and a parsed [Personnummer] prints as
// "personnummer(redacted)" whatever fmt verb is used. Only [Personnummer.Canonical]
// gives the digits back, for use as an internal key.

import (
	"fmt"
	"io"
)

// PersonnummerError reports why a value shaped like a personnummer is not a
// valid one. Reason never contains the number or any digit of it (in fact no
// digit at all), so the error is safe to log and to show.
type PersonnummerError struct {
	Reason string
}

func (e *PersonnummerError) Error() string { return "personnummer: " + e.Reason }

// The reasons a [PersonnummerError] can carry. They contain no digits.
const (
	reasonShape        = "not shaped like a personnummer"
	reasonCheckDigit   = "wrong check digit"
	reasonMonth        = "no such month in the birth date"
	reasonDay          = "no such day in the birth date"
	reasonYear         = "birth year out of range"
	reasonNoReference  = "a ten-digit number needs a reference day for its century"
	reasonPlusTooYoung = "'+' separator but the person is younger than a hundred"
	reasonNoCentury    = "no century gives a birth date on or before the reference day"
)

// Range of birth years accepted, the same as [ParseDate].
const (
	pnrMinYear = 1800
	pnrMaxYear = 2200
)

// pnrMask scrambles the stored number so that printing a struct that holds a
// Personnummer in an unexported field (which fmt cannot redirect to Format)
// shows no recognisable digits. It has bit 63 set, so that a stored value
// (a number below 10^12 < 2^40, XOR the mask) is never zero.
const pnrMask uint64 = 0xA5C3_96E1_0F5A_3C69

// Personnummer is a parsed, checked personnummer or samordningsnummer.
//
// The zero value means "no personnummer" ([Personnummer.IsZero]). Values are
// comparable with == and usable as map keys: two values are equal exactly when
// they are the same 12-digit number. A Personnummer never prints its digits:
// String, GoString and every fmt verb give "personnummer(redacted)".
type Personnummer struct {
	v uint64 // 12-digit number YYYYMMDDNNNC XOR pnrMask; 0 for the zero value
}

// LooksLikePersonnummer reports whether s has the shape of a personnummer or
// samordningsnummer: 10 or 12 digits, optionally with one '-' or '+' before
// the last four (YYMMDD-NNNC, YYMMDD+NNNC, YYYYMMDDNNNC, YYYYMMDD-NNNC). It
// does not check the check digit or the date. A value of this shape is a
// personnummer or an error, never an opaque pseudonym.
func LooksLikePersonnummer(s string) bool {
	switch len(s) {
	case 10, 12:
		return allDigits(s)
	case 11, 13:
		k := len(s) - 5
		return (s[k] == '-' || s[k] == '+') && allDigits(s[:k]) && allDigits(s[k+1:])
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParsePersonnummer parses and checks a value of the shape accepted by
// [LooksLikePersonnummer]:
//
//   - the Luhn check digit over the 10-digit form YYMMDDNNNC must be right;
//   - the birth date must exist (Feb 29 only in leap years); a day of 61–91
//     marks a samordningsnummer, whose birth day is the day minus 60;
//   - the birth year must lie in 1800–2200.
//
// A 10-digit number has no century; it is taken relative to the reference day
// on (which must then be non-zero). With '-' or no separator the century is
// the latest one that gives a birth date on or before on and an age under 100
// on that day. With '+' (a person of 100 or more) it is the latest century
// that makes the person turn 100 or more in the calendar year of on, so it
// includes everyone aged 100 or more on on; Skatteverket switches the
// separator to '+' from the start of the year in which the person turns 100.
// A 12-digit number carries its century; '+' is then accepted only when the
// person turns 100 or more in the year of on (or when on is zero).
//
// Errors are always *PersonnummerError, with no digits in them.
func ParsePersonnummer(s string, on Date) (Personnummer, error) {
	if !LooksLikePersonnummer(s) {
		return Personnummer{}, &PersonnummerError{Reason: reasonShape}
	}
	var d [12]byte // YYYYMMDDNNNC, century filled in below
	var sep byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '+' {
			sep = c
			continue
		}
		d[n] = c - '0'
		n++
	}
	if n == 10 {
		copy(d[2:], d[:10])
		d[0], d[1] = 0, 0
	}
	// Luhn over the 10 digits YYMMDDNNNC.
	sum := 0
	for i := 0; i < 9; i++ {
		v := int(d[2+i])
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	if (10-sum%10)%10 != int(d[11]) {
		return Personnummer{}, &PersonnummerError{Reason: reasonCheckDigit}
	}
	yy := int(d[2])*10 + int(d[3])
	month := int(d[4])*10 + int(d[5])
	day := int(d[6])*10 + int(d[7])
	if day > 60 {
		day -= 60
	}
	if month < 1 || month > 12 {
		return Personnummer{}, &PersonnummerError{Reason: reasonMonth}
	}
	var year int
	if n == 12 {
		year = int(d[0])*1000 + int(d[1])*100 + yy
		if sep == '+' && !on.IsZero() && int(on.Year)-year < 100 {
			return Personnummer{}, &PersonnummerError{Reason: reasonPlusTooYoung}
		}
	} else {
		if on.IsZero() {
			return Personnummer{}, &PersonnummerError{Reason: reasonNoReference}
		}
		year = centuryYear(yy, month, day, sep == '+', on)
	}
	if year < pnrMinYear || year > pnrMaxYear {
		if n == 10 {
			return Personnummer{}, &PersonnummerError{Reason: reasonNoCentury}
		}
		return Personnummer{}, &PersonnummerError{Reason: reasonYear}
	}
	if day < 1 || day > DaysInMonth(year, month) {
		return Personnummer{}, &PersonnummerError{Reason: reasonDay}
	}
	num := uint64(year)
	for i := 4; i < 12; i++ {
		num = num*10 + uint64(d[i])
	}
	return Personnummer{v: num ^ pnrMask}, nil
}

// centuryYear is the birth year that a personnummer written without its
// century (YY, month, day, the day of a samordningsnummer already less 60)
// stands for on day on, which must not be zero: the latest year ≡ yy (mod
// 100) not after on's year, a century earlier with '+' (100 or older on
// on) or when that birthday would come after on (age 99 on on).
func centuryYear(yy, month, day int, plus bool, on Date) int {
	oy := int(on.Year)
	year := oy - ((oy-yy)%100+100)%100
	if plus || year == oy && (month > int(on.Month) || (month == int(on.Month) && day > int(on.Day))) {
		year -= 100
	}
	return year
}

// number returns the 12-digit number YYYYMMDDNNNC.
func (p Personnummer) number() uint64 { return p.v ^ pnrMask }

// IsZero reports whether p is the zero value (no personnummer).
func (p Personnummer) IsZero() bool { return p.v == 0 }

// BirthDate returns the birth date (for a samordningsnummer the day minus 60),
// or the zero Date for the zero Personnummer.
func (p Personnummer) BirthDate() Date {
	if p.IsZero() {
		return Date{}
	}
	n := p.number() / 10_000 // YYYYMMDD
	day := int(n % 100)
	if day > 60 {
		day -= 60
	}
	return D(int(n/10_000), int(n/100%100), day)
}

// Sex returns Male when the second-last digit is odd and Female when it is
// even; SexUnknown for the zero Personnummer.
func (p Personnummer) Sex() Sex {
	if p.IsZero() {
		return SexUnknown
	}
	if (p.number()/10)%2 == 1 {
		return Male
	}
	return Female
}

// Coordination reports whether p is a samordningsnummer (day of birth + 60).
func (p Personnummer) Coordination() bool {
	return !p.IsZero() && p.number()/10_000%100 > 60
}

// Canonical returns the 12 digits YYYYMMDDNNNC without separator (with the
// day still +60 for a samordningsnummer), or "" for the zero value. It is
// meant for internal keys and keyed pseudonyms ONLY and must never be
// printed, logged or written to any output.
func (p Personnummer) Canonical() string {
	if p.IsZero() {
		return ""
	}
	var b [12]byte
	n := p.number()
	for i := 11; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}

const pnrRedacted = "personnummer(redacted)"

// String returns "personnummer(redacted)", never the digits, so that a
// Personnummer printed by accident leaks nothing.
func (p Personnummer) String() string { return pnrRedacted }

// GoString returns the same redaction as String (for %#v).
func (p Personnummer) GoString() string { return pnrRedacted }

// Format implements fmt.Formatter so that every verb (%d, %x, %q, …) prints
// the redaction too.
func (p Personnummer) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, pnrRedacted) }

// MarshalText returns the redaction, so that encoders (JSON, YAML) that
// meet a Personnummer write nothing identifying. There is deliberately no
// UnmarshalText: parse with [ParsePersonnummer].
func (p Personnummer) MarshalText() ([]byte, error) { return []byte(pnrRedacted), nil }
