package payment

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// Variant is one proposal of a sweep: overrides applied together to the
// swept model (as Model.With applies them), under a name that outputs
// show, e.g. "capitation.shares[2].share=0.10".
type Variant struct {
	Name      string
	Overrides []Override
}

// VariantStatement is one variant's model and its statement, which is
// exactly the statement Price gives for that model.
type VariantStatement struct {
	Variant   Variant
	Model     *Model
	Statement *Statement
}

// SweepResult is a sweep: the swept model, its statement and one
// statement per variant, in the order given.
type SweepResult struct {
	Model    *Model
	Base     *Statement
	Variants []VariantStatement
}

// SweepError is a variant that cannot be priced: its overrides do not
// apply (Err is then the *OverrideError) or its model cannot price the
// period (Err is then the *RunError or *RunPeriodError).
type SweepError struct {
	Variant string // the variant's name
	Index   int    // its index in the variants given
	Err     error
}

// Error names the variant and its problem.
func (e *SweepError) Error() string {
	return fmt.Sprintf("variant %d (%s): %v", e.Index+1, clipText(e.Variant, 200), e.Err)
}

// Unwrap returns the variant's problem, so errors.As finds the
// *OverrideError or *RunError.
func (e *SweepError) Unwrap() error { return e.Err }

// Sweep prices region r over period under model m and under each variant
// of m, reading and summing the region once: a variant's statement is
// exactly Price's for m.With(v.Overrides...) on the same options (the same
// lines, explanations, rounding and notes), but the person-by-person sums
// that a run spends most of its time on are made once and shared by every
// variant whose model needs the same sums with the same weights (a changed
// share, rate, pool size or fee); a variant that changes what is summed (an
// ACG weight, a window, a cut-off day) is summed again, once for each
// distinct set of sums. The follow-up measures are computed once, when any
// of the models pays on them and opts gives no results.
//
// Errors are those of Price, checked for m before any variant is built; a
// variant whose overrides do not apply, or whose model cannot price the
// period, is a *SweepError naming it, returned before any pricing. Like
// Price, Sweep never changes m or r.
func Sweep(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period, variants []Variant, opts PriceOptions) (_ *SweepResult, err error) {
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
	models := make([]*Model, len(variants))
	for i, v := range variants {
		vm, err := m.With(v.Overrides...)
		if err == nil {
			_, err = checkPeriod(vm, period)
		}
		if err != nil {
			return nil, &SweepError{Variant: v.Name, Index: i, Err: err}
		}
		models[i] = vm
	}
	s, err := newSweeper(ctx, m, r, whole, opts, models)
	if err != nil {
		return nil, err
	}
	out := &SweepResult{Model: m, Variants: make([]VariantStatement, len(variants))}
	if out.Base, err = s.price(ctx, m); err != nil {
		return nil, err
	}
	for i, vm := range models {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := s.price(ctx, vm)
		if err != nil {
			if ctx.Err() == nil {
				err = &SweepError{Variant: variants[i].Name, Index: i, Err: err}
			}
			return nil, err
		}
		out.Variants[i] = VariantStatement{Variant: variants[i], Model: vm, Statement: st}
	}
	return out, nil
}

// Sweeper keeps a region's sums over a period for pricing variants of a
// model one at a time, as they are asked for (a slider that reprices a
// region as it moves): what Sweep does for a list of variants known
// beforehand. Get one from NewSweeper. A Sweeper is safe for concurrent
// use (prices one variant at a time) and keeps the region, the model, its
// sums and the last other sums a variant needed until it is let go.
type Sweeper struct {
	m     *Model
	whole vardval.Period
	base  *Statement

	mu sync.Mutex
	s  *sweeper
}

// sweeperKeep is how many sets of sums a Sweeper keeps: the model's own
// and the last other set a variant needed (a slider moving an ACG weight
// or a window needs a new set at every value, which would otherwise
// accumulate).
const sweeperKeep = 2

// NewSweeper checks m, r and period as Price does, sums the region once
// and prices m (Base). Errors are those of Price. Neither m nor r is ever
// changed.
func NewSweeper(ctx context.Context, m *Model, r *vardval.Region, period vardval.Period, opts PriceOptions) (_ *Sweeper, err error) {
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
	s, err := newSweeper(ctx, m, r, whole, opts, nil)
	if err != nil {
		return nil, err
	}
	s.keep = sweeperKeep
	base, err := s.price(ctx, m)
	if err != nil {
		return nil, err
	}
	return &Sweeper{m: m, whole: whole, base: base, s: s}, nil
}

// Model returns the swept model.
func (sw *Sweeper) Model() *Model { return sw.m }

// Base returns the swept model's statement: Price's for it.
func (sw *Sweeper) Base() *Statement { return sw.base }

// Price prices variant v: its statement is exactly Price's for
// m.With(v.Overrides...) on the sweeper's options, made from the sums
// already made when the variant's model needs the same ones. A variant
// whose overrides do not apply, or whose model cannot price the period,
// is a *SweepError (Index 0) wrapping the *OverrideError or *RunError.
func (sw *Sweeper) Price(ctx context.Context, v Variant) (_ *VariantStatement, err error) {
	defer recoverRun(&err)
	vm, err := sw.m.With(v.Overrides...)
	if err == nil {
		_, err = checkPeriod(vm, sw.whole)
	}
	if err != nil {
		return nil, &SweepError{Variant: v.Name, Err: err}
	}
	sw.mu.Lock()
	defer sw.mu.Unlock()
	st, err := sw.s.price(ctx, vm)
	if err != nil {
		if ctx.Err() == nil {
			err = &SweepError{Variant: v.Name, Err: err}
		}
		return nil, err
	}
	return &VariantStatement{Variant: v, Model: vm, Statement: st}, nil
}

// sweeper is the state a sweep keeps between variants: the sums made so
// far, the run options by measures read and the notes on missing values.
// Its methods are called on one goroutine at a time.
type sweeper struct {
	r      *vardval.Region
	whole  vardval.Period
	months []vardval.YearMonth
	opts   PriceOptions
	ro     RunOptions

	runOpts map[string]RunOptions
	// The sums made so far, each with the registry and weights it was made
	// for: a model whose registry and weights are equal to one of them
	// prices from its sums (the sums are a function of the region, the
	// months, the registry and the weights alone).
	made []sums
	// keep bounds made (0: no bound): beyond it, the sums made last but
	// the model's own (made first) are let go.
	keep int
	// The notes on listings without an ACG weight or CNI depend on the
	// model's ACG and CNI settings alone, which few variants change.
	notesMade map[string]map[string]bool
	// Likewise which units count listings with a missing weight or CNI
	// (missingUses), by missingKey.
	missMade map[string]*missingUse
}

type sums struct {
	reg *registry
	wt  *weights
	agg *aggregation
}

// newSweeper readies a sweep of m and models (checked) over whole: the
// measures, as Price reads them: over the run's period for a component
// other than a goal, over each indicator's window for goal pay; computed
// once for the models that read the same measures over the same windows.
func newSweeper(ctx context.Context, m *Model, r *vardval.Region, whole vardval.Period, opts PriceOptions, models []*Model) (*sweeper, error) {
	s := &sweeper{r: r, whole: whole, months: whole.Months(), runOpts: map[string]RunOptions{}, notesMade: map[string]map[string]bool{}, missMade: map[string]*missingUse{}}
	if !opts.NoMeasures && opts.Results == nil && opts.Measures == nil {
		for _, vm := range append([]*Model{m}, models...) {
			if !vm.goalReadsOnly() {
				var err error
				if opts.Measures, err = MeasuresWith(ctx, r, whole, measures.Options{Registry: opts.Registry, Workers: opts.Workers}, vm); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	s.opts, s.ro = opts, opts.RunOptions()
	return s, nil
}

func (s *sweeper) optionsFor(ctx context.Context, vm *Model) (RunOptions, error) {
	key := fmt.Sprint(vm.MeasureIDs(), vm.MeasureWindows(s.whole))
	if o, ok := s.runOpts[key]; ok {
		return o, nil
	}
	o, err := s.opts.RunOptionsFor(ctx, vm, s.r, s.whole)
	if err != nil {
		return o, err
	}
	s.runOpts[key] = o
	return o, nil
}

func (s *sweeper) defaults(vm *Model) func(map[string]bool) {
	key := "-"
	if vm.ACG != nil {
		key = vm.ACG.Source + " " + vm.ACG.Missing.Path
	}
	if vm.CNI != nil {
		key += "\x00" + vm.CNI.Missing.Path
	}
	return func(notes map[string]bool) {
		got, ok := s.notesMade[key]
		if !ok {
			got = map[string]bool{}
			defaultNotes(vm, s.r, s.whole, got)
			s.notesMade[key] = got
		}
		for n := range got {
			notes[n] = true
		}
	}
}

// price prices vm, a checked model, from the sums it needs, made once.
func (s *sweeper) price(ctx context.Context, vm *Model) (*Statement, error) {
	// A model given later that reads measures none before read, with no
	// measures given: computed now, as Price would.
	if !s.opts.NoMeasures && s.opts.Results == nil && s.opts.Measures == nil && !vm.goalReadsOnly() {
		mrep, err := MeasuresWith(ctx, s.r, s.whole, measures.Options{Registry: s.opts.Registry, Workers: s.opts.Workers}, vm)
		if err != nil {
			return nil, err
		}
		if mrep != nil {
			s.opts.Measures = mrep
			s.runOpts = map[string]RunOptions{}
		}
	}
	reg := registryFor(vm, s.months)
	wt, err := resolveWeights(vm, s.r, s.months)
	if err != nil {
		return nil, err
	}
	var agg *aggregation
	for _, m := range s.made {
		if reflect.DeepEqual(m.reg, reg) && reflect.DeepEqual(m.wt, wt) {
			agg = m.agg
			break
		}
	}
	if agg == nil {
		if agg = aggregate(ctx, s.r, s.months, reg, wt, s.ro.Workers); agg == nil {
			return nil, ctx.Err()
		}
		if s.keep > 0 && len(s.made) >= s.keep {
			s.made = slices.Delete(s.made, 1, 2)
		}
		s.made = append(s.made, sums{reg, wt, agg})
	}
	vro, err := s.optionsFor(ctx, vm)
	if err != nil {
		return nil, err
	}
	mk := missingKey(vm)
	miss, ok := s.missMade[mk]
	if !ok {
		miss = missingUses(vm, s.r, s.months)
		s.missMade[mk] = miss
	}
	return priceAggregated(ctx, vm, s.r, s.whole, reg, agg, miss, vro, s.defaults(vm))
}
