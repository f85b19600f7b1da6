package payment

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/csvtext"
)

// SweepKeys returns the override keys of the sweep's variants in the
// order they first appear: the columns of its outputs.
func (s *SweepResult) SweepKeys() []string {
	var keys []string
	for _, v := range s.Variants {
		for _, o := range v.Variant.Overrides {
			if !slices.Contains(keys, o.Key) {
				keys = append(keys, o.Key)
			}
		}
	}
	return keys
}

// Comparisons returns, for each variant, what it does to each unit
// compared with the swept model (Compare(Base, variant)): unit
// differences and the difference per component, summing exactly.
func (s *SweepResult) Comparisons() []Comparison {
	out := make([]Comparison, len(s.Variants))
	for i, v := range s.Variants {
		out[i] = Compare(s.Base, v.Statement)
	}
	return out
}

// values returns the value each key has in the variant (its override's
// value, the last one given) or, for the base and keys a variant does not
// set, "" .
func (v Variant) values(keys []string) []string {
	out := make([]string, len(keys))
	for _, o := range v.Overrides {
		if i := slices.Index(keys, o.Key); i >= 0 {
			out[i] = o.Value.String()
		}
	}
	return out
}

// baseValues returns the value in force at the period's start of each key
// in the swept model ("" when it has none then).
func (s *SweepResult) baseValues(keys []string) []string {
	out := make([]string, len(keys))
	params := s.Model.Params()
	for i, k := range keys {
		if p := s.Model.param(k, params); p != nil {
			if v, ok := p.At(s.Base.Period.From); ok {
				out[i] = v.Value.String()
			}
		}
	}
	return out
}

// unitOf returns the comparison of the unit with the given id (a zero one
// when the unit is in neither statement).
func unitOf(c Comparison, id string) UnitComparison {
	i, ok := slices.BinarySearchFunc(c.Units, id, func(u UnitComparison, id string) int { return strings.Compare(u.UnitID, id) })
	if !ok {
		return UnitComparison{UnitID: id}
	}
	return c.Units[i]
}

func percentOf(diff, base decimal.Decimal) string {
	if base.IsZero() {
		return decimal.Zero.StringFixed(2)
	}
	return diff.Mul(decimal.NewFromInt(100)).DivRound(base, 2).StringFixed(2)
}

// WriteSweepTable writes a sweep for reading: one row per variant (its
// number, the value of each swept key, the region total, the difference
// from the swept model in SEK and per cent), then each unit's amount under
// the model and under each variant, then each unit's difference from the
// model under each variant (columns numbered as the variants). The notes
// of the model's statement follow.
func WriteSweepTable(w io.Writer, s *SweepResult) error {
	keys := s.SweepKeys()
	places := s.Base.Rounding.Places
	m := func(d decimal.Decimal) string { return d.StringFixed(places) }
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s, %s..%s: %d variants\n\n", safe(s.Base.Model), s.Base.Period.From, s.Base.Period.To, len(s.Variants))
	head := []string{"variant"}
	for _, k := range keys {
		head = append(head, safe(k))
	}
	head = append(head, "region total", "diff", "%")
	rows := [][]string{head, append(append([]string{"model"}, s.baseValues(keys)...), m(s.Base.Total), m(decimal.Zero), percentOf(decimal.Zero, s.Base.Total))}
	for i, v := range s.Variants {
		d := v.Statement.Total.Sub(s.Base.Total)
		rows = append(rows, append(append([]string{fmt.Sprint(i + 1)}, v.Variant.values(keys)...), m(v.Statement.Total), m(d), percentOf(d, s.Base.Total)))
	}
	writeAligned(bw, rows, 1+len(keys), -1)
	cmps := s.Comparisons()
	for _, diff := range []bool{false, true} {
		if diff {
			fmt.Fprintf(bw, "\ndifference from the model per unit (SEK)\n")
		} else {
			fmt.Fprintf(bw, "\namount per unit (SEK)\n")
		}
		head := []string{"unit", "name"}
		if !diff {
			head = append(head, "model")
		}
		for i := range s.Variants {
			head = append(head, fmt.Sprint(i+1))
		}
		rows := [][]string{head}
		for _, u := range s.Base.Units {
			row := []string{safe(u.UnitID), safe(u.Name)}
			if !diff {
				row = append(row, m(u.Total))
			}
			for _, c := range cmps {
				x := unitOf(c, u.UnitID)
				if diff {
					row = append(row, m(x.Diff))
				} else {
					row = append(row, m(x.B))
				}
			}
			rows = append(rows, row)
		}
		writeAligned(bw, rows, 2, -1)
	}
	for _, n := range s.Base.Notes {
		fmt.Fprintf(bw, "note: %s\n", safeProse(n))
	}
	return bw.Flush()
}

// WriteSweepCSV writes a sweep as CSV, one row per variant and unit:
// variant (0 for the swept model), one column per swept key with its
// value, unit_id, name, amount, diff (from the model), percent; each
// variant's region row last, with an empty unit_id and name "region".
// Money is exact decimal text.
func WriteSweepCSV(w io.Writer, s *SweepResult) error {
	keys := s.SweepKeys()
	places := s.Base.Rounding.Places
	m := func(d decimal.Decimal) string { return d.StringFixed(places) }
	head := []string{"variant"}
	for _, k := range keys {
		head = append(head, csvtext.Text(safe(k)))
	}
	head = append(head, "unit_id", "name", "amount", "diff", "percent")
	rows := [][]string{head}
	add := func(n int, vals []string, c Comparison) {
		for _, u := range c.Units {
			rows = append(rows, append(append([]string{fmt.Sprint(n)}, vals...),
				csvtext.Text(safe(u.UnitID)), csvtext.Text(safe(u.Name)), m(u.B), m(u.Diff), u.Percent.StringFixed(2)))
		}
		rows = append(rows, append(append([]string{fmt.Sprint(n)}, vals...), "", "region", m(c.B), m(c.Diff), percentOf(c.Diff, c.A)))
	}
	add(0, s.baseValues(keys), Compare(s.Base, s.Base))
	for i, c := range s.Comparisons() {
		add(i+1, s.Variants[i].Variant.values(keys), c)
	}
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return bw.Flush()
}

type jsonSweepValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type jsonSweepOverride struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	From   string `json:"from"`
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
}

type jsonSweepStep struct {
	Component string `json:"component"`
	Amount    string `json:"amount"`
	Diff      string `json:"diff"`
}

type jsonSweepUnit struct {
	UnitID  string          `json:"unit_id"`
	Name    string          `json:"name"`
	Amount  string          `json:"amount"`
	Diff    string          `json:"diff"`
	Percent string          `json:"percent"`
	Steps   []jsonSweepStep `json:"steps"`
}

type jsonSweepVariant struct {
	Variant   int                 `json:"variant"`
	Name      string              `json:"name"`
	Values    []jsonSweepValue    `json:"values"`
	Overrides []jsonSweepOverride `json:"overrides"`
	Total     string              `json:"total"`
	Diff      string              `json:"diff"`
	Percent   string              `json:"percent"`
	Units     []jsonSweepUnit     `json:"units"`
	Notes     []string            `json:"notes"`
}

// WriteSweepJSON writes {"model", "period", "keys", "model_values":
// [{"key","value"}], "total", "units": [{"unit_id","name","amount"}],
// "notes", "variants": [{"variant" (from 1), "name", "values",
// "overrides": [{"key","value","from","source":"override","note"}],
// "total", "diff", "percent", "units": [{"unit_id", "name", "amount",
// "diff", "percent", "steps": [{"component", "amount", "diff"}]}],
// "notes"}]} with money as decimal strings; units by id, steps in
// component order. Each variant's amounts are its statement's, exactly;
// its lines and their explanations are those of Explain on the
// variant's statement.
func WriteSweepJSON(w io.Writer, s *SweepResult) error {
	keys := s.SweepKeys()
	places := s.Base.Rounding.Places
	m := func(d decimal.Decimal) string { return d.StringFixed(places) }
	vals := func(v []string) []jsonSweepValue {
		out := make([]jsonSweepValue, len(keys))
		for i, k := range keys {
			out[i] = jsonSweepValue{Key: safe(k), Value: v[i]}
		}
		return out
	}
	type baseUnit struct {
		UnitID string `json:"unit_id"`
		Name   string `json:"name"`
		Amount string `json:"amount"`
	}
	out := struct {
		Model       string             `json:"model"`
		Period      jsonPeriod         `json:"period"`
		Keys        []string           `json:"keys"`
		ModelValues []jsonSweepValue   `json:"model_values"`
		Total       string             `json:"total"`
		Units       []baseUnit         `json:"units"`
		Notes       []string           `json:"notes"`
		Variants    []jsonSweepVariant `json:"variants"`
	}{Model: safe(s.Base.Model), Period: jsonPeriod{From: s.Base.Period.From.String(), To: s.Base.Period.To.String()},
		Keys: safeAll(keys), ModelValues: vals(s.baseValues(keys)), Total: m(s.Base.Total), Units: []baseUnit{},
		Notes: safeProseAll(s.Base.Notes), Variants: []jsonSweepVariant{}}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	for _, u := range s.Base.Units {
		out.Units = append(out.Units, baseUnit{safe(u.UnitID), safe(u.Name), m(u.Total)})
	}
	for i, c := range s.Comparisons() {
		v := s.Variants[i]
		jv := jsonSweepVariant{Variant: i + 1, Name: safeProse(v.Variant.Name), Values: vals(v.Variant.values(keys)),
			Overrides: []jsonSweepOverride{}, Total: m(c.B), Diff: m(c.Diff), Percent: percentOf(c.Diff, c.A),
			Units: []jsonSweepUnit{}, Notes: safeProseAll(v.Statement.Notes)}
		for _, o := range v.Variant.Overrides {
			from := o.From
			if from.IsZero() {
				from = v.Model.Valid.From
			}
			jv.Overrides = append(jv.Overrides, jsonSweepOverride{Key: safe(o.Key), Value: o.Value.String(),
				From: from.YearMonth().First().String(), Source: "override", Note: safeProse(o.Note)})
		}
		for _, u := range c.Units {
			ju := jsonSweepUnit{UnitID: safe(u.UnitID), Name: safe(u.Name), Amount: m(u.B), Diff: m(u.Diff), Percent: u.Percent.StringFixed(2), Steps: []jsonSweepStep{}}
			for _, st := range u.Steps {
				ju.Steps = append(ju.Steps, jsonSweepStep{Component: safe(st.Component), Amount: m(st.B), Diff: m(st.Amount)})
			}
			jv.Units = append(jv.Units, ju)
		}
		out.Variants = append(out.Variants, jv)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	return bw.Flush()
}
