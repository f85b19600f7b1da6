package measures

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/vardval"
)

var (
	pnrShape = regexp.MustCompile(`\d{6}[-+ ]?\d{4}`)
	tenRun   = regexp.MustCompile(`\d{10}`)
)

// hostileReport is a computed report whose unit ids and one measure's id,
// names and method hold personnummer-shaped values and control characters.
func hostileReport(t *testing.T) (*Report, string) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	rep, err := Compute(context.Background(), synthRegion(3000, 11), period, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"191212-1212", "VC 19121212-1212\x1b[2J", "1912121212\x00", "VC 191212+1212\u009b", "20171210 2393\x07"}
	for k := range rep.Measures {
		m := &rep.Measures[k]
		for i := 1; i < len(m.Rows); i++ {
			m.Rows[i].UnitID = ids[(i-1)%len(ids)] + strings.Repeat(" ", i/len(ids))
			m.Rows[i].Method += " 191212-1212"
			if m.Rows[i].Funnel != nil && i%2 == 0 {
				m.Rows[i].Funnel.Position = Above998 // labelled in the plot
			}
		}
	}
	m := &rep.Measures[0]
	m.Definition.ID = "m191212121212"
	m.Definition.NameSV = "Mått 19121212-1212\x1b[31m"
	m.Definition.NameEN = "Measure 191212-1212\x1b]0;x\x07"
	for i := range m.Rows {
		m.Rows[i].Measure = m.Definition.ID
	}
	return rep, m.Definition.ID
}

func assertNoPersonnummer(t *testing.T, what string, out []byte) {
	t.Helper()
	if m := pnrShape.Find(out); m != nil {
		t.Errorf("%s: personnummer-shaped %q", what, m)
	}
	if m := tenRun.Find(out); m != nil {
		t.Errorf("%s: ten digits %q", what, m)
	}
	s := string(out)
	for _, c := range []string{"\x1b", "\x00", "\x07", "\u009b", `\u001b`, `\u0000`, `\u0007`} {
		if strings.Contains(s, c) {
			t.Errorf("%s: control character %q", what, c)
		}
	}
	if !strings.Contains(s, redact.Mask) {
		t.Errorf("%s: the planted values were not written (no %s)", what, redact.Mask)
	}
}

func TestWritersMaskPersonnummer(t *testing.T) {
	rep, id := hostileReport(t)
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"WriteTable", func(b *bytes.Buffer) error { return WriteTable(b, rep) }},
		{"WriteCSV", func(b *bytes.Buffer) error { return WriteCSV(b, rep) }},
		{"WriteJSON", func(b *bytes.Buffer) error { return WriteJSON(b, rep) }},
		{"WriteFunnelSVG", func(b *bytes.Buffer) error { return WriteFunnelSVG(b, rep, id) }},
	} {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		assertNoPersonnummer(t, w.name, buf.Bytes())
	}
	// every other measure's plot too (unit ids in tooltips and labels)
	for _, m := range rep.Measures[1:] {
		var buf bytes.Buffer
		if err := WriteFunnelSVG(&buf, rep, m.Definition.ID); err != nil {
			t.Fatal(err)
		}
		if pnrShape.Match(buf.Bytes()) || tenRun.Match(buf.Bytes()) || bytes.ContainsAny(buf.Bytes(), "\x1b\x00\x07") {
			t.Errorf("%s: personnummer or control character in the plot", m.Definition.ID)
		}
	}
	err := WriteFunnelSVG(&bytes.Buffer{}, rep, "x 191212-1212")
	if err == nil || pnrShape.MatchString(err.Error()) {
		t.Errorf("unknown measure: %v", err)
	}
	if _, err := Lookup("19121212-1212\x1b[2J"); err == nil || pnrShape.MatchString(err.Error()) || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("Lookup: %v", err)
	}
}
