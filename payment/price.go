package payment

import (
	"context"
	"fmt"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// PriceOptions adjusts Price. The zero value computes the follow-up
// measures with measures.Compute when the model pays on them.
type PriceOptions struct {
	// Results, when not nil, holds the measure results goal-related pay
	// reads (from ReadResults), in place of computing the measures.
	Results *Results
	// Measures, when not nil and Results is nil, is a measures report of
	// the region computed before (measures.Compute, MeasuresFor): goal
	// indicators whose window for a month is its period read it in place
	// of computing it again (to price several models on the same
	// measures, or to show the report beside the statement); the other
	// windows are computed (RunOptionsFor). Goal pay
	// reads it as measures.Report.PayResult does: a row hidden only by
	// disclosure control is judged on its unsuppressed result, whereas
	// Results (read from a file) have only what was published.
	Measures *measures.Report
	// NoMeasures prices without any measure results: goal indicators then
	// give zero lines saying there is no result.
	NoMeasures bool
	// Workers is RunOptions.Workers: how many goroutines price, and
	// compute the measures Price computes (0 = runtime.GOMAXPROCS).
	Workers int
	// Registry holds the definitions Price computes measures from (a
	// region's own measures beside the built-in ones); nil means the
	// built-in ones.
	Registry *measures.Registry
}

// RunOptionsFor returns the options for Run (or Marginals) of m over
// period in r: RunOptions, and unless o says NoMeasures or gives Results,
// the results of the measures m's goal indicators read over each of their
// windows (RunOptions.MeasuresOver), computed once per window (Model.
// MeasureWindows) and taken from o.Measures for the window it covers.
func (o PriceOptions) RunOptionsFor(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period) (RunOptions, error) {
	ro := o.RunOptions()
	if o.NoMeasures {
		return ro, nil
	}
	if o.Results != nil {
		// A results file that states its period serves the indicators
		// whose window is that period; others have no result.
		if p := o.Results.Period(); !p.From.IsZero() {
			lookup := o.Results.Lookup
			ro.MeasuresOver = func(w vardval.Period, measure, unitID string) (measures.Result, bool) {
				if w != p {
					return measures.Result{}, false
				}
				return lookup(measure, unitID)
			}
		}
		return ro, nil
	}
	over, err := windowedMeasures(ctx, m, r, period, o.Measures, measures.Options{Registry: o.Registry, Workers: o.Workers})
	if err != nil {
		return ro, err
	}
	ro.MeasuresOver = over
	return ro, nil
}

// RunOptions returns the options for Run (or Marginals) that read the
// measure results o holds (Results, else Measures; none when o holds
// neither or says NoMeasures) on o.Workers.
func (o PriceOptions) RunOptions() RunOptions {
	ro := o.runOptions()
	ro.Workers = o.Workers
	return ro
}

func (o PriceOptions) runOptions() RunOptions {
	switch {
	case o.NoMeasures:
		return RunOptions{}
	case o.Results != nil:
		return RunOptions{Measures: o.Results.Lookup}
	case o.Measures != nil:
		idx := map[[2]string]measures.Result{}
		for _, mr := range o.Measures.Measures {
			for _, row := range mr.Rows {
				res := row.Result
				if row.Unpublished != nil { // pay is not publication (measures.Report.PayResult)
					res = *row.Unpublished
				}
				idx[[2]string{row.Measure, row.UnitID}] = res
			}
		}
		return RunOptions{Measures: func(measure, unitID string) (measures.Result, bool) {
			res, ok := idx[[2]string{measure, unitID}]
			return res, ok
		}}
	}
	return RunOptions{}
}

// Price is the whole pipeline from a loaded region to a statement: it
// checks the request (the period against the model's validity, a
// *RunPeriodError) and the region (a *DataError when nobody is listed in the
// period) before any long work, computes the follow-up measures with
// measures.Compute over the period's whole months when m pays on measures
// (goal-related pay) and opts gives no results of its own — each goal
// indicator's over its window for each paid month (RunOptionsFor), so a
// month priced alone pays what it pays in a longer run — and prices with
// Run. The CLI's run, explain and compare and the browser
// calculator all price through Price.
//
// Like Run, Price checks the region first (a *vardval.RegionError), turns
// a fault on a worker into an error, never changes m or r and may be
// called from many goroutines at once.
func Price(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period, opts PriceOptions) (_ *Statement, err error) {
	defer recoverRun(&err)
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	whole, err := checkPeriod(m, period)
	if err != nil {
		return nil, err
	}
	if err := checkListed(m, r, whole); err != nil {
		return nil, err
	}
	// A component other than a goal that reads measures reads them over
	// the run's period (MonthContext.Measure).
	if !opts.NoMeasures && opts.Results == nil && opts.Measures == nil && !m.goalReadsOnly() {
		if opts.Measures, err = MeasuresWith(ctx, r, whole, measures.Options{Registry: opts.Registry, Workers: opts.Workers}, m); err != nil {
			return nil, err
		}
	}
	ro, err := opts.RunOptionsFor(ctx, m, r, whole)
	if err != nil {
		return nil, err
	}
	return run(ctx, m, r, period, ro)
}

// MeasuresFor computes every follow-up measure of r over period
// (measures.Compute with zero options) when any of models pays on
// measures, and returns nil when none does: the report Price computes,
// computed once for several models priced on it (PriceOptions.Measures).
func MeasuresFor(ctx context.Context, r *vardval.Region, period vardval.Period, models ...*Model) (*measures.Report, error) {
	return MeasuresWith(ctx, r, period, measures.Options{}, models...)
}

// MeasuresWith is MeasuresFor computing with opts: opts.Registry holds a
// region's own measures beside the built-in ones (measures.BuiltinRegistry().
// Extend), which goal components may then name (ParseOptions.
// KnownMeasures = the registry's IDs).
func MeasuresWith(ctx context.Context, r *vardval.Region, period vardval.Period, opts measures.Options, models ...*Model) (*measures.Report, error) {
	for _, m := range models {
		if len(m.MeasureIDs()) > 0 {
			return measures.Compute(ctx, r, period, opts)
		}
	}
	return nil, nil
}

// checkPeriod returns period widened to whole calendar months, or a
// *RunPeriodError when it has no first or last day or is not inside m's
// validity.
func checkPeriod(m *Model, period vardval.Period) (vardval.Period, error) {
	if period.From.IsZero() || period.To.IsZero() {
		return period, &RunPeriodError{RunError{Model: m.Name, Reason: "the period must have a first and a last day"}}
	}
	months := period.Months()
	whole := vardval.Period{From: months[0].First(), To: months[len(months)-1].Last()}
	if !m.Valid.Contains(whole.From) || !m.Valid.Contains(whole.To) {
		return whole, &RunPeriodError{RunError{Model: m.Name, Reason: fmt.Sprintf("period %s is outside the model's validity %s", whole.Label(), m.Valid)}}
	}
	return whole, nil
}

// checkListed returns a *DataError when no person is listed at a
// primary-care unit of r on any day of period: every amount would be
// zero, most often because every row of the listings file was rejected.
func checkListed(m *Model, r *vardval.Region, period vardval.Period) error {
	for i := range r.Listings {
		l := &r.Listings[i]
		if int(l.Unit) >= 0 && int(l.Unit) < len(r.Units) && r.Units[l.Unit].Kind == vardval.KindPrimary && l.Period.Overlaps(period) {
			return nil
		}
	}
	return &DataError{RunError{Model: m.Name, Reason: fmt.Sprintf("no person is listed at a primary-care unit in %s, so there is nothing to price (were the listings not given, or every row of them rejected?)", period.Label())}}
}
