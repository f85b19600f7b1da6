package payment

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// The measurement windows of a goal indicator (Indicator.Window): the
// period its measure is computed over for a paid month, stated in the
// model so that a month priced alone and the same month in a longer run
// pay the same (docs/semantics.md, "Which measurement goal pay reads").
const (
	// WindowPaymentYear is the calendar year of the paid month (the
	// default): March 2024 is judged on 2024-01-01..2024-12-31.
	WindowPaymentYear = "payment-year"
	// WindowLast12Months is the 12 calendar months ending with the paid
	// month: March 2024 is judged on 2023-04-01..2024-03-31.
	WindowLast12Months = "last-12-months"
	// WindowPreviousYear is the calendar year before the paid month's:
	// March 2024 is judged on 2023-01-01..2023-12-31.
	WindowPreviousYear = "previous-year"
)

// What a goal component does with an indicator whose measure is not
// available, because the region was not given an input file or column
// the measure reads (Goal.Unavailable; measures.Result.NotAvailable).
const (
	// UnavailableSkip: no pay and no deduction for the indicator.
	UnavailableSkip = "skip"
	// UnavailableFull: attainment 0, so a deduction is taken in full and
	// a bonus is not paid.
	UnavailableFull = "full"
	// UnavailableReweight: the indicator is left out and the points of
	// the component's other available indicators are scaled by (all
	// points) ÷ (points of the available indicators), so that the
	// component's points stay whole.
	UnavailableReweight = "reweight"
)

// MeasuredOver returns the period indicator in's measure is read over
// when month ym is paid (its Window; payment-year when not stated).
func (in *Indicator) MeasuredOver(ym vardval.YearMonth) vardval.Period {
	switch in.Window {
	case WindowLast12Months:
		return vardval.Period{From: ym.Last().FirstOfLastMonths(12), To: ym.Last()}
	case WindowPreviousYear:
		return vardval.Period{From: vardval.D(ym.Year-1, 1, 1), To: vardval.D(ym.Year-1, 12, 31)}
	}
	return vardval.Period{From: vardval.D(ym.Year, 1, 1), To: vardval.D(ym.Year, 12, 31)}
}

func (in *Indicator) windowName() string {
	if in.Window == "" {
		return WindowPaymentYear
	}
	return in.Window
}

// MeasureWindows returns the periods the goal indicators of m read their
// measures over when the months of period are paid (Indicator.
// MeasuredOver), in date order without repeats: the measures Price
// computes, once per period.
func (m *Model) MeasureWindows(period vardval.Period) []vardval.Period {
	var out []vardval.Period
	for _, ym := range period.Months() {
		for _, c := range m.Components {
			g, ok := c.(*Goal)
			if !ok {
				continue
			}
			for i := range g.Indicators {
				if w := g.Indicators[i].MeasuredOver(ym); !slices.Contains(out, w) {
					out = append(out, w)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b vardval.Period) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		return a.To.Compare(b.To)
	})
	return out
}

// goalReadsOnly reports whether every measure m reads is read by a goal
// indicator (so no component needs the measures of the run period).
func (m *Model) goalReadsOnly() bool {
	byGoal := map[string]bool{}
	for _, c := range m.Components {
		if g, ok := c.(*Goal); ok {
			for _, in := range g.Indicators {
				byGoal[in.Measure] = true
			}
		}
	}
	for _, id := range m.MeasureIDs() {
		if !byGoal[id] {
			return false
		}
	}
	return true
}

// reportIndex looks results up by measure and unit, as goal pay reads
// them (measures.Report.PayResult: a row hidden only by disclosure
// control gives its unsuppressed result).
func reportIndex(rep *measures.Report) func(measure, unitID string) (measures.Result, bool) {
	idx := map[[2]string]measures.Result{}
	for _, mr := range rep.Measures {
		for _, row := range mr.Rows {
			res := row.Result
			if row.Unpublished != nil { // pay is not publication (measures.Report.PayResult)
				res = *row.Unpublished
			}
			idx[[2]string{row.Measure, row.UnitID}] = res
		}
	}
	return func(measure, unitID string) (measures.Result, bool) {
		res, ok := idx[[2]string{measure, unitID}]
		return res, ok
	}
}

// windowedMeasures computes the measures m's goal indicators read over
// each of their windows for the months of period (MeasureWindows), using
// have for the window it covers, and returns the lookup for
// RunOptions.MeasuresOver.
func windowedMeasures(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period, have *measures.Report, opts measures.Options) (func(vardval.Period, string, string) (measures.Result, bool), error) {
	ids := m.MeasureIDs()
	if len(ids) == 0 {
		return nil, nil
	}
	byPeriod := map[vardval.Period]func(string, string) (measures.Result, bool){}
	if have != nil {
		byPeriod[have.Period] = reportIndex(have)
	}
	for _, w := range m.MeasureWindows(period) {
		if byPeriod[w] != nil {
			continue
		}
		o := opts
		o.Measures = ids
		rep, err := measures.Compute(ctx, r, w, o)
		if err != nil {
			return nil, fmt.Errorf("measures over %s for goal pay: %w", w.Label(), err)
		}
		byPeriod[w] = reportIndex(rep)
	}
	return func(w vardval.Period, measure, unitID string) (measures.Result, bool) {
		if f := byPeriod[w]; f != nil {
			return f(measure, unitID)
		}
		return measures.Result{}, false
	}, nil
}

// hasMeasures reports whether the run has any measure results.
func (c *MonthContext) hasMeasures() bool {
	return c.opts.MeasuresOver != nil || c.opts.Measures != nil
}

// goalResult returns the result of ind's measure for unitID over ind's
// window for the month (RunOptions.MeasuresOver), or as RunOptions.
// Measures gives it when the run has no windowed results.
func (c *MonthContext) goalResult(ind *Indicator, unitID string) (measures.Result, bool) {
	if c.opts.MeasuresOver != nil {
		return c.opts.MeasuresOver(ind.MeasuredOver(c.ym), ind.Measure, unitID)
	}
	if c.opts.Measures != nil {
		return c.opts.Measures(ind.Measure, unitID)
	}
	return measures.Result{}, false
}

// measuredText says what ind's measure was read over for the month:
// "measured over 2024-01-01..2024-12-31 (window payment-year)", or ""
// when the results were given without a period (RunOptions.Measures).
func (c *MonthContext) measuredText(ind *Indicator) string {
	if c.opts.MeasuresOver == nil {
		return ""
	}
	return "measured over " + ind.MeasuredOver(c.ym).Label() + " (window " + ind.windowName() + ")"
}

// prefixed returns sep + s, or "" when s is empty.
func prefixed(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}

// withWindow stamps goal line l with ind's window and measured period.
func withWindow(l Line, ind *Indicator, c *MonthContext) Line {
	l.MeasureWindow = ind.windowName()
	if c.opts.MeasuresOver != nil {
		l.MeasurePeriod = ind.MeasuredOver(c.ym)
	}
	return l
}

// notGivenOf names the inputs of built-in measure id that r was not
// given, as ": prescriptions.csv" ("" when not known).
func notGivenOf(r *vardval.Region, id string) string {
	d, err := measures.Lookup(id)
	if err != nil {
		return ""
	}
	if ins := d.NotGiven(r); len(ins) > 0 {
		return ": " + strings.Join(ins, ", ")
	}
	return ""
}
