package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fakeMeasures gives every (measure, unit) a deterministic result so that
// goal lines are exercised; one unit has none.
func fakeMeasures(measure, unitID string) (measures.Result, bool) {
	if unitID == "VC003" {
		return measures.Result{}, false
	}
	h := 0
	for _, c := range measure + unitID {
		h = (h*31 + int(c)) % 1000
	}
	den := int64(40 + h%60)
	num := int64(h) % den
	v := decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), 4) // a share, as the measures package reports proportions
	if strings.HasSuffix(measure, "_per_1000") {
		v = decimal.NewFromInt(num*1000).DivRound(decimal.NewFromInt(den), 1)
	}
	return measures.Result{Measure: measure, UnitID: unitID, Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den),
		Value: v, CILow: 1.5, CIHigh: 2.5, Method: "wilson-95"}, true
}

func loadModel(t testing.TB, name string) *Model {
	t.Helper()
	em, ok := examples.LookupModel(name)
	if !ok {
		t.Fatalf("no model %s", name)
	}
	m, err := ParseModel(bytes.NewReader(em.Data), ParseOptions{File: em.Path})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func quarter(m *Model) vardval.Period {
	y := int(m.Valid.From.Year)
	return vardval.Period{From: vardval.D(y, 1, 1), To: vardval.D(y, 3, 31)}
}

func TestGolden(t *testing.T) {
	for _, em := range examples.Models() {
		t.Run(em.Name, func(t *testing.T) {
			m := loadModel(t, em.Name)
			rw := synthRows(synthSpec{seed: 42, persons: 150, primary: 3, year: int(m.Valid.From.Year), contacts: 2})
			st, err := Run(context.Background(), m, rw.region(), quarter(m), RunOptions{Measures: fakeMeasures})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteJSON(&buf, st, &vardval.IntakeReport{Files: []vardval.FileReport{}}); err != nil {
				t.Fatal(err)
			}
			var tbl bytes.Buffer
			if err := WriteTable(&tbl, st); err != nil {
				t.Fatal(err)
			}
			if err := Explain(&tbl, st, st.Units[0].UnitID); err != nil {
				t.Fatal(err)
			}
			for _, g := range []struct {
				file string
				data []byte
			}{{em.Name + ".json", buf.Bytes()}, {em.Name + ".txt", tbl.Bytes()}} {
				path := filepath.Join("testdata", g.file)
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, g.data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if diff := cmp.Diff(string(want), string(g.data)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", path, diff)
				}
			}
			checkSums(t, st)
		})
	}
}

// checkProduct checks that quantity × rate gives the amount, up to the
// rounding of each month's line (and of the shown quantity and rate).
func checkProduct(t testing.TB, where string, l Line, months int) {
	t.Helper()
	unit := decimal.New(1, -2)
	tol := unit.Mul(decimal.NewFromInt(int64(months))).Add(l.Quantity.Abs().Add(l.Rate.Abs()).Mul(decimal.New(1, -6)))
	if d := l.Quantity.Mul(l.Rate).Sub(l.Amount).Abs(); d.GreaterThan(tol) {
		t.Errorf("%s: line %s: %s × %s = %s, amount %s", where, l.Name, l.Quantity, l.Rate, l.Quantity.Mul(l.Rate), l.Amount)
	}
}

// checkSums verifies every exact-sum invariant of a statement.
func checkSums(t testing.TB, st *Statement) {
	t.Helper()
	total := decimal.Zero
	for _, u := range st.Units {
		lines, months := decimal.Zero, decimal.Zero
		for _, l := range u.Lines {
			lines = lines.Add(l.Amount)
			if l.Parameter == "" || l.ValidFrom.IsZero() || l.Source == "" {
				t.Errorf("%s: line %s lacks parameter, validity or source", u.UnitID, l.Name)
			}
			if !l.Amount.Equal(st.Rounding.RoundDecimal(l.Amount)) {
				t.Errorf("%s: line %s amount %s is not rounded", u.UnitID, l.Name, l.Amount)
			}
			checkProduct(t, u.UnitID, l, len(u.Months))
		}
		for _, m := range u.Months {
			for _, l := range m.Lines {
				checkProduct(t, u.UnitID+" "+m.Month.String(), l, 1)
			}
		}
		for _, m := range u.Months {
			ml := decimal.Zero
			for _, l := range m.Lines {
				ml = ml.Add(l.Amount)
			}
			if !ml.Equal(m.Total) {
				t.Errorf("%s %s: lines sum to %s, month total %s", u.UnitID, m.Month, ml, m.Total)
			}
			months = months.Add(m.Total)
		}
		if !lines.Equal(u.Total) || !months.Equal(u.Total) {
			t.Errorf("%s: lines %s, months %s, total %s", u.UnitID, lines, months, u.Total)
		}
		total = total.Add(u.Total)
	}
	if !total.Equal(st.Total) {
		t.Errorf("units sum to %s, region total %s", total, st.Total)
	}
}

func TestWriteCSVAndXLSX(t *testing.T) {
	m := loadModel(t, "vgr-2017")
	rw := synthRows(synthSpec{seed: 3, persons: 80, primary: 2, year: 2017, contacts: 2})
	st, err := Run(context.Background(), m, rw.region(), quarter(m), RunOptions{Measures: fakeMeasures})
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := WriteCSV(&c, st); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range st.Units {
		n += len(u.Lines)
		for _, mo := range u.Months {
			n += len(mo.Lines)
		}
	}
	if got := bytes.Count(c.Bytes(), []byte("\n")); got < n+1 {
		t.Errorf("csv has %d lines, want at least %d", got, n+1)
	}
	var e bytes.Buffer
	var ue *UnknownUnitError
	if err := Explain(&e, st, "nope"); !asErr(err, &ue) {
		t.Errorf("Explain(unknown unit) = %v", err)
	}
}

// WriteJSON puts the units, encoded on all cores, where one encoding of
// the whole statement would: the same bytes as encoding/json gives for the
// document in one piece, for a statement with units and one without.
func TestWriteJSONMatchesOneEncoding(t *testing.T) {
	m := loadModel(t, "halland-2019")
	rw := synthRows(synthSpec{seed: 42, persons: 150, primary: 3, year: int(m.Valid.From.Year), contacts: 2})
	st, err := Run(context.Background(), m, rw.region(), quarter(m), RunOptions{Measures: fakeMeasures})
	if err != nil {
		t.Fatal(err)
	}
	st.Units[0].Name = "Vårdcentralen <Öst> & \"Väst\"" // escaping as in one piece
	for _, s := range []*Statement{st, {Region: "R", Model: "m", Rounding: st.Rounding, Total: st.Total}} {
		var got bytes.Buffer
		if err := WriteJSON(&got, s, &vardval.IntakeReport{Files: []vardval.FileReport{}}); err != nil {
			t.Fatal(err)
		}
		js := jsonStatement{Region: s.Region, Model: s.Model, Title: s.Title, Rounding: s.Rounding.Name, Currency: "SEK",
			Period: jsonPeriod{From: s.Period.From.String(), To: s.Period.To.String()}, Total: s.money(s.Total),
			Assumed: s.money(s.Assumed), AssumedShare: AssumedShare(s.Assumed, s.Gross).StringFixed(4),
			Units: make([]jsonUnit, len(s.Units)), Notes: s.Notes, Intake: json.RawMessage(`{"files":[]}`)}
		if js.Notes == nil {
			js.Notes = []string{}
		}
		for i, u := range s.Units {
			ju := jsonUnit{UnitID: u.UnitID, Name: u.Name, Owner: u.Owner, Total: s.money(u.Total), Lines: s.jsonLines(u.Lines),
				Assumed: s.money(u.Assumed), AssumedShare: AssumedShare(u.Assumed, u.Gross).StringFixed(4)}
			for _, m := range u.Months {
				ju.Months = append(ju.Months, jsonMonth{Month: m.Month.String(), Total: s.money(m.Total), Lines: s.jsonLines(m.Lines)})
			}
			js.Units[i] = ju
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(js); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("%d units (-one encoding +WriteJSON):\n%s", len(s.Units), diff)
		}
	}
}
