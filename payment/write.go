package payment

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/csvtext"
	"github.com/vardval/vardval/vardval"
)

type jsonPeriod struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type jsonLine struct {
	Component   string      `json:"component"`
	Type        string      `json:"type"`
	Name        string      `json:"name"`
	Quantity    string      `json:"quantity"`
	Rate        string      `json:"rate"`
	Amount      string      `json:"amount"`
	Parameter   string      `json:"parameter"`
	ValidFrom   string      `json:"valid_from"`
	Source      string      `json:"source"`
	Assumption  string      `json:"assumption,omitempty"`
	Explanation string      `json:"explanation"`
	Judged      *jsonJudged `json:"judged,omitempty"`
	// Goal lines: the indicator's window and the period it was measured over.
	MeasureWindow string      `json:"measure_window,omitempty"`
	MeasurePeriod *jsonPeriod `json:"measure_period,omitempty"`
}

// jsonJudged is a goal line's Judgement (only for an indicator judged on
// anything but its value).
type jsonJudged struct {
	JudgedOn       string `json:"judged_on"`
	Value          string `json:"value"`
	CILow          string `json:"ci_low"`
	CIHigh         string `json:"ci_high"`
	IntervalMethod string `json:"interval_method"`
	JudgedValue    string `json:"judged_value"`
	RegionValue    string `json:"region_value,omitempty"`
	Weight         string `json:"weight,omitempty"`
	PriorUnits     int    `json:"prior_units,omitempty"`
	Note           string `json:"note,omitempty"`
	// Withheld: the result was hidden by disclosure control; it was
	// judged, but its figures are not written (value, interval and
	// judged value are "").
	Withheld bool `json:"withheld,omitempty"`
}

// jsonBound is an interval bound as displayed, "" when not finite.
func jsonBound(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return displayBound(x)
}

func judgedJSON(j *Judgement) *jsonJudged {
	if j == nil {
		return nil
	}
	if j.Withheld {
		return &jsonJudged{JudgedOn: j.JudgedOn, Withheld: true}
	}
	out := &jsonJudged{JudgedOn: j.JudgedOn, Value: j.Value.String(), CILow: jsonBound(j.CILow), CIHigh: jsonBound(j.CIHigh),
		IntervalMethod: safe(j.Method), JudgedValue: j.Judged.String(), Note: j.Note}
	if j.JudgedOn == JudgedOnShrunk {
		out.PriorUnits = j.Units
		if j.Note == "" {
			out.RegionValue, out.Weight = j.Region.String(), j.Weight.String()
		}
	}
	return out
}

type jsonMonth struct {
	Month string     `json:"month"`
	Total string     `json:"total"`
	Lines []jsonLine `json:"lines"`
}

type jsonUnit struct {
	UnitID string `json:"unit_id"`
	Name   string `json:"name"`
	Owner  string `json:"owner"`
	Total  string `json:"total"`
	// Σ |amount| of the lines resting on assumptions, and its share of Σ |amount|.
	Assumed      string      `json:"assumed"`
	AssumedShare string      `json:"assumed_share"`
	Lines        []jsonLine  `json:"lines"`
	Months       []jsonMonth `json:"months"`
}

type jsonStatement struct {
	Region   string     `json:"region"`
	Model    string     `json:"model"`
	Title    string     `json:"title"`
	Rounding string     `json:"rounding"`
	Currency string     `json:"currency"`
	Period   jsonPeriod `json:"period"`
	Total    string     `json:"total"`
	// Σ |amount| of the lines resting on assumptions, and its share of Σ |amount|.
	Assumed      string          `json:"assumed"`
	AssumedShare string          `json:"assumed_share"`
	Units        []jsonUnit      `json:"units"`
	Notes        []string        `json:"notes"`
	Intake       json.RawMessage `json:"intake"`
}

func (s *Statement) money(d decimal.Decimal) string { return s.Rounding.Format(d) }

func (s *Statement) jsonLines(ls []Line) []jsonLine {
	out := make([]jsonLine, len(ls))
	for i, l := range ls {
		out[i] = jsonLine{Component: safe(l.Component), Type: safe(l.Type), Name: safe(l.Name), Quantity: l.Quantity.String(), Rate: l.Rate.String(),
			Amount: s.money(l.Amount), Parameter: safe(l.Parameter), ValidFrom: l.ValidFrom.String(), Source: safe(l.Source),
			Assumption: safe(l.Assumption), Explanation: safeProse(l.Explanation), Judged: judgedJSON(l.Judgement),
			MeasureWindow: l.MeasureWindow}
		if !l.MeasurePeriod.From.IsZero() {
			out[i].MeasurePeriod = &jsonPeriod{From: l.MeasurePeriod.From.String(), To: l.MeasurePeriod.To.String()}
		}
	}
	return out
}

// WriteJSON writes the statement in the contract shape of the data
// specification ("Statement output"): region, model, period, total, units
// with unit_id, total and lines (component, quantity, rate, amount,
// parameter, valid_from, source), and intake (the region's intake report
// in its JSON shape; {} when nil). Money is a decimal string
// with the model's rounding. Added fields: title, rounding, currency, notes,
// and per unit name, owner and months; per line type, name, assumption and
// explanation. Text from the data or the model is written with
// personnummer-shaped runs masked and control characters replaced.
func WriteJSON(w io.Writer, s *Statement, intake *vardval.IntakeReport) error {
	js := jsonStatement{Region: safe(s.Region), Model: safe(s.Model), Title: safe(s.Title), Rounding: safe(s.Rounding.Name), Currency: "SEK",
		Period: jsonPeriod{From: s.Period.From.String(), To: s.Period.To.String()}, Total: s.money(s.Total),
		Assumed: s.money(s.Assumed), AssumedShare: AssumedShare(s.Assumed, s.Gross).StringFixed(4),
		Notes: safeAll(s.Notes), Intake: json.RawMessage("{}")}
	if js.Notes == nil {
		js.Notes = []string{}
	}
	if intake != nil {
		b, err := json.Marshal(intake)
		if err != nil {
			return err
		}
		js.Intake = b
	}
	// The units are most of the document: they are encoded on all cores,
	// each as it appears in the "units" array (two levels deep), and put in
	// place of the null the rest is encoded with.
	units := make([][]byte, len(s.Units))
	errs := make([]error, len(s.Units))
	// A panic on a worker is raised again here once all have ended, as if
	// the units were encoded on the caller's goroutine.
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(s.Units))
	f := newFaults(workers)
	for w := range workers {
		wg.Go(func() {
			f.guard(w, func() {
				for i := w; i < len(s.Units) && !f.stopped.Load(); i += workers {
					units[i], errs[i] = s.unitJSON(&s.Units[i])
				}
			})
		})
	}
	wg.Wait()
	f.raise()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	js.Units = nil
	var top bytes.Buffer
	enc := json.NewEncoder(&top)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(js); err != nil {
		return err
	}
	const hole = "\n  \"units\": null"
	doc := top.Bytes()
	at := bytes.Index(doc, []byte(hole))
	if at < 0 {
		return errors.New("payment: statement JSON has no units field")
	}
	bw := bufio.NewWriter(w)
	bw.Write(doc[:at+len(hole)-len("null")])
	if len(units) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[")
		for i, u := range units {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			bw.Write(u)
		}
		bw.WriteString("\n  ]")
	}
	bw.Write(doc[at+len(hole):])
	return bw.Flush()
}

// unitJSON encodes one unit's statement as it stands in the "units" array
// of WriteJSON's document.
func (s *Statement) unitJSON(u *UnitStatement) ([]byte, error) {
	ju := jsonUnit{UnitID: safe(u.UnitID), Name: safe(u.Name), Owner: safe(u.Owner), Total: s.money(u.Total), Lines: s.jsonLines(u.Lines),
		Assumed: s.money(u.Assumed), AssumedShare: AssumedShare(u.Assumed, u.Gross).StringFixed(4),
		Months: make([]jsonMonth, len(u.Months))}
	for k, m := range u.Months {
		ju.Months[k] = jsonMonth{Month: m.Month.String(), Total: s.money(m.Total), Lines: s.jsonLines(m.Lines)}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	if err := enc.Encode(ju); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// csvHeader is the header row WriteCSV writes.
func csvHeader() []string {
	return []string{"unit_id", "unit_name", "month", "component", "line", "quantity", "rate", "amount",
		"parameter", "valid_from", "source", "assumption", "explanation"}
}

// WriteCSV writes one row per statement line: for each unit its period
// lines (month empty) and then its monthly lines (month YYYY-MM). Amounts
// are decimal strings with the model's rounding; the period rows of a unit
// sum to its total, and so do its monthly rows. Text from the data or the
// model is written with personnummer-shaped runs masked and control
// characters replaced.
func WriteCSV(w io.Writer, s *Statement) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	row := func(u *UnitStatement, month string, l Line) error {
		t := func(s string) string { return csvtext.Text(safe(s)) }
		return cw.Write([]string{t(u.UnitID), t(u.Name), month, t(l.Component), t(l.Name), l.Quantity.String(), l.Rate.String(), s.money(l.Amount),
			t(l.Parameter), l.ValidFrom.String(), t(l.Source), t(l.Assumption), csvtext.Text(safeProse(l.Explanation))})
	}
	for i := range s.Units {
		u := &s.Units[i]
		for _, l := range u.Lines {
			if err := row(u, "", l); err != nil {
				return err
			}
		}
		for _, m := range u.Months {
			for _, l := range m.Lines {
				if err := row(u, m.Month.String(), l); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// componentTotals returns the component ids in model order (as they occur)
// and each unit's total per component.
func componentTotals(s *Statement) ([]string, []map[string]decimal.Decimal) {
	type comp struct {
		id    string
		order int
	}
	var comps []comp
	seen := map[string]bool{}
	per := make([]map[string]decimal.Decimal, len(s.Units))
	for i, u := range s.Units {
		per[i] = map[string]decimal.Decimal{}
		for _, l := range u.Lines {
			if !seen[l.Component] {
				seen[l.Component] = true
				comps = append(comps, comp{l.Component, l.order})
			}
			per[i][l.Component] = per[i][l.Component].Add(l.Amount)
		}
	}
	for i := 1; i < len(comps); i++ {
		for j := i; j > 0 && comps[j].order < comps[j-1].order; j-- {
			comps[j], comps[j-1] = comps[j-1], comps[j]
		}
	}
	ids := make([]string, len(comps))
	for i, c := range comps {
		ids[i] = c.id
	}
	return ids, per
}

// WriteTable writes an aligned terminal table: one row per unit with its
// total per component and in all, and the region's totals last. Text from
// the data or the model is written with personnummer-shaped runs masked and
// control characters replaced.
func WriteTable(w io.Writer, s *Statement) error { return WriteTableWith(w, s, EnglishWords()) }

// WriteTableWith is WriteTable with the fixed words of wd (component ids
// stay as they are).
func WriteTableWith(w io.Writer, s *Statement, wd Words) error {
	ids, per := componentTotals(s)
	header := append([]string{wd.Unit, wd.Name}, safeAll(ids)...)
	header = append(header, wd.Sum)
	rows := [][]string{header}
	colTotals := make([]decimal.Decimal, len(ids))
	for i, u := range s.Units {
		r := []string{safe(u.UnitID), safe(u.Name)}
		for k, id := range ids {
			r = append(r, wd.money(s.money(per[i][id])))
			colTotals[k] = colTotals[k].Add(per[i][id])
		}
		rows = append(rows, append(r, wd.money(s.money(u.Total))))
	}
	r := []string{wd.Region, safe(s.Region)}
	for k := range ids {
		r = append(r, wd.money(s.money(colTotals[k])))
	}
	rows = append(rows, append(r, wd.money(s.money(s.Total))))
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, wd.Currency+"\n\n", safe(s.Model), safe(s.Region), s.Period.Label(), safe(s.Rounding.Name))
	writeAligned(bw, rows, 2, len(rows)-1)
	if !s.Assumed.IsZero() {
		fmt.Fprintf(bw, wd.Assumed+"\n", wd.money(s.money(s.Assumed)), wd.money(s.money(s.Gross)),
			wd.money(AssumedShare(s.Assumed, s.Gross).Mul(decimal.NewFromInt(100)).StringFixed(2)))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(bw, wd.Note+"\n", safe(n))
	}
	return bw.Flush()
}

// writeAligned writes rows with columns padded to equal width; columns from
// firstNum on are right-aligned; a rule goes before row ruleBefore.
func writeAligned(w io.Writer, rows [][]string, firstNum, ruleBefore int) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i >= firstNum {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	for i, r := range rows {
		if i == ruleBefore || i == 1 {
			n := 0
			for k := range r {
				n += widths[k] + 2
			}
			fmt.Fprintln(w, strings.Repeat("-", n-2))
		}
		line(r)
	}
}

// UnknownUnitError reports a unit id with no statement.
type UnknownUnitError struct {
	UnitID string
}

// Error names the unit that has no statement.
func (e *UnknownUnitError) Error() string {
	return fmt.Sprintf("no statement for unit %q (only primary-care units get statements)", clipText(e.UnitID, 200))
}

// Explain writes one unit's statement with every line explained: amount,
// explanation, parameter, validity, source and assumption, then the monthly
// totals. Text from the data or the model is written with
// personnummer-shaped runs masked and control characters replaced.
func Explain(w io.Writer, s *Statement, unitID string) error {
	return ExplainWith(w, s, unitID, EnglishWords())
}

// ExplainWith is Explain with the fixed words of wd around the
// statement's own texts.
func ExplainWith(w io.Writer, s *Statement, unitID string, wd Words) error {
	u, ok := s.Unit(unitID)
	if !ok {
		return &UnknownUnitError{UnitID: unitID}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s (%s) — %s\n", safe(u.Name), safe(u.UnitID), safe(s.Title))
	fmt.Fprintf(bw, wd.Model+"\n", safe(s.Model), safe(s.Region), s.Period.Label(), safe(s.Rounding.Name))
	fmt.Fprintf(bw, wd.Total+"\n", wd.money(s.money(u.Total)))
	if !u.Assumed.IsZero() {
		fmt.Fprintf(bw, wd.Assumed+"\n", wd.money(s.money(u.Assumed)), wd.money(s.money(u.Gross)),
			wd.money(AssumedShare(u.Assumed, u.Gross).Mul(decimal.NewFromInt(100)).StringFixed(2)))
	}
	fmt.Fprintln(bw)
	for i, l := range u.Lines {
		fmt.Fprintf(bw, wd.Line+"\n", i+1, safe(l.Name), wd.money(s.money(l.Amount)))
		fmt.Fprintf(bw, "    %s\n", safeProse(l.Explanation))
		fmt.Fprintf(bw, "    "+wd.Parameter+"\n", safe(l.Parameter), l.ValidFrom)
		fmt.Fprintf(bw, "    "+wd.Source+"\n", safe(l.Source))
		if l.Assumption != "" {
			fmt.Fprintf(bw, "    "+wd.Assumption+"\n", safe(l.Assumption))
		}
	}
	fmt.Fprintln(bw)
	rows := [][]string{{wd.Month, wd.Lines, wd.Sum}}
	for _, m := range u.Months {
		rows = append(rows, []string{m.Month.String(), fmt.Sprint(len(m.Lines)), wd.money(s.money(m.Total))})
	}
	rows = append(rows, []string{wd.Period, fmt.Sprint(len(u.Lines)), wd.money(s.money(u.Total))})
	writeAligned(bw, rows, 1, len(rows)-1)
	return bw.Flush()
}
