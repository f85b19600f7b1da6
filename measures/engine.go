package measures

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// Options configures Compute. The zero value computes every built-in
// measure at the 95 % level, using all CPUs, with funnel limits that assume
// no overdispersion.
type Options struct {
	// Measures are the ids to compute (any order; output follows the
	// definitions' order). Empty means all.
	Measures []string
	// Definitions replaces the built-in definitions when not nil.
	Definitions []Definition
	// Level is the two-sided confidence level of the intervals; 0 means
	// 0.95. Funnel limits are always at 95 % and 99.8 %.
	Level float64
	// Workers bounds the goroutines used; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it.
	Workers int
	// Overdispersion widens the funnel limits by the additive random-effects
	// model (DerSimonian–Laird τ², Spiegelhalter 2005) estimated from the
	// units of each measure.
	Overdispersion bool
}

// InputError reports an unusable argument to Compute: Parameter names it
// (e.g. "period", "measures[2]", "level").
type InputError struct {
	Parameter string
	Reason    string
}

// Error names the parameter and the reason.
func (e *InputError) Error() string { return fmt.Sprintf("measures: %s: %s", e.Parameter, e.Reason) }

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
	// Options.Overdispersion was set (nil otherwise).
	Overdispersion *Overdispersion
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
	// Standardised is the indirect age × sex standardisation of a rate
	// (definitions with standardise: true); nil otherwise, for the region
	// row and for suppressed rows.
	Standardised *Standardised
}

// FunnelMark is a unit's funnel limits and its position among them.
type FunnelMark struct {
	Limits
	Position FunnelPosition
}

// Standardised is a unit's indirectly standardised rate: Expected events
// from the region's age band × sex rates applied to the unit's listed
// person-years, Ratio = observed/expected with its exact Poisson interval,
// and Value = Ratio × the region's crude rate (Value scale) with its
// interval.
type Standardised struct {
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

// Age bands for standardisation: five-year bands 0–4 … 80–84 and 85+;
// persons with no birth date form band -1.
const (
	bandWidth = 5
	topBand   = 85
	nBands    = topBand/bandWidth + 2 // 18 bands plus "unknown"
	nSexes    = 3
	nStrata   = nBands * nSexes
)

// nanoScale is the fixed-point scale of patient-level indices (COC, UPC)
// summed for Row.PatientMean: each is rounded half-even to 9 decimals
// before summing, so sums are exact integers.
const nanoScale = 1_000_000_000

// chunkSize is the number of persons per unit of work. It is fixed, and
// all sums are integers, so the result does not depend on scheduling.
const chunkSize = 4096

// Compute computes the selected measures for every primary-care unit of r
// and for the region over period (a closed period), in one pass over the
// persons. Observations, contacts and prescriptions outside the period
// are used where a definition's windows reach outside it (depression
// follow-up, diagnosis look-back).
//
// Rows: every unit of kind primary gets a row for every measure, even
// with an empty denominator (then suppressed); the region row (UnitID "")
// is the sum of the unit rows, so persons not listed at a primary-care
// unit count nowhere. Counting rules (the definitions say the rest):
//
//   - Proportions: Numerator and Denominator are integer counts; Value is
//     Numerator/Denominator rounded half-even to 6 decimals; interval
//     Wilson score ("wilson-95").
//   - Rates: Denominator is listed person-years = listed person-days in
//     the period / 365.25, rounded half-even to 6 decimals (the exact
//     rule; Value is computed from this rounded denominator, so Value =
//     Numerator × Scale / Denominator holds exactly); interval exact
//     Poisson (Garwood) on the count ("exact-poisson-95").
//   - Continuity (continuity_coc, continuity_upc) are proportions pooled
//     over patients with at least two doctor visits: UPC counts each
//     patient's visits with their most-seen doctor (Σ max_j n_j) of all
//     their visits (Σ N); COC counts ordered same-doctor visit pairs
//     (Σ (Σ_j n_j² − N)) of all ordered visit pairs (Σ N(N − 1)), which
//     for one patient is Bice–Boxerman's index. Wilson intervals treat
//     visits (pairs) as independent, which within a patient they are not.
//     Row.Patients and Row.PatientMean carry the patient count and the
//     unweighted mean of the patient-level indices.
//   - Same-day ties: several values of one observation code on one day
//     count as the day's highest; the engine never depends on record order.
//   - Suppression: a row whose Denominator is below the definition's
//     min_denominator (or zero), or whose patients are fewer than its
//     min_patients, has Suppressed set and Numerator, Value and interval
//     zeroed (SuppressResult); outputs show them as null.
//   - Funnel limits: around the region value at each unit's denominator,
//     exact binomial/Poisson limits (Spiegelhalter 2005) or, with
//     Options.Overdispersion, normal limits widened by τ².
//   - Standardisation (rates with standardise: true): indirect, by
//     five-year age bands (85+ open, unknown age its own band) × sex, on
//     age at each listed day and each event date, with the region's
//     strata as reference.
//
// The work is split into fixed chunks of persons processed by
// Options.Workers goroutines; every sum is an integer, so the report does
// not depend on scheduling or on the order of the input records.
//
// It returns *InputError for an open period, an unknown measure id or a
// bad level, *DefinitionError for a definition the engine cannot use, and
// ctx.Err() when ctx is cancelled (checked per chunk of persons).
func Compute(ctx context.Context, r *vardval.Region, period vardval.Period, opts Options) (*Report, error) {
	if err := checkRegion(r); err != nil {
		return nil, err
	}
	if period.From.IsZero() || period.To.IsZero() || period.To.Before(period.From) {
		return nil, &InputError{Parameter: "period", Reason: "must be a closed period with from ≤ to"}
	}
	level := opts.Level
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		return nil, &InputError{Parameter: "level", Reason: "must be between 0 and 1"}
	}
	defs := opts.Definitions
	if defs == nil {
		defs = Definitions()
	}
	selected, err := selectDefs(defs, opts.Measures)
	if err != nil {
		return nil, err
	}
	e, err := newEngine(r, period, selected)
	if err != nil {
		return nil, err
	}
	acc, err := e.run(ctx, opts.Workers)
	if err != nil {
		return nil, err
	}
	return e.report(acc, level, opts.Overdispersion)
}

func selectDefs(defs []Definition, ids []string) ([]Definition, error) {
	if len(ids) == 0 {
		return slices.Clone(defs), nil
	}
	want := map[string]bool{}
	for i, id := range ids {
		found := false
		for _, d := range defs {
			if d.ID == id {
				found = true
				break
			}
		}
		if !found {
			return nil, &InputError{Parameter: fmt.Sprintf("measures[%d]", i), Reason: (&UnknownMeasureError{ID: id}).Error()}
		}
		want[id] = true
	}
	var out []Definition
	for _, d := range defs {
		if want[d.ID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// instrument is a compiled Instrument.
type instrument struct {
	code                       int32
	modMin, modMax, remissionB vardval.Fixed
}

// spec is a compiled definition.
type spec struct {
	def      *Definition
	bit      uint32 // class bit for the diagnosis prefixes or ATC filter
	instr    []instrument
	winDays  map[string][2]int // window name → [from, to] day offsets
	fromDay  vardval.Date      // rule-specific window start (own-unit share, polypharmacy)
	obsCode  int32
	obsOp    string
	obsValue vardval.Fixed
	sysCode  int32
	diaCode  int32
	sysBelow vardval.Fixed
	diaBelow vardval.Fixed
	contacts *ContactFilter
	kinds    uint32 // bit set of unit kinds of the contact filter (0 = any)
	profs    uint32
	modes    uint32
	diagFrom vardval.Date // diagnosis window for relative_to: period
	diagTo   vardval.Date
}

type engine struct {
	r       *vardval.Region
	period  vardval.Period
	specs   []spec
	classes []uint32 // per code index: bit set of specs whose code filter it passes
	primary []bool   // per unit: kind primary
	kindBit []uint32 // per unit: 1 << kind
	nUnits  int
	anyRate bool
}

func bitOf[T ~uint8](v T) uint32 { return 1 << uint32(v) }

func toFixed(d decimal.Decimal) (vardval.Fixed, bool) {
	m := d.Shift(6)
	if !m.IsInteger() {
		return 0, false
	}
	return vardval.Fixed(m.IntPart()), true
}

func newEngine(r *vardval.Region, period vardval.Period, defs []Definition) (*engine, error) {
	e := &engine{r: r, period: period, nUnits: len(r.Units)}
	e.primary = make([]bool, len(r.Units))
	e.kindBit = make([]uint32, len(r.Units))
	for i, u := range r.Units {
		e.primary[i] = u.Kind == vardval.KindPrimary
		e.kindBit[i] = bitOf(u.Kind)
	}
	codeIdx := func(c string) int32 {
		if i, ok := r.CodeIndex(c); ok {
			return i
		}
		return -1
	}
	if len(defs) > 32 {
		return nil, &InputError{Parameter: "measures", Reason: "at most 32 measures at a time"}
	}
	e.specs = make([]spec, len(defs))
	for i := range defs {
		d := &defs[i]
		s := &e.specs[i]
		s.def = d
		s.bit = 1 << uint32(i)
		s.obsCode, s.sysCode, s.diaCode = -1, -1, -1
		bad := func(key, reason string) error {
			return &DefinitionError{Key: key, ID: d.ID, Reason: reason}
		}
		// Definitions built in code bypass ParseDefinitions: check them here.
		if d.Scale <= 0 {
			return nil, bad("scale", "must be positive")
		}
		if d.MinDenominator.Sign() < 0 {
			return nil, bad("min_denominator", "must not be negative")
		}
		if key, reason := checkRule(d); reason != "" {
			return nil, bad(key, reason)
		}
		for j, in := range d.Instruments {
			lo, ok1 := toFixed(in.ModerateMin)
			hi, ok2 := toFixed(in.ModerateMax)
			rb, ok3 := toFixed(in.RemissionBelow)
			if !ok1 || !ok2 || !ok3 {
				return nil, bad(fmt.Sprintf("instruments[%d]", j), "thresholds may have at most six decimals")
			}
			s.instr = append(s.instr, instrument{code: codeIdx(in.Code), modMin: lo, modMax: hi, remissionB: rb})
		}
		s.winDays = map[string][2]int{}
		for _, w := range d.Windows {
			s.winDays[w.Name] = [2]int{w.FromDays, w.ToDays}
			if w.Months > 0 {
				from := period.To.AddMonths(-w.Months).AddDays(1)
				if from.Before(period.From) {
					from = period.From
				}
				s.fromDay = from
			}
		}
		if o := d.Observation; o != nil {
			v, ok := toFixed(o.Value)
			if !ok {
				return nil, bad("observation.value", "at most six decimals")
			}
			s.obsCode, s.obsOp, s.obsValue = codeIdx(o.Code), o.Op, v
		}
		if b := d.BloodPressure; b != nil {
			sv, ok1 := toFixed(b.SystolicBelow)
			dv, ok2 := toFixed(b.DiastolicBelow)
			if !ok1 || !ok2 {
				return nil, bad("blood_pressure", "at most six decimals")
			}
			s.sysCode, s.diaCode, s.sysBelow, s.diaBelow = codeIdx(b.Systolic), codeIdx(b.Diastolic), sv, dv
		}
		if c := d.Population.Contacts; c != nil {
			s.contacts = c
			for _, k := range c.UnitKinds {
				s.kinds |= bitOf(k)
			}
			for _, p := range c.Professions {
				s.profs |= bitOf(p)
			}
			for _, m := range c.Modes {
				s.modes |= bitOf(m)
			}
		}
		if dg := d.Population.Diagnoses; dg != nil && dg.RelativeTo == relativeToPeriod {
			s.diagFrom = period.From.AddDays(dg.FromDays)
			s.diagTo = period.To.AddDays(dg.ToDays)
		}
		if d.Kind == Rate {
			e.anyRate = true
		}
	}
	// Classify every code once: which specs' diagnosis or ATC filter it passes.
	e.classes = make([]uint32, len(r.Codes))
	for ci, code := range r.Codes {
		var set uint32
		for i := range e.specs {
			d := e.specs[i].def
			if dg := d.Population.Diagnoses; dg != nil && hasAnyPrefix(code, dg.Prefixes) {
				set |= e.specs[i].bit
			}
			if a := d.Population.ATC; a != nil && hasAnyPrefix(code, a.Include) && !hasAnyPrefix(code, a.Exclude) {
				set |= e.specs[i].bit
			}
		}
		e.classes[ci] = set
	}
	return e, nil
}

// class returns the bit set of specs whose code filter code passes.
func (e *engine) class(code int32) uint32 {
	if code < 0 || int(code) >= len(e.classes) {
		return 0
	}
	return e.classes[code]
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// tally is one spec × unit accumulator. For the continuity rules pat
// counts patients and idx sums their patient-level index in nano units.
type tally struct {
	num, den int64
	pat, idx int64
}

func (t *tally) add(y *tally) {
	t.num += y.num
	t.den += y.den
	t.pat += y.pat
	t.idx += y.idx
}

// accum is one worker's accumulators.
type accum struct {
	t      []tally // [spec*nUnits + unit]
	events []int64 // rate specs: [spec*nUnits*nStrata + unit*nStrata + stratum]
	days   []int64 // listed person-days: [unit*nStrata + stratum]
}

func (e *engine) newAccum() *accum {
	a := &accum{t: make([]tally, len(e.specs)*e.nUnits)}
	if e.anyRate {
		a.events = make([]int64, len(e.specs)*e.nUnits*nStrata)
		a.days = make([]int64, e.nUnits*nStrata)
	}
	return a
}

func (a *accum) merge(b *accum) {
	for i := range a.t {
		a.t[i].add(&b.t[i])
	}
	for i := range a.events {
		a.events[i] += b.events[i]
	}
	for i := range a.days {
		a.days[i] += b.days[i]
	}
}

func (e *engine) run(ctx context.Context, workers int) (*accum, error) {
	n := len(e.r.Persons)
	nChunks := (n + chunkSize - 1) / chunkSize
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, nChunks))
	accs := make([]*accum, workers)
	var next atomic.Int64
	var failed atomic.Bool
	// A panic on a worker becomes Compute's error instead of ending the
	// process.
	panics := make([]any, workers)
	var wg sync.WaitGroup
	for w := range workers {
		accs[w] = e.newAccum()
		wg.Add(1)
		go func(a *accum) {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panics[w] = p
					failed.Store(true)
				}
			}()
			sc := &scratch{}
			for {
				c := int(next.Add(1) - 1)
				if c >= nChunks || failed.Load() {
					return
				}
				if ctx.Err() != nil {
					failed.Store(true)
					return
				}
				hi := min(n, (c+1)*chunkSize)
				for p := c * chunkSize; p < hi; p++ {
					e.person(vardval.PersonIndex(p), a, sc)
				}
			}
		}(accs[w])
	}
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			return nil, panicError(p)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := e.newAccum()
	for _, a := range accs {
		total.merge(a)
	}
	return total, nil
}

// scratch is per-worker reusable memory.
type scratch struct {
	clin  []int32
	codes []int32
	days  []dayScore
}

type dayScore struct {
	day   vardval.Date
	score vardval.Fixed
}

// personData is one person's records.
type personData struct {
	idx      vardval.PersonIndex
	person   *vardval.Person
	listings []vardval.Listing
	contacts []vardval.Contact
	diags    []vardval.Diagnosis
	obs      []vardval.Observation
	rxs      []vardval.Prescription
}

// listedAt returns the primary unit pd is listed at on day d, or NoUnit.
func (e *engine) listedAt(pd *personData, d vardval.Date) vardval.UnitIndex {
	for _, l := range pd.listings {
		if l.Period.Contains(d) {
			if l.Unit >= 0 && e.primary[l.Unit] {
				return l.Unit
			}
			return vardval.NoUnit
		}
	}
	return vardval.NoUnit
}

func (e *engine) ageOK(pd *personData, d *Definition, on vardval.Date) bool {
	pop := &d.Population
	if pop.AgeMin == 0 && pop.AgeMax == 0 {
		return true
	}
	if pd.person.BirthDate.IsZero() {
		return false
	}
	age := pd.person.BirthDate.AgeOn(on)
	return age >= pop.AgeMin && (pop.AgeMax == 0 || age <= pop.AgeMax)
}

// hasDiagnosis reports whether pd has a diagnosis passing s's prefixes
// dated in [from, to].
func (e *engine) hasDiagnosis(pd *personData, s *spec, from, to vardval.Date) bool {
	for _, dg := range pd.diags {
		if e.class(dg.Code)&s.bit != 0 && !dg.Date.Before(from) && !dg.Date.After(to) {
			return true
		}
	}
	return false
}

func (e *engine) hasAnyDiagnosis(pd *personData, s *spec) bool {
	for _, dg := range pd.diags {
		if e.class(dg.Code)&s.bit != 0 {
			return true
		}
	}
	return false
}

func (e *engine) person(p vardval.PersonIndex, a *accum, sc *scratch) {
	r := e.r
	pd := personData{
		idx: p, person: &r.Persons[p], listings: r.ListingsOf(p), contacts: r.ContactsOf(p),
		diags: r.DiagnosesOf(p), obs: r.ObservationsOf(p), rxs: r.PrescriptionsOf(p),
	}
	if e.anyRate {
		e.exposure(&pd, a)
	}
	for i := range e.specs {
		s := &e.specs[i]
		t := a.t[i*e.nUnits : (i+1)*e.nUnits]
		switch s.def.Rule {
		case RuleSustainedRemission, RuleRemissionFollowup:
			e.depression(&pd, s, t, sc)
		case RuleCareGuarantee:
			e.careGuarantee(&pd, s, t)
		case RuleContinuityCOC, RuleContinuityUPC:
			e.continuity(&pd, s, t, sc)
		case RuleOwnUnitShare:
			e.ownUnit(&pd, s, t)
		case RuleEventRate:
			e.events(&pd, s, i, a)
		case RuleLatestObservation:
			e.latestObservation(&pd, s, t)
		case RuleLatestBloodPressure:
			e.latestBP(&pd, s, t)
		case RulePolypharmacy:
			e.polypharmacy(&pd, s, t, sc)
		}
	}
}

// bandOf returns the age-band index (0 = unknown age, then 0–4, 5–9, …).
func bandOf(age int) int {
	if age < 0 {
		age = 0
	}
	return min(age, topBand)/bandWidth + 1
}

// stratumOf returns the stratum index of pd on day d.
func stratumOf(pd *personData, d vardval.Date) int {
	band := 0
	if !pd.person.BirthDate.IsZero() {
		band = bandOf(pd.person.BirthDate.AgeOn(d))
	}
	return band*nSexes + int(min(pd.person.Sex, 2))
}

// exposure adds pd's listed person-days in the period, split by the age
// band they were in on each day.
func (e *engine) exposure(pd *personData, a *accum) {
	for _, l := range pd.listings {
		if l.Unit < 0 || !e.primary[l.Unit] {
			continue
		}
		seg, ok := l.Period.Intersect(e.period)
		if !ok {
			continue
		}
		base := int(l.Unit) * nStrata
		sex := int(min(pd.person.Sex, 2))
		bd := pd.person.BirthDate
		if bd.IsZero() {
			a.days[base+sex] += int64(seg.Days())
			continue
		}
		for d := seg.From; !d.After(seg.To); {
			age := bd.AgeOn(d)
			band := bandOf(age)
			end := seg.To
			if age < topBand {
				// first day of the next band: the birthday at the band's upper age
				nextAge := (max(age, 0)/bandWidth + 1) * bandWidth
				b := bd.AddMonths(12 * nextAge)
				if bd.AgeOn(b) < nextAge {
					b = b.AddDays(1)
				}
				if last := b.AddDays(-1); last.Before(end) {
					end = last
				}
			}
			a.days[base+band*nSexes+sex] += int64(d.DaysUntil(end) + 1)
			d = end.AddDays(1)
		}
	}
}

// events counts a rate spec's events for pd.
func (e *engine) events(pd *personData, s *spec, si int, a *accum) {
	base := si * e.nUnits * nStrata
	add := func(d vardval.Date) {
		u := e.listedAt(pd, d)
		if u == vardval.NoUnit {
			return
		}
		a.t[si*e.nUnits+int(u)].num++
		a.events[base+int(u)*nStrata+stratumOf(pd, d)]++
	}
	switch s.def.Event {
	case EventEmergencyContacts:
		var last vardval.Date
		for i := range pd.contacts {
			c := &pd.contacts[i]
			if !e.period.Contains(c.Date) || !e.contactPasses(s, c) || c.Date == last {
				continue
			}
			last = c.Date
			add(c.Date)
		}
	case EventPrescriptions:
		for i := range pd.rxs {
			x := &pd.rxs[i]
			if e.class(x.ATC)&s.bit == 0 || !e.period.Contains(x.Date) {
				continue
			}
			add(x.Date)
		}
	}
}

// contactPasses checks a contact against s's unit-kind, profession, mode
// and clinician filters.
func (e *engine) contactPasses(s *spec, c *vardval.Contact) bool {
	if c.Unit < 0 {
		return false
	}
	if s.kinds != 0 && e.kindBit[c.Unit]&s.kinds == 0 {
		return false
	}
	if s.profs != 0 && bitOf(c.Profession)&s.profs == 0 {
		return false
	}
	if s.modes != 0 && bitOf(c.Mode)&s.modes == 0 {
		return false
	}
	if f := s.contacts; f != nil {
		if f.Clinician && c.Clinician < 0 {
			return false
		}
		if f.NewProblem && c.NewProblem != vardval.Yes {
			return false
		}
		if f.Requested && c.Requested.IsZero() {
			return false
		}
	}
	return true
}

func (e *engine) careGuarantee(pd *personData, s *spec, t []tally) {
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !e.period.Contains(c.Date) || !e.contactPasses(s, c) || !e.primary[c.Unit] {
			continue
		}
		if c.Requested.IsZero() || c.Requested.After(c.Date) || !e.ageOK(pd, s.def, c.Date) {
			continue
		}
		t[c.Unit].den++
		deadline := c.Requested.AddDays(s.def.WithinDays)
		ok := false
		if !s.def.Licensed {
			ok = !c.Date.After(deadline)
		} else {
			// any licensed contact in primary care from requested to deadline
			j, _ := slices.BinarySearchFunc(pd.contacts, c.Requested, func(x vardval.Contact, d vardval.Date) int {
				return x.Date.Compare(d)
			})
			for ; j < len(pd.contacts) && !pd.contacts[j].Date.After(deadline); j++ {
				x := &pd.contacts[j]
				if x.Unit >= 0 && x.Profession.Licensed() && (s.kinds == 0 || e.kindBit[x.Unit]&s.kinds != 0) {
					ok = true
					break
				}
			}
		}
		if ok {
			t[c.Unit].num++
		}
	}
}

// roundDiv returns a·scale/b rounded half-even, for 0 ≤ a, 0 < b.
func roundDiv(a, b, scale int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(scale))
	q, rem := bits.Div64(hi, lo, uint64(b))
	if 2*rem > uint64(b) || (2*rem == uint64(b) && q%2 == 1) {
		q++
	}
	return int64(q)
}

func (e *engine) continuity(pd *personData, s *spec, t []tally, sc *scratch) {
	u := e.listedAt(pd, e.period.To)
	if u == vardval.NoUnit || !e.ageOK(pd, s.def, e.period.To) {
		return
	}
	sc.clin = sc.clin[:0]
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !e.period.Contains(c.Date) || !e.contactPasses(s, c) {
			continue
		}
		if s.contacts.AtListedUnit && c.Unit != u {
			continue
		}
		sc.clin = append(sc.clin, c.Clinician)
	}
	n := int64(len(sc.clin))
	if n < int64(s.contacts.MinPerPerson) || n < 2 {
		return
	}
	slices.Sort(sc.clin)
	var sumSq, most int64
	for i := 0; i < len(sc.clin); {
		j := i
		for j < len(sc.clin) && sc.clin[j] == sc.clin[i] {
			j++
		}
		k := int64(j - i)
		sumSq += k * k
		most = max(most, k)
		i = j
	}
	x := &t[u]
	x.pat++
	if s.def.Rule == RuleContinuityCOC {
		same, pairs := sumSq-n, n*(n-1) // ordered pairs with the same doctor, all ordered pairs
		x.num += same
		x.den += pairs
		x.idx += roundDiv(same, pairs, nanoScale)
	} else {
		x.num += most
		x.den += n
		x.idx += roundDiv(most, n, nanoScale)
	}
}

func (e *engine) ownUnit(pd *personData, s *spec, t []tally) {
	win := vardval.Period{From: s.fromDay, To: e.period.To}
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !win.Contains(c.Date) || !e.contactPasses(s, c) {
			continue
		}
		u := e.listedAt(pd, c.Date)
		if u == vardval.NoUnit || !e.ageOK(pd, s.def, c.Date) {
			continue
		}
		t[u].den++
		if c.Unit == u {
			t[u].num++
		}
	}
}

// listedEnd returns the unit pd is listed at on the period's last day if
// pd passes s's age and diagnosis conditions there.
func (e *engine) listedEnd(pd *personData, s *spec) vardval.UnitIndex {
	u := e.listedAt(pd, e.period.To)
	if u == vardval.NoUnit || !e.ageOK(pd, s.def, e.period.To) {
		return vardval.NoUnit
	}
	if s.def.Population.Diagnoses != nil && !e.hasDiagnosis(pd, s, s.diagFrom, s.diagTo) {
		return vardval.NoUnit
	}
	return u
}

func (e *engine) latestObservation(pd *personData, s *spec, t []tally) {
	if s.obsCode < 0 {
		return
	}
	// The last observation of the code in the period; records are sorted
	// by date, code and value, so it is the day's highest.
	var last *vardval.Observation
	for i := len(pd.obs) - 1; i >= 0; i-- {
		o := &pd.obs[i]
		if o.Date.Before(e.period.From) {
			break
		}
		if o.Code == s.obsCode && !o.Date.After(e.period.To) {
			last = o
			break
		}
	}
	if last == nil {
		return
	}
	u := e.listedEnd(pd, s)
	if u == vardval.NoUnit {
		return
	}
	t[u].den++
	v, th := last.Value, s.obsValue
	var hit bool
	switch s.obsOp {
	case ">":
		hit = v > th
	case ">=":
		hit = v >= th
	case "<":
		hit = v < th
	case "<=":
		hit = v <= th
	}
	if hit {
		t[u].num++
	}
}

func (e *engine) latestBP(pd *personData, s *spec, t []tally) {
	if s.sysCode < 0 || s.diaCode < 0 {
		return
	}
	// Walk days backwards; the first day with both codes wins, taking the
	// highest value of each on that day.
	i := len(pd.obs) - 1
	for i >= 0 {
		day := pd.obs[i].Date
		if day.Before(e.period.From) {
			return
		}
		var sys, dia vardval.Fixed
		var hasSys, hasDia bool
		for ; i >= 0 && pd.obs[i].Date == day; i-- {
			o := &pd.obs[i]
			switch o.Code {
			case s.sysCode:
				if !hasSys || o.Value > sys {
					sys, hasSys = o.Value, true
				}
			case s.diaCode:
				if !hasDia || o.Value > dia {
					dia, hasDia = o.Value, true
				}
			}
		}
		if day.After(e.period.To) || !hasSys || !hasDia {
			continue
		}
		u := e.listedEnd(pd, s)
		if u == vardval.NoUnit {
			return
		}
		t[u].den++
		if sys < s.sysBelow && dia < s.diaBelow {
			t[u].num++
		}
		return
	}
}

func (e *engine) polypharmacy(pd *personData, s *spec, t []tally, sc *scratch) {
	u := e.listedEnd(pd, s)
	if u == vardval.NoUnit {
		return
	}
	t[u].den++
	sc.codes = sc.codes[:0]
	for i := range pd.rxs {
		x := &pd.rxs[i]
		if !x.Date.Before(s.fromDay) && !x.Date.After(e.period.To) {
			sc.codes = append(sc.codes, x.ATC)
		}
	}
	if len(sc.codes) < s.def.MinDrugs {
		return
	}
	slices.Sort(sc.codes)
	if len(slices.Compact(sc.codes)) >= s.def.MinDrugs {
		t[u].num++
	}
}

// depression evaluates the sustained-remission and follow-up rules.
func (e *engine) depression(pd *personData, s *spec, t []tally, sc *scratch) {
	if len(pd.obs) == 0 || (s.def.Population.Diagnoses != nil && !e.hasAnyDiagnosis(pd, s)) {
		return
	}
	// Index: the first day in the period with a moderate day-score on an
	// instrument (instruments in definition order break ties).
	var index vardval.Date
	inst := -1
	for i := 0; i < len(pd.obs) && inst < 0; {
		day := pd.obs[i].Date
		j := i
		for j < len(pd.obs) && pd.obs[j].Date == day {
			j++
		}
		if e.period.Contains(day) {
			for k, in := range s.instr {
				if v, ok := dayMax(pd.obs[i:j], in.code); ok && v >= in.modMin && v <= in.modMax {
					index, inst = day, k
					break
				}
			}
		} else if day.After(e.period.To) {
			break
		}
		i = j
	}
	if inst < 0 {
		return
	}
	u := e.listedAt(pd, index)
	if u == vardval.NoUnit || !e.ageOK(pd, s.def, index) {
		return
	}
	if dg := s.def.Population.Diagnoses; dg != nil &&
		!e.hasDiagnosis(pd, s, index.AddDays(dg.FromDays), index.AddDays(dg.ToDays)) {
		return
	}
	in := s.instr[inst]
	// The instrument's day-scores after the index.
	sc.days = sc.days[:0]
	for i := 0; i < len(pd.obs); {
		day := pd.obs[i].Date
		j := i
		for j < len(pd.obs) && pd.obs[j].Date == day {
			j++
		}
		if day.After(index) {
			if v, ok := dayMax(pd.obs[i:j], in.code); ok {
				sc.days = append(sc.days, dayScore{day, v})
			}
		}
		i = j
	}
	t[u].den++
	if s.def.Rule == RuleRemissionFollowup {
		w := s.winDays["followup"]
		for _, ds := range sc.days {
			n := index.DaysUntil(ds.day)
			if n >= w[0] && n <= w[1] {
				t[u].num++
				return
			}
		}
		return
	}
	first, sustained := s.winDays["first_remission"], s.winDays["sustained_remission"]
	r1 := -1
	for k, ds := range sc.days {
		n := index.DaysUntil(ds.day)
		if n > first[1] {
			break
		}
		if n >= first[0] && ds.score < in.remissionB {
			r1 = k
			break
		}
	}
	if r1 < 0 {
		return
	}
	r1Day := sc.days[r1].day
	for _, ds := range sc.days[r1+1:] {
		n := r1Day.DaysUntil(ds.day)
		if n > sustained[1] || ds.score >= in.remissionB {
			return // past the window, or relapsed before reaching it
		}
		if n >= sustained[0] {
			t[u].num++
			return
		}
	}
}

// dayMax returns the highest value of code among one day's observations.
func dayMax(obs []vardval.Observation, code int32) (vardval.Fixed, bool) {
	var v vardval.Fixed
	found := false
	for i := range obs {
		if obs[i].Code == code && (!found || obs[i].Value > v) {
			v, found = obs[i].Value, true
		}
	}
	return v, found
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

func (e *engine) report(acc *accum, level float64, overdispersion bool) (*Report, error) {
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
				return e.rateRow(&d, unitID, x.num, x.den, level)
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
		reg := mr.Rows[0]
		if reg.Denominator.Sign() > 0 {
			mr.Target = reg.Numerator.Div(reg.Denominator).InexactFloat64() * float64(d.Scale)
		}
		e.funnel(&mr, units, overdispersion)
		if d.Kind == Rate && d.Standardise {
			if err := e.standardise(&mr, acc, si, units, level); err != nil {
				return nil, err
			}
		}
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
	if x.den > 0 {
		iv := Wilson(x.num, x.den, level)
		row.CILow, row.CIHigh = iv.Low, iv.High
		row.Value = row.Numerator.Mul(decimal.NewFromInt(d.Scale)).DivRound(row.Denominator, 6)
	} else {
		row.CILow, row.CIHigh = math.NaN(), math.NaN()
	}
	if d.PatientLevel() {
		row.Patients = x.pat
		if x.pat > 0 {
			row.PatientMean = decimal.New(x.idx, -9).DivRound(decimal.NewFromInt(x.pat), 6)
		}
	}
	row.Result = SuppressResult(row.Result, d.MinDenominator)
	if !row.Suppressed && x.pat < int64(d.MinPatients) { // too few patients: as SuppressResult
		row.Suppressed = true
		row.Numerator, row.Value = decimal.Zero, decimal.Zero
		row.CILow, row.CIHigh = 0, 0
	}
	if row.Suppressed {
		row.PatientMean = decimal.Zero
	}
	return row
}

func (e *engine) rateRow(d *Definition, unitID string, events, days int64, level float64) Row {
	py := personYears(days)
	row := Row{Result: Result{Measure: d.ID, UnitID: unitID, Numerator: decimal.NewFromInt(events),
		Denominator: py, Method: "exact-poisson-" + levelLabel(level)}}
	if py.Sign() > 0 {
		row.Value = row.Numerator.Mul(decimal.NewFromInt(d.Scale)).DivRound(py, 6)
		iv := PoissonRate(events, py.InexactFloat64(), float64(d.Scale), level)
		row.CILow, row.CIHigh = iv.Low, iv.High
	} else {
		row.CILow, row.CIHigh = math.NaN(), math.NaN()
	}
	row.Result = SuppressResult(row.Result, d.MinDenominator)
	return row
}

// funnel sets each unit row's funnel limits around the region value.
func (e *engine) funnel(mr *MeasureReport, units []int, overdispersion bool) {
	d := &mr.Definition
	if math.IsNaN(mr.Target) {
		return
	}
	kind, target, scale := funnelKind(d.Kind), mr.Target, float64(d.Scale)
	if d.Kind == Rate {
		target /= scale
	}
	var opts FunnelOptions
	if overdispersion {
		var pts []FunnelPoint
		for _, row := range mr.Rows[1:] {
			if !row.Suppressed {
				pts = append(pts, FunnelPoint{Numerator: row.Numerator.InexactFloat64(), Denominator: row.Denominator.InexactFloat64()})
			}
		}
		od := EstimateOverdispersion(pts, target, kind)
		mr.Overdispersion = &od
		if od.Tau2 > 0 {
			opts = FunnelOptions{Method: FunnelNormal, Model: Additive, Overdispersion: od}
		}
	}
	for i := range mr.Rows[1:] {
		row := &mr.Rows[i+1]
		if row.Suppressed {
			continue
		}
		n := row.Denominator.InexactFloat64()
		l := FunnelLimits(target, n, kind, opts)
		l = Limits{l.Lower95 * scale, l.Upper95 * scale, l.Lower998 * scale, l.Upper998 * scale}
		if math.IsNaN(l.Lower95) {
			continue
		}
		row.Funnel = &FunnelMark{Limits: l, Position: l.Position(row.Value.InexactFloat64())}
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
		sc := float64(d.Scale)
		row.Standardised = &Standardised{Expected: smr.Expected, Ratio: smr.Ratio, RatioCI: smr.RatioCI,
			Value: smr.Rate * sc, ValueCI: smr.RateCI.Scale(sc)}
	}
	return nil
}
