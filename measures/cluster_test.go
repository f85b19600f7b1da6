package measures

import (
	"math"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// sums returns Σy, Σn, m, Σy², Σn², Σyn of clusters (y_i, n_i).
func sums(y, n []int64) (num, den, m, yy, nn, yn int64) {
	for i := range y {
		num, den, m = num+y[i], den+n[i], m+1
		yy, nn, yn = yy+y[i]*y[i], nn+n[i]*n[i], yn+y[i]*n[i]
	}
	return
}

// TestDesignEffectProperties: clusters of one event give a design effect
// of 1 (the intervals are then exactly Wilson's and Garwood's); repeating
// every event of every cluster k times multiplies the design effect by k
// (Σ(y − Rn)² grows by k², the independent variance's N or O by k); the
// design effect is never below 1; the effective intervals contain the
// plain ones.
func TestDesignEffectProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	params.Rng.Seed(2)
	props := gopter.NewProperties(params)
	props.Property("design effect", prop.ForAll(
		func(sizes, hits []int, k int, rate bool) bool {
			n := min(len(sizes), len(hits))
			y1, n1 := make([]int64, n), make([]int64, n)
			y, ns, yk, nk := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
			for i := range n {
				y1[i], n1[i] = int64(hits[i]%2), 1
				ns[i] = int64(sizes[i])
				y[i] = int64(hits[i]) % (ns[i] + 1)
				if rate {
					y[i] = int64(hits[i])
				}
				yk[i], nk[i] = y[i]*int64(k), ns[i]*int64(k)
			}
			num, den, m, yy, nn, yn := sums(y1, n1)
			if d := DesignEffect(num, den, m, yy, nn, yn, false); d != 1 {
				return false
			}
			if WilsonEffective(num, den, 1, 0.95) != Wilson(num, den, 0.95) {
				return false
			}
			num, den, m, yy, nn, yn = sums(y, ns)
			d := DesignEffect(num, den, m, yy, nn, yn, rate)
			numK, denK, mK, yyK, nnK, ynK := sums(yk, nk)
			dk := DesignEffect(numK, denK, mK, yyK, nnK, ynK, rate)
			if d < 1 || dk < 1 {
				return false
			}
			if d > 1.001 && math.Abs(dk-float64(k)*d) > 1e-6*dk {
				return false
			}
			if rate {
				a, b := ExactPoisson(num, 0.95), ExactPoissonEffective(num, d, 0.95)
				return b.Low <= a.Low+1e-9 && b.High >= a.High-1e-9
			}
			a, b := Wilson(num, den, 0.95), WilsonEffective(num, den, d, 0.95)
			return b.Low <= a.Low+1e-12 && b.High >= a.High-1e-12
		},
		gen.SliceOfN(30, gen.IntRange(1, 12)), gen.SliceOfN(30, gen.IntRange(0, 12)), gen.IntRange(2, 5), gen.Bool(),
	))
	props.TestingRun(t)
}
