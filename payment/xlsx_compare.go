//go:build !js

package payment

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

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
			if err := f.SetCellStr("Overrides", "A"+strconv.Itoa(i+1), safeProse(o)); err != nil {
				return err
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}
