package measures

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// checkInvariants returns the first broken invariant of a report, or "".
func checkInvariants(rep *Report) string {
	for _, m := range rep.Measures {
		d := m.Definition
		for _, row := range m.Rows {
			where := d.ID + "/" + row.UnitID
			if row.Denominator.Sign() < 0 || row.Numerator.Sign() < 0 {
				return where + ": negative count"
			}
			fewPatients := row.Patients < int64(d.MinPatients)
			if !d.PatientLevel() && (row.Patients != 0 || !row.PatientMean.IsZero()) {
				return where + ": patient fields on a measure that does not count patients"
			}
			if row.Suppressed {
				if !row.Value.IsZero() || !row.Numerator.IsZero() || row.Funnel != nil || row.Standardised != nil || !row.PatientMean.IsZero() {
					return where + ": suppressed row shows a value"
				}
				small := row.Suppression == SuppressedSmallCount || row.Suppression == SuppressedComplementary
				if !row.Denominator.LessThan(d.MinDenominator) && row.Denominator.Sign() > 0 && !fewPatients && !small {
					return where + ": suppressed above the minimum"
				}
				continue
			}
			if row.Denominator.LessThan(d.MinDenominator) || fewPatients {
				return where + ": shown below the minimum"
			}
			if d.PatientLevel() {
				// Every patient has N ≥ 2 visits (≥ 2 ordered pairs); UPC
				// counts at least one visit per patient in the numerator.
				pat := decimal.NewFromInt(row.Patients)
				if row.Denominator.LessThan(pat.Mul(decimal.NewFromInt(2))) {
					return where + ": fewer than two visits (pairs) per patient"
				}
				if d.RuleName() == RuleContinuityUPC && row.Numerator.LessThan(pat) {
					return where + ": UPC numerator below the number of patients"
				}
				if row.PatientMean.Sign() < 0 || row.PatientMean.GreaterThan(decimal.NewFromInt(1)) {
					return where + ": patient mean outside [0, 1]"
				}
			}
			if d.Kind != Rate && row.Numerator.GreaterThan(row.Denominator) {
				return where + ": numerator > denominator"
			}
			want := row.Numerator.Mul(decimal.NewFromInt(d.Scale)).DivRound(row.Denominator, 6)
			if !row.Value.Equal(want) {
				return fmt.Sprintf("%s: value %s ≠ numerator/denominator %s", where, row.Value, want)
			}
			v := row.Value.InexactFloat64()
			if !(row.CILow <= v+1e-6 && v <= row.CIHigh+1e-6) {
				return fmt.Sprintf("%s: interval [%v, %v] misses %v", where, row.CILow, row.CIHigh, v)
			}
			switch d.Kind {
			case Proportion:
				iv := WilsonEffective(row.Numerator.IntPart(), row.Denominator.IntPart(), row.DesignEffect, 0.95)
				if math.Abs(iv.Low-row.CILow) > 1e-12 || math.Abs(iv.High-row.CIHigh) > 1e-12 {
					return where + ": interval is not Wilson(numerator, denominator) at the effective size"
				}
			case Rate:
				iv := ExactPoissonEffective(row.Numerator.IntPart(), row.DesignEffect, 0.95).Scale(float64(d.Scale) / row.Denominator.InexactFloat64())
				if math.Abs(iv.Low-row.CILow) > 1e-9 || math.Abs(iv.High-row.CIHigh) > 1e-9 {
					return where + ": interval is not Garwood(numerator)/denominator at the effective count"
				}
			}
			if row.Denominator.Sign() > 0 && (row.DesignEffect < 1 || !d.Clustered() && row.DesignEffect != 1) {
				return fmt.Sprintf("%s: design effect %v", where, row.DesignEffect)
			}
		}
	}
	return ""
}

func TestProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 12
	params.Rng.Seed(20240101)
	props := gopter.NewProperties(params)
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	props.Property("counts, values and intervals are consistent", prop.ForAll(
		func(n int, seed uint64, overdisp bool) string {
			r := synthRegion(n, seed)
			rep, err := Compute(context.Background(), r, period, Options{Overdispersion: overdisp})
			if err != nil {
				return err.Error()
			}
			return checkInvariants(rep)
		},
		gen.IntRange(0, 3000), gen.UInt64(), gen.Bool(),
	))
	props.Property("same output whatever the record order", prop.ForAll(
		func(n int, seed, shuffleSeed uint64, workers int) bool {
			r := synthRegion(n, seed)
			a, errA := Compute(context.Background(), r, period, Options{Workers: 1})
			b, errB := Compute(context.Background(), shuffled(r, shuffleSeed), period, Options{Workers: workers})
			if errA != nil || errB != nil {
				return false
			}
			var ba, bb bytes.Buffer
			_ = WriteJSON(&ba, a)
			_ = WriteJSON(&bb, b)
			return bytes.Equal(ba.Bytes(), bb.Bytes())
		},
		gen.IntRange(0, 2000), gen.UInt64(), gen.UInt64(), gen.IntRange(1, 8),
	))
	props.TestingRun(t)
}

// TestContinuityPooled: for random patients with random doctors, the
// continuity rows are the pooled counts written out from their definition
// — UPC Σ max_j n_j of Σ N, COC Σ (Σ n_j² − N) of Σ N(N − 1) over
// patients with N ≥ 2 — with Wilson intervals, value = numerator /
// denominator, numerator ≤ denominator, and the patient mean the mean of
// the patient-level indices.
func TestContinuityPooled(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	params.Rng.Seed(19770401)
	props := gopter.NewProperties(params)
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	defs := defsNoMin()
	props.Property("pooled continuity counts", prop.ForAll(
		func(visits [][]int) string {
			b := newBuilder()
			a := b.unit("A", vardval.KindPrimary)
			var upcNum, upcDen, cocNum, cocDen, pat int64
			var upcY, upcN, cocY, cocN []float64 // per patient, for the design effect
			cocIdx, upcIdx := decimal.Zero, decimal.Zero
			for i, docs := range visits {
				p := b.person(keyOf(i), vardval.Female, "1970-01-01")
				b.list(p, a, "2020-01-01", "")
				n := map[int]int64{}
				for k, doc := range docs {
					b.contact(p, a, vardval.D(2024, 1+k, 1+doc).String(), co{clinician: fmt.Sprint("doc", doc)})
					n[doc]++
				}
				N := int64(len(docs))
				if N < 2 {
					continue
				}
				var most, sq int64
				for _, k := range n {
					most, sq = max(most, k), sq+k*k
				}
				pat++
				upcY, upcN = append(upcY, float64(most)), append(upcN, float64(N))
				cocY, cocN = append(cocY, float64(sq-N)), append(cocN, float64(N*(N-1)))
				upcNum, upcDen = upcNum+most, upcDen+N
				cocNum, cocDen = cocNum+sq-N, cocDen+N*(N-1)
				upcIdx = upcIdx.Add(decimal.NewFromInt(most).DivRound(decimal.NewFromInt(N), 9))
				cocIdx = cocIdx.Add(decimal.NewFromInt(sq-N).DivRound(decimal.NewFromInt(N*(N-1)), 9))
			}
			rep, err := Compute(context.Background(), b.region(), period,
				Options{Registry: mustRegistry(defs), Measures: []string{"continuity_coc", "continuity_upc"}})
			if err != nil {
				return err.Error()
			}
			if msg := checkInvariants(rep); msg != "" {
				return msg
			}
			for _, c := range []struct {
				id       string
				num, den int64
				idx      decimal.Decimal
				y, n     []float64
			}{{"continuity_upc", upcNum, upcDen, upcIdx, upcY, upcN}, {"continuity_coc", cocNum, cocDen, cocIdx, cocY, cocN}} {
				m, _ := rep.Measure(c.id)
				row := m.Rows[1]
				if row.Numerator.IntPart() != c.num || row.Denominator.IntPart() != c.den || row.Patients != pat {
					return fmt.Sprintf("%s: %s/%s of %d patients, want %d/%d of %d", c.id, row.Numerator, row.Denominator, row.Patients, c.num, c.den, pat)
				}
				if c.den == 0 {
					continue
				}
				if row.Numerator.GreaterThan(row.Denominator) || row.Method != "wilson-deff-95" {
					return c.id + ": not a proportion"
				}
				// The design effect written out: Σ (y − R n)² / (N R (1 − R)), 1 unless above 1 + 1e-9.
				deff := 1.0
				if R := float64(c.num) / float64(c.den); pat >= 2 && R > 0 && R < 1 {
					ss := 0.0
					for i := range c.y {
						ss += (c.y[i] - R*c.n[i]) * (c.y[i] - R*c.n[i])
					}
					if d := ss / (float64(c.den) * R * (1 - R)); d > 1+1e-9 {
						deff = d
					}
				}
				if math.Abs(deff-row.DesignEffect) > 1e-9*deff {
					return fmt.Sprintf("%s: design effect %v, want %v", c.id, row.DesignEffect, deff)
				}
				if iv := WilsonEffective(c.num, c.den, deff, 0.95); math.Abs(iv.Low-row.CILow) > 1e-9 || math.Abs(iv.High-row.CIHigh) > 1e-9 {
					return fmt.Sprintf("%s: interval [%v, %v], Wilson at n/deff gives %v", c.id, row.CILow, row.CIHigh, iv)
				}
				if want := decimal.NewFromInt(c.num).DivRound(decimal.NewFromInt(c.den), 6); !row.Value.Equal(want) {
					return fmt.Sprintf("%s: value %s, want %s", c.id, row.Value, want)
				}
				if want := c.idx.DivRound(decimal.NewFromInt(pat), 6); !row.PatientMean.Equal(want) {
					return fmt.Sprintf("%s: patient mean %s, want %s", c.id, row.PatientMean, want)
				}
			}
			return ""
		},
		gen.SliceOfN(25, gen.SliceOf(gen.IntRange(0, 3))).Map(func(v [][]int) [][]int {
			for i := range v {
				v[i] = v[i][:min(len(v[i]), 12)]
			}
			return v
		}),
	))
	props.TestingRun(t)
}

// TestIntervalNarrows: the same share on a larger list gives a narrower
// interval.
func TestIntervalNarrows(t *testing.T) {
	prev := math.Inf(1)
	for _, n := range []int64{30, 100, 1000, 10000} {
		iv := Wilson(n/5, n, 0.95)
		if !(iv.Width() < prev) {
			t.Errorf("n=%d width %v not below %v", n, iv.Width(), prev)
		}
		prev = iv.Width()
	}
}

// BenchmarkCompute runs every measure on a synthetic region of 100,000
// persons (about 4 contacts each). ns/person × 1.4 M estimates a Skåne
// year.
func BenchmarkCompute(b *testing.B) {
	const n = 100_000
	r := synthRegion(n, 1)
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(context.Background(), r, period, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/person")
}

// BenchmarkComputeOneWorker is BenchmarkCompute on one goroutine.
func BenchmarkComputeOneWorker(b *testing.B) {
	const n = 100_000
	r := synthRegion(n, 1)
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(context.Background(), r, period, Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/person")
}
