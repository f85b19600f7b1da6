package payment

import (
	"bufio"
	"encoding/csv"
	"io"

	"github.com/vardval/vardval/internal/csvtext"
)

// Rows is the flat form of a comparison that the CSV writer and the XLSX
// writer (package payment/xlsx) share, header first: unit_id, name,
// component ("total" for a unit's totals), a, b, diff, percent; one row per
// unit total, one per unit component step, and the region's total last.
// Money is exact decimal text; text from the data or the models has
// personnummer-shaped runs masked and control characters replaced, and a
// cell that a spreadsheet would take for a formula is quoted.
func (c Comparison) Rows() [][]string {
	m := func(d interface{ StringFixed(int32) string }) string { return d.StringFixed(c.Places) }
	rows := [][]string{{"unit_id", "name", "component", "a", "b", "diff", "percent"}}
	for _, u := range c.Units {
		id, name := csvtext.Text(safe(u.UnitID)), csvtext.Text(safe(u.Name))
		rows = append(rows, []string{id, name, "total", m(u.A), m(u.B), m(u.Diff), u.Percent.StringFixed(2)})
		for _, s := range u.Steps {
			rows = append(rows, []string{id, name, csvtext.Text(safe(s.Component)), m(s.A), m(s.B), m(s.Amount), ""})
		}
	}
	rows = append(rows, []string{"", "region", "total", m(c.A), m(c.B), m(c.Diff), ""})
	return rows
}

// WriteComparisonCSV writes the comparison as CSV: unit_id, name,
// component ("total" for the unit's totals), a, b, diff, percent; the
// region's row has an empty unit_id. Overrides follow as comment-free rows
// with component "override".
func WriteComparisonCSV(w io.Writer, c Comparison) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	rows := c.Rows()
	for _, o := range c.Overrides {
		rows = append(rows, []string{"", "", "override", csvtext.Text(safeProse(o)), "", "", ""})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return bw.Flush()
}
