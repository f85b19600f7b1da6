package measures

import (
	"fmt"
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// Report is the outcome of Compute: the measures computed, in definition
// order, with one row for the region and one per primary-care unit.
type Report struct {
	Period   vardval.Period
	Level    float64
	Measures []MeasureReport
}

// MeasureReport is one measure's rows: Rows[0] is the region (UnitID "")
// and the rest are the primary-care units in unit-id order.
type MeasureReport struct {
	Definition Definition
	Rows       []Row
	// Target is the region's value as a float on the Value scale, the
	// centre line of the funnel plot (NaN when the region has no
	// denominator).
	Target float64
	// Overdispersion is the estimate used for the funnel limits, when
	// Options.Overdispersion was set and there were enough units (nil
	// otherwise).
	Overdispersion *Overdispersion
	// FunnelNote says which limits the funnel marks use and why: exact,
	// or widened by τ² from how many units, or why τ² was not estimated.
	FunnelNote string
	// NotGiven lists the inputs of the measure the region was not given
	// (Definition.Inputs): when not empty the measure is not available and
	// every row says so (SuppressedNotAvailable).
	NotGiven []string
}

// Row is one Result with what the outputs show beside it.
type Row struct {
	Result
	// Patients is, for patient-level measures (Definition.PatientLevel:
	// the continuity measures), the number of patients whose visits make
	// up the denominator; 0 otherwise.
	Patients int64
	// PatientMean is, for patient-level measures, the unweighted mean over
	// those patients of their own index (COC or UPC, each rounded
	// half-even to 9 decimals, the mean to 6): the figure the pooled
	// Value weights by visits or visit pairs instead. Zero otherwise, when
	// there are no patients, and when the row is suppressed. It has no
	// interval: patients' indices are not a count.
	PatientMean decimal.Decimal
	// Funnel holds the 95 % and 99.8 % funnel limits at this row's
	// denominator around the region value (Value scale), and Position where
	// the unit lies; nil for the region row and for suppressed rows.
	Funnel *FunnelMark
	// Suppression says why the row is suppressed ("" when it is not):
	// SuppressedDenominator, SuppressedPatients, SuppressedSmallCount or
	// SuppressedComplementary.
	Suppression SuppressionReason
	// Unpublished is, on a row disclosure control hid
	// (SuppressedSmallCount or SuppressedComplementary), the row's Result
	// as computed before it was hidden: for in-process use only, by goal
	// pay (Report.PayResult). The outputs never write it. Nil otherwise.
	Unpublished *Result
	// Eligible is, for measures with a measured share
	// (Definition.MeasuredShare), the persons in the population whether
	// measured or not (the denominator counts the measured ones), and
	// MeasuredShare is Denominator/Eligible rounded half-even to 6
	// decimals (zero when Eligible is 0). Both are shown on suppressed
	// rows too: they reveal nothing of the numerator.
	Eligible      int64
	MeasuredShare decimal.Decimal
	// DesignEffect (Result.DesignEffect, promoted) is 0 on suppressed rows.
	// Standardised is the indirect age × sex standardisation of a rate
	// (definitions with standardise: true); nil otherwise, for the region
	// row and for suppressed rows.
	Standardised *Standardised
}

// FunnelMark is a unit's funnel limits and its position among them.
type FunnelMark struct {
	Limits
	Position FunnelPosition
	// On is what the limits are drawn for: "value" (crude measures, Value
	// scale, around the region value) or "ratio" (standardised rates: the
	// ratio O/E around 1).
	On string
	// X is the unit's place on the funnel's x axis: its denominator, or
	// for a ratio its expected count E.
	X float64
	// DesignEffect is the variance inflation for clustering within persons
	// the limits include (1 when none); Tau2 the between-unit variance
	// added (0 when none; on the share, rate per person-year or ratio
	// scale).
	DesignEffect float64
	Tau2         float64
}

// Standardised is a unit's indirectly standardised rate: Expected events
// from the region's age band × sex rates applied to the unit's listed
// person-years, Ratio = observed/expected with its exact Poisson interval,
// and Value = Ratio × the region's crude rate (Value scale) with its
// interval.
type Standardised struct {
	Observed int64
	Expected float64
	Ratio    float64
	RatioCI  Interval
	Value    float64
	ValueCI  Interval
}

// Results returns every row's Result, measure by measure, region first.
func (r *Report) Results() []Result {
	var out []Result
	for _, m := range r.Measures {
		for _, row := range m.Rows {
			out = append(out, row.Result)
		}
	}
	return out
}

// PayResult returns what goal-related pay judges for measure id at unitID
// ("" = region): the row's Result or, when disclosure control hid the
// row (a small count or complementary suppression), its result as
// computed before it was hidden, with Withheld set. Suppression for
// publication protects what is published; it must not move money (a unit
// with 1–4 patients over a target has an excellent result, not a missing
// one). Rows suppressed for a denominator below min_denominator or too
// few patients stay suppressed: those rules say the figure is too
// uncertain to judge. payment.Price judges on PayResult.
func (r *Report) PayResult(id, unitID string) (Result, bool) {
	m, ok := r.Measure(id)
	if !ok {
		return Result{}, false
	}
	for _, row := range m.Rows {
		if row.UnitID == unitID {
			if row.Unpublished != nil {
				return *row.Unpublished, true
			}
			return row.Result, true
		}
	}
	return Result{}, false
}

// Measure returns the report of the measure with the given id.
func (r *Report) Measure(id string) (*MeasureReport, bool) {
	for i := range r.Measures {
		if r.Measures[i].Definition.ID == id {
			return &r.Measures[i], true
		}
	}
	return nil, false
}

// Result returns the row of measure id for unitID ("" = region).
func (r *Report) Result(id, unitID string) (Result, bool) {
	m, ok := r.Measure(id)
	if !ok {
		return Result{}, false
	}
	for _, row := range m.Rows {
		if row.UnitID == unitID {
			return row.Result, true
		}
	}
	return Result{}, false
}

// --- turning counts into results ----------------------------------------

// personYears returns listed person-days / 365.25 rounded half-even to 6
// decimals: the exact rule for the denominator of rates.
func personYears(days int64) decimal.Decimal {
	return decimal.NewFromInt(days).DivRound(decimal.New(36525, -2), 6)
}

func levelLabel(level float64) string {
	return strconv.FormatFloat(math.Round(level*1e4)/1e2, 'f', -1, 64)
}

func (e *engine) report(acc *accum, level float64, overdispersion bool, minUnits int) (*Report, error) {
	rep := &Report{Period: e.period, Level: level}
	var units []int
	for u := range e.r.Units {
		if e.primary[u] {
			units = append(units, u)
		}
	}
	for si := range e.specs {
		s := &e.specs[si]
		d := *s.def
		if miss := d.NotGiven(e.r); len(miss) > 0 {
			ids := make([]string, len(units))
			for i, u := range units {
				ids[i] = e.r.Units[u].ID
			}
			rep.Measures = append(rep.Measures, unavailableReport(d, miss, ids))
			continue
		}
		t := acc.t[si*e.nUnits : (si+1)*e.nUnits]
		mr := MeasureReport{Definition: d, Target: math.NaN()}
		var region tally
		for _, u := range units {
			region.add(&t[u])
		}
		var daysByUnit []int64
		if d.Kind == Rate {
			daysByUnit = make([]int64, e.nUnits)
			region.den = 0
			for _, u := range units {
				for k := range nStrata {
					daysByUnit[u] += acc.days[u*nStrata+k]
				}
				region.den += daysByUnit[u]
			}
		}
		mk := func(unitID string, x tally) Row {
			if d.Kind == Rate {
				return e.rateRow(&d, unitID, x, level)
			}
			return e.countRow(&d, unitID, x, level)
		}
		mr.Rows = append(mr.Rows, mk("", region))
		for _, u := range units {
			x := t[u]
			if d.Kind == Rate {
				x.den = daysByUnit[u]
			}
			mr.Rows = append(mr.Rows, mk(e.r.Units[u].ID, x))
		}
		e.complement(&mr, region, t, units)
		reg := mr.Rows[0]
		if reg.Denominator.Sign() > 0 && !reg.Suppressed {
			mr.Target = reg.Numerator.Div(reg.Denominator).InexactFloat64() * float64(d.Scale)
		}
		// The standardised value is the ratio × the region's crude rate, so
		// it would show a suppressed region's numerator: no
		// standardisation (and no funnel) then.
		if d.Kind == Rate && d.Standardise && !mr.Rows[0].Suppressed {
			if err := e.standardise(&mr, acc, si, units, level); err != nil {
				return nil, err
			}
		}
		e.funnel(&mr, overdispersion, minUnits)
		for i := range mr.Rows {
			row := &mr.Rows[i]
			if row.Suppressed {
				row.PatientMean = decimal.Zero
				row.Funnel, row.Standardised = nil, nil
			}
		}
		rep.Measures = append(rep.Measures, mr)
	}
	return rep, nil
}

func (e *engine) countRow(d *Definition, unitID string, x tally, level float64) Row {
	row := Row{Result: Result{Measure: d.ID, UnitID: unitID, Numerator: decimal.NewFromInt(x.num),
		Denominator: decimal.NewFromInt(x.den), Method: "wilson-" + levelLabel(level)}}
	if d.Clustered() {
		row.Method = "wilson-deff-" + levelLabel(level)
	}
	if x.den > 0 {
		row.DesignEffect = 1
		if d.Clustered() {
			row.DesignEffect = DesignEffect(x.num, x.den, x.cl, x.yy, x.nn, x.yn, false)
		}
		// On the Value scale: × 1 for shares (exact), × 100 for percentages.
		iv := WilsonEffective(x.num, x.den, row.DesignEffect, level).Scale(float64(d.Scale))
		row.CILow, row.CIHigh = iv.Low, iv.High
		row.Value = row.Numerator.Mul(decimal.NewFromInt(d.Scale)).DivRound(row.Denominator, 6)
	} else {
		row.CILow, row.CIHigh = math.NaN(), math.NaN()
	}
	if d.MeasuredShare() {
		row.Eligible = x.elig
		if x.elig > 0 {
			row.MeasuredShare = decimal.NewFromInt(x.den).DivRound(decimal.NewFromInt(x.elig), 6)
		}
	}
	if d.PatientLevel() {
		row.Patients = x.pat
		if x.pat > 0 {
			row.PatientMean = decimal.New(x.idx, -9).DivRound(decimal.NewFromInt(x.pat), 6)
		}
	}
	row.Result = SuppressResult(row.Result, d.MinDenominator)
	switch {
	case row.Suppressed:
		row.Suppression, row.DesignEffect = SuppressedDenominator, 0
	case x.pat < int64(d.MinPatients):
		row.hide(SuppressedPatients)
	case isSmallCount(x.num, x.den, d.SmallCountThreshold(), true):
		row.hide(SuppressedSmallCount)
	}
	if row.Suppressed {
		row.PatientMean = decimal.Zero
	}
	return row
}

// hide suppresses row for reason: as SuppressResult, the numerator, value,
// interval and everything derived from them are cleared.
func (row *Row) hide(reason SuppressionReason) {
	if reason == SuppressedSmallCount || reason == SuppressedComplementary {
		r := row.Result
		r.Withheld = true
		row.Unpublished = &r
	}
	row.Suppressed, row.Suppression = true, reason
	row.Numerator, row.Value = decimal.Zero, decimal.Zero
	row.CILow, row.CIHigh = 0, 0
	row.PatientMean = decimal.Zero
	row.Funnel, row.Standardised = nil, nil
	row.DesignEffect = 0
}

// complement applies complementary suppression to mr's rows (Complement),
// given the region's and the units' true counts.
func (e *engine) complement(mr *MeasureReport, region tally, t []tally, units []int) {
	rate := mr.Definition.Kind == Rate
	cell := func(x tally, row *Row) DisclosureCell {
		c := DisclosureCell{Numerator: x.num, Bound: x.den, Suppressed: row.Suppressed}
		if rate {
			c.Bound = -1
			if row.Denominator.Sign() <= 0 {
				c.Bound = 0
			}
		}
		return c
	}
	cells := make([]DisclosureCell, len(units))
	for i, u := range units {
		cells[i] = cell(t[u], &mr.Rows[i+1])
	}
	extra, regionToo := Complement(cell(region, &mr.Rows[0]), cells)
	for _, i := range extra {
		mr.Rows[i+1].hide(SuppressedComplementary)
	}
	if regionToo {
		mr.Rows[0].hide(SuppressedComplementary)
	}
}

func (e *engine) rateRow(d *Definition, unitID string, x tally, level float64) Row {
	events, days := x.num, x.den
	py := personYears(days)
	row := Row{Result: Result{Measure: d.ID, UnitID: unitID, Numerator: decimal.NewFromInt(events),
		Denominator: py, Method: "exact-poisson-" + levelLabel(level)}}
	if d.Clustered() {
		row.Method = "exact-poisson-deff-" + levelLabel(level)
	}
	if py.Sign() > 0 {
		row.DesignEffect = 1
		if d.Clustered() {
			row.DesignEffect = DesignEffect(events, days, x.cl, x.yy, x.nn, x.yn, true)
		}
		row.Value = row.Numerator.Mul(decimal.NewFromInt(d.Scale)).DivRound(py, 6)
		iv := ExactPoissonEffective(events, row.DesignEffect, level).Scale(float64(d.Scale) / py.InexactFloat64())
		row.CILow, row.CIHigh = iv.Low, iv.High
	} else {
		row.CILow, row.CIHigh = math.NaN(), math.NaN()
	}
	row.Result = SuppressResult(row.Result, d.MinDenominator)
	if row.Suppressed {
		row.Suppression, row.DesignEffect = SuppressedDenominator, 0
	} else if isSmallCount(events, 0, d.SmallCountThreshold(), false) {
		row.hide(SuppressedSmallCount)
	}
	return row
}

// funnel sets each unit row's funnel mark. Crude measures: the row's
// value (as a share or a rate per person-year) against the region value
// θ at n = the denominator. Standardised rates: the ratio O/E against 1
// at n = E, limits RatioFunnelLimits (the ratio's own interval inverted),
// so the flag agrees with the ratio's interval. Crude limits are
// InflatedFunnelLimits; both take the row's design effect and, with
// overdispersion, τ² estimated from the published units when there are at
// least minUnits of them (EstimateOverdispersion on effective sizes
// n/deff); otherwise the limits are exact (×√deff) and FunnelNote says
// why.
func (e *engine) funnel(mr *MeasureReport, overdispersion bool, minUnits int) {
	d := &mr.Definition
	if math.IsNaN(mr.Target) {
		return
	}
	std := d.Kind == Rate && d.Standardise
	kind, scale := funnelKind(d.Kind), float64(d.Scale)
	target := mr.Target / scale // a share or a rate per person-year (÷ 1 is exact)
	on := "value"
	if std {
		target, on = 1, "ratio"
	}
	type unit struct {
		row     *Row
		y, n, f float64 // indicator, size, design effect
	}
	var us []unit
	for i := range mr.Rows[1:] {
		row := &mr.Rows[i+1]
		if row.Suppressed {
			continue
		}
		u := unit{row: row, f: max(1, row.DesignEffect)}
		if std {
			if row.Standardised == nil || !(row.Standardised.Expected > 0) {
				continue
			}
			u.y, u.n = row.Standardised.Ratio, row.Standardised.Expected
		} else {
			u.y, u.n = row.Value.InexactFloat64()/scale, row.Denominator.InexactFloat64()
		}
		us = append(us, u)
	}
	tau2 := 0.0
	switch {
	case !overdispersion:
		mr.FunnelNote = "exact limits (overdispersion not requested)"
	case len(us) < minUnits:
		mr.FunnelNote = fmt.Sprintf("exact limits: overdispersion not estimated from %d units, fewer than %d", len(us), minUnits)
	default:
		pts := make([]FunnelPoint, len(us))
		for i, u := range us {
			pts[i] = FunnelPoint{Numerator: u.y * u.n / u.f, Denominator: u.n / u.f}
		}
		od := EstimateOverdispersion(pts, target, kind)
		mr.Overdispersion = &od
		if od.Tau2 > 0 {
			tau2 = od.Tau2
		}
		mr.FunnelNote = fmt.Sprintf("exact limits widened by τ² = %s estimated from %d units", formatFloat(tau2), od.Points)
	}
	for _, u := range us {
		var l Limits
		if std {
			l = RatioFunnelLimits(u.n, u.f, tau2) // the inverted ratio interval: flag ⇔ interval excludes 1
		} else {
			l = InflatedFunnelLimits(target, u.n, kind, u.f, tau2)
		}
		if math.IsNaN(l.Lower95) {
			continue
		}
		y := u.y
		if !std {
			l = Limits{l.Lower95 * scale, l.Upper95 * scale, l.Lower998 * scale, l.Upper998 * scale}
			y = u.row.Value.InexactFloat64()
		}
		u.row.Funnel = &FunnelMark{Limits: l, Position: l.Position(y), On: on, X: u.n, DesignEffect: u.f, Tau2: tau2}
	}
}

func funnelKind(k Kind) FunnelKind {
	if k == Rate {
		return FunnelRate
	}
	return FunnelProportion
}

// standardise adds indirect age × sex standardisation to each unit row of
// a rate measure, with the region's strata as the reference.
func (e *engine) standardise(mr *MeasureReport, acc *accum, si int, units []int, level float64) error {
	d := &mr.Definition
	base := si * e.nUnits * nStrata
	stratum := func(k int) Stratum {
		band := k/nSexes - 1 // -1: age unknown
		if band >= 0 {
			band *= bandWidth
		}
		return Stratum{AgeBand: band, Sex: vardval.Sex(k % nSexes)}
	}
	var ref []StratumRate
	for k := range nStrata {
		var ev, days int64
		for _, u := range units {
			ev += acc.events[base+u*nStrata+k]
			days += acc.days[u*nStrata+k]
		}
		if days > 0 || ev > 0 {
			ref = append(ref, StratumRate{Stratum: stratum(k), Events: ev, Exposure: float64(days) / 365.25})
		}
	}
	for i, u := range units {
		row := &mr.Rows[i+1]
		var obs []StratumCount
		for k := range nStrata {
			ev, days := acc.events[base+u*nStrata+k], acc.days[u*nStrata+k]
			if ev > 0 || days > 0 {
				obs = append(obs, StratumCount{Stratum: stratum(k), Events: ev, Exposure: float64(days) / 365.25})
			}
		}
		if len(obs) == 0 {
			continue
		}
		smr, err := Standardise(obs, ref, level)
		if err != nil {
			return err
		}
		if row.DesignEffect > 1 && smr.Expected > 0 { // clustered: the ratio's interval with the same variance
			smr.RatioCI = ExactPoissonEffective(smr.Observed, row.DesignEffect, level).Scale(1 / smr.Expected)
			smr.RateCI = smr.RatioCI.Scale(smr.ReferenceRate)
		}
		sc := float64(d.Scale)
		row.Standardised = &Standardised{Observed: smr.Observed, Expected: smr.Expected, Ratio: smr.Ratio, RatioCI: smr.RatioCI,
			Value: smr.Rate * sc, ValueCI: smr.RateCI.Scale(sc)}
	}
	return nil
}
