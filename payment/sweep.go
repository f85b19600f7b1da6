package payment

import (
	"context"
	"fmt"
	"reflect"

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
	months := whole.Months()
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
	// The measures, as Price reads them: over the run's period for a
	// component other than a goal, over each indicator's window for goal
	// pay; computed once for the models that read the same measures over
	// the same windows.
	if !opts.NoMeasures && opts.Results == nil && opts.Measures == nil {
		for _, vm := range append([]*Model{m}, models...) {
			if !vm.goalReadsOnly() {
				if opts.Measures, err = MeasuresWith(ctx, r, whole, measures.Options{Registry: opts.Registry, Workers: opts.Workers}, vm); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	ro := opts.RunOptions()
	runOpts := map[string]RunOptions{}
	optionsFor := func(vm *Model) (RunOptions, error) {
		key := fmt.Sprint(vm.MeasureIDs(), vm.MeasureWindows(whole))
		if o, ok := runOpts[key]; ok {
			return o, nil
		}
		o, err := opts.RunOptionsFor(ctx, vm, r, whole)
		if err != nil {
			return o, err
		}
		runOpts[key] = o
		return o, nil
	}
	// The sums made so far, each with the registry and weights it was made
	// for: a model whose registry and weights are equal to one of them
	// prices from its sums (the sums are a function of the region, the
	// months, the registry and the weights alone).
	type sums struct {
		reg *registry
		wt  *weights
		agg *aggregation
	}
	var made []sums
	// The notes on listings without an ACG weight or CNI depend on the
	// model's ACG and CNI settings alone, which few variants change.
	notesMade := map[string]map[string]bool{}
	defaults := func(vm *Model) func(map[string]bool) {
		key := "-"
		if vm.ACG != nil {
			key = vm.ACG.Source + " " + vm.ACG.Missing.Path
		}
		if vm.CNI != nil {
			key += "\x00" + vm.CNI.Missing.Path
		}
		return func(notes map[string]bool) {
			// Called on one goroutine at a time: the variants are priced
			// in turn.
			got, ok := notesMade[key]
			if !ok {
				got = map[string]bool{}
				defaultNotes(vm, r, whole, got)
				notesMade[key] = got
			}
			for n := range got {
				notes[n] = true
			}
		}
	}
	price := func(i int, vm *Model) (*Statement, error) {
		reg := registryFor(vm, months)
		wt, err := resolveWeights(vm, r, months)
		if err != nil {
			return nil, err
		}
		var agg *aggregation
		for _, s := range made {
			if reflect.DeepEqual(s.reg, reg) && reflect.DeepEqual(s.wt, wt) {
				agg = s.agg
				break
			}
		}
		if agg == nil {
			if agg = aggregate(ctx, r, months, reg, wt, ro.Workers); agg == nil {
				return nil, ctx.Err()
			}
			made = append(made, sums{reg, wt, agg})
		}
		vro, err := optionsFor(vm)
		if err != nil {
			return nil, err
		}
		st, err := priceAggregated(ctx, vm, r, whole, reg, agg, vro, defaults(vm))
		if err != nil && i >= 0 && ctx.Err() == nil {
			return nil, &SweepError{Variant: variants[i].Name, Index: i, Err: err}
		}
		return st, err
	}
	out := &SweepResult{Model: m, Variants: make([]VariantStatement, len(variants))}
	if out.Base, err = price(-1, m); err != nil {
		return nil, err
	}
	for i, vm := range models {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := price(i, vm)
		if err != nil {
			return nil, err
		}
		out.Variants[i] = VariantStatement{Variant: variants[i], Model: vm, Statement: st}
	}
	return out, nil
}
