package payment

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vardval/vardval/vardval"
)

// panicky is a component that calls onMonth before pricing as the
// component it wraps.
type panicky struct {
	Component
	onMonth func(month int)
}

func (p *panicky) Price(c *MonthContext) error {
	p.onMonth(c.month)
	return p.Component.Price(c)
}

// A panic in the pricing, on the caller's goroutine or on the second one,
// is Run's error, and Run returns only once every goroutine it started has
// ended: the other pricing goroutine finishes its month and prices no
// further one.
func TestRunPanicWaitsForGoroutines(t *testing.T) {
	m := loadModel(t, "skane-2023")
	y := int(m.Valid.From.Year)
	r := synthRows(synthSpec{seed: 42, persons: 150, primary: 3, year: y, contacts: 2}).region()
	year := vardval.Period{From: vardval.D(y, 1, 1), To: vardval.D(y, 12, 31)}
	for _, panicOn := range []int{0, 1} {
		other := 1 - panicOn
		started := make(chan struct{})
		var done atomic.Bool
		var mu sync.Mutex
		priced := map[int]bool{}
		c := m.clone()
		c.Components[0] = &panicky{Component: c.Components[0], onMonth: func(month int) {
			mu.Lock()
			priced[month] = true
			mu.Unlock()
			switch month {
			case panicOn:
				<-started
				panic("boom")
			case other:
				close(started)
				time.Sleep(200 * time.Millisecond)
				done.Store(true)
			}
		}}
		st, err := Run(context.Background(), c, r, year, RunOptions{Measures: fakeMeasures, Workers: 2})
		if st != nil || err == nil || !strings.Contains(err.Error(), "internal error: boom") {
			t.Errorf("panic on month %d: statement %v, err %v; want none and the panic as an error", panicOn, st != nil, err)
		}
		if !done.Load() {
			t.Errorf("panic on month %d: Run returned while month %d was still being priced", panicOn, other)
		}
		mu.Lock()
		for month := range priced {
			if month > 1 {
				t.Errorf("panic on month %d: month %d was priced after it", panicOn, month)
			}
		}
		mu.Unlock()
	}
}

// faults raises again the first panic recovered on any goroutine, once
// all have ended, and nothing when none panicked: the notes goroutine of
// Run (whose panic no data can cause) and WriteJSON's workers use it.
func TestFaults(t *testing.T) {
	raised := func(f *faults) (p any) {
		defer func() { p = recover() }()
		f.raise()
		return nil
	}
	f := newFaults(3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			f.guard(i, func() {
				if i > 0 {
					panic(i)
				}
			})
		})
	}
	wg.Wait()
	if p := raised(f); p != 1 || !f.stopped.Load() {
		t.Errorf("raised %v (stopped %v), want the first slot's panic, 1", p, f.stopped.Load())
	}
	f = newFaults(2)
	f.guard(0, func() {})
	f.guard(1, func() {})
	if p := raised(f); p != nil || f.stopped.Load() {
		t.Errorf("raised %v with no panic", p)
	}
}
