package payment

import (
	"bufio"
	"cmp"
	"encoding/json"
	"io"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// Comparison is what model B does to each unit compared with model A on the
// same population: totals, differences and the difference attributed to
// components (matched by component id). Unit differences sum exactly to the
// region's; each unit's steps sum exactly to its difference.
type Comparison struct {
	ModelA, ModelB string
	Period         vardval.Period // A's period
	Places         int32          // decimals for money (the finer of the two rules)
	A, B, Diff     decimal.Decimal
	Units          []UnitComparison // by unit id
	// Overrides lists parameter overrides applied to either model, as the
	// caller describes them (e.g. "B: capitation.rate = 3500 from 2024-01"),
	// so that outputs show a proposal as such. Compare leaves it empty.
	Overrides []string
}

// UnitComparison is one unit under both models.
type UnitComparison struct {
	UnitID  string
	Name    string
	A, B    decimal.Decimal
	Diff    decimal.Decimal // B − A
	Percent decimal.Decimal // Diff / A × 100, 2 decimals half-even; zero when A is zero
	Steps   []Step
}

// Step is one component's part of a unit's difference.
type Step struct {
	Component string
	A, B      decimal.Decimal
	Amount    decimal.Decimal // B − A for this component
}

// Compare compares statement b with statement a unit by unit. Units found
// in only one statement count as zero in the other.
func Compare(a, b *Statement) Comparison {
	c := Comparison{ModelA: a.Model, ModelB: b.Model, Period: a.Period, Places: max(a.Rounding.Places, b.Rounding.Places),
		A: a.Total, B: b.Total, Diff: b.Total.Sub(a.Total)}
	byID := map[string]*UnitComparison{}
	var ids []string
	get := func(u *UnitStatement) *UnitComparison {
		x, ok := byID[u.UnitID]
		if !ok {
			x = &UnitComparison{UnitID: u.UnitID, Name: u.Name}
			byID[u.UnitID] = x
			ids = append(ids, u.UnitID)
		}
		return x
	}
	type acc struct {
		order int
		a, b  decimal.Decimal
	}
	steps := map[string]map[string]*acc{}
	add := func(u *UnitStatement, isB bool, base int) {
		x := get(u)
		if steps[u.UnitID] == nil {
			steps[u.UnitID] = map[string]*acc{}
		}
		for _, l := range u.Lines {
			s, ok := steps[u.UnitID][l.Component]
			if !ok {
				s = &acc{order: base + l.order}
				steps[u.UnitID][l.Component] = s
			}
			if isB {
				s.b = s.b.Add(l.Amount)
			} else {
				s.a = s.a.Add(l.Amount)
			}
		}
		if isB {
			x.B = u.Total
		} else {
			x.A = u.Total
		}
	}
	for i := range a.Units {
		add(&a.Units[i], false, 0)
	}
	for i := range b.Units {
		add(&b.Units[i], true, 1<<20)
	}
	slices.Sort(ids)
	for _, id := range ids {
		x := byID[id]
		x.Diff = x.B.Sub(x.A)
		if !x.A.IsZero() {
			x.Percent = x.Diff.Mul(decimal.NewFromInt(100)).DivRound(x.A, 2)
		}
		type named struct {
			id string
			s  *acc
		}
		var ns []named
		for comp, s := range steps[id] {
			ns = append(ns, named{comp, s})
		}
		slices.SortFunc(ns, func(p, q named) int { return cmp.Or(cmp.Compare(p.s.order, q.s.order), cmp.Compare(p.id, q.id)) })
		for _, n := range ns {
			x.Steps = append(x.Steps, Step{Component: n.id, A: n.s.a, B: n.s.b, Amount: n.s.b.Sub(n.s.a)})
		}
		c.Units = append(c.Units, *x)
	}
	return c
}

// Ranked returns the units from the largest gain to the largest loss, ties
// by unit id.
func (c Comparison) Ranked() []UnitComparison {
	out := slices.Clone(c.Units)
	slices.SortStableFunc(out, func(p, q UnitComparison) int { return cmp.Or(q.Diff.Cmp(p.Diff), cmp.Compare(p.UnitID, q.UnitID)) })
	return out
}

type jsonTotals struct {
	A    string `json:"a"`
	B    string `json:"b"`
	Diff string `json:"diff"`
}

type jsonStep struct {
	Component string `json:"component"`
	A         string `json:"a"`
	B         string `json:"b"`
	Amount    string `json:"amount"`
}

type jsonUnitCmp struct {
	UnitID  string     `json:"unit_id"`
	Name    string     `json:"name"`
	A       string     `json:"a"`
	B       string     `json:"b"`
	Diff    string     `json:"diff"`
	Percent string     `json:"percent"`
	Steps   []jsonStep `json:"steps"`
}

// WriteComparisonJSON writes {"model_a", "model_b", "period", "total":
// {"a","b","diff"}, "units": [{"unit_id", "name", "a", "b", "diff",
// "percent", "steps": [{"component", "a", "b", "amount"}]}]} with money as
// decimal strings; units by id.
func WriteComparisonJSON(w io.Writer, c Comparison) error {
	m := func(d decimal.Decimal) string { return d.StringFixed(c.Places) }
	out := struct {
		ModelA    string        `json:"model_a"`
		ModelB    string        `json:"model_b"`
		Period    jsonPeriod    `json:"period"`
		Total     jsonTotals    `json:"total"`
		Units     []jsonUnitCmp `json:"units"`
		Overrides []string      `json:"overrides,omitempty"`
	}{Overrides: safeProseAll(c.Overrides), ModelA: safe(c.ModelA), ModelB: safe(c.ModelB), Period: jsonPeriod{From: c.Period.From.String(), To: c.Period.To.String()},
		Total: jsonTotals{m(c.A), m(c.B), m(c.Diff)}, Units: []jsonUnitCmp{}}
	for _, u := range c.Units {
		ju := jsonUnitCmp{UnitID: safe(u.UnitID), Name: safe(u.Name), A: m(u.A), B: m(u.B), Diff: m(u.Diff), Percent: u.Percent.StringFixed(2), Steps: []jsonStep{}}
		for _, s := range u.Steps {
			ju.Steps = append(ju.Steps, jsonStep{safe(s.Component), m(s.A), m(s.B), m(s.Amount)})
		}
		out.Units = append(out.Units, ju)
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

// WriteComparisonTable writes the units ranked from largest gain to largest
// loss with both totals, the difference in SEK and per cent, and the region.
func WriteComparisonTable(w io.Writer, c Comparison) error {
	m := func(d decimal.Decimal) string { return d.StringFixed(c.Places) }
	rows := [][]string{{"unit", "name", safe(c.ModelA), safe(c.ModelB), "diff", "%"}}
	for _, u := range c.Ranked() {
		rows = append(rows, []string{safe(u.UnitID), safe(u.Name), m(u.A), m(u.B), m(u.Diff), u.Percent.StringFixed(2)})
	}
	pct := decimal.Zero
	if !c.A.IsZero() {
		pct = c.Diff.Mul(decimal.NewFromInt(100)).DivRound(c.A, 2)
	}
	rows = append(rows, []string{"region", "", m(c.A), m(c.B), m(c.Diff), pct.StringFixed(2)})
	bw := bufio.NewWriter(w)
	writeAligned(bw, rows, 2, len(rows)-1)
	for _, o := range c.Overrides {
		bw.WriteString("override: " + safeProse(o) + "\n")
	}
	return bw.Flush()
}
