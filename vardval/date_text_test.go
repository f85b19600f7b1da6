package vardval

import (
	"encoding"
	"encoding/json"
	"errors"
	"testing"
)

var (
	_ encoding.TextMarshaler   = Date{}
	_ encoding.TextUnmarshaler = (*Date)(nil)
	_ encoding.TextMarshaler   = YearMonth{}
	_ encoding.TextUnmarshaler = (*YearMonth)(nil)
	_ encoding.TextMarshaler   = Period{}
	_ encoding.TextUnmarshaler = (*Period)(nil)
)

func TestNewDate(t *testing.T) {
	for _, c := range []struct {
		y, m, d int
		want    Date
		reason  string
	}{
		{2024, 3, 5, D(2024, 3, 5), ""},
		{2024, 2, 29, D(2024, 2, 29), ""},
		{2000, 2, 29, D(2000, 2, 29), ""},
		{1800, 1, 1, D(1800, 1, 1), ""},
		{2200, 12, 31, D(2200, 12, 31), ""},
		{2023, 2, 29, Date{}, "no such day in that month"},
		{1900, 2, 29, Date{}, "no such day in that month"},
		{2024, 4, 31, Date{}, "no such day in that month"},
		{2024, 1, 0, Date{}, "no such day in that month"},
		{2024, 13, 1, Date{}, "no such month"},
		{2024, 0, 1, Date{}, "no such month"},
		{1799, 12, 31, Date{}, "year out of range 1800–2200"},
		{70000, 1, 1, Date{}, "year out of range 1800–2200"}, // D would truncate it
		{2024, 256 + 3, 5, Date{}, "no such month"},          // D would make March of it
	} {
		got, err := NewDate(c.y, c.m, c.d)
		var de *DateError
		switch {
		case c.reason == "" && (err != nil || got != c.want || !got.Valid()):
			t.Errorf("NewDate(%d, %d, %d) = %v, %v; want %v", c.y, c.m, c.d, got, err, c.want)
		case c.reason != "" && (!errors.As(err, &de) || de.Reason != c.reason || got != Date{}):
			t.Errorf("NewDate(%d, %d, %d) = %v, %v; want a DateError %q", c.y, c.m, c.d, got, err, c.reason)
		}
	}
}

func TestDateText(t *testing.T) {
	for _, c := range []struct {
		d    Date
		text string
		ok   bool
	}{
		{D(2024, 3, 5), "2024-03-05", true},
		{Date{}, "", true},
		{D(2023, 2, 29), "", false}, // D does not check
		{D(1500, 1, 1), "", false},  // ParseDate would not read it back
		{D(2024, 0, 1), "", false},
	} {
		b, err := c.d.MarshalText()
		var de *DateError
		if c.ok != (err == nil) || (err == nil && string(b) != c.text) || (err != nil && !errors.As(err, &de)) {
			t.Errorf("%#v.MarshalText() = %q, %v; want %q, ok %v", c.d, b, err, c.text, c.ok)
		}
	}
	for _, c := range []struct {
		text string
		want Date
		ok   bool
	}{
		{"2024-03-05", D(2024, 3, 5), true},
		{"", Date{}, true},
		{"2023-02-29", Date{}, false},
		{"2024-3-5", Date{}, false},
		{"20240305", Date{}, false},
		{"199001011234", Date{}, false},
	} {
		d := D(1999, 9, 9)
		err := d.UnmarshalText([]byte(c.text))
		var de *DateError
		switch {
		case c.ok && (err != nil || d != c.want):
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", c.text, d, err, c.want)
		case !c.ok && (!errors.As(err, &de) || d != D(1999, 9, 9)):
			t.Errorf("UnmarshalText(%q) = %v, %v; want a DateError and the Date unchanged", c.text, d, err)
		}
	}
}

func TestYearMonthText(t *testing.T) {
	for _, c := range []struct {
		m    YearMonth
		text string
		ok   bool
	}{
		{YearMonth{2024, 3}, "2024-03", true},
		{YearMonth{}, "", true},
		{YearMonth{2024, 13}, "", false},
		{YearMonth{12024, 1}, "", false},
	} {
		b, err := c.m.MarshalText()
		var de *DateError
		if c.ok != (err == nil) || (err == nil && string(b) != c.text) || (err != nil && !errors.As(err, &de)) {
			t.Errorf("%#v.MarshalText() = %q, %v; want %q, ok %v", c.m, b, err, c.text, c.ok)
		}
	}
	for _, c := range []struct {
		text string
		want YearMonth
		ok   bool
	}{
		{"2024-03", YearMonth{2024, 3}, true},
		{"", YearMonth{}, true},
		{"2024-13", YearMonth{}, false},
		{"2024-03-01", YearMonth{}, false},
	} {
		m := YearMonth{1999, 9}
		err := m.UnmarshalText([]byte(c.text))
		var de *DateError
		switch {
		case c.ok && (err != nil || m != c.want):
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", c.text, m, err, c.want)
		case !c.ok && (!errors.As(err, &de) || m != YearMonth{1999, 9}):
			t.Errorf("UnmarshalText(%q) = %v, %v; want a DateError and m unchanged", c.text, m, err)
		}
	}
}

func TestPeriodText(t *testing.T) {
	for _, c := range []struct {
		p    Period
		text string
		ok   bool
	}{
		{Period{D(2024, 1, 1), D(2024, 6, 30)}, "2024-01-01..2024-06-30", true},
		{Period{D(2024, 1, 1), D(2024, 12, 31)}, "2024-01-01..2024-12-31", true},
		{Period{D(2024, 3, 5), D(2024, 3, 5)}, "2024-03-05..2024-03-05", true},
		{Period{From: D(2024, 1, 1)}, "2024-01-01..", true},
		{Period{To: D(2024, 6, 30)}, "..2024-06-30", true},
		{Period{}, "", true},
		{Period{D(2024, 6, 30), D(2024, 1, 1)}, "", false},
		{Period{D(2024, 2, 30), D(2024, 6, 30)}, "", false},
	} {
		b, err := c.p.MarshalText()
		var pe *PeriodError
		if c.ok != (err == nil) || (err == nil && string(b) != c.text) || (err != nil && !errors.As(err, &pe)) {
			t.Errorf("%v.MarshalText() = %q, %v; want %q, ok %v", c.p, b, err, c.text, c.ok)
		}
	}
	for _, c := range []struct {
		text string
		want Period
		ok   bool
	}{
		{"2024-01-01..2024-06-30", Period{D(2024, 1, 1), D(2024, 6, 30)}, true},
		{"2024-01-01..", Period{From: D(2024, 1, 1)}, true},
		{"..2024-06-30", Period{To: D(2024, 6, 30)}, true},
		{"2024", Period{D(2024, 1, 1), D(2024, 12, 31)}, true},
		{"2024-03", Period{D(2024, 3, 1), D(2024, 3, 31)}, true},
		{"2024-01..2024-06", Period{D(2024, 1, 1), D(2024, 6, 30)}, true},
		{"2024-01..", Period{From: D(2024, 1, 1)}, true},
		{"", Period{}, true},
		{"..", Period{}, true},
		{"2024-06..2024-01", Period{}, false},
		{"..2024..2025", Period{}, false},
		{"2024-02-30..", Period{}, false},
		{"..x", Period{}, false},
		{"soon", Period{}, false},
	} {
		p := Period{From: D(1999, 9, 9)}
		err := p.UnmarshalText([]byte(c.text))
		var pe *PeriodError
		switch {
		case c.ok && (err != nil || p != c.want):
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", c.text, p, err, c.want)
		case !c.ok && (!errors.As(err, &pe) || p != Period{From: D(1999, 9, 9)}):
			t.Errorf("UnmarshalText(%q) = %v, %v; want a PeriodError and p unchanged", c.text, p, err)
		}
	}
}

// In JSON the three are strings, and read back.
func TestDateJSON(t *testing.T) {
	type doc struct {
		Born   Date      `json:"born"`
		Month  YearMonth `json:"month"`
		Period Period    `json:"period"`
		Open   Period    `json:"open"`
		None   Date      `json:"none"`
	}
	in := doc{D(2024, 3, 5), YearMonth{2024, 3}, Period{D(2024, 1, 1), D(2024, 6, 30)}, Period{From: D(2024, 1, 1)}, Date{}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"born":"2024-03-05","month":"2024-03","period":"2024-01-01..2024-06-30","open":"2024-01-01..","none":""}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("read back %+v, %v; want %+v", out, err, in)
	}
	var de *DateError
	if err := json.Unmarshal([]byte(`{"born":"2023-02-29"}`), &out); !errors.As(err, &de) {
		t.Errorf("an impossible date in JSON: %v, want a DateError", err)
	}
	if _, err := json.Marshal(doc{Born: D(2023, 2, 29)}); !errors.As(err, &de) {
		t.Errorf("marshalling an impossible date: %v, want a DateError", err)
	}
}

// What reads, writes; and what is written reads back as the same value.
func FuzzTextRoundTrip(f *testing.F) {
	for _, s := range []string{"2024-03-05", "2024-03", "2024", "2024-01..2024-06", "2024-01-01..", "..2024-06-30", "", "..", "2024-02-29", "1800-01-01..2200-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Date
		if d.UnmarshalText([]byte(s)) == nil {
			b, err := d.MarshalText()
			var e Date
			if err != nil || e.UnmarshalText(b) != nil || e != d {
				t.Fatalf("Date %q: read %v, wrote %q (%v), read back %v", s, d, b, err, e)
			}
		}
		var m YearMonth
		if m.UnmarshalText([]byte(s)) == nil {
			b, err := m.MarshalText()
			var e YearMonth
			if err != nil || e.UnmarshalText(b) != nil || e != m {
				t.Fatalf("YearMonth %q: read %v, wrote %q (%v), read back %v", s, m, b, err, e)
			}
		}
		var p Period
		if p.UnmarshalText([]byte(s)) == nil {
			b, err := p.MarshalText()
			var e Period
			if err != nil || e.UnmarshalText(b) != nil || e != p {
				t.Fatalf("Period %q: read %v, wrote %q (%v), read back %v", s, p, b, err, e)
			}
		}
		// And from values: every date NewDate makes is written and read back.
		if len(s) >= 3 {
			y, mo, dd := 1800+int(s[0])*2, int(s[1])%14, int(s[2])%33
			if nd, err := NewDate(y, mo, dd); err == nil {
				b, err := nd.MarshalText()
				var e Date
				if err != nil || e.UnmarshalText(b) != nil || e != nd {
					t.Fatalf("NewDate(%d, %d, %d) = %v: wrote %q (%v), read back %v", y, mo, dd, nd, b, err, e)
				}
			}
		}
	})
}
