package payment

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// comparisonRows is the flat form of a comparison shared by the CSV and
// XLSX writers: one row per unit total, one per unit component step, and
// the region's total last. Money is exact decimal text.
func comparisonRows(c Comparison) [][]string {
	m := func(d interface{ StringFixed(int32) string }) string { return d.StringFixed(c.Places) }
	rows := [][]string{{"unit_id", "name", "component", "a", "b", "diff", "percent"}}
	for _, u := range c.Units {
		rows = append(rows, []string{u.UnitID, u.Name, "total", m(u.A), m(u.B), m(u.Diff), u.Percent.StringFixed(2)})
		for _, s := range u.Steps {
			rows = append(rows, []string{u.UnitID, u.Name, s.Component, m(s.A), m(s.B), m(s.Amount), ""})
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
	rows := comparisonRows(c)
	for _, o := range c.Overrides {
		rows = append(rows, []string{"", "", "override", o, "", "", ""})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteComparisonXLSX writes the comparison as an Excel workbook with one
// sheet "Compare" (the rows of WriteComparisonCSV; money as numbers for
// display, with the exact text in the CSV) and, when overrides were
// applied, a sheet "Overrides".
func WriteComparisonXLSX(w io.Writer, c Comparison) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Compare"); err != nil {
		return err
	}
	for r, row := range comparisonRows(c) {
		for col, v := range row {
			cell, err := excelize.CoordinatesToCellName(col+1, r+1)
			if err != nil {
				return err
			}
			if r > 0 && col >= 3 && v != "" {
				err = f.SetCellDefault("Compare", cell, v)
			} else {
				err = f.SetCellStr("Compare", cell, v)
			}
			if err != nil {
				return err
			}
		}
	}
	if len(c.Overrides) > 0 {
		if _, err := f.NewSheet("Overrides"); err != nil {
			return err
		}
		for i, o := range c.Overrides {
			if err := f.SetCellStr("Overrides", "A"+strconv.Itoa(i+1), o); err != nil {
				return err
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}
