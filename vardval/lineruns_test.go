package vardval

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// lineRuns gives back the line of every contact, however the lines grow
// (rows rejected between them, rows over several lines), also for parts
// appended after others with their lines shifted (appendShifted, as the
// contacts split merges its parts); it keeps one run per change of delta.
func TestLineRunsGiveEveryLine(t *testing.T) {
	lines := func(rng *rand.Rand, n int) []int {
		ls := make([]int, n)
		line := 1
		for i := range ls {
			line++
			if rng.IntN(5) == 0 {
				line += 1 + rng.IntN(3) // a rejected row or a row over several lines before
			}
			ls[i] = line
		}
		return ls
	}
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	properties := gopter.NewProperties(params)
	properties.Property("at(i) is the line added for contact i, parts appended shifted", prop.ForAll(
		func(seed uint64, parts []int) bool {
			rng := rand.New(rand.NewPCG(seed, 7))
			var all lineRuns
			var want []int
			shift := 0
			for k, n := range parts {
				ls := lines(rng, n)
				if k == 0 {
					for i, l := range ls {
						all.add(i, l)
					}
				} else {
					var part lineRuns
					for i, l := range ls {
						part.add(i, l)
					}
					all.appendShifted(&part, len(want), shift)
				}
				for _, l := range ls {
					want = append(want, l+shift)
				}
				if n > 0 {
					shift = want[len(want)-1] - 1
				}
			}
			got := make([]int, len(want))
			for i := range got {
				got[i] = all.at(i)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Logf("parts %v (-want +got):\n%s", parts, d)
				return false
			}
			// One run per change of line - index, no more.
			runs := 0
			for i := range want {
				if i == 0 || want[i]-i != want[i-1]-(i-1) {
					runs++
				}
			}
			return len(all.starts) == runs && len(all.deltas) == runs
		},
		gen.UInt64(), gen.SliceOfN(4, gen.IntRange(0, 300)),
	))
	properties.TestingRun(t)
}
