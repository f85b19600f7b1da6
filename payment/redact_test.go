package payment

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/vardval/vardval/internal/redact"
)

var (
	pnrShape = regexp.MustCompile(`\d{6}[-+ ]?\d{4}`)
	tenRun   = regexp.MustCompile(`\d{10}`)
)

// assertNoPersonnummer fails when out holds a personnummer-shaped run, a
// control character (raw or JSON-escaped) or lacks the mask that shows the
// planted values were written.
func assertNoPersonnummer(t *testing.T, what string, out []byte) {
	t.Helper()
	if m := pnrShape.Find(out); m != nil {
		t.Errorf("%s: personnummer-shaped %q", what, m)
	}
	if m := tenRun.Find(out); m != nil {
		t.Errorf("%s: ten digits %q", what, m)
	}
	s := string(out)
	for _, c := range []string{"\x1b", "\x00", "\x07", "\u009b", `\u001b`, `\u0000`, `\u0007`, "\u009b"} {
		if strings.Contains(s, c) {
			t.Errorf("%s: control character %q", what, c)
		}
	}
	if !strings.Contains(s, redact.Mask) {
		t.Errorf("%s: the planted values were not written (no %s)", what, redact.Mask)
	}
}

// hostileStatements prices a region whose unit id and name and a model
// whose name, region, title, component names, sources and assumptions hold
// personnummer-shaped values and control characters.
func hostileStatements(t *testing.T) (*Statement, *Statement) {
	rw := synthRows(synthSpec{seed: 5, persons: 60, primary: 3, year: 2023, contacts: 2})
	rw.units[0].ID = "191212-1212"
	rw.units[0].Name = "VC 19121212-1212\x1b[2J\x00"
	rw.units[1].Name = "VC 191212+1212\u009b"
	rw.units[2].Name = "VC 1912121212\x07 20171210 2393"
	r := rw.region()
	hostile := func(m *Model, tag string) *Model {
		m.Name = tag + " 191212-1212"
		m.Region = "Region 19121212-1212\x1b[31m"
		m.Title = "Title 201712102393\x1b]0;x\x07"
		m.Notes = "notes 191212-1212"
		for _, c := range m.Components {
			if ps, ok := c.(*PoolSplit); ok {
				ps.Name = "Pool 191212-1212\x1b[1m"
				ps.ID = "pool191212121212"
			}
		}
		for i, p := range m.Params() {
			p.Values[0].Source = "source 19121212-1212\x1b[0m"
			if i%2 == 0 {
				p.Values[0].Assumption = "assumed 191212 1212\x00"
			}
		}
		return m
	}
	a := runOn(t, hostile(loadModel(t, "skane-2023"), "a"), r)
	b := runOn(t, hostile(loadModel(t, "skane-2023"), "b"), r)
	a.Notes = append(a.Notes, "note 191212-1212\x1b[2J")
	return a, b
}

func TestWritersMaskPersonnummer(t *testing.T) {
	a, b := hostileStatements(t)
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"WriteTable", func(buf *bytes.Buffer) error { return WriteTable(buf, a) }},
		{"WriteCSV", func(buf *bytes.Buffer) error { return WriteCSV(buf, a) }},
		{"WriteJSON", func(buf *bytes.Buffer) error { return WriteJSON(buf, a, nil) }},
		{"Explain", func(buf *bytes.Buffer) error { return Explain(buf, a, "191212-1212") }},
	} {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		assertNoPersonnummer(t, w.name, buf.Bytes())
	}
	c := Compare(a, b)
	c.Overrides = []string{"B: capitation.rate = 3500 from 2023-01 (--set 191212-1212\x1b[2J)"}
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"WriteComparisonTable", func(buf *bytes.Buffer) error { return WriteComparisonTable(buf, c) }},
		{"WriteComparisonCSV", func(buf *bytes.Buffer) error { return WriteComparisonCSV(buf, c) }},
		{"WriteComparisonJSON", func(buf *bytes.Buffer) error { return WriteComparisonJSON(buf, c) }},
		{"WriteWaterfallSVG region", func(buf *bytes.Buffer) error { return WriteWaterfallSVG(buf, c, "") }},
		{"WriteWaterfallSVG unit", func(buf *bytes.Buffer) error { return WriteWaterfallSVG(buf, c, "191212-1212") }},
	} {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		assertNoPersonnummer(t, w.name, buf.Bytes())
	}
	// An unknown unit's error does not repeat its id either.
	err := Explain(&bytes.Buffer{}, a, "19121212-1212")
	if err == nil || pnrShape.MatchString(err.Error()) {
		t.Errorf("unknown unit: %v", err)
	}
}

// xlsxCells returns every cell of every sheet, one per line.
// Amounts in explanations are numbers the engine computed, not
// personnummer: they stay as they are.
func TestSafeProseKeepsAmounts(t *testing.T) {
	for in, want := range map[string]string{
		"pool 2887500000.00 SEK × 0.5; name VC 191212-1212": "pool 2887500000.00 SEK × 0.5; name VC " + redact.Mask,
		"plain text": "plain text",
		"a\tb\nc":    "a\uFFFDb\uFFFDc",
		"x\x1b[2J":   "x\uFFFD[2J",
	} {
		if got := safeProse(in); got != want {
			t.Errorf("safeProse(%q) = %q, want %q", in, got, want)
		}
	}
}
