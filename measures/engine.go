package measures

import (
	"context"
	"fmt"
	"runtime"
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
	// Registry holds the definitions to compute from; nil means the
	// built-in ones (Builtin). A region's own measures are computed by
	// passing BuiltinRegistry().Extend(its definitions...).
	Registry *Registry
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
	// OverdispersionMinUnits is the smallest number of published units
	// from which τ² is estimated; with fewer the limits stay exact and
	// MeasureReport.FunnelNote says so. 0 means
	// DefaultOverdispersionMinUnits (10); it must not be negative.
	OverdispersionMinUnits int
}

// InputError reports an unusable argument to Compute: Parameter names it
// (e.g. "period", "measures[2]", "level").
type InputError struct {
	Parameter string
	Reason    string
}

// Error names the parameter and the reason.
func (e *InputError) Error() string { return fmt.Sprintf("measures: %s: %s", e.Parameter, e.Reason) }

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
//     for one patient is Bice–Boxerman's index. Their intervals allow for
//     clustering within patients (Wilson at the effective size n/deff,
//     see the package documentation). Row.Patients and Row.PatientMean
//     carry the patient count and the unweighted mean of the
//     patient-level indices.
//   - Clustered measures (Definition.Clustered: continuity, care
//     guarantee, ED visits): Row.DesignEffect and methods
//     "wilson-deff-95" / "exact-poisson-deff-95".
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
	minUnits := opts.OverdispersionMinUnits
	switch {
	case minUnits < 0:
		return nil, &InputError{Parameter: "overdispersion_min_units", Reason: "must not be negative"}
	case minUnits == 0:
		minUnits = DefaultOverdispersionMinUnits
	}
	reg := opts.Registry
	if reg == nil {
		reg = BuiltinRegistry()
	}
	selected, err := selectDefs(reg.defs, opts.Measures)
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
	e.unitLevel(acc)
	return e.report(acc, level, opts.Overdispersion, minUnits)
}

func selectDefs(defs []Definition, ids []string) ([]Definition, error) {
	if len(ids) == 0 {
		return cloneAll(defs), nil
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
			out = append(out, d.clone())
		}
	}
	return out, nil
}

// instrument is a compiled Instrument.
type instrument struct {
	code                       int32
	modMin, modMax, remissionB vardval.Fixed
}

// spec is a compiled definition: what the engine needs of its rule.
type spec struct {
	def      *Definition
	rule     Rule
	bit      uint64 // class bit for the diagnosis prefixes or ATC filter
	instr    []instrument
	win1     [2]int       // remission rules: the first (or follow-up) window, days
	win2     [2]int       // sustained remission: the second window, days after the first remission
	fromDay  vardval.Date // rule-specific window start (own-unit share, polypharmacy)
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
	// ext is what a rule of the follow-up files compiles for itself
	// (rule_procedures.go, rule_admissions.go, rule_staffing.go,
	// rule_survey.go), nil for the others.
	ext any
}

type engine struct {
	r       *vardval.Region
	fu      *vardval.Followup // the region's follow-up files
	period  vardval.Period
	specs   []spec
	classes []uint64 // per code index: bit set of specs whose code filter it passes
	excl    []uint64 // per code index: bit set of specs whose diagnosis exclusion it matches
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

// newEngine compiles defs (checked by the registry they come from) for
// region r and period.
func newEngine(r *vardval.Region, period vardval.Period, defs []Definition) (*engine, error) {
	e := &engine{r: r, fu: r.Followup(), period: period, nUnits: len(r.Units)}
	e.primary = make([]bool, len(r.Units))
	e.kindBit = make([]uint32, len(r.Units))
	for i, u := range r.Units {
		e.primary[i] = u.Kind == vardval.KindPrimary
		e.kindBit[i] = bitOf(u.Kind)
	}
	if len(defs) > 64 {
		return nil, &InputError{Parameter: "measures", Reason: "at most 64 measures at a time"}
	}
	e.specs = make([]spec, len(defs))
	for i := range defs {
		d := &defs[i]
		s := &e.specs[i]
		s.def = d
		s.bit = 1 << uint64(i)
		s.obsCode, s.sysCode, s.diaCode = -1, -1, -1
		if d.Rule == nil {
			return nil, &InputError{Parameter: "measures", Reason: "definition " + safe(d.ID) + " has no rule"}
		}
		s.rule = d.Rule
		d.Rule.compile(e, s)
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
	e.classes = make([]uint64, len(r.Codes))
	e.excl = make([]uint64, len(r.Codes))
	for ci, code := range r.Codes {
		var set uint64
		for i := range e.specs {
			d := e.specs[i].def
			if dg := d.Population.Diagnoses; dg != nil && hasAnyPrefix(code, dg.Prefixes) {
				set |= e.specs[i].bit
			}
			if dg := d.Population.Diagnoses; dg != nil && hasAnyPrefix(code, dg.ExcludePrefixes) {
				e.excl[ci] |= e.specs[i].bit
			}
			if a := d.Population.ATC; a != nil && hasAnyPrefix(code, a.Include) && !hasAnyPrefix(code, a.Exclude) {
				set |= e.specs[i].bit
			}
		}
		e.classes[ci] = set
	}
	return e, nil
}

// codeIdx returns the index of code in the region's codes, or -1.
func (e *engine) codeIdx(code string) int32 {
	if i, ok := e.r.CodeIndex(code); ok {
		return i
	}
	return -1
}

// class returns the bit set of specs whose code filter code passes.
func (e *engine) class(code int32) uint64 {
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
// For clustered measures (Definition.Clustered) cl counts the clusters
// (persons at the unit) and yy, nn, yn sum y², n² and y·n over them, y
// being a cluster's numerator and n its denominator (for rates: events
// and listed days).
type tally struct {
	num, den       int64
	pat, idx       int64
	cl, yy, nn, yn int64
	elig           int64 // measured-share rules: persons in the population, measured or not
}

func (t *tally) add(y *tally) {
	t.num += y.num
	t.den += y.den
	t.pat += y.pat
	t.idx += y.idx
	t.cl += y.cl
	t.yy += y.yy
	t.nn += y.nn
	t.yn += y.yn
	t.elig += y.elig
}

// cluster adds one cluster with numerator y and denominator n.
func (t *tally) cluster(y, n int64) {
	t.cl++
	t.yy += y * y
	t.nn += n * n
	t.yn += y * n
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
	units []unitCount // per-unit counts of the current person (clustered rules)
	clin  []int32
	codes []int32
	days  []dayScore
	// pd is the current person's records, here rather than on the stack
	// because the rules take it through an interface (it would escape
	// to the heap once per person).
	pd personData
}

// unitCount is one person's numerator and denominator at one unit.
type unitCount struct {
	u    vardval.UnitIndex
	y, n int64
}

// addTo adds y and n to unit u's entry of units.
func addTo(units []unitCount, u vardval.UnitIndex, y, n int64) []unitCount {
	for i := range units {
		if units[i].u == u {
			units[i].y += y
			units[i].n += n
			return units
		}
	}
	return append(units, unitCount{u: u, y: y, n: n})
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
	procs    []vardval.Procedure // procedures.csv
	adms     []vardval.Admission // admissions.csv
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

// excluded reports whether pd has a diagnosis matching s's exclusion
// prefixes dated on or before to.
func (e *engine) excluded(pd *personData, s *spec, to vardval.Date) bool {
	for _, dg := range pd.diags {
		if dg.Code >= 0 && int(dg.Code) < len(e.excl) && e.excl[dg.Code]&s.bit != 0 && !dg.Date.After(to) {
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
	pd := &sc.pd
	*pd = personData{
		idx: p, person: &r.Persons[p], listings: r.ListingsOf(p), contacts: r.ContactsOf(p),
		diags: r.DiagnosesOf(p), obs: r.ObservationsOf(p), rxs: r.PrescriptionsOf(p),
		procs: e.fu.ProceduresOf(p), adms: e.fu.AdmissionsOf(p),
	}
	if e.anyRate {
		e.exposure(pd, a)
	}
	for i := range e.specs {
		s := &e.specs[i]
		s.rule.tally(e, pd, s, i, a, sc)
	}
}

// unitRule is a rule whose records are per unit, not per person (calls,
// survey): it adds them to a once the persons are counted.
type unitRule interface {
	tallyUnits(e *engine, s *spec, si int, a *accum)
}

// unitLevel adds the unit-level rules' records to a.
func (e *engine) unitLevel(a *accum) {
	for i := range e.specs {
		if u, ok := e.specs[i].rule.(unitRule); ok {
			u.tallyUnits(e, &e.specs[i], i, a)
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

// listedEnd returns the unit pd is listed at on the period's last day if
// pd passes s's age and diagnosis conditions there.
func (e *engine) listedEnd(pd *personData, s *spec) vardval.UnitIndex {
	u := e.listedAt(pd, e.period.To)
	if u == vardval.NoUnit || !e.ageOK(pd, s.def, e.period.To) {
		return vardval.NoUnit
	}
	if s.def.Population.Diagnoses != nil && (!e.hasDiagnosis(pd, s, s.diagFrom, s.diagTo) || e.excluded(pd, s, s.diagTo)) {
		return vardval.NoUnit
	}
	return u
}
