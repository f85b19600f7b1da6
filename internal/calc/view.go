package calc

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// View is what the page shows: a statement (one unit for Describe, every
// primary-care unit for Region), with the intake report and the measures
// of a region. Money is a decimal string in SEK with the model's rounding.
type View struct {
	Model     ModelRef      `json:"model"`
	Period    PeriodView    `json:"period"`
	Total     string        `json:"total"`
	Units     []UnitView    `json:"units"`
	Notes     []string      `json:"notes"`
	Focus     string        `json:"focus,omitempty"`     // the described unit's id
	Reference *Reference    `json:"reference,omitempty"` // what the described unit was priced with
	Intake    []IntakeFile  `json:"intake,omitempty"`
	Measures  []MeasureView `json:"measures,omitempty"`
	Compare   *CompareView  `json:"compare,omitempty"` // the unit under a second model
	// Counts of the loaded region (Region only).
	Persons  int `json:"persons,omitempty"`
	Listings int `json:"listings,omitempty"`
	Contacts int `json:"contacts,omitempty"`
	// DataYears are the calendar years with contacts in the loaded region
	// (Region only), for the page's one year list.
	DataYears []int `json:"data_years,omitempty"`
}

// Reference describes the synthetic rest of the region a described unit
// was priced with.
type Reference struct {
	Persons      int `json:"persons"`
	PrimaryUnits int `json:"primary_units"` // vårdcentraler besides the described one
	Units        int `json:"units"`         // all units (with emergency, digital, specialist)
	Seed         int `json:"seed"`
	Year         int `json:"year"`
}

// CompareView is the described unit under model A (the view's model) and
// model B, with the difference attributed to components (payment.Compare:
// components matched by id; the steps sum exactly to the difference).
type CompareView struct {
	ModelA  ModelRef   `json:"model_a"`
	ModelB  ModelRef   `json:"model_b"`
	A       string     `json:"a"`
	B       string     `json:"b"`
	Diff    string     `json:"diff"`    // B − A
	Percent string     `json:"percent"` // diff / A × 100; "" when A is zero
	Steps   []StepView `json:"steps"`
}

// StepView is one component's part of the difference.
type StepView struct {
	Component string `json:"component"`
	A         string `json:"a"`
	B         string `json:"b"`
	Diff      string `json:"diff"`
}

func compareView(a, b *payment.Statement, unit string) *CompareView {
	cmp := payment.Compare(a, b)
	money := func(d decimal.Decimal) string { return d.StringFixed(cmp.Places) }
	cv := &CompareView{
		ModelA: ModelRef{Name: a.Model, Region: a.Region, Title: a.Title},
		ModelB: ModelRef{Name: b.Model, Region: b.Region, Title: b.Title},
		Steps:  []StepView{},
	}
	for _, u := range cmp.Units {
		if u.UnitID != unit {
			continue
		}
		cv.A, cv.B, cv.Diff = money(u.A), money(u.B), money(u.Diff)
		if !u.A.IsZero() {
			cv.Percent = u.Percent.StringFixed(2)
		}
		for _, s := range u.Steps {
			cv.Steps = append(cv.Steps, StepView{Component: s.Component, A: money(s.A), B: money(s.B), Diff: money(s.Amount)})
		}
	}
	return cv
}

// ModelRef names the model a statement was priced with.
type ModelRef struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	Title  string `json:"title"`
}

// PeriodView is a closed period as dates.
type PeriodView struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// UnitView is one unit's statement.
type UnitView struct {
	UnitID string      `json:"unit_id"`
	Name   string      `json:"name"`
	Owner  string      `json:"owner"`
	Total  string      `json:"total"`
	Lines  []LineView  `json:"lines"`
	Months []MonthView `json:"months"`
}

// LineView is one statement line with everything its explanation needs.
type LineView struct {
	Component   string `json:"component"`
	Type        string `json:"type"`
	Name        string `json:"name"`
	Quantity    string `json:"quantity"`
	Rate        string `json:"rate"`
	Amount      string `json:"amount"`
	Parameter   string `json:"parameter"`
	ValidFrom   string `json:"valid_from"`
	Source      string `json:"source"`
	Assumption  string `json:"assumption,omitempty"`
	Explanation string `json:"explanation"`
}

// MonthView is one month's total of a unit.
type MonthView struct {
	Month string `json:"month"`
	Total string `json:"total"`
}

// IntakeFile is one file's intake account, with at most maxRejections
// rejected rows listed.
type IntakeFile struct {
	File       string          `json:"file"`
	Present    bool            `json:"present"`
	Read       int             `json:"read"`
	Accepted   int             `json:"accepted"`
	Rejected   int             `json:"rejected"`
	Rejections []RejectionView `json:"rejections,omitempty"`
	Error      string          `json:"error,omitempty"`
}

// RejectionView is one rejected row: line, column and reason, never the
// row's content.
type RejectionView struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

const maxRejections = 50

// MeasureView is one measure's rows (region first) and funnel plot.
type MeasureView struct {
	ID     string    `json:"id"`
	NameSV string    `json:"name_sv"`
	NameEN string    `json:"name_en"`
	Kind   string    `json:"kind"`
	Scale  int64     `json:"scale"`
	Rows   []RowView `json:"rows"`
	SVG    string    `json:"svg,omitempty"` // the funnel plot, when available
}

// RowView is one unit's (or the region's, UnitID "") result.
type RowView struct {
	UnitID      string `json:"unit_id"`
	Numerator   string `json:"numerator"`
	Denominator string `json:"denominator"`
	Value       string `json:"value"`
	CILow       string `json:"ci_low"`
	CIHigh      string `json:"ci_high"`
	Method      string `json:"method"`
	Suppressed  bool   `json:"suppressed"`
	Position    int    `json:"position"` // funnel position −2…2 (0 inside the 95 % limits)
}

func statementView(st *payment.Statement, only string) *View {
	v := &View{
		Model:  ModelRef{Name: st.Model, Region: st.Region, Title: st.Title},
		Period: PeriodView{From: st.Period.From.String(), To: st.Period.To.String()},
		Total:  st.Rounding.Format(st.Total),
		Notes:  append([]string{}, st.Notes...),
		Units:  []UnitView{},
	}
	rd := st.Rounding
	for _, u := range st.Units {
		if only != "" && u.UnitID != only {
			continue
		}
		// Names and owners are shown as text: a personnummer shape in them
		// (a typed name; intake rejects it in a region's files) is masked.
		uv := UnitView{UnitID: u.UnitID, Name: redact.Text(u.Name), Owner: redact.Text(u.Owner), Total: rd.Format(u.Total), Lines: []LineView{}}
		for _, l := range u.Lines {
			uv.Lines = append(uv.Lines, lineView(l, rd))
		}
		for _, m := range u.Months {
			uv.Months = append(uv.Months, MonthView{Month: m.Month.String(), Total: rd.Format(m.Total)})
		}
		v.Units = append(v.Units, uv)
	}
	if only != "" && len(v.Units) == 1 {
		v.Total = v.Units[0].Total
	}
	return v
}

// translated puts the view's title, notes, line names, explanations,
// assumptions and sources into lang (i18n), only what the page shows: the period
// lines, not the monthly lines behind them.
func translated(v *View, m *payment.Model, lang i18n.Lang) *View {
	v.Model.Title = i18n.Title(m, lang)
	as := i18n.NewModelTexts(m, lang)
	for i, n := range v.Notes {
		v.Notes[i] = i18n.PageText(n, lang)
	}
	for i := range v.Units {
		for j := range v.Units[i].Lines {
			l := &v.Units[i].Lines[j]
			l.Name = i18n.LineName(m, l.Component, l.Name, lang)
			l.Explanation = i18n.PageText(l.Explanation, lang)
			l.Assumption = as.Assumption(l.Assumption)
			l.Source = as.Source(l.Source)
		}
	}
	return v
}

func lineView(l payment.Line, rd payment.Rounding) LineView {
	lv := LineView{
		Component: l.Component, Type: l.Type, Name: l.Name,
		Quantity: l.Quantity.String(), Rate: l.Rate.String(), Amount: rd.Format(l.Amount),
		Parameter: l.Parameter, Source: l.Source, Assumption: l.Assumption, Explanation: l.Explanation,
	}
	if !l.ValidFrom.IsZero() {
		lv.ValidFrom = l.ValidFrom.String()
	}
	return lv
}

func intakeView(rep *vardval.IntakeReport, lang i18n.Lang) []IntakeFile {
	if rep == nil {
		return nil
	}
	var out []IntakeFile
	for _, f := range rep.Files {
		iv := IntakeFile{File: f.File, Present: f.Present, Read: f.Read, Accepted: f.Accepted, Rejected: f.Rejected, Error: f.Error}
		for i, r := range f.Rejections {
			if i == maxRejections {
				break
			}
			iv.Rejections = append(iv.Rejections, RejectionView{Line: r.Line, Column: r.Column, Reason: i18n.PageText(r.Reason, lang)})
		}
		out = append(out, iv)
	}
	return out
}

// floatText formats a display-only bound (interval, funnel) to 6 decimals;
// NaN and infinities give "".
func floatText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	r := math.Round(x*1e6) / 1e6
	if r == 0 {
		r = 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func measuresView(rep *measures.Report) []MeasureView {
	var out []MeasureView
	for _, m := range rep.Measures {
		d := m.Definition
		mv := MeasureView{ID: d.ID, NameSV: d.NameSV, NameEN: d.NameEN, Kind: string(d.Kind), Scale: d.Scale}
		for _, row := range m.Rows {
			rv := RowView{UnitID: row.UnitID, Method: row.Method, Suppressed: row.Suppressed, Denominator: row.Denominator.String()}
			if !row.Suppressed {
				rv.Numerator, rv.Value = row.Numerator.String(), row.Value.String()
				rv.CILow, rv.CIHigh = floatText(row.CILow), floatText(row.CIHigh)
			}
			if row.Funnel != nil {
				rv.Position = int(row.Funnel.Position)
			}
			mv.Rows = append(mv.Rows, rv)
		}
		out = append(out, mv)
	}
	return out
}
