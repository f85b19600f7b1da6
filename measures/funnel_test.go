package measures

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// slowExactLimit is Spiegelhalter's (2005, appendix A.1.1) interpolated
// limit computed the obvious way: tabulate the probabilities pmf(0),
// pmf(1), … directly, accumulate them until the cumulative probability
// reaches prob (the quantile r_p), then α = (F(r_p) − prob)/pmf(r_p) and
// the limit is (r_p − α)/n.
func slowExactLimit(pmf func(int64) float64, prob, n float64) float64 {
	cum := 0.0
	for r := int64(0); ; r++ {
		p := pmf(r)
		cum += p
		if cum >= prob {
			alpha := (cum - prob) / p
			return (float64(r) - alpha) / n
		}
	}
}

func slowBinomialPMF(n int64, p float64) func(int64) float64 {
	return func(r int64) float64 {
		if r > n {
			return 0
		}
		// log C(n, r) by summing logs, independent of Lgamma.
		lc := 0.0
		for i := int64(1); i <= r; i++ {
			lc += math.Log(float64(n-r+i)) - math.Log(float64(i))
		}
		return math.Exp(lc + float64(r)*math.Log(p) + float64(n-r)*math.Log(1-p))
	}
}

func slowPoissonPMF(mu float64) func(int64) float64 {
	return func(r int64) float64 {
		lf := 0.0
		for i := int64(2); i <= r; i++ {
			lf += math.Log(float64(i))
		}
		return math.Exp(float64(r)*math.Log(mu) - mu - lf)
	}
}

func slowLimits(target, n float64, kind FunnelKind) Limits {
	pmf := slowPoissonPMF(target * n)
	if kind == FunnelProportion {
		pmf = slowBinomialPMF(int64(n), target)
	}
	clip := func(x float64) float64 {
		x = math.Max(0, x)
		if kind == FunnelProportion {
			x = math.Min(1, x)
		}
		return x
	}
	return Limits{
		Lower95:  clip(slowExactLimit(pmf, 0.025, n)),
		Upper95:  clip(slowExactLimit(pmf, 0.975, n)),
		Lower998: clip(slowExactLimit(pmf, 0.001, n)),
		Upper998: clip(slowExactLimit(pmf, 0.999, n)),
	}
}

func TestFunnelLimitsWorked(t *testing.T) {
	tests := []struct {
		name   string
		target float64
		n      float64
		kind   FunnelKind
		opts   FunnelOptions
		want   Limits
		tol    float64
	}{
		// Binomial(100, 0.1), from a printed binomial table:
		// F(4) = 0.0237, F(5) = 0.0576, F(15) = 0.9601, F(16) = 0.9794, so
		// R's qbinom(0.025, 100, 0.1) = 5 and qbinom(0.975, 100, 0.1) = 16,
		// and the interpolated limits are (5 − (0.0576 − 0.025)/0.0339)/100 ≈
		// 0.0404 and (16 − (0.9794 − 0.975)/0.0193)/100 ≈ 0.1577.
		{"binomial 100 x 0.1 exact 95", 0.1, 100, FunnelProportion, FunnelOptions{},
			Limits{0.0404, 0.1577, FunnelLimits(0.1, 100, FunnelProportion, FunnelOptions{}).Lower998,
				FunnelLimits(0.1, 100, FunnelProportion, FunnelOptions{}).Upper998}, 1e-4},
		// Normal approximation: 0.1 ± z·√(0.1·0.9/100) = 0.1 ± z·0.03.
		{"binomial 100 x 0.1 normal", 0.1, 100, FunnelProportion, FunnelOptions{Method: FunnelNormal},
			Limits{0.1 - 1.959963984540054*0.03, 0.1 + 1.959963984540054*0.03,
				0.1 - 3.090232306167814*0.03, 0.1 + 3.090232306167814*0.03}, 1e-14},
		// Standardised ratio with E = 100 expected, normal: 1 ± z/10.
		{"SMR E=100 normal", 1, 100, FunnelRate, FunnelOptions{Method: FunnelNormal},
			Limits{1 - 0.1959963984540054, 1 + 0.1959963984540054, 1 - 0.3090232306167814, 1 + 0.3090232306167814}, 1e-14},
		// Multiplicative φ = 4 doubles the normal half-width (lower limits
		// clipped at 0).
		{"multiplicative phi 4", 0.1, 100, FunnelProportion, FunnelOptions{Model: Multiplicative, Overdispersion: Overdispersion{Phi: 4}},
			Limits{0, 0.1 + 2*1.959963984540054*0.03, 0, 0.1 + 2*3.090232306167814*0.03}, 1e-14},
		// φ < 1 never narrows.
		{"multiplicative phi 0.5", 0.1, 100, FunnelProportion, FunnelOptions{Model: Multiplicative, Overdispersion: Overdispersion{Phi: 0.5}},
			Limits{0.1 - 1.959963984540054*0.03, 0.1 + 1.959963984540054*0.03,
				0.1 - 3.090232306167814*0.03, 0.1 + 3.090232306167814*0.03}, 1e-14},
		// Additive τ² = 0.0016: s² + τ² = 0.0009 + 0.0016 = 0.05².
		{"additive tau2", 0.1, 100, FunnelProportion, FunnelOptions{Model: Additive, Overdispersion: Overdispersion{Tau2: 0.0016}},
			Limits{0.1 - 1.959963984540054*0.05, 0.1 + 1.959963984540054*0.05, 0, 0.1 + 3.090232306167814*0.05}, 1e-14},
		{"degenerate target 0", 0, 50, FunnelProportion, FunnelOptions{}, Limits{0, 0, 0, 0}, 0},
		{"degenerate target 1", 1, 50, FunnelProportion, FunnelOptions{}, Limits{1, 1, 1, 1}, 0},
		{"zero rate", 0, 50, FunnelRate, FunnelOptions{}, Limits{0, 0, 0, 0}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FunnelLimits(tc.target, tc.n, tc.kind, tc.opts)
			if diff := cmp.Diff(tc.want, got, approx(tc.tol)); diff != "" {
				t.Errorf("FunnelLimits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFunnelLimitsSlowReference(t *testing.T) {
	for _, n := range []float64{1, 2, 5, 10, 37, 100, 263, 1000, 5000} {
		for _, p := range []float64{0.001, 0.05, 0.1, 0.3, 0.5, 0.8, 0.99} {
			got := FunnelLimits(p, n, FunnelProportion, FunnelOptions{})
			want := slowLimits(p, n, FunnelProportion)
			if diff := cmp.Diff(want, got, approx(1e-9)); diff != "" {
				t.Errorf("proportion p=%g n=%g (-slow +got):\n%s", p, n, diff)
			}
		}
	}
	for _, n := range []float64{0.5, 3.3, 10, 100, 1234.5, 20000} {
		for _, rate := range []float64{0.001, 0.05, 0.25, 1, 3} {
			if rate*n > 2000 {
				continue
			}
			got := FunnelLimits(rate, n, FunnelRate, FunnelOptions{})
			want := slowLimits(rate, n, FunnelRate)
			if diff := cmp.Diff(want, got, approx(1e-9)); diff != "" {
				t.Errorf("rate %g n=%g (-slow +got):\n%s", rate, n, diff)
			}
		}
	}
}

func TestFunnelLimitsInvalid(t *testing.T) {
	nan := math.NaN()
	bad := Limits{nan, nan, nan, nan}
	tests := []struct {
		name      string
		target, n float64
		kind      FunnelKind
		opts      FunnelOptions
	}{
		{"n zero", 0.1, 0, FunnelProportion, FunnelOptions{}},
		{"n negative", 0.1, -3, FunnelRate, FunnelOptions{}},
		{"n rounds to zero", 0.1, 0.4, FunnelProportion, FunnelOptions{}},
		{"proportion above 1", 1.2, 10, FunnelProportion, FunnelOptions{}},
		{"negative rate", -1, 10, FunnelRate, FunnelOptions{}},
		{"unknown kind", 0.1, 10, FunnelKind(9), FunnelOptions{}},
		{"unknown method", 0.1, 10, FunnelProportion, FunnelOptions{Method: 7}},
		{"unknown model", 0.1, 10, FunnelProportion, FunnelOptions{Model: 7}},
		{"NaN target", nan, 10, FunnelRate, FunnelOptions{}},
	}
	for _, tc := range tests {
		got := FunnelLimits(tc.target, tc.n, tc.kind, tc.opts)
		if diff := cmp.Diff(bad, got, approx(0)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestEstimateOverdispersionWorked(t *testing.T) {
	// Five units of 100 person-years around a target rate of 1: s = 0.1,
	// z = −2, −1, 0, 1, 2. Type-7 10 %/90 % percentiles (R:
	// quantile(-2:2, c(.1, .9)) = −1.6, 1.6), Winsorised z² sum
	// 2.56 + 1 + 0 + 1 + 2.56 = 7.12, φ = 7.12/5 = 1.424.
	// DerSimonian–Laird: w = 100 each, Σw = 500, Σw²/Σw = 100,
	// τ² = (5·1.424 − 4)/(500 − 100) = 3.12/400 = 0.0078.
	// p = P(χ²₄ ≥ 7.12) = e^{−3.56}(1 + 3.56).
	points := []FunnelPoint{{80, 100}, {90, 100}, {100, 100}, {110, 100}, {120, 100}}
	got := EstimateOverdispersion(points, 1, FunnelRate)
	want := Overdispersion{Phi: 1.424, Tau2: 0.0078, Points: 5, PValue: math.Exp(-3.56) * 4.56}
	if diff := cmp.Diff(want, got, approx(1e-12)); diff != "" {
		t.Errorf("EstimateOverdispersion (-want +got):\n%s", diff)
	}

	// Proportions with unequal sizes, against a direct transcription of
	// the formulas (Spiegelhalter 2005 §3.5; 2012 eq. for τ²).
	pts := []FunnelPoint{{5, 40}, {30, 120}, {12, 60}, {50, 400}, {3, 10}, {70, 300}, {9, 90}, {44, 150}, {20, 200}, {8, 25}, {15, 75}}
	const p0 = 0.15
	zs := make([]float64, len(pts))
	var sw, sw2 float64
	for i, pt := range pts {
		s2 := p0 * (1 - p0) / pt.Denominator
		zs[i] = (pt.Numerator/pt.Denominator - p0) / math.Sqrt(s2)
		sw += 1 / s2
		sw2 += 1 / (s2 * s2)
	}
	// 11 points: type-7 10 % quantile is the 2nd smallest, 90 % the 2nd largest.
	sorted := append([]float64(nil), zs...)
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			if sorted[j] < sorted[i] {
				sorted[i], sorted[j] = sorted[j], sorted[i]
			}
		}
	}
	lo, hi := sorted[1], sorted[9]
	var sz float64
	for _, z := range zs {
		z = math.Max(lo, math.Min(hi, z))
		sz += z * z
	}
	phi := sz / 11
	tau2 := math.Max(0, (11*phi-10)/(sw-sw2/sw))
	got = EstimateOverdispersion(pts, p0, FunnelProportion)
	if diff := cmp.Diff(Overdispersion{Phi: phi, Tau2: tau2, Points: 11}, got, approx(1e-12),
		cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".PValue" }, cmp.Ignore())); diff != "" {
		t.Errorf("EstimateOverdispersion proportions (-want +got):\n%s", diff)
	}
}

func TestEstimateOverdispersionEdges(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		points []FunnelPoint
		target float64
		kind   FunnelKind
		want   Overdispersion
	}{
		{"no points", nil, 0.1, FunnelProportion, Overdispersion{Phi: 1, PValue: 1}},
		{"one usable point", []FunnelPoint{{1, 10}, {1, 0}, {2, -5}}, 0.1, FunnelProportion, Overdispersion{Phi: 1, Points: 1, PValue: 1}},
		{"degenerate target", []FunnelPoint{{1, 10}, {2, 10}}, 0, FunnelProportion, Overdispersion{Phi: nan, Tau2: nan, PValue: nan}},
		{"no dispersion", []FunnelPoint{{10, 100}, {20, 200}, {5, 50}}, 0.1, FunnelProportion, Overdispersion{Phi: 0, Tau2: 0, Points: 3, PValue: 1}},
	}
	for _, tc := range tests {
		got := EstimateOverdispersion(tc.points, tc.target, tc.kind)
		if diff := cmp.Diff(tc.want, got, approx(1e-12)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestEstimateOverdispersionOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([]FunnelPoint, 200)
	for i := range pts {
		d := float64(20 + rng.IntN(2000))
		pts[i] = FunnelPoint{Numerator: math.Round(d * (0.05 + 0.2*rng.Float64())), Denominator: d}
	}
	want := EstimateOverdispersion(pts, 0.15, FunnelProportion)
	for k := 0; k < 5; k++ {
		rng.Shuffle(len(pts), func(i, j int) { pts[i], pts[j] = pts[j], pts[i] })
		if diff := cmp.Diff(want, EstimateOverdispersion(pts, 0.15, FunnelProportion)); diff != "" {
			t.Fatalf("result depends on order (-first +shuffled):\n%s", diff)
		}
	}
	if !(want.Phi > 1 && want.Tau2 > 0 && want.PValue < 1e-6) {
		t.Errorf("strongly overdispersed data: got %+v", want)
	}
}

func TestLimitsPosition(t *testing.T) {
	l := Limits{Lower95: 0.2, Upper95: 0.4, Lower998: 0.1, Upper998: 0.5}
	tests := []struct {
		v    float64
		want FunnelPosition
	}{
		{0.05, Below998}, {0.1, Below95}, {0.15, Below95}, {0.2, Within}, {0.3, Within},
		{0.4, Within}, {0.45, Above95}, {0.5, Above95}, {0.51, Above998},
	}
	for _, tc := range tests {
		if got := l.Position(tc.v); got != tc.want {
			t.Errorf("Position(%g) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

func TestFunnelCurve(t *testing.T) {
	// Exact proportions: whole n, no repeats, both ends present.
	c := FunnelCurve(0.2, 1, 50, 100, FunnelProportion, FunnelOptions{})
	if c[0].N != 1 || c[len(c)-1].N != 50 {
		t.Errorf("ends: got %g…%g, want 1…50", c[0].N, c[len(c)-1].N)
	}
	for i, pt := range c {
		if pt.N != math.Round(pt.N) || (i > 0 && pt.N <= c[i-1].N) {
			t.Fatalf("point %d: N = %g not whole and increasing", i, pt.N)
		}
		if diff := cmp.Diff(FunnelLimits(0.2, pt.N, FunnelProportion, FunnelOptions{}), pt.Limits); diff != "" {
			t.Fatalf("point %d differs from FunnelLimits:\n%s", i, diff)
		}
	}
	// Rates: steps+1 geometric points.
	r := FunnelCurve(1, 1, 1000, 3, FunnelRate, FunnelOptions{Method: FunnelNormal})
	var ns []float64
	for _, pt := range r {
		ns = append(ns, pt.N)
	}
	if diff := cmp.Diff([]float64{1, 10, 100, 1000}, ns, approx(1e-9)); diff != "" {
		t.Errorf("rate curve sizes (-want +got):\n%s", diff)
	}
	for _, bad := range [][2]float64{{0, 10}, {10, 5}, {-1, 10}} {
		if got := FunnelCurve(0.1, bad[0], bad[1], 10, FunnelRate, FunnelOptions{}); got != nil {
			t.Errorf("FunnelCurve(min %g, max %g) = %v, want nil", bad[0], bad[1], got)
		}
	}
	if got := FunnelCurve(0.1, 1, 10, 0, FunnelRate, FunnelOptions{}); got != nil {
		t.Errorf("FunnelCurve(steps 0) = %v, want nil", got)
	}
}

func TestFunnelProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	params.Rng.Seed(20261123)
	props := gopter.NewProperties(params)

	ordered := func(l Limits) bool {
		return l.Lower998 <= l.Lower95 && l.Lower95 <= l.Upper95 && l.Upper95 <= l.Upper998
	}
	methods := []FunnelOptions{{}, {Method: FunnelNormal},
		{Model: Multiplicative, Overdispersion: Overdispersion{Phi: 2.5}},
		{Model: Additive, Overdispersion: Overdispersion{Tau2: 0.001}}}

	props.Property("99.8 % limits contain the 95 % limits (proportions)", prop.ForAll(func(p float64, n int64) bool {
		for _, o := range methods {
			l := FunnelLimits(p, float64(n), FunnelProportion, o)
			if !ordered(l) || l.Lower998 < 0 || l.Upper998 > 1 {
				return false
			}
		}
		return true
	}, gen.Float64Range(0.001, 0.999), gen.Int64Range(1, 20000)))

	props.Property("99.8 % limits contain the 95 % limits (rates)", prop.ForAll(func(rate, n float64) bool {
		for _, o := range methods {
			l := FunnelLimits(rate, n, FunnelRate, o)
			if !ordered(l) || l.Lower998 < 0 {
				return false
			}
		}
		return true
	}, gen.Float64Range(0.0001, 5), gen.Float64Range(0.1, 50000)))

	props.Property("normal limits contain the target and narrow as n grows", prop.ForAll(func(p float64, n int64, k int64) bool {
		o := FunnelOptions{Method: FunnelNormal}
		a := FunnelLimits(p, float64(n), FunnelProportion, o)
		b := FunnelLimits(p, float64(n*k), FunnelProportion, o)
		return a.Lower95 <= p && p <= a.Upper95 && b.Upper95-b.Lower95 < a.Upper95-a.Lower95 &&
			b.Upper998 <= a.Upper998 && b.Lower998 >= a.Lower998
	}, gen.Float64Range(0.01, 0.99), gen.Int64Range(10, 10000), gen.Int64Range(2, 10)))

	props.Property("exact limits approach the normal ones for large expected counts", prop.ForAll(func(p float64, n int64) bool {
		if float64(n)*p < 1000 || float64(n)*(1-p) < 1000 {
			return true
		}
		e := FunnelLimits(p, float64(n), FunnelProportion, FunnelOptions{})
		a := FunnelLimits(p, float64(n), FunnelProportion, FunnelOptions{Method: FunnelNormal})
		half := a.Upper998 - p
		return math.Abs(e.Upper998-a.Upper998) < 0.06*half && math.Abs(e.Lower998-a.Lower998) < 0.06*half &&
			e.Lower95 <= p && p <= e.Upper95
	}, gen.Float64Range(0.05, 0.95), gen.Int64Range(20000, 200000)))

	props.TestingRun(t)
}

func BenchmarkFunnelLimits(b *testing.B) {
	for _, n := range []float64{100, 10_000, 1_000_000} {
		b.Run(fmt.Sprintf("proportion-exact/%g", n), func(b *testing.B) {
			for b.Loop() {
				FunnelLimits(0.2, n, FunnelProportion, FunnelOptions{})
			}
		})
		b.Run(fmt.Sprintf("rate-exact/%g", n), func(b *testing.B) {
			for b.Loop() {
				FunnelLimits(0.3, n, FunnelRate, FunnelOptions{})
			}
		})
	}
}

func BenchmarkFunnelCurve(b *testing.B) {
	for b.Loop() {
		FunnelCurve(0.2, 10, 20000, 200, FunnelProportion, FunnelOptions{})
	}
}

// FuzzFunnelLimits checks that valid arguments give ordered limits in range.
func FuzzFunnelLimits(f *testing.F) {
	f.Add(0.1, 100.0, uint8(0), uint8(0), 1.5, 0.001)
	f.Add(0.9, 3.0, uint8(0), uint8(1), 0.0, 0.0)
	f.Add(2.5, 0.7, uint8(1), uint8(0), 3.0, 0.2)
	f.Fuzz(func(t *testing.T, target, n float64, kind, method uint8, phi, tau2 float64) {
		k := FunnelKind(kind % 2)
		if !(n > 0 && n < 1e7) || !(target >= 0 && target < 1e3) || (k == FunnelProportion && target > 1) ||
			math.IsNaN(phi) || math.IsNaN(tau2) || math.Abs(phi) > 1e6 || math.Abs(tau2) > 1e6 {
			return
		}
		if k == FunnelRate && target*n > 1e7 {
			return
		}
		opts := FunnelOptions{Method: FunnelMethod(method % 2), Model: OverdispersionModel(method / 2 % 3),
			Overdispersion: Overdispersion{Phi: phi, Tau2: tau2}}
		l := FunnelLimits(target, n, k, opts)
		if k == FunnelProportion && opts.Method == FunnelExact && opts.Model == NoOverdispersion && math.Round(n) < 1 {
			if !math.IsNaN(l.Lower95) {
				t.Fatalf("exact proportion limits for n = %g (rounds to 0) = %+v, want NaN", n, l)
			}
			return
		}
		ok := l.Lower998 <= l.Lower95 && l.Lower95 <= l.Upper95 && l.Upper95 <= l.Upper998 && l.Lower998 >= 0
		if k == FunnelProportion {
			ok = ok && l.Upper998 <= 1
		}
		if !ok {
			t.Fatalf("FunnelLimits(%g, %g, %d, %+v) = %+v", target, n, k, opts, l)
		}
	})
}
