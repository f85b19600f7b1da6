package xlsx

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/payment"
)

// WriteComparison writes the comparison as an Excel workbook with one
// sheet "Compare" (the rows of payment.WriteComparisonCSV, [payment.Comparison.Rows]; money as numbers for
// display, with the exact text in the CSV) and, when overrides were
// applied, a sheet "Overrides".
func WriteComparison(w io.Writer, c payment.Comparison) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Compare"); err != nil {
		return err
	}
	for r, row := range c.Rows() {
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
			if err := f.SetCellStr("Overrides", "A"+strconv.Itoa(i+1), redact.Prose(o)); err != nil {
				return err
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}
