package measures

import (
	"fmt"

	"github.com/vardval/vardval/vardval"
)

// checkRegion is Compute's entry check: a Region that does not hold
// together (assembled by hand, or changed after it was built) is a
// *vardval.RegionError, never an index out of range on a worker.
func checkRegion(r *vardval.Region) error { return r.Validate() }

// panicError is the error Compute returns when a worker panicked.
func panicError(p any) error { return fmt.Errorf("measures: internal error: %v", p) }
