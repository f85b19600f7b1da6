package payment

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// wilsonView is a proportion result num/den with its Wilson 95 % interval.
func wilsonView(num, den int64) *resultView {
	iv := measures.Wilson(num, den, 0.95)
	return &resultView{value: decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), 6), num: decimal.NewFromInt(num),
		den: decimal.NewFromInt(den), lo: iv.Low, hi: iv.High, method: "wilson-95"}
}

// TestPropertyBenefitOfDoubtNeverPaysLess: judged on benefit-of-doubt, an
// indicator's attainment is never below its attainment on the value, so
// a bonus never pays less and a deduction never takes more.
func TestPropertyBenefitOfDoubtNeverPaysLess(t *testing.T) {
	ps := gopter.NewProperties(manyParams())
	ps.Property("attainment(benefit-of-doubt) ≥ attainment(value)", prop.ForAll(func(den, num, lo, width int64, lowerBetter bool) bool {
		num %= den + 1
		better := "higher"
		if lowerBetter {
			better = "lower"
		}
		res := wilsonView(num, den)
		lower := decimal.New(lo, -2)
		upper := lower.Add(decimal.New(width, -2))
		j := judgeBenefit(res, better)
		a, b := attainment(res.value, lower, upper, better), attainment(j.Judged, lower, upper, better)
		if b.Cmp(a) < 0 {
			t.Logf("%d/%d %s: value %s judged %s, attainment %s < %s", num, den, better, res.value, j.Judged, b.RatString(), a.RatString())
			return false
		}
		// deduction: (1 − a) × points never grows
		return new(big.Rat).Sub(big.NewRat(1, 1), b).Cmp(new(big.Rat).Sub(big.NewRat(1, 1), a)) <= 0
	}, gen.Int64Range(1, 400), gen.Int64Range(0, 400), gen.Int64Range(0, 100), gen.Int64Range(0, 30), gen.Bool()))
	ps.TestingRun(t)
}

func TestBenefitOfDoubtWithoutInterval(t *testing.T) {
	res := &resultView{value: decimal.RequireFromString("0.3"), num: decimal.NewFromInt(3), den: decimal.NewFromInt(10)}
	j := judgeBenefit(res, "higher")
	if !j.Judged.Equal(res.value) || j.Note == "" {
		t.Fatalf("no interval: judged %s, note %q; want the value with a note", j.Judged, j.Note)
	}
	res = wilsonView(3, 10)
	if j := judgeBenefit(res, "higher"); !j.Judged.Equal(ratDecimal(rat(floatDecimal(res.hi)), JudgedDecimals)) {
		t.Fatalf("higher better: judged %s, want the upper bound %v", j.Judged, res.hi)
	}
	if j := judgeBenefit(res, "lower"); !j.Judged.Equal(ratDecimal(rat(floatDecimal(res.lo)), JudgedDecimals)) {
		t.Fatalf("lower better: judged %s, want the lower bound %v", j.Judged, res.lo)
	}
}

// units generates k units' numerators and denominators: proportions
// (x ≤ n) or rates (events over person-years with two decimals).
func genUnits(kind measures.Kind) gopter.Gen {
	return gen.SliceOfN(14, gen.Int64Range(1, 3000)).FlatMap(func(v any) gopter.Gen {
		dens := v.([]int64)
		return gen.SliceOfN(len(dens), gen.Int64Range(0, 1<<30)).Map(func(raw []int64) [2][]int64 {
			nums := make([]int64, len(dens))
			for i, d := range dens {
				if kind == measures.Rate {
					nums[i] = raw[i] % (d/4 + 2) // events; d is person-years × 100
				} else {
					nums[i] = raw[i] % (d + 1)
				}
				// a few units share a true level so that τ² is sometimes ≤ 0
				if raw[0]%3 == 0 {
					nums[i] = d / 5
				}
			}
			return [2][]int64{nums, dens}
		})
	}, reflect.TypeOf([2][]int64{}))
}

func shrinkViews(kind measures.Kind, nums, dens []int64) ([]*resultView, []*big.Rat, []*big.Rat) {
	var views []*resultView
	var xs, ns []*big.Rat
	for i := range nums {
		x, n := decimal.NewFromInt(nums[i]), decimal.NewFromInt(dens[i])
		scale := decimal.NewFromInt(1)
		if kind == measures.Rate {
			n = decimal.New(dens[i], -2)
			scale = decimal.NewFromInt(1000)
		}
		views = append(views, &resultView{value: x.Mul(scale).DivRound(n, 6), num: x, den: n})
		xs, ns = append(xs, rat(x)), append(ns, rat(n))
	}
	return views, xs, ns
}

// TestPropertyShrunkTowardRegion: a shrunk value lies between the unit's
// raw value and the region value (never past it), and a unit with the same
// raw value and a larger denominator is moved less.
func TestPropertyShrunkTowardRegion(t *testing.T) {
	for _, kind := range []measures.Kind{measures.Proportion, measures.Rate} {
		scale := int64(1)
		if kind == measures.Rate {
			scale = 1000
		}
		shrunk := 0 // cases with a weight strictly between 0 and 1
		ps := gopter.NewProperties(manyParams())
		ps.Property(string(kind)+": toward the region, less so the larger", prop.ForAll(func(u [2][]int64) bool {
			views, xs, ns := shrinkViews(kind, u[0], u[1])
			p := priorFrom(kind, scale, xs, ns)
			for i, res := range views {
				j := judgeShrunk(res, p)
				if j.Weight.Sign() > 0 && j.Weight.LessThan(decimal.NewFromInt(1)) {
					shrunk++
				}
				raw := ratDecimal(mul(quo(xs[i], ns[i]), ratInt(scale)), JudgedDecimals)
				if !between(j.Judged, raw, j.Region) {
					t.Logf("unit %d: raw %s judged %s region %s", i, raw, j.Judged, j.Region)
					return false
				}
				// the same raw value on twice the denominator
				big2 := *res
				big2.num, big2.den = res.num.Mul(decimal.NewFromInt(2)), res.den.Mul(decimal.NewFromInt(2))
				j2 := judgeShrunk(&big2, p)
				if j2.Judged.Sub(raw).Abs().GreaterThan(j.Judged.Sub(raw).Abs()) || j2.Weight.LessThan(j.Weight) {
					t.Logf("unit %d: n %s moved %s (w %s), 2n moved %s (w %s)", i, res.den, j.Judged.Sub(raw), j.Weight, j2.Judged.Sub(raw), j2.Weight)
					return false
				}
			}
			return true
		}, genUnits(kind)))
		ps.TestingRun(t)
		if shrunk == 0 {
			t.Errorf("%s: no case shrank a unit part of the way", kind)
		}
	}
}

// manyParams are params with more cases, for the cheap judgement properties.
func manyParams() *gopter.TestParameters {
	p := params()
	p.MinSuccessfulTests = 300
	return p
}

// between reports whether x lies between a and b inclusive.
func between(x, a, b decimal.Decimal) bool {
	if a.GreaterThan(b) {
		a, b = b, a
	}
	return !x.LessThan(a) && !x.GreaterThan(b)
}

// TestShrunkFormulas checks the documented formulas on a hand-computed
// case and the edge cases.
func TestShrunkFormulas(t *testing.T) {
	// Ten units: nine at 10/100 and one at 40/100. N = 1000, μ = 130/1000 = 0.13,
	// S = 9·100·0.03² + 100·0.27² = 0.81 + 7.29 = 8.1, k − 1 = 9,
	// D = Σ(n−1)(1 − n/N) = 10 · 99 · 0.9 = 891,
	// τ² = (8.1 − 0.13·0.87·9)/891 = (8.1 − 1.0179)/891 = 7.0821/891,
	// M = 0.1131/τ² − 1 = 0.1131·891/7.0821 − 1; the tenth unit is
	// (40 + M·0.13)/(100 + M).
	nums := []int64{10, 10, 10, 10, 10, 10, 10, 10, 10, 40}
	dens := []int64{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	views, xs, ns := shrinkViews(measures.Proportion, nums, dens)
	p := priorFrom(measures.Proportion, 1, xs, ns)
	tau2 := big.NewRat(70821, 891*10000)
	if p.tau2.Cmp(tau2) != 0 {
		t.Fatalf("τ² = %s, want %s", p.tau2.RatString(), tau2.RatString())
	}
	m := new(big.Rat).Sub(quo(big.NewRat(1131, 10000), tau2), big.NewRat(1, 1))
	want := ratDecimal(quo(new(big.Rat).Add(big.NewRat(40, 1), mul(m, big.NewRat(13, 100))), new(big.Rat).Add(big.NewRat(100, 1), m)), JudgedDecimals)
	if j := judgeShrunk(views[9], p); !j.Judged.Equal(want) || !j.Region.Equal(decimal.RequireFromString("0.13")) {
		t.Fatalf("judged %s region %s, want %s and 0.13", j.Judged, j.Region, want)
	}
	// No between-unit variance: every unit is judged on the region value.
	same := []int64{20, 20, 20, 20, 20, 20, 20, 20, 20, 20}
	views, xs, ns = shrinkViews(measures.Proportion, []int64{2, 4, 2, 4, 2, 4, 2, 4, 2, 4}, same)
	p = priorFrom(measures.Proportion, 1, xs, ns)
	if j := judgeShrunk(views[0], p); !p.pool || !j.Judged.Equal(decimal.RequireFromString("0.15")) || !j.Weight.IsZero() {
		t.Fatalf("τ² ≤ 0: pool %v judged %s weight %s, want the region value 0.15 with weight 0", p.pool, j.Judged, j.Weight)
	}
	// Fewer than ShrinkMinUnits units: judged on the value, with a note.
	views, xs, ns = shrinkViews(measures.Rate, []int64{1, 5, 9}, []int64{10000, 20000, 30000})
	p = priorFrom(measures.Rate, 1000, xs, ns)
	if j := judgeShrunk(views[0], p); !j.Judged.Equal(views[0].value) || j.Note == "" {
		t.Fatalf("3 units: judged %s note %q, want the value %s with a note", j.Judged, j.Note, views[0].value)
	}
}

// TestShrunkNeedsBuiltinMeasure: shrunk on a measure that is not built in
// is a *ModelError at parse time.
func TestShrunkNeedsBuiltinMeasure(t *testing.T) {
	em, _ := examples.LookupModel("halland-2019")
	data := strings.Replace(string(em.Data), "judged_on: benefit-of-doubt", "judged_on: shrunk", 1)
	data = strings.ReplaceAll(data, "diabetes_hba1c_over_70", "own_hba1c")
	_, err := ParseModel(strings.NewReader(data), ParseOptions{KnownMeasures: append(measures.IDs(), "own_hba1c")})
	var me *ModelError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "judged_on: shrunk needs") {
		t.Fatalf("err = %v, want a *ModelError about shrunk", err)
	}
}

// hallandJudgedOn is the Halland model with every indicator judged on rule.
func hallandJudgedOn(t testing.TB, rule string) *Model { return judgedOn(t, "halland-2019", rule) }

var (
	judgedOnLine = regexp.MustCompile(`(?m)^ *judged_on: .*\n`)
	betterLine   = regexp.MustCompile(`(?m)^( *)better: (higher|lower)\n`)
)

// judgedOn is the embedded model name with every goal indicator judged on rule.
func judgedOn(t testing.TB, name, rule string) *Model {
	t.Helper()
	em, _ := examples.LookupModel(name)
	data := judgedOnLine.ReplaceAllString(string(em.Data), "")
	data = betterLine.ReplaceAllString(data, "${1}better: $2\n${1}judged_on: "+rule+"\n")
	m, err := ParseModel(strings.NewReader(data), ParseOptions{File: em.Path})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Components {
		if g, ok := c.(*Goal); ok {
			for _, in := range g.Indicators {
				if in.JudgedOn != rule {
					t.Fatalf("%s: %s judged on %q, want %q", name, in.Measure, in.JudgedOn, rule)
				}
			}
		}
	}
	return m
}

// wilsonMeasures is fakeMeasures with a real Wilson 95 % interval on shares
// and an exact Poisson one on rates, from a seed.
func wilsonMeasures(seed uint64) func(measure, unitID string) (measures.Result, bool) {
	return func(measure, unitID string) (measures.Result, bool) {
		h := seed
		for _, c := range measure + unitID {
			h = h*1099511628211 + uint64(c)
		}
		den := int64(5 + h%400)
		num := int64(h>>20) % (den + 1)
		r := measures.Result{Measure: measure, UnitID: unitID, Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den), Method: "wilson-95"}
		if strings.HasSuffix(measure, "_per_1000") {
			iv := measures.PoissonRate(num, float64(den), 1000, 0.95)
			r.Value, r.CILow, r.CIHigh, r.Method = r.Numerator.Mul(decimal.NewFromInt(1000)).DivRound(r.Denominator, 6), iv.Low, iv.High, "exact-poisson-95"
			return r, true
		}
		iv := measures.Wilson(num, den, 0.95)
		r.Value, r.CILow, r.CIHigh = r.Numerator.DivRound(r.Denominator, 6), iv.Low, iv.High
		return r, true
	}
}

// TestPropertyModelsBenefitOfDoubt: for every embedded model with goal
// pay (Halland's deductions, VGR's bonus), every indicator judged on
// benefit-of-doubt pays every goal line, and every unit-month in total (a
// VAT compensation on goal pay moves with it), at least what it pays
// judged on value, on random regions and results.
func TestPropertyModelsBenefitOfDoubt(t *testing.T) {
	type pair struct{ value, benefit *Model }
	var pairs []pair
	for _, em := range examples.Models() {
		if !strings.Contains(string(em.Data), "type: goal") {
			continue
		}
		pairs = append(pairs, pair{judgedOn(t, em.Name, JudgedOnValue), judgedOn(t, em.Name, JudgedOnBenefitOfDoubt)})
	}
	if len(pairs) < 2 {
		t.Fatalf("only %d models with goal pay", len(pairs))
	}
	moved := 0
	ps := gopter.NewProperties(params())
	ps.Property("benefit-of-doubt never pays less than value", prop.ForAll(func(seed uint64, persons int) bool {
		for _, p := range pairs {
			rw := synthRows(synthSpec{seed: seed, persons: persons, primary: 4, year: int(p.value.Valid.From.Year), contacts: 2})
			r := rw.region()
			var st [2]*Statement
			for i, m := range []*Model{p.value, p.benefit} {
				var err error
				if st[i], err = Run(context.Background(), m, r, quarter(m), RunOptions{Measures: wilsonMeasures(seed)}); err != nil {
					t.Fatal(err)
				}
			}
			for ui, u := range st[1].Units {
				for mi, ms := range u.Months {
					for li, l := range ms.Lines {
						b := st[0].Units[ui].Months[mi].Lines[li]
						if l.Type == "goal" && l.Amount.GreaterThan(b.Amount) {
							moved++
						}
						if l.Type == "goal" && l.Amount.LessThan(b.Amount) {
							t.Logf("%s %s %s %s: %s on benefit-of-doubt, %s on value", p.value.Name, u.UnitID, ms.Month, l.Name, l.Amount, b.Amount)
							return false
						}
					}
					if ms.Total.LessThan(st[0].Units[ui].Months[mi].Total) {
						t.Logf("%s %s %s: total %s on benefit-of-doubt, %s on value", p.value.Name, u.UnitID, ms.Month, ms.Total, st[0].Units[ui].Months[mi].Total)
						return false
					}
				}
			}
		}
		return true
	}, gen.UInt64(), gen.IntRange(40, 200)))
	ps.TestingRun(t)
	if moved == 0 {
		t.Error("no goal line pays more on benefit-of-doubt: the property is not exercised")
	}
}

// TestHallandBenefitOfDoubtNeverDeductsMore prices the Halland model on a
// synthetic region with its measures computed, every indicator judged on
// value and then on benefit-of-doubt (and as shipped), and checks that no
// goal line deducts more than on value, and that some line deducts less.
func TestHallandBenefitOfDoubtNeverDeductsMore(t *testing.T) {
	if testing.Short() {
		t.Skip("computes the measures of a synthetic region")
	}
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 12000, Seed: 19, Year: 2019, PerUnit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := vardval.Load(context.Background(), vardval.Files{Units: bytes.NewReader(files["units.csv"]), Areas: bytes.NewReader(files["areas.csv"]),
		Listings: bytes.NewReader(files["listings.csv"]), Contacts: bytes.NewReader(files["contacts.csv"]), Diagnoses: bytes.NewReader(files["diagnoses.csv"]),
		Observations: bytes.NewReader(files["observations.csv"]), Prescriptions: bytes.NewReader(files["prescriptions.csv"])}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	onValue := hallandJudgedOn(t, JudgedOnValue)
	period := vardval.Period{From: vardval.D(2019, 1, 1), To: vardval.D(2019, 12, 31)}
	rep, err := MeasuresFor(context.Background(), r, period, onValue)
	if err != nil {
		t.Fatal(err)
	}
	price := func(m *Model) *Statement {
		st, err := Price(context.Background(), m, r, period, PriceOptions{Measures: rep})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	base := price(onValue)
	less := 0
	for _, m := range []*Model{hallandJudgedOn(t, JudgedOnBenefitOfDoubt), loadModel(t, "halland-2019")} {
		st := price(m)
		for ui, u := range st.Units {
			for li, l := range u.Lines {
				b := base.Units[ui].Lines[li]
				if l.Type != "goal" {
					if !l.Amount.Equal(b.Amount) {
						t.Errorf("%s %s: a line that is not a goal line moved: %s → %s", u.UnitID, l.Name, b.Amount, l.Amount)
					}
					continue
				}
				if l.Amount.LessThan(b.Amount) {
					t.Errorf("%s %s: deducts %s on benefit-of-doubt, %s on value", u.UnitID, l.Name, l.Amount, b.Amount)
				}
				if l.Amount.GreaterThan(b.Amount) {
					less++
				}
			}
		}
	}
	if len(base.Units) < 10 {
		t.Errorf("only %d units", len(base.Units))
	}
	t.Logf("%d goal lines deduct less on benefit-of-doubt", less)
	if less == 0 {
		t.Error("no goal line deducts less on benefit-of-doubt: the test region does not exercise it")
	}
	// The measures written to a results file and read back judge alike
	// (the interval bounds as the measures output writes them) with the
	// published rows: a results file has no result disclosure control hid,
	// which in-process pay judges unsuppressed (pay is not publication).
	for _, write := range []func(io.Writer, *measures.Report) error{measures.WriteJSON, measures.WriteCSV} {
		var buf bytes.Buffer
		if err := write(&buf, rep); err != nil {
			t.Fatal(err)
		}
		res, err := ReadResults(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*Model{hallandJudgedOn(t, JudgedOnBenefitOfDoubt), hallandJudgedOn(t, JudgedOnShrunk)} {
			ro := RunOptions{Measures: rep.Result}
			if res.Period() == period { // JSON states its period: goal lines name it
				ro = RunOptions{MeasuresOver: func(w vardval.Period, id, unit string) (measures.Result, bool) {
					if w != period {
						return measures.Result{}, false
					}
					return rep.Result(id, unit)
				}}
			}
			a, err := Run(context.Background(), m, r, period, ro)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Price(context.Background(), m, r, period, PriceOptions{Results: res})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(statementJSON(t, a), statementJSON(t, b)) {
				t.Errorf("%s: the statement from a results file differs from the computed one", m.Name)
			}
		}
	}
	// Shrunk prices the same on any number of workers and says so in the JSON.
	shrunk := hallandJudgedOn(t, JudgedOnShrunk)
	var out [2][]byte
	for i, w := range []int{1, 4} {
		st, err := Price(context.Background(), shrunk, r, period, PriceOptions{Measures: rep, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = statementJSON(t, st)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("shrunk: the statement differs between 1 and 4 workers")
	}
	if !bytes.Contains(out[0], []byte(`"judged_on": "shrunk"`)) || !bytes.Contains(out[0], []byte(`"region_value"`)) {
		t.Error("shrunk: the statement JSON does not show the judgement")
	}
}

// TestJudgedOnValueWritesAsBefore: saying judged_on: value writes the
// very statement of not saying it (no "judged" object, the same lines).
func TestJudgedOnValueWritesAsBefore(t *testing.T) {
	for _, em := range examples.Models() {
		stripped, err := ParseModel(strings.NewReader(judgedOnLine.ReplaceAllString(string(em.Data), "")), ParseOptions{File: em.Path})
		if err != nil {
			t.Fatal(err)
		}
		rw := synthRows(synthSpec{seed: 5, persons: 120, primary: 3, year: int(stripped.Valid.From.Year), contacts: 2})
		r := rw.region()
		a, b := runOn(t, stripped, r), runOn(t, judgedOn(t, em.Name, JudgedOnValue), r)
		ja, jb := statementJSON(t, a), statementJSON(t, b)
		if !bytes.Equal(ja, jb) || bytes.Contains(ja, []byte(`"judged"`)) {
			t.Errorf("%s: judged_on: value writes another statement than no judged_on", em.Name)
		}
	}
}

// TestShrunkDesignEffect: a clustered result is shrunk by its effective
// size n/deff: a unit with design effect 4 on (4x, 4n) is judged exactly
// as one with design effect 1 on (x, n), and more weakly than the same
// counts without clustering.
func TestShrunkDesignEffect(t *testing.T) {
	kind, scale := measures.Proportion, int64(1)
	var xs, ns []*big.Rat
	for i := range 12 {
		xs, ns = append(xs, ratInt(int64(10+3*i))), append(ns, ratInt(100))
	}
	p := priorFrom(kind, scale, xs, ns)
	if p.m == nil {
		t.Fatal("the prior does not shrink: the test does not exercise the rule")
	}
	view := func(x, n int64, deff float64) *resultView {
		return &resultView{value: decimal.NewFromInt(x).DivRound(decimal.NewFromInt(n), 6), num: decimal.NewFromInt(x), den: decimal.NewFromInt(n), deff: deff}
	}
	plain, clustered, same := judgeShrunk(view(20, 80, 1), p), judgeShrunk(view(80, 320, 4), p), judgeShrunk(view(80, 320, 1), p)
	if !clustered.Weight.Equal(plain.Weight) || !clustered.Judged.Equal(plain.Judged) {
		t.Errorf("deff 4 on 80/320: weight %s judged %s, want as 20/80 without clustering: %s, %s", clustered.Weight, clustered.Judged, plain.Weight, plain.Judged)
	}
	if !clustered.Weight.LessThan(same.Weight) {
		t.Errorf("deff 4 weight %s not below deff 1 weight %s", clustered.Weight, same.Weight)
	}
}
