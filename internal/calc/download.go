package calc

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
)

// Download is a file for the browser to save.
type Download struct {
	Name string // file name, e.g. "vardval-halland-2019-2019.csv"
	Type string // MIME type
	Data []byte
}

// Download returns the last statement (of Describe or Region) as "csv" or
// "json" in the formats of package payment (the JSON of a region carries
// its intake report, as `vardval run --format json` does), in the
// language the statement was asked in: in Swedish as `vardval run --lang
// sv` writes it, the intake's reasons too. unitID selects one unit's
// statement ("" = every unit; after Describe, always the described unit).
func (c *Calculator) Download(format, unitID string) (*Download, error) {
	c.mu.Lock()
	st, focus, intake, m, lang := c.last, c.focus, c.intake, c.lastModel, c.lastLang
	c.mu.Unlock()
	if st == nil {
		return nil, &InputError{Field: "statement", Reason: "nothing has been computed yet"}
	}
	if lang == i18n.Swedish {
		// In the page's language, as `vardval run --lang sv` writes it.
		st, intake = i18n.Statement(st, m, lang), i18n.Report(intake, lang)
	}
	if focus != "" {
		unitID = focus
	}
	if unitID != "" {
		u, ok := st.Unit(unitID)
		if !ok {
			return nil, &InputError{Field: "unit", Reason: "no unit " + unitID + " in the statement"}
		}
		one := *st
		one.Units = []payment.UnitStatement{*u}
		one.Total = u.Total
		st = &one
	}
	name := "vardval-" + st.Model + "-" + st.Period.Label()
	if unitID != "" {
		name += "-" + safeName(unitID)
	}
	var b bytes.Buffer
	d := &Download{}
	switch format {
	case "csv":
		if err := payment.WriteCSV(&b, st); err != nil {
			return nil, err
		}
		d.Name, d.Type = name+".csv", "text/csv;charset=utf-8"
	case "json":
		// the region's intake report (nil: {}), as vardval run writes it
		if err := payment.WriteJSON(&b, st, intake); err != nil {
			return nil, err
		}
		d.Name, d.Type = name+".json", "application/json"
	default:
		return nil, &InputError{Field: "format", Reason: "must be csv or json"}
	}
	d.Data = b.Bytes()
	return d, nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

// funnels fills each measure view's SVG from the report.
func funnels(rep *measures.Report, views []MeasureView, lang string, names map[string]string) {
	for i := range views {
		var b bytes.Buffer
		o := measures.FunnelSVGOptions{Lang: lang, Names: names, LabelAll: true, IDPrefix: "f" + strconv.Itoa(i) + "-"}
		if err := measures.WriteFunnelSVGWith(&b, rep, views[i].ID, o); err == nil {
			views[i].SVG = b.String()
		}
	}
}
