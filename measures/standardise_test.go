package measures

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/vardval/vardval/vardval"
)

// pheISR is PHEindicatormethods tests/testthat/testdata_DSR_ISR.xlsx, sheet
// testdata_multiarea_isr: per age band (lower bound; the sheet's "55-69" is
// the 55–59 band), the counts of the areas testdata_big, testdata_small and
// testdata_tiny (which share one population), the area population, and the
// reference count and population. tiny has no row for 10–14 (-1 here).
var pheISR = []struct {
	age              int
	big, small, tiny int64
	pop              float64
	refCount         int64
	refPop           float64
}{
	{0, 127, 12, 0, 636, 10303, 50520},
	{5, 25, 4, 0, 558, 2824, 57173},
	{10, 18, 3, -1, 609, 0, 60213},
	{15, 21, 2, 0, 543, 3615, 54659},
	{20, 12, 3, 0, 384, 3641, 44345},
	{25, 27, 4, 0, 594, 3490, 50128},
	{30, 48, 8, 1, 669, 3789, 62163},
	{35, 27, 2, 0, 843, 3213, 67423},
	{40, 29, 2, 0, 660, 3031, 62899},
	{45, 32, 3, 0, 576, 2771, 55463},
	{50, 32, 4, 0, 606, 3089, 60479},
	{55, 34, 5, 0, 522, 3490, 49974},
	{60, 45, 6, 1, 426, 3595, 44140},
	{65, 65, 8, 0, 273, 4745, 40888},
	{70, 38, 5, 0, 300, 5514, 37239},
	{75, 68, 6, 1, 288, 7125, 30819},
	{80, 74, 5, 1, 153, 5694, 18136},
	{85, 82, 5, 2, 123, 6210, 15325},
	{90, 91, 4, 3, 207, 5757, 13918},
}

func pheTables(area string) ([]StratumCount, []StratumRate) {
	var obs []StratumCount
	var ref []StratumRate
	for _, r := range pheISR {
		s := Stratum{AgeBand: r.age}
		ref = append(ref, StratumRate{Stratum: s, Events: r.refCount, Exposure: r.refPop})
		count := map[string]int64{"big": r.big, "small": r.small, "tiny": r.tiny}[area]
		if count >= 0 {
			obs = append(obs, StratumCount{Stratum: s, Events: count, Exposure: r.pop})
		}
	}
	return obs, ref
}

func TestStandardisePHE(t *testing.T) {
	// Expected results: sheet testresults_ISR of the same workbook
	// (phe_isr / calculate_ISRatio, ratio "x 1" and rate "per 100000").
	// The reference rate 9349.8830922110192 per 100,000 is the crude rate
	// Σ refcount / Σ refpop.
	const expected = 835.88356123117433
	const refRate = 9349.8830922110192 / 1e5
	tests := []struct {
		area     string
		observed int64
		ratio    float64
		rate     float64
	}{
		{"big", 895, 1.0707232939020275, 10011.137622091057 / 1e5},
		{"small", 91, 0.10886683770400503, 1017.8922051511577 / 1e5},
		{"tiny", 9, 1.0767049882813684e-2, 100.6706576523123 / 1e5},
	}
	for _, tc := range tests {
		obs, ref := pheTables(tc.area)
		got, err := Standardise(obs, ref, 0.95)
		if err != nil {
			t.Fatalf("%s: %v", tc.area, err)
		}
		want := SMR{Observed: tc.observed, Expected: expected, Ratio: tc.ratio, ReferenceRate: refRate,
			Rate: tc.rate, Level: 0.95,
			RatioCI: ExactPoisson(tc.observed, 0.95).Scale(1 / expected),
			RateCI:  ExactPoisson(tc.observed, 0.95).Scale(refRate / expected)}
		if diff := cmp.Diff(want, got, relApprox(1e-12)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.area, diff)
		}
	}

	// For fewer than 10 events PHE uses the exact method, as here:
	// testdata_tiny, 95 % and 99.8 %, ratio and rate per 100,000.
	obs, ref := pheTables("tiny")
	for _, c := range []struct {
		level       float64
		ratio, rate Interval
	}{
		{0.95, Interval{4.9233808250957762e-3, 2.043921455549973e-2}, Interval{46.033035133078933 / 1e5, 191.10426659054028 / 1e5}},
		{0.998, Interval{2.9339306550682617e-3, 2.7105896514690211e-2}, Interval{27.431908625542341 / 1e5, 253.43696352192359 / 1e5}},
	} {
		got, err := Standardise(obs, ref, c.level)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]Interval{c.ratio, c.rate}, []Interval{got.RatioCI, got.RateCI}, relApprox(1e-12)); diff != "" {
			t.Errorf("tiny at %g (-PHE +got):\n%s", c.level, diff)
		}
	}

	// For 10 or more events PHE uses Byar's approximation, which its
	// technical guide puts within a fraction of a per cent of the exact
	// interval; ours is exact (checked against the slow reference).
	obs, ref = pheTables("big")
	got, err := Standardise(obs, ref, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Interval{1.0017147712553987, 1.1432332872498949}, got.RatioCI, relApprox(1e-3)); diff != "" {
		t.Errorf("big vs PHE Byar (-Byar +got):\n%s", diff)
	}
	if diff := cmp.Diff(slowExactPoisson(895, 0.95).Scale(1/expected), got.RatioCI, relApprox(1e-9)); diff != "" {
		t.Errorf("big vs slow exact (-slow +got):\n%s", diff)
	}
}

func TestStandardiseErrors(t *testing.T) {
	f, m := vardval.Female, vardval.Male
	ref := []StratumRate{
		{Stratum{0, f}, 10, 1000},
		{Stratum{0, m}, 12, 1000},
		{Stratum{65, f}, 40, 500},
		{Stratum{65, m}, 0, 0},
	}
	tests := []struct {
		name  string
		obs   []StratumCount
		ref   []StratumRate
		level float64
		want  error
	}{
		{"duplicate observed", []StratumCount{{Stratum{0, f}, 1, 10}, {Stratum{65, f}, 1, 10}, {Stratum{0, f}, 2, 10}}, ref, 0.95,
			&StratumError{Input: "observed", Index: 2, Stratum: Stratum{0, f}, Reason: "duplicate stratum"}},
		{"duplicate reference", []StratumCount{{Stratum{0, f}, 1, 10}}, append(ref[:1:1], ref[0]), 0.95,
			&StratumError{Input: "reference", Index: 1, Stratum: Stratum{0, f}, Reason: "duplicate stratum"}},
		{"missing reference", []StratumCount{{Stratum{0, f}, 1, 10}, {Stratum{80, m}, 1, 10}}, ref, 0.95,
			&StratumError{Input: "observed", Index: 1, Stratum: Stratum{80, m}, Reason: "stratum has no reference population"}},
		{"reference without exposure", []StratumCount{{Stratum{65, m}, 0, 10}}, ref, 0.95,
			&StratumError{Input: "observed", Index: 0, Stratum: Stratum{65, m}, Reason: "stratum has no reference population"}},
		{"negative events", []StratumCount{{Stratum{0, f}, -1, 10}}, ref, 0.95,
			&StratumError{Input: "observed", Index: 0, Stratum: Stratum{0, f}, Reason: "events and exposure must be finite and not negative"}},
		{"NaN reference exposure", nil, []StratumRate{{Stratum{0, f}, 1, math.NaN()}}, 0.95,
			&StratumError{Input: "reference", Index: 0, Stratum: Stratum{0, f}, Reason: "events and exposure must be finite and not negative"}},
		{"level", nil, ref, 1.5, &ParameterError{Name: "level", Value: 1.5, Reason: "must be between 0 and 1 (exclusive)"}},
	}
	for _, tc := range tests {
		_, err := Standardise(tc.obs, tc.ref, tc.level)
		switch want := tc.want.(type) {
		case *StratumError:
			var got *StratumError
			if !errors.As(err, &got) {
				t.Errorf("%s: error %v, want *StratumError", tc.name, err)
				continue
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		case *ParameterError:
			var got *ParameterError
			if !errors.As(err, &got) {
				t.Errorf("%s: error %v, want *ParameterError", tc.name, err)
				continue
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		}
	}
}

func TestStandardiseNoExpected(t *testing.T) {
	ref := []StratumRate{{Stratum{0, vardval.Female}, 0, 100}, {Stratum{5, vardval.Female}, 10, 100}}
	got, err := Standardise([]StratumCount{{Stratum{0, vardval.Female}, 0, 50}}, ref, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := SMR{Observed: 0, Expected: 0, Ratio: nan, RatioCI: Interval{nan, nan}, ReferenceRate: 0.05,
		Rate: nan, RateCI: Interval{nan, nan}, Level: 0.95}
	if diff := cmp.Diff(want, got, approx(0)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestStandardiseOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var obs []StratumCount
	var ref []StratumRate
	for age := 0; age < 100; age += 5 {
		for _, sex := range []vardval.Sex{vardval.Female, vardval.Male, vardval.SexUnknown} {
			s := Stratum{AgeBand: age, Sex: sex}
			exp := 1000 + rng.Float64()*50000
			ref = append(ref, StratumRate{s, int64(exp * rng.Float64() * 0.1), exp})
			obs = append(obs, StratumCount{s, int64(rng.IntN(40)), rng.Float64() * 900})
		}
	}
	want, err := Standardise(obs, ref, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 5; k++ {
		rng.Shuffle(len(obs), func(i, j int) { obs[i], obs[j] = obs[j], obs[i] })
		rng.Shuffle(len(ref), func(i, j int) { ref[i], ref[j] = ref[j], ref[i] })
		got, err := Standardise(obs, ref, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("result depends on input order (-first +shuffled):\n%s", diff)
		}
	}
}

func TestStandardiseProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	params.Rng.Seed(20261123)
	props := gopter.NewProperties(params)
	ref := []StratumRate{
		{Stratum{0, vardval.Female}, 300, 10000}, {Stratum{0, vardval.Male}, 350, 10000},
		{Stratum{45, vardval.Female}, 900, 12000}, {Stratum{45, vardval.Male}, 800, 11000},
		{Stratum{75, vardval.Female}, 1500, 5000}, {Stratum{75, vardval.Male}, 1400, 4000},
	}
	props.Property("ratio lies in its interval; rate = ratio × reference rate; more data narrows", prop.ForAll(
		func(events []int64, k int64) bool {
			obs := make([]StratumCount, len(ref))
			big := make([]StratumCount, len(ref))
			for i, r := range ref {
				obs[i] = StratumCount{r.Stratum, events[i], 100 + float64(i)*37}
				big[i] = StratumCount{r.Stratum, events[i] * k, (100 + float64(i)*37) * float64(k)}
			}
			s, err := Standardise(obs, ref, 0.95)
			b, err2 := Standardise(big, ref, 0.95)
			if err != nil || err2 != nil {
				return false
			}
			return s.RatioCI.Contains(s.Ratio) && s.RatioCI.Low >= 0 && s.RateCI.Contains(s.Rate) &&
				math.Abs(s.Rate-s.Ratio*s.ReferenceRate) <= 1e-12*s.Rate &&
				math.Abs(b.Ratio-s.Ratio) <= 1e-12*math.Max(1, s.Ratio) && b.RatioCI.Width() < s.RatioCI.Width()
		},
		gen.SliceOfN(len(ref), gen.Int64Range(0, 200)), gen.Int64Range(2, 20)))
	props.TestingRun(t)
}
