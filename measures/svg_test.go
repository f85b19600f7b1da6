package measures

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vardval/vardval/vardval"
)

// TestFunnelSVG: every measure's plot is well-formed standalone SVG with
// both titles, axis labels, the legend and one point per shown unit, and
// the bytes are the same for a shuffled copy of the region.
func TestFunnelSVG(t *testing.T) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	r := synthRegion(6000, 11)
	rep, err := Compute(context.Background(), r, period, Options{Overdispersion: true})
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := Compute(context.Background(), shuffled(r, 4), period, Options{Overdispersion: true, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rep.Measures {
		id := m.Definition.ID
		var buf, buf2 bytes.Buffer
		if err := WriteFunnelSVG(&buf, rep, id); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if err := WriteFunnelSVG(&buf2, rep2, id); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Errorf("%s: svg bytes depend on record order", id)
		}
		dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
		var root string
		circles, texts := 0, []string{}
		inText := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed XML: %v", id, err)
			}
			switch x := tok.(type) {
			case xml.StartElement:
				if root == "" {
					root = x.Name.Space + " " + x.Name.Local
				}
				if x.Name.Local == "circle" {
					circles++
				}
				inText = x.Name.Local == "text"
			case xml.CharData:
				if inText {
					texts = append(texts, string(x))
				}
			case xml.EndElement:
				inText = false
			}
		}
		if root != "http://www.w3.org/2000/svg svg" {
			t.Errorf("%s: root element %q", id, root)
		}
		shown := 0
		for _, row := range m.Rows[1:] {
			if !row.Suppressed {
				shown++
			}
		}
		if circles != shown+3 { // three legend dots
			t.Errorf("%s: %d circles for %d units", id, circles, shown)
		}
		all := strings.Join(texts, "\n")
		for _, want := range []string{m.Definition.NameSV, m.Definition.NameEN, "Förklaring / Legend", "95 % limits", "99.8 % limits", "Region value"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: text %q missing", id, want)
			}
		}
	}
	var fe *FunnelPlotError
	if err := WriteFunnelSVG(io.Discard, rep, "nope"); !errors.As(err, &fe) {
		t.Errorf("unknown measure: %v", err)
	}
}

func TestFunnelSVGWithLanguage(t *testing.T) {
	if got := (FunnelSVGOptions{Lang: "sv"}).number("12 345.5 %"); got != "12\u00a0345,5 %" {
		t.Errorf("sv number = %q", got)
	}
	if got := (FunnelSVGOptions{Lang: "en"}).number("12 345.5 %"); got != "12,345.5 %" {
		t.Errorf("en number = %q", got)
	}
	if got := (FunnelSVGOptions{}).number("12 345.5 %"); got != "12 345.5 %" {
		t.Errorf("bilingual number = %q", got)
	}
}

// TestFunnelSVGOneLanguage: a plot drawn in one language carries no text
// of the other (axis labels and direction included, the page's case).
func TestFunnelSVGOneLanguage(t *testing.T) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	rep, err := Compute(context.Background(), synthRegion(3000, 5), period, Options{})
	if err != nil {
		t.Fatal(err)
	}
	foreign := map[string][]string{
		"sv": {"Share", "Persons in the denominator", "Contacts in the denominator", "higher is better", "lower is better", "listed person-years", "Expected count", "Legend", "Denominator"},
		"en": {"Andel", "Antal personer", "Antal kontakter", "högre är bättre", "lägre är bättre", "listade och år", "Förväntat antal", "Förklaring", "Nämnare"},
	}
	for _, m := range rep.Measures {
		for lang, words := range foreign {
			var b bytes.Buffer
			if err := WriteFunnelSVGWith(&b, rep, m.Definition.ID, FunnelSVGOptions{Lang: lang, LabelAll: true}); err != nil {
				t.Fatal(err)
			}
			for _, w := range words {
				if strings.Contains(b.String(), w) {
					t.Errorf("%s %s: plot carries %q", m.Definition.ID, lang, w)
				}
			}
		}
	}
}
