package vardval

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/vardval/vardval/internal/redact"
)

// Date is a civil date in the proleptic Gregorian calendar, without a time
// zone. It is four bytes so that region-scale slices of contacts stay small.
// The zero Date means "not given".
type Date struct {
	Year  int16
	Month uint8
	Day   uint8
}

// DateError reports a string that is not a real YYYY-MM-DD date.
type DateError struct {
	Text   string // the text that was parsed
	Reason string // what is wrong with it
}

// Error quotes the text with any personnummer-shaped run masked and
// control characters replaced: a date cell may hold anything.
func (e *DateError) Error() string {
	return fmt.Sprintf("date %q: %s", redact.Text(e.Text), e.Reason)
}

// D returns the Date for year, month and day without checking it, for
// dates written in code: an impossible date such as D(2023, 2, 29) is
// returned as it is (it is not [Date.Valid], it compares field by field
// and [Date.MarshalText] refuses it), and values beyond the fields' sizes
// are truncated to them (the year to int16, the month and day to uint8).
// Use [NewDate] or [ParseDate] for anything not written in code.
func D(year, month, day int) Date {
	return Date{Year: int16(year), Month: uint8(month), Day: uint8(day)}
}

// NewDate returns the Date for year, month and day, or a *[DateError] when
// there is no such day or the year is outside 1800–2200 (the years
// [ParseDate] reads). A Date it returns is Valid and round-trips through
// [Date.MarshalText] and [ParseDate].
func NewDate(year, month, day int) (Date, error) {
	text := fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	switch {
	case year < 1800 || year > 2200:
		return Date{}, &DateError{Text: text, Reason: "year out of range 1800–2200"}
	case month < 1 || month > 12:
		return Date{}, &DateError{Text: text, Reason: "no such month"}
	case day < 1 || day > DaysInMonth(year, month):
		return Date{}, &DateError{Text: text, Reason: "no such day in that month"}
	}
	return D(year, month, day), nil
}

// ParseDate parses a YYYY-MM-DD date and checks that it exists.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, &DateError{Text: s, Reason: "not of the form YYYY-MM-DD"}
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, &DateError{Text: s, Reason: "not of the form YYYY-MM-DD"}
	}
	if y < 1800 || y > 2200 {
		return Date{}, &DateError{Text: s, Reason: "year out of range 1800–2200"}
	}
	if m < 1 || m > 12 {
		return Date{}, &DateError{Text: s, Reason: "no such month"}
	}
	if d < 1 || d > DaysInMonth(y, m) {
		return Date{}, &DateError{Text: s, Reason: "no such day in that month"}
	}
	return D(y, m, d), nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// IsLeap reports whether year is a leap year.
func IsLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

// DaysInMonth returns the number of days in month (1–12) of year.
func DaysInMonth(year, month int) int {
	switch month {
	case 2:
		if IsLeap(year) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// IsZero reports whether d is the zero Date ("not given").
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool {
	return d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && int(d.Day) <= DaysInMonth(int(d.Year), int(d.Month))
}

// String formats d as YYYY-MM-DD, or "" for the zero Date. A field
// beyond its width (possible only in a Date from [D] or a literal: [NewDate]
// and [ParseDate] give years 1800–2200) is written in full, never cut: a
// year outside 0–9999 with all its digits and its sign ("32000-01-02",
// "-0005-01-02"), a month or day above 99 with three digits.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month > 99 || d.Day > 99 {
		pad := func(n, w int) string {
			s := strconv.Itoa(n)
			if n < 0 {
				return "-" + strings.Repeat("0", max(w-len(s)+1, 0)) + s[1:]
			}
			return strings.Repeat("0", max(w-len(s), 0)) + s
		}
		return pad(int(d.Year), 4) + "-" + pad(int(d.Month), 2) + "-" + pad(int(d.Day), 2)
	}
	var b [10]byte
	y := int(d.Year)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4] = '-'
	b[5], b[6] = byte('0'+d.Month/10), byte('0'+d.Month%10)
	b[7] = '-'
	b[8], b[9] = byte('0'+d.Day/10), byte('0'+d.Day%10)
	return string(b[:])
}

// MarshalText implements [encoding.TextMarshaler]: YYYY-MM-DD as
// [Date.String] writes it (JSON shows "2024-03-05"), and the empty text for
// the zero Date ("not given"). A Date that [ParseDate] would not read back
// (not [Date.Valid], or a year outside 1800–2200) is a *[DateError].
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if !d.Valid() || d.Year < 1800 || d.Year > 2200 {
		return nil, &DateError{Text: d.String(), Reason: "not a date that can be written and read back"}
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]: the empty text is
// the zero Date, anything else is read by [ParseDate] (a *[DateError] when
// it is not a real date). On an error d is left unchanged.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return cmp.Compare(d.order(), e.order()) }

// order packs d into an int32 that orders as d does, field by field
// (year, month, day), for every value of the fields, valid dates or not.
func (d Date) order() int32 { return int32(d.Year)<<16 | int32(d.Month)<<8 | int32(d.Day) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.order() < e.order() }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.order() > e.order() }

// DayNumber returns the number of days from 1970-01-01 to d (negative before).
// It is the inverse of [FromDayNumber].
func (d Date) DayNumber() int {
	// Howard Hinnant's days_from_civil.
	y := int(d.Year)
	m := int(d.Month)
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// FromDayNumber returns the Date n days after 1970-01-01.
func FromDayNumber(n int) Date {
	z := n + 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return D(y, m, day)
}

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return FromDayNumber(d.DayNumber() + n) }

// DaysUntil returns the number of days from d to e (negative if e is before d).
func (d Date) DaysUntil(e Date) int { return e.DayNumber() - d.DayNumber() }

// AddMonths returns d moved n calendar months, with the day clamped to the
// last day of the target month (2024-01-31 + 1 month = 2024-02-29).
func (d Date) AddMonths(n int) Date {
	ym := d.YearMonth().Add(n)
	day := int(d.Day)
	if last := DaysInMonth(ym.Year, ym.Month); day > last {
		day = last
	}
	return D(ym.Year, ym.Month, day)
}

// FirstOfLastMonths returns the first day of the n calendar months that
// end with d's month: "the last n months" up to a cut-off d is the day
// range FirstOfLastMonths(n) ..= d, for payment (coverage, actively
// listed) and measures alike (docs/semantics.md, "Windows"). n = 1 is d's
// own month; 2024-11-30 with n = 6 gives 2024-06-01, never a day such as
// 2024-05-31 that moving back by days or clamped months would give.
func (d Date) FirstOfLastMonths(n int) Date { return d.YearMonth().Add(1 - n).First() }

// YearMonth returns the calendar month that d falls in.
func (d Date) YearMonth() YearMonth { return YearMonth{Year: int(d.Year), Month: int(d.Month)} }

// AgeOn returns the age in whole years of a person born on d, on day on.
// A person born on 29 February turns a year older on 1 March in common years.
func (d Date) AgeOn(on Date) int {
	age := int(on.Year) - int(d.Year)
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// YearMonth is a calendar month. The zero value is not a valid month.
type YearMonth struct {
	Year  int
	Month int
}

// ParseYearMonth parses YYYY-MM.
func ParseYearMonth(s string) (YearMonth, error) {
	if len(s) != 7 || s[4] != '-' {
		return YearMonth{}, &DateError{Text: s, Reason: "not of the form YYYY-MM"}
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:])
	if !ok1 || !ok2 || m < 1 || m > 12 || y < 1800 || y > 2200 {
		return YearMonth{}, &DateError{Text: s, Reason: "no such month"}
	}
	return YearMonth{Year: y, Month: m}, nil
}

// String formats m as YYYY-MM.
func (m YearMonth) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// MarshalText implements [encoding.TextMarshaler]: YYYY-MM as
// [YearMonth.String] writes it (JSON shows "2024-03"), and the empty text
// for the zero YearMonth. A month [ParseYearMonth] would not read back
// (month outside 1–12, year outside 1800–2200) is a *[DateError].
func (m YearMonth) MarshalText() ([]byte, error) {
	if m == (YearMonth{}) {
		return []byte{}, nil
	}
	if m.Month < 1 || m.Month > 12 || m.Year < 1800 || m.Year > 2200 {
		return nil, &DateError{Text: fmt.Sprintf("%d-%d", m.Year, m.Month), Reason: "not a month that can be written and read back"}
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]: the empty text is
// the zero YearMonth, anything else is read by [ParseYearMonth]. On an
// error m is left unchanged.
func (m *YearMonth) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = YearMonth{}
		return nil
	}
	v, err := ParseYearMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// First returns the first day of m.
func (m YearMonth) First() Date { return D(m.Year, m.Month, 1) }

// Last returns the last day of m.
func (m YearMonth) Last() Date { return D(m.Year, m.Month, DaysInMonth(m.Year, m.Month)) }

// Days returns the number of days in m.
func (m YearMonth) Days() int { return DaysInMonth(m.Year, m.Month) }

// Add returns the month n months after m.
func (m YearMonth) Add(n int) YearMonth {
	i := m.Year*12 + (m.Month - 1) + n
	y := i / 12
	if i < 0 && i%12 != 0 {
		y--
	}
	return YearMonth{Year: y, Month: i - y*12 + 1}
}

// Index returns a running month number (Year*12 + Month-1), handy as a key.
func (m YearMonth) Index() int { return m.Year*12 + m.Month - 1 }

// Period is an inclusive range of days. A zero To means the period is still
// open (it has no last day). A zero From means it has no first day.
type Period struct {
	From Date
	To   Date
}

// PeriodError reports a period text that could not be parsed.
type PeriodError struct {
	Text   string
	Reason string
}

// Error quotes the text as [DateError.Error] does.
func (e *PeriodError) Error() string {
	return fmt.Sprintf("period %q: %s", redact.Text(e.Text), e.Reason)
}

// ParsePeriod parses a year (2024), a month (2024-03), a day (2024-03-05), or
// a range of any two of those joined by ".." (2024-01..2024-06): the range
// runs from the first day of the first to the last day of the second.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if a, b, ok := strings.Cut(s, ".."); ok {
		pa, err := ParsePeriod(a)
		if err != nil {
			return Period{}, &PeriodError{Text: s, Reason: "bad start: " + err.Error()}
		}
		pb, err := ParsePeriod(b)
		if err != nil {
			return Period{}, &PeriodError{Text: s, Reason: "bad end: " + err.Error()}
		}
		p := Period{From: pa.From, To: pb.To}
		if p.To.Before(p.From) {
			return Period{}, &PeriodError{Text: s, Reason: "ends before it starts"}
		}
		return p, nil
	}
	switch len(s) {
	case 4:
		y, ok := digits(s)
		if !ok || y < 1800 || y > 2200 {
			return Period{}, &PeriodError{Text: s, Reason: "not a year"}
		}
		return Period{From: D(y, 1, 1), To: D(y, 12, 31)}, nil
	case 7:
		m, err := ParseYearMonth(s)
		if err != nil {
			return Period{}, &PeriodError{Text: s, Reason: "not a month"}
		}
		return MonthPeriod(m), nil
	case 10:
		d, err := ParseDate(s)
		if err != nil {
			return Period{}, &PeriodError{Text: s, Reason: "not a date"}
		}
		return Period{From: d, To: d}, nil
	}
	return Period{}, &PeriodError{Text: s, Reason: "expected YYYY, YYYY-MM, YYYY-MM-DD or A..B"}
}

// MonthPeriod returns the period covering month m.
func MonthPeriod(m YearMonth) Period { return Period{From: m.First(), To: m.Last()} }

// Open reports whether p has no last day.
func (p Period) Open() bool { return p.To.IsZero() }

// Contains reports whether day d lies in p.
func (p Period) Contains(d Date) bool {
	if !p.From.IsZero() && d.Before(p.From) {
		return false
	}
	return p.To.IsZero() || !d.After(p.To)
}

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool {
	_, ok := p.Intersect(q)
	return ok
}

// Intersect returns the days that p and q share, and whether there are any.
func (p Period) Intersect(q Period) (Period, bool) {
	r := p
	if r.From.IsZero() || (!q.From.IsZero() && q.From.After(r.From)) {
		r.From = q.From
	}
	if r.To.IsZero() || (!q.To.IsZero() && q.To.Before(r.To)) {
		r.To = q.To
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return Period{}, false
	}
	return r, true
}

// Days returns the number of days in a closed period (0 if open).
func (p Period) Days() int {
	if p.From.IsZero() || p.To.IsZero() {
		return 0
	}
	return p.From.DaysUntil(p.To) + 1
}

// Months returns the calendar months that a closed period touches, in order.
func (p Period) Months() []YearMonth {
	if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) {
		return nil
	}
	var out []YearMonth
	for m, last := p.From.YearMonth(), p.To.YearMonth(); m.Index() <= last.Index(); m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

// String formats p as FROM..TO (an open end is left empty).
func (p Period) String() string { return p.From.String() + ".." + p.To.String() }

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Period.String], FROM..TO with both days in full (JSON shows
// "2024-01-01..2024-06-30"; an open end is left empty: "2024-01-01.."),
// which reads back exactly, open ends included ([Period.Label]'s short
// forms cannot say "open"). The zero Period is the empty text. A period
// whose days cannot be written ([Date.MarshalText]) or that ends before it
// starts is a *[PeriodError].
func (p Period) MarshalText() ([]byte, error) {
	if p == (Period{}) {
		return []byte{}, nil
	}
	for _, d := range []Date{p.From, p.To} {
		if _, err := d.MarshalText(); err != nil {
			return nil, &PeriodError{Text: p.String(), Reason: err.Error()}
		}
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return nil, &PeriodError{Text: p.String(), Reason: "ends before it starts"}
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. It reads what
// [Period.MarshalText] writes and everything [ParsePeriod] reads (2024,
// 2024-03, 2024-01..2024-06, …); either end of a range may be empty,
// meaning open ("2024-01-01..", "..2024-06-30"). The empty text and ".."
// are the zero Period. Errors are *[PeriodError]; on an error p is left
// unchanged.
func (p *Period) UnmarshalText(b []byte) error {
	s := string(b)
	a, z, isRange := strings.Cut(s, "..")
	if !isRange || (a != "" && z != "") {
		if s == "" {
			*p = Period{}
			return nil
		}
		v, err := ParsePeriod(s)
		if err != nil {
			return err
		}
		*p = v
		return nil
	}
	var v Period
	if a != "" {
		pa, err := ParsePeriod(a)
		if err != nil {
			return &PeriodError{Text: s, Reason: "bad start: " + err.Error()}
		}
		v.From = pa.From
	}
	if z != "" {
		if strings.Contains(z, "..") {
			return &PeriodError{Text: s, Reason: "more than one .."}
		}
		pz, err := ParsePeriod(z)
		if err != nil {
			return &PeriodError{Text: s, Reason: "bad end: " + err.Error()}
		}
		v.To = pz.To
	}
	*p = v
	return nil
}

// Label formats p the shortest way ParsePeriod reads back: 2024, 2024-03,
// or FROM..TO.
func (p Period) Label() string {
	if p.From.Day == 1 && !p.To.IsZero() && p.From.Year == p.To.Year {
		if p.From.Month == 1 && p.To.Month == 12 && p.To.Day == 31 {
			return strconv.Itoa(int(p.From.Year))
		}
		if p.From.Month == p.To.Month && int(p.To.Day) == DaysInMonth(int(p.To.Year), int(p.To.Month)) {
			return p.From.YearMonth().String()
		}
	}
	return p.String()
}
