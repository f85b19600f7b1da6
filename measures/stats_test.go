package measures

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
)

// approx compares floats to an absolute tolerance (NaN equals NaN).
func approx(tol float64) cmp.Option {
	return cmp.Options{cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()}
}

// relApprox compares floats to a relative tolerance.
func relApprox(tol float64) cmp.Option {
	return cmp.Options{cmpopts.EquateApprox(tol, 0), cmpopts.EquateNaNs()}
}

func TestNormalQuantile(t *testing.T) {
	// Reference values: R qnorm() (and every printed normal table):
	// qnorm(0.975) = 1.959963984540054, qnorm(0.999) = 3.090232306167814,
	// qnorm(0.995) = 2.575829303548901, qnorm(0.9) = 1.281551565544601,
	// qnorm(1e-10) = -6.361340902404056.
	tests := []struct {
		p, want float64
	}{
		{0.5, 0},
		{0.975, 1.959963984540054},
		{0.025, -1.959963984540054},
		{0.999, 3.090232306167814},
		{0.001, -3.090232306167814},
		{0.995, 2.575829303548901},
		{0.9, 1.281551565544601},
		{1e-10, -6.361340902404056},
		{0, math.Inf(-1)},
		{1, math.Inf(1)},
		{-0.1, math.NaN()},
		{1.1, math.NaN()},
		{math.NaN(), math.NaN()},
	}
	for _, tc := range tests {
		got := NormalQuantile(tc.p)
		if diff := cmp.Diff(tc.want, got, approx(1e-14)); diff != "" {
			t.Errorf("NormalQuantile(%g) mismatch (-want +got):\n%s", tc.p, diff)
		}
	}
}

// TestNormalQuantileRoundTrip checks Φ(Φ⁻¹(p)) = p, with Φ from math.Erfc
// (an independent implementation), over tails down to 1e-300.
func TestNormalQuantileRoundTrip(t *testing.T) {
	for e := -300.0; e <= -0.31; e += 0.37 {
		for _, p := range []float64{math.Pow(10, e), 1 - math.Pow(10, e)} {
			if p == 1 {
				continue
			}
			z := NormalQuantile(p)
			back := 0.5 * math.Erfc(-z/math.Sqrt2)
			tail, backTail := p, back
			if p > 0.5 {
				tail, backTail = 1-p, 0.5*math.Erfc(z/math.Sqrt2)
			}
			if rel := math.Abs(backTail-tail) / tail; rel > 1e-12 {
				t.Errorf("p=%g: Φ(Φ⁻¹(p)) tail %g, want %g (rel %g)", p, backTail, tail, rel)
			}
			_ = back
		}
	}
}

func TestWilsonPublished(t *testing.T) {
	tests := []struct {
		name   string
		x, n   int64
		level  float64
		want   Interval
		tol    float64
		source string
	}{
		// R: prop.test(81, 263, correct = FALSE)$conf.int → 0.2552885 0.3662096.
		// Newcombe (1998) "Two-sided confidence intervals for the single
		// proportion", Stat Med 17:857–872, Table I method 3 (score): 0.2553–0.3662.
		{"R prop.test 81/263", 81, 263, 0.95, Interval{0.2552885, 0.3662096}, 5e-8, "R"},
		// Newcombe (1998) Table I, method 3, to 4 decimals.
		{"Newcombe 15/148", 15, 148, 0.95, Interval{0.0624, 0.1605}, 5e-5, "Newcombe"},
		{"Newcombe 0/20", 0, 20, 0.95, Interval{0, 0.1611}, 5e-5, "Newcombe"},
		{"Newcombe 1/29", 1, 29, 0.95, Interval{0.0061, 0.1718}, 5e-5, "Newcombe"},
		{"Newcombe 29/29", 29, 29, 0.95, Interval{0.8830, 1}, 5e-5, "Newcombe"},
		// PHEindicatormethods tests/testthat/testdata_Proportion.xlsx, sheet
		// testdata_Prop (phe_proportion, Wilson; full precision).
		{"PHE Area1 95", 1, 100, 0.95, Interval{1.7674320641406511e-3, 5.4486196178705294e-2}, 1e-12, "PHE"},
		{"PHE Area1 99.8", 1, 100, 0.998, Interval{8.73065697299977e-4, 0.10455445283705821}, 1e-12, "PHE"},
		{"PHE Area2 95", 5, 100, 0.95, Interval{2.154367915436798e-2, 0.11175046923191911}, 1e-12, "PHE"},
		{"PHE Area2 99.8", 5, 100, 0.998, Interval{1.3865320725997183e-2, 0.16458852282596442}, 1e-12, "PHE"},
		{"PHE Area3 95", 20, 100, 0.95, Interval{0.1333669333310325, 0.28882916559315885}, 1e-12, "PHE"},
		{"PHE Area3 99.8", 20, 100, 0.998, Interval{0.10519162066711432, 0.3471109417008601}, 1e-12, "PHE"},
		{"PHE Area4 95", 65, 100, 0.95, Interval{0.55254443296887967, 0.73635751756902468}, 1e-12, "PHE"},
		{"PHE Area4 99.8", 65, 100, 0.998, Interval{0.49549465740704313, 0.77835406140896968}, 1e-12, "PHE"},
		{"PHE Area5 95", 9856, 12345, 0.95, Interval{0.79121017529090687, 0.80536400736149094}, 1e-12, "PHE"},
		{"PHE Area5 99.8", 9856, 12345, 0.998, Interval{0.7869924108419063, 0.80930614125896261}, 1e-12, "PHE"},
		{"PHE Area6 95", 7776456, 7564336677, 0.95, Interval{1.0273201001641094e-3, 1.0287644578977231e-3}, 1e-12, "PHE"},
		{"PHE Area6 99.8", 7776456, 7564336677, 0.998, Interval{1.0269040118442213e-3, 1.0291812992698397e-3}, 1e-12, "PHE"},
		{"PHE Area7 95", 222, 3215, 0.95, Interval{6.0791690363636595e-2, 7.8339566813836331e-2}, 1e-12, "PHE"},
		{"PHE Area7 99.8", 222, 3215, 0.998, Interval{5.647101964624248e-2, 8.4184141852701344e-2}, 1e-12, "PHE"},
		{"PHE Area8 95", 999, 3456, 0.95, Interval{0.27418951080009873, 0.30440389662818057}, 1e-12, "PHE"},
		{"PHE Area8 99.8", 999, 3456, 0.998, Interval{0.26583995768074953, 0.31344754492799848}, 1e-12, "PHE"},
		// PHEindicatormethods tests/testthat/testdata_Byars_Wilson.xlsx (Wilson rows).
		{"PHE B_W 1045/5000 95", 1045, 5000, 0.95, Interval{0.19795549880013297, 0.22049130373189027}, 1e-12, "PHE"},
		{"PHE B_W 1045/5000 99.8", 1045, 5000, 0.998, Interval{0.19179381799015244, 0.22731562902525818}, 1e-12, "PHE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Wilson(tc.x, tc.n, tc.level)
			if diff := cmp.Diff(tc.want, got, approx(tc.tol)); diff != "" {
				t.Errorf("Wilson(%d, %d, %g) vs %s (-want +got):\n%s", tc.x, tc.n, tc.level, tc.source, diff)
			}
		})
	}
}

func TestWilsonCCPublished(t *testing.T) {
	// Newcombe (1998) Table I, method 4 (score with continuity correction),
	// to 4 decimals. These equal R's prop.test(x, n, correct = TRUE).
	tests := []struct {
		x, n int64
		want Interval
	}{
		{81, 263, Interval{0.2535, 0.3682}},
		{15, 148, Interval{0.0598, 0.1644}},
		{0, 20, Interval{0, 0.2005}},
		{1, 29, Interval{0.0018, 0.1963}},
	}
	for _, tc := range tests {
		got := WilsonCC(tc.x, tc.n, 0.95)
		if diff := cmp.Diff(tc.want, got, approx(5e-5)); diff != "" {
			t.Errorf("WilsonCC(%d, %d) (-want +got):\n%s", tc.x, tc.n, diff)
		}
	}
}

// bisect finds the root of f on [lo, hi], where f(lo) is on the side given
// by loPositive (zero counts as the other side) and f(hi) on the opposite.
func bisect(f func(float64) float64, lo, hi float64, loPositive bool) float64 {
	for i := 0; i < 300; i++ {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		if (f(mid) > 0) == loPositive {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// slowWilson inverts the score test by bisection: the bounds are the p with
// |p̂ − p| − cc/n = z·√(p(1−p)/n), cc = 0 (Wilson) or ½ (continuity
// corrected). The normal quantile comes from math.Erfcinv, not from
// NormalQuantile.
func slowWilson(x, n int64, level, cc float64) Interval {
	z := math.Sqrt2 * math.Erfcinv(1-level)
	fn := float64(n)
	ph := float64(x) / fn
	score := func(p float64) float64 {
		return math.Abs(ph-p) - cc/fn - z*math.Sqrt(p*(1-p)/fn)
	}
	// The score is positive at 0 (x > 0) and at 1 (x < n), and not
	// positive on [p̂ − cc/n, p̂ + cc/n].
	low, high := 0.0, 1.0
	if x > 0 {
		low = bisect(score, 0, math.Max(0, ph-cc/fn), true)
	}
	if x < n {
		high = bisect(score, math.Min(1, ph+cc/fn), 1, false)
	}
	return Interval{low, high}
}

func TestWilsonSlowReference(t *testing.T) {
	cases := [][2]int64{{0, 1}, {1, 1}, {0, 7}, {3, 7}, {7, 7}, {1, 29}, {29, 29}, {15, 148}, {81, 263},
		{500, 1000}, {1, 10000}, {9999, 10000}, {12, 30}, {3, 1_000_000}}
	for _, c := range cases {
		for _, level := range []float64{0.95, 0.998, 0.9} {
			if got, want := Wilson(c[0], c[1], level), slowWilson(c[0], c[1], level, 0); cmp.Diff(want, got, approx(1e-9)) != "" {
				t.Errorf("Wilson(%d, %d, %g) = %v, slow reference %v", c[0], c[1], level, got, want)
			}
			if got, want := WilsonCC(c[0], c[1], level), slowWilson(c[0], c[1], level, 0.5); cmp.Diff(want, got, approx(1e-9)) != "" {
				t.Errorf("WilsonCC(%d, %d, %g) = %v, slow reference %v", c[0], c[1], level, got, want)
			}
		}
	}
}

func TestExactPoissonPublished(t *testing.T) {
	tests := []struct {
		name  string
		x     int64
		level float64
		want  Interval
		tol   float64
	}{
		// R: poisson.test(10)$conf.int → 4.795389 18.390356.
		{"R poisson.test 10", 10, 0.95, Interval{4.795389, 18.390356}, 5e-7},
		// R: poisson.test(0)$conf.int → 0.000000 3.688879 (= −ln 0.025).
		{"R poisson.test 0", 0, 0.95, Interval{0, 3.688879}, 5e-7},
		{"closed form 0", 0, 0.95, Interval{0, -math.Log(0.025)}, 1e-14},
		{"closed form 0 at 99.8", 0, 0.998, Interval{0, -math.Log(0.001)}, 1e-13},
		// PHEindicatormethods tests/testthat/testdata_Rate.xlsx, "Exact"
		// rows (rates per 100 on a denominator of 100, i.e. the count CI).
		{"PHE Rate Area1 95", 1, 0.95, Interval{2.5317807984289897e-2, 5.571643390938898}, 1e-12},
		{"PHE Rate Area1 99.8", 1, 0.998, Interval{1.0005003335835344e-3, 9.2334134764515845}, 1e-12},
		{"PHE Rate Area2 95", 5, 0.95, Interval{1.62348639011842, 11.668332079322669}, 1e-11},
		{"PHE Rate Area2 99.8", 5, 0.998, Interval{0.739371731917839, 16.454745203680105}, 1e-11},
		// testdata_Rate.xlsx sheet testdata_Rate_g, Area1: 2 events per 200,
		// per 100,000 → 121.10463927198258, 3612.3438338619794.
		{"PHE Rate_g Area1", 2, 0.95, Interval{121.10463927198258 * 200 / 1e5, 3612.3438338619794 * 200 / 1e5}, 1e-11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ExactPoisson(tc.x, tc.level)
			if diff := cmp.Diff(tc.want, got, approx(tc.tol)); diff != "" {
				t.Errorf("ExactPoisson(%d, %g) (-want +got):\n%s", tc.x, tc.level, diff)
			}
		})
	}
}

// slowPoissonCDF sums the Poisson probabilities P(X ≤ k; mu) term by term.
func slowPoissonCDF(k int64, mu float64) float64 {
	if k < 0 {
		return 0
	}
	sum := 0.0
	for j := int64(0); j <= k; j++ {
		lj, _ := math.Lgamma(float64(j) + 1)
		sum += math.Exp(float64(j)*math.Log(mu) - mu - lj)
	}
	return sum
}

// slowExactPoisson solves the defining tail equations of the Garwood
// interval by bisection on the directly summed Poisson distribution:
// P(X ≥ x; Low) = α/2 and P(X ≤ x; High) = α/2.
func slowExactPoisson(x int64, level float64) Interval {
	a := (1 - level) / 2
	top := float64(x) + 20*math.Sqrt(float64(x)+1) + 50
	low := 0.0
	if x > 0 {
		low = bisect(func(mu float64) float64 { return (1 - slowPoissonCDF(x-1, mu)) - a }, 1e-12, top, false)
	}
	high := bisect(func(mu float64) float64 { return a - slowPoissonCDF(x, mu) }, 1e-12, top, false)
	return Interval{low, high}
}

func TestExactPoissonSlowReference(t *testing.T) {
	for _, x := range []int64{0, 1, 2, 3, 4, 5, 9, 10, 17, 50, 100, 333, 1000, 2500} {
		for _, level := range []float64{0.95, 0.998, 0.8} {
			got, want := ExactPoisson(x, level), slowExactPoisson(x, level)
			if diff := cmp.Diff(want, got, relApprox(1e-9)); diff != "" {
				t.Errorf("ExactPoisson(%d, %g) vs slow reference (-want +got):\n%s", x, level, diff)
			}
		}
	}
}

// TestGammaLargeShape checks the incomplete gamma and its quantile at a
// count as large as a whole region's contacts, against the normal
// approximation with Wilson–Hilferty skew correction (error O(1/x)).
func TestGammaLargeShape(t *testing.T) {
	x := int64(7776456) // PHE testdata_Rate Area6
	got := ExactPoisson(x, 0.95)
	z := 1.959963984540054
	wh := func(a, z float64) float64 { return a * math.Pow(1-1/(9*a)+z/math.Sqrt(9*a), 3) }
	want := Interval{wh(float64(x), -z), wh(float64(x)+1, z)}
	if diff := cmp.Diff(want, got, relApprox(1e-9)); diff != "" {
		t.Errorf("ExactPoisson(%d) (-Wilson–Hilferty +got):\n%s", x, diff)
	}
}

func TestPoissonRate(t *testing.T) {
	tests := []struct {
		name                 string
		x                    int64
		exposure, per, level float64
		want                 Interval
	}{
		// 10 ED visits over 2,000 person-years per 1,000: poisson.test(10) / 2.
		{"per 1000", 10, 2000, 1000, 0.95, Interval{4.795389 / 2, 18.390356 / 2}},
		// PHE testdata_Rate Area1: 1 event per 100, rate per 100,000.
		{"PHE per 100000", 1, 100, 100000, 0.95, Interval{25.317807984289896, 5571.6433909388979}},
		{"zero exposure", 1, 0, 1000, 0.95, Interval{math.NaN(), math.NaN()}},
		{"negative per", 1, 10, -1, 0.95, Interval{math.NaN(), math.NaN()}},
		{"negative count", -1, 10, 1000, 0.95, Interval{math.NaN(), math.NaN()}},
		{"bad level", 1, 10, 1000, 95, Interval{math.NaN(), math.NaN()}},
	}
	for _, tc := range tests {
		got := PoissonRate(tc.x, tc.exposure, tc.per, tc.level)
		if diff := cmp.Diff(tc.want, got, relApprox(2e-7)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestIntervalDomain(t *testing.T) {
	nan := Interval{math.NaN(), math.NaN()}
	tests := []struct {
		name string
		got  Interval
	}{
		{"wilson n=0", Wilson(0, 0, 0.95)},
		{"wilson x>n", Wilson(3, 2, 0.95)},
		{"wilson x<0", Wilson(-1, 2, 0.95)},
		{"wilson level 0", Wilson(1, 2, 0)},
		{"wilson level 1", Wilson(1, 2, 1)},
		{"wilson level NaN", Wilson(1, 2, math.NaN())},
		{"wilsoncc x>n", WilsonCC(3, 2, 0.95)},
		{"poisson x<0", ExactPoisson(-1, 0.95)},
		{"poisson level", ExactPoisson(1, 1.5)},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(nan, tc.got, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: want NaN interval (-want +got):\n%s", tc.name, diff)
		}
		if tc.got.Valid() {
			t.Errorf("%s: Valid() = true for NaN interval", tc.name)
		}
	}
}

func TestSuppress(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		denominator, minimum string
		want                 bool
	}{
		{"29", "30", true},
		{"30", "30", false},
		{"31", "30", false},
		{"99.99", "100", true},
		{"0", "0", true},
		{"0", "30", true},
		{"-1", "0", true},
		{"1", "0", false},
		{"0.5", "-5", false},
	}
	for _, tc := range tests {
		if got := Suppress(d(tc.denominator), d(tc.minimum)); got != tc.want {
			t.Errorf("Suppress(%s, %s) = %v, want %v", tc.denominator, tc.minimum, got, tc.want)
		}
	}
}

func TestSuppressResult(t *testing.T) {
	d := decimal.RequireFromString
	in := Result{Measure: "care_guarantee_3d", UnitID: "U1", Numerator: d("7"), Denominator: d("12"),
		Value: d("0.5833"), CILow: 0.32, CIHigh: 0.81, Method: "wilson-95"}
	got := SuppressResult(in, d("30"))
	want := Result{Measure: "care_guarantee_3d", UnitID: "U1", Numerator: decimal.Zero, Denominator: d("12"),
		Value: decimal.Zero, Method: "wilson-95", Suppressed: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SuppressResult below minimum (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(in, SuppressResult(in, d("12"))); diff != "" {
		t.Errorf("SuppressResult at minimum changed the result (-want +got):\n%s", diff)
	}
}

func TestIntervalMethods(t *testing.T) {
	iv := Interval{1, 3}
	got := []any{iv.Contains(1), iv.Contains(3), iv.Contains(3.5), iv.Width(), iv.Scale(2), iv.Valid(), Interval{2, 1}.Valid()}
	want := []any{true, true, false, 2.0, Interval{2, 6}, true, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Interval methods (-want +got):\n%s", diff)
	}
}

func proportionGen() gopter.Gen {
	// n in [1, 100000], x in [0, n].
	return gen.Int64Range(1, 100000).FlatMap(func(v any) gopter.Gen {
		n := v.(int64)
		return gen.Int64Range(0, n).Map(func(x int64) [2]int64 { return [2]int64{x, n} })
	}, nil)
}

func TestIntervalProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	params.Rng.Seed(20261123)
	props := gopter.NewProperties(params)

	props.Property("wilson contains p̂ and lies in [0,1]", prop.ForAll(func(xn [2]int64) bool {
		x, n := xn[0], xn[1]
		p := float64(x) / float64(n)
		for _, f := range []func(int64, int64, float64) Interval{Wilson, WilsonCC} {
			for _, level := range []float64{0.95, 0.998} {
				iv := f(x, n, level)
				if !iv.Valid() || !iv.Contains(p) || iv.Low < 0 || iv.High > 1 {
					return false
				}
			}
		}
		return true
	}, proportionGen()))

	props.Property("wilson 99.8 % contains 95 %, CC contains plain", prop.ForAll(func(xn [2]int64) bool {
		x, n := xn[0], xn[1]
		w95, w998, cc := Wilson(x, n, 0.95), Wilson(x, n, 0.998), WilsonCC(x, n, 0.95)
		return w998.Low <= w95.Low && w95.High <= w998.High && cc.Low <= w95.Low && w95.High <= cc.High
	}, proportionGen()))

	props.Property("wilson narrows as n grows at fixed proportion", prop.ForAll(func(xn [2]int64, k int64) bool {
		x, n := xn[0], xn[1]
		return Wilson(x*k, n*k, 0.95).Width() < Wilson(x, n, 0.95).Width()
	}, proportionGen(), gen.Int64Range(2, 50)))

	props.Property("exact poisson contains x, low ≥ 0, 99.8 % contains 95 %", prop.ForAll(func(x int64) bool {
		a, b := ExactPoisson(x, 0.95), ExactPoisson(x, 0.998)
		return a.Valid() && a.Contains(float64(x)) && a.Low >= 0 && b.Low <= a.Low && a.High <= b.High
	}, gen.Int64Range(0, 200000)))

	props.Property("poisson rate narrows as exposure grows at fixed rate", prop.ForAll(func(x int64, k int64) bool {
		const exposure = 1234.5
		return PoissonRate(x*k, exposure*float64(k), 1000, 0.95).Width() < PoissonRate(x, exposure, 1000, 0.95).Width()
	}, gen.Int64Range(0, 5000), gen.Int64Range(2, 20)))

	props.TestingRun(t)
}

func BenchmarkWilson(b *testing.B) {
	for b.Loop() {
		Wilson(81, 263, 0.95)
	}
}

func BenchmarkExactPoisson(b *testing.B) {
	for _, x := range []int64{10, 1000, 100_000, 10_000_000} {
		b.Run(fmt.Sprint(x), func(b *testing.B) {
			for b.Loop() {
				ExactPoisson(x, 0.95)
			}
		})
	}
}

// FuzzIntervals checks the interval invariants for arbitrary counts and
// levels: valid arguments give a valid interval containing the estimate.
func FuzzIntervals(f *testing.F) {
	f.Add(int64(81), int64(263), 0.95)
	f.Add(int64(0), int64(1), 0.998)
	f.Add(int64(7), int64(7), 1e-9)
	f.Add(int64(3), int64(1_000_000), 0.999999)
	f.Fuzz(func(t *testing.T, x, n int64, level float64) {
		if x < 0 || n <= 0 || x > n || n > 1<<40 || !(level > 0 && level < 1) {
			if Wilson(x, n, level).Valid() && (x < 0 || x > n || n <= 0) {
				t.Fatalf("Wilson(%d, %d, %g) valid for invalid counts", x, n, level)
			}
			return
		}
		p := float64(x) / float64(n)
		for _, iv := range []Interval{Wilson(x, n, level), WilsonCC(x, n, level)} {
			if !iv.Valid() || !iv.Contains(p) || iv.Low < 0 || iv.High > 1 {
				t.Fatalf("x=%d n=%d level=%g: interval %v does not hold %g within [0,1]", x, n, level, iv, p)
			}
		}
		if x > 10_000_000 {
			return
		}
		iv := ExactPoisson(x, level)
		if !iv.Valid() || !iv.Contains(float64(x)) || iv.Low < 0 {
			t.Fatalf("ExactPoisson(%d, %g) = %v", x, level, iv)
		}
	})
}
