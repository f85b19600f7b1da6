package vardval

import "context"

// stopper lets the loops of intake that read no rows (looking up persons,
// checking contact ids, grouping records by person, pseudonymising) notice
// a cancelled context, so that Load and Check stop promptly in every phase,
// not only while rows are read (table.each checks every 4096 rows).
//
// A loop calls stop with its own step count, starting at 0: the context is
// consulted on the first step and then every mask+1 steps, which costs
// nothing measurable. Because a context once cancelled stays cancelled, a
// loop that stopped early is followed by loops that stop on their first
// step; load checks ctx.Err() after each phase and then returns no Region,
// so a partly filled result is never used.
//
// The zero stopper never stops (for the helpers used outside Load).
//
// It also carries how many goroutines a loop may use (workers, see
// [LoadOptions].Workers and stopper.parts); zero or one means the calling
// goroutine alone.
type stopper struct {
	ctx     context.Context
	mask    int
	workers int
}

// pollMask is how often (mask+1 steps) the loops consult the context: a
// few milliseconds of work at most (16,384 HMACs or lookups).
const pollMask = 1<<14 - 1

// stop reports whether the loop at step i (counted from 0) must stop.
func (s stopper) stop(i int) bool {
	return s.ctx != nil && i&s.mask == 0 && s.ctx.Err() != nil
}

// now reports whether the context is cancelled, for the steps between
// phases and loops whose every step is long (a chunk of records).
func (s stopper) now() bool {
	return s.ctx != nil && s.ctx.Err() != nil
}

// sortEach sorts every person's group of s (off as in group) with less, on
// the stopper's workers, stopping when the context is cancelled.
func sortEach[T any](stop stopper, s []T, off []int32, less func(a, b T) int) {
	n := len(off) - 1
	stop.parts(n, 1<<14, func(_, lo, hi int) {
		for b := lo; b < hi; b += 1 << 12 {
			if stop.now() {
				return
			}
			e := min(b+1<<12, hi)
			sortGroups(s, off[b:e+1], less)
		}
	})
}

// stopper returns the loader's stopper (the zero one for a worker made
// without a loader, as tests do).
func (w *worker) stopper() stopper {
	if w.ld == nil {
		return stopper{}
	}
	return w.ld.stop
}
