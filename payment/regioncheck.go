package payment

import (
	"fmt"

	"github.com/vardval/vardval/vardval"
)

// checkRegion is Run's entry check: a Region that does not hold together
// (assembled by hand, or changed after it was built) is a
// *vardval.RegionError, never an index out of range on a worker.
func checkRegion(r *vardval.Region) error { return r.Validate() }

// recoverRun turns a panic on Run's goroutine (or one raised again there
// from a worker: aggregate and the month pricing do so) into Run's error.
// Run defers it with its named error result.
func recoverRun(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("payment: internal error: %v", p)
	}
}
