package xlsx_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/payment/xlsx"
	"github.com/vardval/vardval/vardval"
)

// statement prices the small clean region of the intake tests under an
// embedded model.
func statement(t *testing.T, model string) *payment.Statement {
	t.Helper()
	dir := filepath.Join("..", "..", "vardval", "testdata", "intake", "clean")
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	r, _, err := vardval.Load(context.Background(), vardval.Files{Units: open("units.csv"), Areas: open("areas.csv"),
		Listings: open("listings.csv"), Contacts: open("contacts.csv"), Diagnoses: open("diagnoses.csv")}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	em, ok := examples.LookupModel(model)
	if !ok {
		t.Fatalf("no model %s", model)
	}
	m, err := payment.ParseModel(bytes.NewReader(em.Data), payment.ParseOptions{File: em.Path})
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Run(context.Background(), m, r, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}, payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// cells is every cell's text, sheet by sheet.
func cells(t *testing.T, data []byte) (sheets []string, text string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return f.GetSheetList(), out.String()
}

// The workbooks hold every unit and line, and the same statement gives the
// same bytes.
func TestWriteStatement(t *testing.T) {
	st := statement(t, "vgr-2017")
	var a, b bytes.Buffer
	if err := xlsx.WriteStatement(&a, st); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.WriteStatement(&b, st); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("not deterministic (%v)", err)
	}
	sheets, text := cells(t, a.Bytes())
	if strings.Join(sheets, ",") != "Summary,Lines,Months" {
		t.Errorf("sheets %v", sheets)
	}
	for _, u := range st.Units {
		if !strings.Contains(text, u.UnitID+"\t"+u.Name) || !strings.Contains(text, st.Rounding.Format(u.Total)) {
			t.Errorf("unit %s or its total missing", u.UnitID)
		}
	}
	if !strings.Contains(text, st.Rounding.Format(st.Total)) {
		t.Error("region total missing")
	}
}

var pnr = regexp.MustCompile(`\d{6}[-+ ]?\d{4}|\d{10}`)

// Text planted in a statement (a Region built elsewhere, a model's text)
// is masked in the workbook's cells: no digit of a personnummer, no
// control character.
func TestWritersMaskPersonnummer(t *testing.T) {
	a, b := statement(t, "vgr-2017"), statement(t, "halland-2019")
	for _, st := range []*payment.Statement{a, b} {
		st.Model, st.Region = "m 191212-1212", "Region 19121212-1212\x1b[31m"
		st.Units[0].Name = "VC 19121212-1212\x1b[2J\x00"
		st.Units[0].Lines[0].Source = "source 191212+1212\u009b"
		st.Units[0].Lines[0].Explanation = "pool 2887500000.00 SEK; VC 1912121212\x07"
	}
	var buf bytes.Buffer
	if err := xlsx.WriteStatement(&buf, a); err != nil {
		t.Fatal(err)
	}
	_, text := cells(t, buf.Bytes())
	c := payment.Compare(a, b)
	c.Overrides = []string{"B: x = 1 (--set 191212-1212\x1b[2J)"}
	buf.Reset()
	if err := xlsx.WriteComparison(&buf, c); err != nil {
		t.Fatal(err)
	}
	sheets, ctext := cells(t, buf.Bytes())
	if strings.Join(sheets, ",") != "Compare,Overrides" {
		t.Errorf("comparison sheets %v", sheets)
	}
	for what, s := range map[string]string{"statement": text, "comparison": ctext} {
		if m := pnr.FindString(strings.ReplaceAll(s, "2887500000.00", "")); m != "" {
			t.Errorf("%s: personnummer form %q", what, m)
		}
		if strings.ContainsAny(s, "\x1b\x00\x07\u009b") {
			t.Errorf("%s: a control character", what)
		}
		if !strings.Contains(s, "[personnummer]") {
			t.Errorf("%s: the planted values were not written", what)
		}
	}
	if !strings.Contains(text, "2887500000.00") {
		t.Error("an amount in an explanation was masked")
	}
}
