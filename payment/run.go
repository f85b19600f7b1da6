package payment

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// RunOptions adjusts Run. The zero value is usable: no measure results.
type RunOptions struct {
	// Measures returns the result of a measure for a unit (for goal-related
	// pay). Nil, or a false second result, means no result: the indicator
	// gives a zero line saying so. Run prices months on several goroutines
	// but calls Measures from one at a time.
	Measures func(measure, unitID string) (measures.Result, bool)
	// MeasuresOver, when not nil, returns the result of a measure for a
	// unit computed over a period: goal indicators read it over their
	// window for the paid month (Indicator.MeasuredOver) in place of
	// Measures. Price sets it, computing the measures once per window. It
	// is called from one goroutine at a time.
	MeasuresOver func(period vardval.Period, measure, unitID string) (measures.Result, bool)
	// Workers is how many goroutines sum the region and price the months
	// (0 = runtime.GOMAXPROCS, at most 8 for the sums, and one for a
	// region of a few thousand persons). The statement is the same for
	// any number.
	Workers int
}

// RunError is a problem found while pricing, with the model, month and
// key path it concerns. A request error about the period is a *RunPeriodError
// and a region that cannot be priced a *DataError, each wrapping a
// RunError; a bare RunError is a model that cannot price a month (a
// parameter with no value in force, possible only in a model built in
// memory). See the package documentation on errors.
type RunError struct {
	Model  string
	Month  string // YYYY-MM, or "" when not month-specific
	Path   string // key path of the parameter or component
	Reason string
}

// Error formats the problem with the model, month and key path.
func (e *RunError) Error() string {
	s := "model " + e.Model
	if e.Month != "" {
		s += ", " + e.Month
	}
	if e.Path != "" {
		s += ", " + e.Path
	}
	return s + ": " + e.Reason
}

// Line is one statement line: a quantity times a rate, or a share of a
// pool, with the parameter and source it came from.
type Line struct {
	Component   string          // component id
	Type        string          // component type
	Name        string          // line name, e.g. "Capitation 0–4 F"
	Key         string          // line key within the component
	Quantity    decimal.Decimal // shown rounded to at most 6 decimals
	Rate        decimal.Decimal // shown rounded to at most 6 decimals
	Amount      decimal.Decimal // rounded by the model's rule
	Parameter   string          // key path of the parameter used
	ValidFrom   vardval.Date    // first day of the dated value used
	Source      string
	Assumption  string // the reason when the figure is an assumption
	Explanation string // one sentence
	// Judgement is how a goal line judged its measure result, when the
	// indicator is judged on anything but its value; nil otherwise.
	Judgement *Judgement
	// MeasureWindow and MeasurePeriod are, on a goal line, the indicator's
	// window (Indicator.Window, e.g. "payment-year") and the period its
	// measure was read over for the month; MeasurePeriod is zero when the
	// results were given without a period (RunOptions.Measures, e.g. a
	// results file). Empty on other lines.
	MeasureWindow string
	MeasurePeriod vardval.Period

	order     int      // component index in the model
	exact     *big.Rat // exact amount; nil once allocated
	exactQty  *big.Rat // exact quantity
	qtyText   string   // "persons aged 0–4 F listed on 2023-01-31"
	rateText  string   // "SEK per person-month"
	rule      string   // month-independent explanation for non-product lines
	detail    string   // month-specific detail of a product line ("listed on 2023-01-31")
	product   bool     // amount = quantity × rate (before rounding)
	allocated bool     // amount already set by Rounding.Allocate
}

// MonthStatement is one unit's lines for one calendar month.
type MonthStatement struct {
	Month vardval.YearMonth
	Total decimal.Decimal
	Lines []Line
}

// UnitStatement is one unit's statement for the period: period lines (sums
// of the monthly lines with the same component, key, rate and validity), the
// unit total and the monthly statements.
type UnitStatement struct {
	UnitID string
	Name   string
	Owner  string
	Total  decimal.Decimal
	// Assumed is Σ |amount| of the unit's monthly lines that rest on an
	// assumption (Line.Assumption), and Gross Σ |amount| of all its
	// monthly lines: Assumed ÷ Gross is the share of the money that rests
	// on assumptions (AssumedShare).
	Assumed, Gross decimal.Decimal
	Lines          []Line
	Months         []MonthStatement
}

// Statement is the result of Run: one statement per primary-care unit.
// Lines sum to unit totals, months to the period, units to Total, exactly.
type Statement struct {
	Region   string
	Model    string
	Title    string
	Rounding Rounding
	Period   vardval.Period // whole calendar months
	Total    decimal.Decimal
	// Assumed and Gross are the units' sums (UnitStatement.Assumed, Gross).
	Assumed, Gross decimal.Decimal
	Units          []UnitStatement // by unit id
	Notes          []string        // warnings, e.g. supplements for units not in the data
}

// AssumedShare returns Assumed ÷ Gross rounded half-even to 4 decimals
// (0 when Gross is 0): the share of the money that rests on assumptions.
func AssumedShare(assumed, gross decimal.Decimal) decimal.Decimal {
	if gross.IsZero() {
		return decimal.Zero
	}
	return assumed.DivRound(gross, 8).RoundBank(4)
}

// Unit returns the statement of the unit with the given id.
func (s *Statement) Unit(id string) (*UnitStatement, bool) {
	i, ok := slices.BinarySearchFunc(s.Units, id, func(u UnitStatement, id string) int { return cmp.Compare(u.UnitID, id) })
	if !ok {
		return nil, false
	}
	return &s.Units[i], true
}

// registryFor registers what every component of m needs summed for each
// of months.
func registryFor(m *Model, months []vardval.YearMonth) *registry {
	reg := newRegistry(len(months))
	for mi := range months {
		for _, c := range m.Components {
			c.Need(&Needs{reg: reg, month: mi, ym: months[mi]})
		}
	}
	return reg
}

// Run prices every primary-care unit of r under model m for the calendar
// months that period touches (the period is widened to whole months).
//
// A period with no first or last day or outside the model's validity is a
// *RunPeriodError; a region with no person listed at a primary-care unit in
// the period (a listings file with every row rejected), or a pool that
// cannot be shared out, is a *DataError. A Region that does not hold
// together (assembled by hand, or changed after it was built) is a
// *vardval.RegionError, checked first; a fault on a worker is returned as
// an error, never a crash of the process. Run never changes m or r: one
// model and region may be priced from many goroutines at once.
func Run(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period, opts RunOptions) (_ *Statement, err error) {
	defer recoverRun(&err)
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	return run(ctx, m, r, period, opts)
}

// run is Run on a region already checked (Price checks it once).
func run(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period, opts RunOptions) (*Statement, error) {
	whole, err := checkPeriod(m, period)
	if err != nil {
		return nil, err
	}
	if err := checkListed(m, r, whole); err != nil {
		return nil, err
	}
	months := whole.Months()
	reg := registryFor(m, months)
	wt, err := resolveWeights(m, r, months)
	if err != nil {
		return nil, err
	}
	agg := aggregate(ctx, r, months, reg, wt, opts.Workers)
	if agg == nil {
		return nil, ctx.Err()
	}
	return priceAggregated(ctx, m, r, whole, reg, agg, missingUses(m, r, agg.months), opts, func(notes map[string]bool) { defaultNotes(m, r, whole, notes) })
}

// priceAggregated prices the whole months of period under m from the sums
// agg (made by aggregate with m's registry reg and weights): run's second
// half, which Sweep repeats for each variant that shares the sums.
// defaults adds defaultNotes' notes (on a goroutine of its own).
func priceAggregated(ctx context.Context, m *Model, r *vardval.Region, whole vardval.Period, reg *registry, agg *aggregation, miss *missingUse, opts RunOptions, defaults func(map[string]bool)) (*Statement, error) {
	months := agg.months
	var units []vardval.UnitIndex
	for i, u := range r.Units {
		if u.Kind == vardval.KindPrimary {
			units = append(units, vardval.UnitIndex(i))
		}
	}
	st := &Statement{Region: m.Region, Model: m.Name, Title: m.Title, Rounding: m.Rounding, Period: whole, Total: decimal.Zero}
	st.Units = make([]UnitStatement, len(units))
	for i, u := range units {
		un := r.Units[u]
		st.Units[i] = UnitStatement{UnitID: un.ID, Name: un.Name, Owner: un.Owner.String(), Total: decimal.Zero}
	}
	// The months are priced on Workers goroutines (each with its notes), and
	// the notes on missing weights are counted beside them; a caller's
	// Measures is called from one goroutine at a time.
	if opts.Measures != nil {
		var mu sync.Mutex
		lookup := opts.Measures
		opts.Measures = func(measure, unitID string) (measures.Result, bool) {
			mu.Lock()
			defer mu.Unlock()
			return lookup(measure, unitID)
		}
	}
	if opts.MeasuresOver != nil {
		var mu sync.Mutex
		lookup := opts.MeasuresOver
		opts.MeasuresOver = func(period vardval.Period, measure, unitID string) (measures.Result, bool) {
			mu.Lock()
			defer mu.Unlock()
			return lookup(period, measure, unitID)
		}
	}
	notes := map[string]bool{}
	monthLines := make([][][]Line, len(months))
	monthNotes := make([]map[string]bool, len(months))
	errs := make([]error, len(months))
	// Every goroutine started here has ended when run returns, however it
	// returns: a panic on any of them (or in the caller's own pricing)
	// stops the pricing at the next month, is recovered where it happened
	// and raised again on the caller's goroutine once all have ended,
	// where Run turns it into an error.
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, len(months)), 1)
	var wg sync.WaitGroup
	// Slot 0 is the caller's pricing, 1..workers-1 the other pricing
	// goroutines', the last the notes'.
	f := newFaults(workers + 1)
	priceMonths := func(first int) {
		for mi := first; mi < len(months); mi += workers {
			if f.stopped.Load() {
				return
			}
			if errs[mi] = ctx.Err(); errs[mi] != nil {
				return
			}
			c := &MonthContext{m: m, r: r, opts: &opts, reg: reg, month: mi, ym: months[mi], agg: agg.units[mi], units: units,
				lines: make([][]Line, len(units)), notes: map[string]bool{}, miss: miss}
			for ci, comp := range m.Components {
				c.comp = ci
				start := make([]int, len(units))
				for i := range units {
					start[i] = len(c.lines[i])
				}
				if errs[mi] = comp.Price(c); errs[mi] != nil {
					return
				}
				for i := range units {
					for k := start[i]; k < len(c.lines[i]); k++ {
						if l := &c.lines[i][k]; l.Assumption == "" {
							l.Assumption = c.hiddenAssumption(comp, i, l)
						}
						m.Rounding.finish(&c.lines[i][k])
					}
				}
			}
			monthLines[mi], monthNotes[mi] = c.lines, c.notes
		}
	}
	wg.Go(func() { f.guard(workers, func() { defaults(notes) }) })
	for w := 1; w < workers; w++ {
		wg.Go(func() { f.guard(w, func() { priceMonths(w) }) })
	}
	f.guard(0, func() { priceMonths(0) })
	wg.Wait()
	f.raise()
	// The first month's error, as when the months are priced in order.
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, in := range r.NotGiven() {
		if !strings.Contains(in, ":") {
			notes["input not given: "+in+" (a measure that reads it is not available, never 0)"] = true
		}
	}
	for mi, ym := range months {
		for n := range monthNotes[mi] {
			notes[n] = true
		}
		for i := range units {
			ms := MonthStatement{Month: ym, Total: decimal.Zero, Lines: monthLines[mi][i]}
			for _, l := range ms.Lines {
				ms.Total = ms.Total.Add(l.Amount)
			}
			st.Units[i].Months = append(st.Units[i].Months, ms)
		}
	}
	for i := range st.Units {
		u := &st.Units[i]
		u.Lines = periodLines(u.Months)
		for _, l := range u.Lines {
			u.Total = u.Total.Add(l.Amount)
		}
		for _, ms := range u.Months {
			for _, l := range ms.Lines {
				u.Gross = u.Gross.Add(l.Amount.Abs())
				if l.Assumption != "" {
					u.Assumed = u.Assumed.Add(l.Amount.Abs())
				}
			}
		}
		st.Total = st.Total.Add(u.Total)
		st.Assumed, st.Gross = st.Assumed.Add(u.Assumed), st.Gross.Add(u.Gross)
	}
	for n := range notes {
		st.Notes = append(st.Notes, n)
	}
	slices.Sort(st.Notes)
	return st, nil
}

// faults holds the panics of the goroutines doing one call's work, each
// in its own slot, so that none of them ends the process: the caller waits
// for all of them and then raises the first again on its own goroutine
// (where Run's recoverRun turns it into an error), as if the work had run
// there. stopped is set at the first panic, for the others to stop early.
type faults struct {
	stopped atomic.Bool
	panics  []any
}

// newFaults returns faults with n slots.
func newFaults(n int) *faults { return &faults{panics: make([]any, n)} }

// guard runs fn, recovering a panic into slot i (one goroutine a slot).
func (f *faults) guard(i int, fn func()) {
	defer func() {
		if p := recover(); p != nil {
			f.panics[i] = p
			f.stopped.Store(true)
		}
	}()
	fn()
}

// raise panics with the first slot's panic that is set, if any; it is
// called once every goroutine using f has ended.
func (f *faults) raise() {
	for _, p := range f.panics {
		if p != nil {
			panic(p)
		}
	}
}

// defaultNotes says, in the statement's notes, how many listings in the
// period were priced with the model's default ACG weight or CNI because
// the data gave none, so that a missing column can never pass unnoticed.
func defaultNotes(m *Model, r *vardval.Region, period vardval.Period, notes map[string]bool) {
	if m.ACG == nil && m.CNI == nil {
		return
	}
	var total, noACG, noCNI int
	for i := range r.Listings {
		l := &r.Listings[i]
		if r.Units[l.Unit].Kind != vardval.KindPrimary || !l.Period.Overlaps(period) {
			continue
		}
		total++
		if m.ACG != nil && ((m.ACG.Source == "person" && !l.HasWeight) || (m.ACG.Source != "person" && l.ACG < 0)) {
			noACG++
		}
		if m.CNI != nil && !areaHasCNI(m, r, l.Area) {
			noCNI++
		}
	}
	if noACG > 0 {
		notes[fmt.Sprintf("%d of %d listings in the period have no ACG weight or category in the data; they count with the model's missing weight (%s)", noACG, total, m.ACG.Missing.Path)] = true
	}
	if noCNI > 0 {
		notes[fmt.Sprintf("%d of %d listings in the period have no area with a CNI in the data; they count with the model's missing CNI (%s)", noCNI, total, m.CNI.Missing.Path)] = true
	}
}

// finish is the one place where a line's exact amount becomes money: it
// rounds the amount by the rule (allocated lines are already rounded) and
// writes the display quantity and the explanation.
func (r Rounding) finish(l *Line) {
	if !l.allocated {
		l.Amount = r.Round(l.exact)
	}
	if l.exactQty != nil {
		l.Quantity = ratDecimal(l.exactQty, 6)
	}
	if l.product {
		l.Explanation = productText(l.Quantity, l.qtyText, l.Rate, l.rateText)
		if l.detail != "" {
			l.Explanation += " (" + l.detail + ")"
		}
		if l.rule != "" {
			l.Explanation += "; " + l.rule
		}
	}
	if l.Explanation == "" {
		l.Explanation = l.rule
	}
	l.Explanation = sentence(l.Explanation)
}

func productText(q decimal.Decimal, qt string, r decimal.Decimal, rt string) string {
	return q.String() + " " + qt + " × " + r.String() + " " + rt
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

type lineKey struct {
	order     int
	key       string
	validFrom vardval.Date
	param     string
}

// periodLines sums the monthly lines that share component, key, rate,
// parameter and validity, in component order then key.
func periodLines(months []MonthStatement) []Line {
	idx := map[lineKey]int{}
	var out []Line
	var counts []int
	var varying, ruleVaries []bool
	for _, ms := range months {
		for _, l := range ms.Lines {
			k := lineKey{l.order, l.Key, l.ValidFrom, l.Parameter}
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				nl := l
				nl.exactQty = nil
				if l.exactQty != nil {
					nl.exactQty = new(big.Rat).Set(l.exactQty)
				}
				nl.exact = nil
				out = append(out, nl)
				counts = append(counts, 1)
				varying = append(varying, false)
				ruleVaries = append(ruleVaries, false)
				continue
			}
			o := &out[i]
			o.Amount = o.Amount.Add(l.Amount)
			if o.exactQty != nil && l.exactQty != nil {
				o.exactQty.Add(o.exactQty, l.exactQty)
			}
			counts[i]++
			if !o.Rate.Equal(l.Rate) {
				varying[i] = true
			}
			if o.rule != l.rule || o.detail != l.detail {
				ruleVaries[i] = true
			}
		}
	}
	for i := range out {
		l := &out[i]
		if l.exactQty != nil {
			l.Quantity = ratDecimal(l.exactQty, 6)
		}
		if varying[i] {
			if !l.Quantity.IsZero() {
				l.Rate = l.Amount.DivRound(l.Quantity, 6)
			}
			l.Explanation = sentence(fmt.Sprintf("Sum of %d monthly lines with varying rates (average %s); each month: %s", counts[i], l.Rate, strings.TrimSuffix(l.rule, ".")))
			if l.product {
				l.Explanation = sentence(fmt.Sprintf("Sum of %d monthly lines of %s with varying rates (average %s %s)", counts[i], l.qtyText, l.Rate, l.rateText))
			}
		} else if counts[i] > 1 {
			if l.product {
				text := fmt.Sprintf("%d months, summed: %s", counts[i], productText(l.Quantity, l.qtyText, l.Rate, l.rateText))
				if !ruleVaries[i] && l.rule != "" {
					text += "; " + l.rule
				}
				l.Explanation = sentence(text)
			} else {
				l.Explanation = sentence(fmt.Sprintf("Sum of %d monthly lines; each month: %s", counts[i], strings.TrimSuffix(l.rule, ".")))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Line) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.Key, b.Key), a.ValidFrom.Compare(b.ValidFrom),
			cmp.Compare(a.Parameter, b.Parameter))
	})
	return out
}

// resolveWeights turns the model's ACG and CNI parameters into per-month
// millionths for the aggregation.
func resolveWeights(m *Model, r *vardval.Region, months []vardval.YearMonth) (*weights, error) {
	wt := &weights{
		acgMissing: make([]int64, len(months)),
		cniMissing: make([]int64, len(months)),
	}
	fixed := func(p *Param, ym vardval.YearMonth) (int64, error) {
		v, ok := p.At(ym.First())
		if !ok {
			return 0, &RunError{Model: m.Name, Month: ym.String(), Path: p.Path, Reason: "no value in force"}
		}
		return v.Value.Shift(6).IntPart(), nil
	}
	for i, ym := range months {
		if m.ACG != nil {
			w, err := fixed(&m.ACG.Missing, ym)
			if err != nil {
				return nil, err
			}
			wt.acgMissing[i] = w
			if m.ACG.Source == "category" {
				wt.acgByCat = true
				cat := make([]int64, len(r.Codes))
				for k := range cat {
					cat[k] = -1
				}
				for _, c := range m.ACG.Categories {
					if ci, ok := r.CodeIndex(c.Code); ok {
						w, err := fixed(&c.Weight, ym)
						if err != nil {
							return nil, err
						}
						cat[ci] = w
					}
				}
				wt.acgCat = append(wt.acgCat, cat)
			}
		}
		if m.CNI != nil {
			w, err := fixed(&m.CNI.Missing, ym)
			if err != nil {
				return nil, err
			}
			wt.cniMissing[i] = w
		} else {
			wt.cniMissing[i] = 1_000_000
		}
		areas, err := areaCNIs(m, r, ym)
		if err != nil {
			return nil, err
		}
		wt.areaCNI = append(wt.areaCNI, areas)
	}
	return wt, nil
}

// displayBound formats an interval bound for an explanation. Interval
// bounds are display-only floats from the measures package; they never
// enter an amount.
func displayBound(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
