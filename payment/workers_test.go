package payment

import (
	"bytes"
	"context"
	"errors"
	"math"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/vardval"
)

// TestAggregateWorkersAgree: the unit months of every embedded model's
// registry, for the months of 2024, are the same summed on one worker as
// on two or three (shares of unequal size, each with its own dense counts,
// added together), on a region large enough for the CLI to use several.
func TestAggregateWorkersAgree(t *testing.T) {
	r, _ := genSynth(t, 9000).load(t)
	months := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}.Months()
	for _, name := range []string{"skane-2023", "halland-2019", "vgr-2017"} {
		m := loadModel(t, name)
		reg := registryFor(m, months)
		wt, err := resolveWeights(m, r, months)
		if err != nil {
			t.Fatal(err)
		}
		one := aggregateOn(context.Background(), r, months, reg, wt, 1)
		var contacts, active, cov, cost int64
		for mi := range months {
			for _, u := range one.units[mi] {
				for _, x := range u.active {
					active += x
				}
				for _, x := range u.cov {
					cov += x[1]
				}
				for _, a := range u.cost {
					for _, b := range a {
						for _, c := range b {
							cost += c
						}
					}
				}
				for _, a := range u.contacts {
					for _, b := range a {
						for _, c := range b {
							contacts += c
						}
					}
				}
			}
		}
		if contacts == 0 || (name == "skane-2023" && active == 0) || (name == "vgr-2017" && cov == 0) || (name != "skane-2023" && cost == 0) {
			t.Errorf("%s: %d contacts, %d actively listed, %d covered and %d elsewhere counted: the test region lost them", name, contacts, active, cov, cost)
		}
		// The workers add their blocks into one set of unit months in
		// turn: any number gives the sums of one.
		for _, workers := range []int{2, 3, 8} {
			got := aggregateOn(context.Background(), r, months, reg, wt, workers)
			if diff := cmp.Diff(one.units, got.units, cmp.AllowUnexported(unitMonth{}, snap{})); diff != "" {
				t.Errorf("%s: %d workers (-one +several):\n%s", name, workers, diff)
			}
		}
	}
}

// countCtx is a context cancelled at its after+1-th call of Err (and from
// then on).
type countCtx struct {
	context.Context
	after int64
	polls atomic.Int64
	fired atomic.Bool
}

func (c *countCtx) Err() error {
	if c.polls.Add(1) > c.after {
		c.fired.Store(true)
		return context.Canceled
	}
	return nil
}

// A Run cancelled at any poll of its context, also while it walks the
// persons (aggregate checks every pollEvery persons on each worker),
// returns context.Canceled and no statement; one whose polls all passed
// returns the whole statement.
func TestRunCancelledAtEveryPoll(t *testing.T) {
	r, _ := genSynth(t, 3*pollEvery).load(t)
	m := loadModel(t, "skane-2023")
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	want, err := Run(context.Background(), m, r, year, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	count := &countCtx{Context: context.Background(), after: math.MaxInt64}
	if _, err := Run(count, m, r, year, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	total := count.polls.Load()
	if min := int64(3 + len(year.Months())); total < min {
		t.Fatalf("only %d polls, want at least %d (the persons' walk and each month)", total, min)
	}
	// The walk of the persons itself stops: it polls every pollEvery
	// persons, and returns nothing once cancelled.
	months := year.Months()
	reg := registryFor(m, months)
	wt, err := resolveWeights(m, r, months)
	if err != nil {
		t.Fatal(err)
	}
	walk := &countCtx{Context: context.Background(), after: math.MaxInt64}
	if aggregateOn(walk, r, months, reg, wt, 2) == nil || walk.polls.Load() < int64(len(r.Persons)/pollEvery) {
		t.Errorf("the walk of %d persons polled %d times, want one every %d persons", len(r.Persons), walk.polls.Load(), pollEvery)
	}
	for after := range walk.polls.Load() {
		if aggregateOn(&countCtx{Context: context.Background(), after: after}, r, months, reg, wt, 2) != nil {
			t.Errorf("the walk cancelled after poll %d returned sums", after)
		}
	}
	for after := range total {
		ctx := &countCtx{Context: context.Background(), after: after}
		st, err := Run(ctx, m, r, year, RunOptions{})
		switch {
		case !ctx.fired.Load():
			if diff := cmp.Diff(want, st); err != nil || diff != "" {
				t.Errorf("cancelled after poll %d of %d, not reached: err %v, statement (-want +got):\n%s", after, total, err, diff)
			}
		case !errors.Is(err, context.Canceled) || st != nil:
			t.Errorf("cancelled after poll %d of %d: statement %v, err %v; want none and context.Canceled", after, total, st != nil, err)
		}
	}
}

// The statement of every embedded model, written as JSON, CSV and the
// explanation of a unit, is byte for byte the same priced on 1 to 8
// workers (RunOptions.Workers), on a region large enough for the sums to
// be split.
func TestRunWorkersByteIdentical(t *testing.T) {
	r, _ := genSynth(t, 9000).load(t)
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	for _, name := range []string{"skane-2023", "halland-2019", "vgr-2017"} {
		m := loadModel(t, name)
		var want []byte
		for workers := 1; workers <= 8; workers++ {
			st, err := Run(context.Background(), m, r, year, RunOptions{Measures: fakeMeasures, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := WriteJSON(&b, st, nil); err != nil {
				t.Fatal(err)
			}
			if err := WriteCSV(&b, st); err != nil {
				t.Fatal(err)
			}
			if err := Explain(&b, st, st.Units[0].UnitID); err != nil {
				t.Fatal(err)
			}
			if workers == 1 {
				want = b.Bytes()
				continue
			}
			if !bytes.Equal(want, b.Bytes()) {
				t.Errorf("%s: %d workers write other bytes than one (%d and %d bytes)", name, workers, b.Len(), len(want))
			}
		}
	}
}
