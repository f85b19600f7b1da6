package xlsx

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/payment"
)

// WriteStatement writes the statement as an Excel workbook: a "Summary" sheet
// (one row per unit with its total, and the region total) and a "Lines"
// sheet (every period line) and a "Months" sheet (every monthly line).
// Amount cells hold the exact decimal text as an Excel number for display
// and sums; a text column beside them keeps the exact amount as text. Text
// from the data or the model is written with personnummer-shaped runs
// masked and control characters replaced.
func WriteStatement(w io.Writer, s *payment.Statement) error {
	f := excelize.NewFile()
	defer f.Close()
	const sum, lines, months = "Summary", "Lines", "Months"
	if err := f.SetSheetName("Sheet1", sum); err != nil {
		return err
	}
	for _, n := range []string{lines, months} {
		if _, err := f.NewSheet(n); err != nil {
			return err
		}
	}
	put := func(sheet string, row int, vals []string, numCols ...int) error {
		for c, v := range vals {
			cell, err := excelize.CoordinatesToCellName(c+1, row)
			if err != nil {
				return err
			}
			isNum := false
			for _, n := range numCols {
				isNum = isNum || n == c
			}
			if isNum {
				err = f.SetCellDefault(sheet, cell, v)
			} else {
				err = f.SetCellStr(sheet, cell, v)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(sum, 1, []string{"model", redact.Text(s.Model), "region", redact.Text(s.Region), "period", s.Period.Label(), "rounding", redact.Text(s.Rounding.Name)}); err != nil {
		return err
	}
	if err := put(sum, 3, []string{"unit_id", "name", "owner", "total_sek", "total_text"}); err != nil {
		return err
	}
	row := 4
	for _, u := range s.Units {
		if err := put(sum, row, []string{redact.Text(u.UnitID), redact.Text(u.Name), redact.Text(u.Owner), s.Rounding.Format(u.Total), s.Rounding.Format(u.Total)}, 3); err != nil {
			return err
		}
		row++
	}
	if err := put(sum, row, []string{"region", redact.Text(s.Region), "", s.Rounding.Format(s.Total), s.Rounding.Format(s.Total)}, 3); err != nil {
		return err
	}
	head := []string{"unit_id", "month", "component", "line", "quantity", "rate", "amount_sek", "amount_text", "parameter", "valid_from", "source", "assumption", "explanation"}
	lineRow := func(sheet string, r int, unit, month string, l payment.Line) error {
		return put(sheet, r, []string{redact.Text(unit), month, redact.Text(l.Component), redact.Text(l.Name), l.Quantity.String(), l.Rate.String(), s.Rounding.Format(l.Amount), s.Rounding.Format(l.Amount),
			redact.Text(l.Parameter), l.ValidFrom.String(), redact.Text(l.Source), redact.Text(l.Assumption), redact.Prose(l.Explanation)}, 4, 5, 6)
	}
	if err := put(lines, 1, head); err != nil {
		return err
	}
	if err := put(months, 1, head); err != nil {
		return err
	}
	lr, mr := 2, 2
	for _, u := range s.Units {
		for _, l := range u.Lines {
			if err := lineRow(lines, lr, u.UnitID, "", l); err != nil {
				return err
			}
			lr++
		}
		for _, m := range u.Months {
			for _, l := range m.Lines {
				if err := lineRow(months, mr, u.UnitID, m.Month.String(), l); err != nil {
					return err
				}
				mr++
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}
