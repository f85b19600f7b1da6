package measures

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vardval/vardval/internal/csvtext"
	"github.com/vardval/vardval/internal/redact"
)

// safe is redact.Text, for text from the data or from measure definitions
// where a writer writes it: personnummer-shaped runs masked whole, control
// characters replaced. It returns s itself when s is clean.
func safe(s string) string { return redact.Text(s) }

// formatFloat formats a display float (interval bound, funnel limit)
// rounded to 6 decimals, in the shortest form that reads back the same.
// NaN and ±Inf give "".
func formatFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	r := math.Round(x*1e6) / 1e6
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func jsonFloat(x float64) string {
	if s := formatFloat(x); s != "" {
		return s
	}
	return "null"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// WriteJSON writes the report in the machine-readable form of the data
// contract:
//
//	{"period": {"from", "to"}, "measures": [{"measure", "unit_id", "numerator",
//	"denominator", "value", "ci_low", "ci_high", "method", ...}]}
//
// one row per line, measures in definition order, the region row (unit_id
// "") first and then units by id. Numbers are JSON numbers: numerator,
// denominator and value exactly as computed; interval bounds rounded to 6
// decimals. Extra fields: "suppressed" (then numerator, value and interval
// are null), "suppression" (why: "denominator", "patients",
// "not_available" — the region was not given an input the measure reads;
// then the denominator is null too and the row adds "available": false
// and "not_given": the inputs, e.g. ["prescriptions.csv"] — or
// "disclosure" — a small count or complementary suppression, published
// as one reason so that it implies no range for the numerator; null when
// shown), "scale" (value = numerator / denominator × scale), "kind",
// "eligible" and "measured_share" (diabetes and blood-pressure measures:
// persons in the population measured or not, and denominator/eligible),
// "design_effect" (clustered measures), "observed", "expected", "ratio",
// "ratio_ci_low", "ratio_ci_high" (standardised rates),
// "patients" and "patient_mean" (continuity measures: the patients behind
// the pooled visit or visit-pair counts, and the unweighted mean of their
// own COC or UPC, null when suppressed), "funnel" (unit rows: 95 % and
// 99.8 % limits around
// the region value and the unit's position, -2…2) and "standardised"
// (rates: expected events, ratio and standardised value with intervals).
// Unit ids, measure ids and methods have personnummer-shaped runs masked
// and control characters replaced.
func WriteJSON(w io.Writer, rep *Report) error { return WriteJSONWith(w, rep, Texts{}) }

// WriteJSONWith is WriteJSON with, when tt.Name is set, a last key "name"
// in each row: the measure's name in tt's language.
func WriteJSONWith(w io.Writer, rep *Report, tt Texts) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\"period\": {\"from\": %q, \"to\": %q}, \"level\": %s, \"measures\": [",
		rep.Period.From.String(), rep.Period.To.String(), jsonFloat(rep.Level))
	first := true
	for _, m := range rep.Measures {
		d := &m.Definition
		for _, row := range m.Rows {
			if !first {
				bw.WriteString(",")
			}
			first = false
			bw.WriteString("\n  ")
			writeJSONRow(bw, d, &row, m.FunnelNote)
			if row.NotAvailable {
				writeNotGiven(bw, m.NotGiven)
			}
			if tt.Name != nil {
				fmt.Fprintf(bw, `, "name": %s`, jsonString(safe(tt.Name(d))))
			}
			bw.WriteString("}")
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func writeJSONRow(bw *bufio.Writer, d *Definition, row *Row, funnelNote string) {
	num, val, lo, hi := "null", "null", "null", "null"
	if !row.Suppressed {
		num = row.Numerator.String()
		if row.Denominator.Sign() > 0 {
			val = row.Value.String()
			lo, hi = jsonFloat(row.CILow), jsonFloat(row.CIHigh)
		}
	}
	supp := "null"
	if row.Suppressed {
		supp = jsonString(string(row.Suppression.Published()))
	}
	fmt.Fprintf(bw, `{"measure": %s, "unit_id": %s, "numerator": %s, "denominator": %s, "value": %s, "ci_low": %s, "ci_high": %s, "method": %s, "suppressed": %t, "suppression": %s, "kind": %s, "scale": %d`,
		jsonString(safe(row.Measure)), jsonString(safe(row.UnitID)), num, denText(row, "null"), val, lo, hi,
		jsonString(safe(row.Method)), row.Suppressed, supp, jsonString(safe(string(d.Kind))), d.Scale)
	if d.PatientLevel() {
		pm := "null"
		if !row.Suppressed && row.Patients > 0 {
			pm = row.PatientMean.String()
		}
		fmt.Fprintf(bw, `, "patients": %d, "patient_mean": %s`, row.Patients, pm)
	}
	if d.MeasuredShare() {
		ms := "null"
		if row.Eligible > 0 {
			ms = row.MeasuredShare.String()
		}
		fmt.Fprintf(bw, `, "eligible": %d, "measured_share": %s`, row.Eligible, ms)
	}
	if d.Clustered() && !row.Suppressed && row.DesignEffect > 0 {
		fmt.Fprintf(bw, `, "design_effect": %s`, jsonFloat(row.DesignEffect))
	}
	if s := row.Standardised; s != nil {
		fmt.Fprintf(bw, `, "observed": %d, "expected": %s, "ratio": %s, "ratio_ci_low": %s, "ratio_ci_high": %s`,
			s.Observed, jsonFloat(s.Expected), jsonFloat(s.Ratio), jsonFloat(s.RatioCI.Low), jsonFloat(s.RatioCI.High))
	}
	if f := row.Funnel; f != nil {
		fmt.Fprintf(bw, `, "funnel": {"on": %s, "x": %s, "lower95": %s, "upper95": %s, "lower998": %s, "upper998": %s, "position": %d, "design_effect": %s, "tau2": %s, "limits": %s}`,
			jsonString(f.On), jsonFloat(f.X), jsonFloat(f.Lower95), jsonFloat(f.Upper95), jsonFloat(f.Lower998), jsonFloat(f.Upper998), f.Position,
			jsonFloat(f.DesignEffect), jsonFloat(f.Tau2), jsonString(funnelNote))
	}
	if s := row.Standardised; s != nil {
		fmt.Fprintf(bw, `, "standardised": {"expected": %s, "ratio": %s, "ratio_ci_low": %s, "ratio_ci_high": %s, "value": %s, "ci_low": %s, "ci_high": %s}`,
			jsonFloat(s.Expected), jsonFloat(s.Ratio), jsonFloat(s.RatioCI.Low), jsonFloat(s.RatioCI.High),
			jsonFloat(s.Value), jsonFloat(s.ValueCI.Low), jsonFloat(s.ValueCI.High))
	}
}

// writeNotGiven writes the fields of a row of a measure that is not
// available: "available": false and the inputs not given.
func writeNotGiven(bw *bufio.Writer, notGiven []string) {
	bw.WriteString(`, "available": false, "not_given": [`)
	for i, in := range notGiven {
		if i > 0 {
			bw.WriteString(", ")
		}
		bw.WriteString(jsonString(in))
	}
	bw.WriteString("]")
}

// denText is the row's denominator, or none for a measure that is not
// available (it has no denominator, not one of 0).
func denText(row *Row, none string) string {
	if row.NotAvailable {
		return none
	}
	return row.Denominator.String()
}

// csvHeader returns the header line of WriteCSV.
func csvHeader() []string {
	return []string{"measure", "unit_id", "numerator", "denominator", "value", "ci_low", "ci_high", "method",
		"suppressed", "scale", "funnel_position", "standardised_ratio", "standardised_ratio_ci_low", "standardised_ratio_ci_high",
		"suppression", "eligible", "measured_share", "design_effect"}
}

// WriteCSV writes the report as CSV with the columns of WriteJSON
// (measure, unit_id, numerator, denominator, value, ci_low, ci_high,
// method) followed by suppressed, scale, funnel_position, the
// standardised ratio with its interval, suppression (why a row is
// suppressed), eligible and measured_share (diabetes and blood-pressure
// measures) and design_effect (clustered measures, as in the JSON); a hidden or missing value is an empty cell. Rows are in the same order as WriteJSON. Unit ids, measure
// ids and methods have personnummer-shaped runs masked and control
// characters replaced.
func WriteCSV(w io.Writer, rep *Report) error { return WriteCSVWith(w, rep, Texts{}) }

// WriteCSVWith is WriteCSV with, when tt.Name is set, a last column
// "name": the measure's name in tt's language.
func WriteCSVWith(w io.Writer, rep *Report, tt Texts) error {
	cw := csv.NewWriter(w)
	header := csvHeader()
	if tt.Name != nil {
		header = append(header, "name")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, m := range rep.Measures {
		for _, row := range m.Rows {
			c := cells(&m.Definition, &row)
			rec := []string{csvtext.Text(safe(row.Measure)), csvtext.Text(safe(row.UnitID)), c.num, denText(&row, ""), c.val, c.lo, c.hi, csvtext.Text(safe(row.Method)),
				strconv.FormatBool(row.Suppressed), strconv.FormatInt(m.Definition.Scale, 10), "", "", "", "", string(row.Suppression.Published()), "", "", ""}
			if m.Definition.Clustered() && !row.Suppressed && row.DesignEffect > 0 {
				rec[17] = formatFloat(row.DesignEffect)
			}
			if m.Definition.MeasuredShare() {
				rec[15] = strconv.FormatInt(row.Eligible, 10)
				if row.Eligible > 0 {
					rec[16] = row.MeasuredShare.String()
				}
			}
			if row.Funnel != nil {
				rec[10] = strconv.Itoa(int(row.Funnel.Position))
			}
			if s := row.Standardised; s != nil {
				rec[11], rec[12], rec[13] = formatFloat(s.Ratio), formatFloat(s.RatioCI.Low), formatFloat(s.RatioCI.High)
			}
			if tt.Name != nil {
				rec = append(rec, csvtext.Text(safe(tt.Name(&m.Definition))))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

type rowCells struct{ num, val, lo, hi string }

func cells(d *Definition, row *Row) rowCells {
	if row.Suppressed {
		return rowCells{}
	}
	c := rowCells{num: row.Numerator.String()}
	if row.Denominator.Sign() > 0 {
		c.val = row.Value.String()
		c.lo, c.hi = formatFloat(row.CILow), formatFloat(row.CIHigh)
	}
	return c
}

// suppressionText is the table's note for a suppressed row.
func suppressionText(d *Definition, r SuppressionReason) string {
	switch r {
	case SuppressedPatients:
		return "suppressed (fewer than " + strconv.Itoa(d.MinPatients) + " patients)"
	case SuppressedDisclosure:
		return "suppressed (disclosure control: a small count, or protects another suppressed row)"
	}
	return "suppressed (denominator below " + d.MinDenominator.String() + ")"
}

func positionText(p FunnelPosition) string {
	switch p {
	case Below998:
		return "below the 99.8 % funnel limit"
	case Below95:
		return "below the 95 % funnel limit"
	case Above95:
		return "above the 95 % funnel limit"
	case Above998:
		return "above the 99.8 % funnel limit"
	}
	return ""
}

// WriteTable writes the report as an aligned plain-text table, one block
// per measure headed by its id and English name: unit (region first),
// numerator, denominator, value, interval, and a note (suppressed, or the
// unit's position outside the funnel limits). Unit ids and the measures'
// ids and names have personnummer-shaped runs masked and control
// characters replaced.
func WriteTable(w io.Writer, rep *Report) error { return WriteTableWith(w, rep, Texts{}) }

// WriteTableWith is WriteTable with the texts of tt (a language's): each
// block's heading is the measure's id and tt.Name, and the rows' notes
// go through tt.Note; the header row's words are keys and stay.
func WriteTableWith(w io.Writer, rep *Report, tt Texts) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Period %s..%s\n", rep.Period.From, rep.Period.To)
	for _, m := range rep.Measures {
		d := &m.Definition
		if tt.Name != nil {
			fmt.Fprintf(bw, "\n%s: %s\n", safe(d.ID), safe(tt.Name(d)))
		} else {
			fmt.Fprintf(bw, "\n%s: %s (%s)\n", safe(d.ID), safe(d.NameEN), safe(d.NameSV))
		}
		lvl := levelLabel(rep.Level)
		header := []string{"unit", "numerator", "denominator", "value", lvl + " % interval", "note"}
		rows := [][]string{header}
		for _, row := range m.Rows {
			c := cells(d, &row)
			unit := safe(row.UnitID)
			if unit == "" {
				unit = "(region)"
			}
			iv := ""
			if c.lo != "" || c.hi != "" {
				iv = c.lo + " – " + c.hi
			}
			note := ""
			switch {
			case row.NotAvailable:
				note = "not available (" + notGivenText(m.NotGiven) + ")"
			case row.Suppressed:
				note = suppressionText(d, row.Suppression.Published())
			case row.Funnel != nil:
				note = positionText(row.Funnel.Position)
			}
			if tt.Note != nil && note != "" {
				note = tt.Note(note)
			}
			if tt.Note != nil && unit == "(region)" {
				unit = tt.Note(unit)
			}
			rows = append(rows, []string{unit, c.num, denText(&row, ""), c.val, iv, note})
		}
		writeAligned(bw, rows, []bool{false, true, true, true, false, false})
	}
	return bw.Flush()
}

// writeAligned writes rows in columns padded to their widest cell (right
// aligned where right[i]), separated by two spaces, trailing space trimmed.
func writeAligned(bw *bufio.Writer, rows [][]string, right []bool) {
	widths := make([]int, len(right))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
}
