package vardval

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2024-02-29", D(2024, 2, 29), true},
		{"2023-02-29", Date{}, false},
		{"1900-02-29", Date{}, false},
		{"2000-02-29", D(2000, 2, 29), true},
		{"2024-04-31", Date{}, false},
		{"2024-13-01", Date{}, false},
		{"2024-00-10", Date{}, false},
		{"2024-1-01", Date{}, false},
		{"24-01-01", Date{}, false},
		{"2024/01/01", Date{}, false},
		{"", Date{}, false},
		{"2024-12-31", D(2024, 12, 31), true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.ok != (err == nil) {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if err != nil {
			var de *DateError
			if !errors.As(err, &de) {
				t.Errorf("ParseDate(%q) error %T is not *DateError", tt.in, err)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDate(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// The day number agrees with the standard library's calendar arithmetic for
// every day from 1800 to 2200 sampled at random.
func TestDayNumberProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 2000
	props := gopter.NewProperties(params)
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	props.Property("FromDayNumber inverts DayNumber and matches time", prop.ForAll(
		func(n int) bool {
			d := FromDayNumber(n)
			tt := epoch.AddDate(0, 0, n)
			return d.DayNumber() == n && d.Valid() &&
				int(d.Year) == tt.Year() && int(d.Month) == int(tt.Month()) && int(d.Day) == tt.Day() &&
				d.String() == tt.Format("2006-01-02")
		},
		gen.IntRange(-62000, 84000),
	))
	props.Property("AddMonths stays in the target month", prop.ForAll(
		func(n, k int) bool {
			d := FromDayNumber(n).AddMonths(k)
			want := FromDayNumber(n).YearMonth().Add(k)
			return d.Valid() && d.YearMonth() == want
		},
		gen.IntRange(-20000, 40000), gen.IntRange(-400, 400),
	))
	props.TestingRun(t)
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in    string
		want  Period
		label string
		ok    bool
	}{
		{"2024", Period{D(2024, 1, 1), D(2024, 12, 31)}, "2024", true},
		{"2024-02", Period{D(2024, 2, 1), D(2024, 2, 29)}, "2024-02", true},
		{"2024-01..2024-06", Period{D(2024, 1, 1), D(2024, 6, 30)}, "2024-01-01..2024-06-30", true},
		{"2024-03-05", Period{D(2024, 3, 5), D(2024, 3, 5)}, "2024-03-05..2024-03-05", true},
		{"2024-06..2024-01", Period{}, "", false},
		{"2024-13", Period{}, "", false},
		{"last year", Period{}, "", false},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.ok != (err == nil) {
			t.Errorf("ParsePeriod(%q) error = %v", tt.in, err)
			continue
		}
		if !tt.ok {
			var pe *PeriodError
			if !errors.As(err, &pe) {
				t.Errorf("ParsePeriod(%q) error %T is not *PeriodError", tt.in, err)
			}
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParsePeriod(%q) (-want +got):\n%s", tt.in, diff)
		}
		if got.Label() != tt.label {
			t.Errorf("Label() = %q, want %q", got.Label(), tt.label)
		}
	}
}

func TestPeriodIntersect(t *testing.T) {
	y := Period{D(2024, 1, 1), D(2024, 12, 31)}
	tests := []struct {
		p    Period
		want Period
		ok   bool
		days int
	}{
		{Period{D(2023, 6, 1), Date{}}, y, true, 366},
		{Period{D(2024, 3, 15), D(2024, 4, 14)}, Period{D(2024, 3, 15), D(2024, 4, 14)}, true, 31},
		{Period{D(2020, 1, 1), D(2023, 12, 31)}, Period{}, false, 0},
		{Period{D(2024, 12, 31), Date{}}, Period{D(2024, 12, 31), D(2024, 12, 31)}, true, 1},
	}
	for _, tt := range tests {
		got, ok := tt.p.Intersect(y)
		if ok != tt.ok || got != tt.want || got.Days() != tt.days {
			t.Errorf("%v ∩ %v = %v, %v (%d days); want %v, %v (%d days)", tt.p, y, got, ok, got.Days(), tt.want, tt.ok, tt.days)
		}
	}
}

func TestAgeOn(t *testing.T) {
	b := D(2000, 2, 29)
	for _, tt := range []struct {
		on   Date
		want int
	}{{D(2001, 2, 28), 0}, {D(2001, 3, 1), 1}, {D(2004, 2, 29), 4}, {D(2000, 2, 29), 0}} {
		if got := b.AgeOn(tt.on); got != tt.want {
			t.Errorf("AgeOn(%v) = %d, want %d", tt.on, got, tt.want)
		}
	}
}

func TestParseFixed(t *testing.T) {
	tests := []struct {
		in    string
		scale int
		want  int64
		ok    bool
	}{
		{"12,5", 2, 1250, true},
		{"12.5", 2, 1250, true},
		{"0.001", 2, 0, false},
		{"200", 2, 20000, true},
		{"-1,25", 6, -1250000, true},
		{"1e3", 2, 0, false},
		{"1 000", 2, 0, false},
		{"1.2.3", 2, 0, false},
		{",", 2, 0, false},
		{"", 2, 0, false},
		{"99999999999999999999", 2, 0, false},
	}
	for _, tt := range tests {
		got, why := parseFixed(tt.in, tt.scale)
		if (why == "") != tt.ok || got != tt.want {
			t.Errorf("parseFixed(%q, %d) = %d, %q; want %d ok=%v", tt.in, tt.scale, got, why, tt.want, tt.ok)
		}
	}
}

func TestSafeValueMasksDigitRuns(t *testing.T) {
	for in, want := range map[string]string{
		"19121212-1212": `"[personnummer]"`, // nothing of the number, not its last digits
		"191212+1212":   `"[personnummer]"`,
		"x\x1b[2J":      "\"x\uFFFD[2J\"",
		"2024-13-01":    `"2024-13-01"`,
		"abc123456":     `"abc…"`,
		"ok":            `"ok"`,
	} {
		if got := safeValue(in); got != want {
			t.Errorf("safeValue(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestDateCompareFieldByField: Compare, Before and After order dates year,
// then month, then day, for every value of the fields (negative years,
// months and days that are not valid), as the field-by-field comparison
// they replace.
func TestDateCompareFieldByField(t *testing.T) {
	ref := func(d, e Date) int {
		for _, c := range [][2]int{{int(d.Year), int(e.Year)}, {int(d.Month), int(e.Month)}, {int(d.Day), int(e.Day)}} {
			if c[0] < c[1] {
				return -1
			}
			if c[0] > c[1] {
				return 1
			}
		}
		return 0
	}
	date := gopter.CombineGens(gen.Int16(), gen.UInt8(), gen.UInt8()).Map(func(v []any) Date {
		return Date{Year: v[0].(int16), Month: v[1].(uint8), Day: v[2].(uint8)}
	})
	// Near pairs too: the same year, or the same year and month.
	pair := gopter.CombineGens(date, date, gen.IntRange(0, 2)).Map(func(v []any) [2]Date {
		d, e := v[0].(Date), v[1].(Date)
		switch v[2].(int) {
		case 1:
			e.Year = d.Year
		case 2:
			e.Year, e.Month = d.Year, d.Month
		}
		return [2]Date{d, e}
	})
	props := gopter.NewProperties(gopter.DefaultTestParametersWithSeed(11))
	props.Property("Compare, Before and After = field by field", prop.ForAll(func(p [2]Date) bool {
		d, e := p[0], p[1]
		want := ref(d, e)
		return d.Compare(e) == want && d.Before(e) == (want < 0) && d.After(e) == (want > 0) && e.Compare(d) == -want
	}, pair))
	props.TestingRun(t)
	for _, c := range [][2]Date{{{-32768, 255, 255}, {-32767, 0, 0}}, {{32767, 0, 0}, {32766, 255, 255}}, {{2024, 1, 31}, {2024, 2, 1}}} {
		if ref(c[0], c[1]) != c[0].Compare(c[1]) {
			t.Errorf("%v vs %v: Compare %d, field by field %d", c[0], c[1], c[0].Compare(c[1]), ref(c[0], c[1]))
		}
	}
}
