package payment

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// sweepVariants makes, for every parameter of m, the variants "value + 1"
// and "value × 1.1" in force from the period's start that m.With accepts
// (shares that would no longer sum to 1, windows that must be whole and the
// like are left out).
func sweepVariants(t *testing.T, m *Model, from vardval.Date) []Variant {
	t.Helper()
	var out []Variant
	for _, p := range m.Params() {
		v, ok := p.At(from)
		if !ok {
			continue
		}
		for _, x := range []decimal.Decimal{v.Value.Add(decimal.NewFromInt(1)), v.Value.Mul(decimal.RequireFromString("1.1"))} {
			o := Override{Key: p.Path, From: from, Value: x, Note: "test"}
			if _, err := m.With(o); err != nil {
				continue
			}
			out = append(out, Variant{Name: fmt.Sprintf("%s=%s", p.Path, x), Overrides: []Override{o}})
		}
	}
	if len(out) < 5 {
		t.Fatalf("%s: only %d variants", m.Name, len(out))
	}
	return out
}

// sweepRegion is a small region in which every parameter counts: persons
// without an ACG weight, areas without a CNI, listings that change unit,
// contacts over four years at units of every kind.
func sweepRegion(t *testing.T) *vardval.Region {
	t.Helper()
	rng := rand.New(rand.NewPCG(21, 1))
	b := vardval.NewBuilder(vardval.LoadOptions{})
	units := []vardval.UnitRow{{UnitID: "DIG", Name: "Digital", Kind: "digital", Owner: "private"},
		{UnitID: "ED", Name: "Akuten", Kind: "emergency", Owner: "public"}}
	for i := range 6 {
		units = append(units, vardval.UnitRow{UnitID: fmt.Sprintf("VC%d", i+1), Name: fmt.Sprintf("Vårdcentral %d", i+1), Kind: "primary",
			Owner: []string{"public", "private"}[i%2]})
	}
	for _, u := range units {
		b.AddUnit(u)
	}
	num := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	b.AddArea(vardval.AreaRow{Area: "A", CNI: num("1.5")})
	b.AddArea(vardval.AreaRow{Area: "B", CNI: num("0.8")})
	b.AddArea(vardval.AreaRow{Area: "C"})
	modes, profs := []string{"visit", "phone", "video", "chat"}, []string{"doctor", "nurse", "psychologist"}
	n := 0
	for p := range 600 {
		id := fmt.Sprintf("p%d", p)
		unit := fmt.Sprintf("VC%d", 1+rng.IntN(6))
		from := vardval.D(2010+rng.IntN(15), 1+rng.IntN(12), 1+rng.IntN(28))
		sex := []string{"F", "M"}[rng.IntN(2)]
		birth := vardval.D(1925+rng.IntN(85), 1+rng.IntN(12), 1+rng.IntN(28))
		area := []string{"A", "B", "C", ""}[rng.IntN(4)]
		var w decimal.NullDecimal
		if rng.IntN(3) > 0 {
			w = num(fmt.Sprintf("%d.%02d", rng.IntN(4), rng.IntN(100)))
		}
		to := vardval.Date{}
		if rng.IntN(5) == 0 && from.Before(vardval.D(2024, 6, 1)) {
			to = vardval.D(2024, 1+rng.IntN(5), 1+rng.IntN(28))
			if to.Before(from) {
				to = vardval.Date{}
			}
		}
		b.AddListing(vardval.ListingRow{PersonID: id, UnitID: unit, From: from, To: to, Sex: sex, BirthDate: birth, Area: area, ACGWeight: w})
		for range rng.IntN(8) {
			n++
			b.AddContact(vardval.ContactRow{ContactID: fmt.Sprint("C", n), PersonID: id, UnitID: units[rng.IntN(len(units))].UnitID,
				Date: vardval.D(2020+rng.IntN(5), 1+rng.IntN(12), 1+rng.IntN(28)), Mode: modes[rng.IntN(len(modes))],
				Profession: profs[rng.IntN(len(profs))], Fee: num(fmt.Sprint(rng.IntN(3) * 100))})
		}
	}
	r, rep, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status() != 0 {
		t.Fatalf("sweep region: %+v", rep.Files)
	}
	return r
}

// TestSweepIsPrice checks that every variant's statement of a sweep is
// byte for byte the statement Price gives for the variant's model, for
// every parameter of every embedded model: the variants that change only
// prices share the base's sums, those that change what is summed (weights,
// windows) are summed again, and both must agree with a run of their own.
func TestSweepIsPrice(t *testing.T) {
	synthRegion, _ := genSynth(t, 2000).load(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		r    *vardval.Region
	}{{"synth", synthRegion}, {"mixed", sweepRegion(t)}} {
		r := tc.r
		for _, name := range BuiltinNames() {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				m := loadModel(t, name)
				period := quarter(m)
				if m.Valid.From.Year < 2024 {
					period = vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 3, 31)}
				}
				variants := sweepVariants(t, m, period.From)
				opts := PriceOptions{Results: nil, NoMeasures: true}
				sw, err := Sweep(ctx, m, r, period, variants, opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(sw.Variants) != len(variants) {
					t.Fatalf("%d variants, want %d", len(sw.Variants), len(variants))
				}
				js := func(st *Statement) string {
					var b bytes.Buffer
					if err := WriteJSON(&b, st, nil); err != nil {
						t.Fatal(err)
					}
					return b.String()
				}
				base, err := Price(ctx, m, r, period, opts)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(js(base), js(sw.Base)); d != "" {
					t.Fatalf("base differs from Price (-Price +Sweep):\n%s", d)
				}
				changed := 0
				for i, v := range sw.Variants {
					if v.Variant.Name != variants[i].Name {
						t.Fatalf("variant %d is %q, want %q", i, v.Variant.Name, variants[i].Name)
					}
					if !v.Statement.Total.Equal(base.Total) {
						changed++
					}
					if raceEnabled && i%4 != 0 {
						// Under the race detector the sweep still prices
						// every variant; a quarter of them are priced again
						// on their own, which is where the time goes.
						continue
					}
					want, err := Price(ctx, v.Model, r, period, opts)
					if err != nil {
						t.Fatal(err)
					}
					if d := cmp.Diff(js(want), js(v.Statement)); d != "" {
						t.Fatalf("%s differs from Price (-Price +Sweep):\n%s", v.Variant.Name, d)
					}
				}
				if changed == 0 {
					t.Fatal("no variant changed the region total")
				}
			})
		}
	}
}

// TestSweepErrors checks that a variant whose overrides do not apply is a
// *SweepError naming it, wrapping the *OverrideError, and that the
// model's own request errors come first.
func TestSweepErrors(t *testing.T) {
	r, _ := genSynth(t, 1000).load(t)
	m := loadModel(t, "skane-2023")
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 1, 31)}
	ok := Variant{Name: "ok", Overrides: []Override{{Key: "capitation.pool_per_listed_year", Value: decimal.NewFromInt(3400)}}}
	bad := Variant{Name: "cni=0.2", Overrides: []Override{{Key: "capitation.shares[2].share", Value: decimal.RequireFromString("0.2")}}}
	_, err := Sweep(context.Background(), m, r, period, []Variant{ok, bad}, PriceOptions{})
	var se *SweepError
	var oe *OverrideError
	if !errors.As(err, &se) || se.Index != 1 || se.Variant != "cni=0.2" || !errors.As(err, &oe) {
		t.Fatalf("got %v, want a *SweepError for variant 2 wrapping an *OverrideError", err)
	}
	_, err = Sweep(context.Background(), m, r, vardval.Period{From: vardval.D(2020, 1, 1), To: vardval.D(2020, 1, 31)}, []Variant{bad}, PriceOptions{})
	var pe *RunPeriodError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a *RunPeriodError", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sweep(ctx, m, r, period, []Variant{ok}, PriceOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// cniVariants are n variants of skane-2023's CNI share (0.10, 0.11, …),
// the ACG share taking the difference so that the shares sum to 1.
func cniVariants(n int) []Variant {
	var out []Variant
	for i := range n {
		cni := decimal.New(int64(10+i), -2)
		acg := decimal.RequireFromString("0.65").Sub(cni)
		out = append(out, Variant{Name: "cni=" + cni.String(), Overrides: []Override{
			{Key: "capitation.shares[2].share", Value: cni}, {Key: "capitation.shares[0].share", Value: acg}}})
	}
	return out
}

// BenchmarkSweep prices a year of a Skåne-size region under skane-2023
// alone and with 10 variants of its CNI share: the difference between the
// two, divided by 10, is what each extra variant costs.
func BenchmarkSweep(b *testing.B) {
	m := loadModel(b, "skane-2023")
	r, err := benchRegion()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{0, 10} {
		b.Run(fmt.Sprintf("variants=%d", n), func(b *testing.B) {
			variants := cniVariants(n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Sweep(context.Background(), m, r, year2024, variants, PriceOptions{NoMeasures: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The sweep's CSV has, per variant, every unit's amount and difference as
// Compare gives them, the differences summing to the region row's; the
// JSON and the table carry the same region totals.
func TestSweepWriters(t *testing.T) {
	r := sweepRegion(t)
	m := loadModel(t, "skane-2023")
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 3, 31)}
	sw, err := Sweep(context.Background(), m, r, period, cniVariants(3), PriceOptions{NoMeasures: true})
	if err != nil {
		t.Fatal(err)
	}
	var csvOut, tableOut, jsonOut bytes.Buffer
	if err := WriteSweepCSV(&csvOut, sw); err != nil {
		t.Fatal(err)
	}
	if err := WriteSweepTable(&tableOut, sw); err != nil {
		t.Fatal(err)
	}
	if err := WriteSweepJSON(&jsonOut, sw); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"variant", "capitation.shares[2].share", "capitation.shares[0].share", "unit_id", "name", "amount", "diff", "percent"}, rows[0]); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	cmps := sw.Comparisons()
	sums := map[string]decimal.Decimal{}
	for _, row := range rows[1:] {
		n := row[0]
		d := decimal.RequireFromString(row[6])
		if row[3] == "" {
			if !sums[n].Equal(d) {
				t.Errorf("variant %s: units' differences sum to %s, region row %s", n, sums[n], d)
			}
			if n != "0" {
				c := cmps[int(row[0][0]-'1')]
				if row[5] != c.B.StringFixed(2) || !strings.Contains(tableOut.String(), c.B.StringFixed(2)) ||
					!strings.Contains(jsonOut.String(), `"total": "`+c.B.StringFixed(2)+`"`) {
					t.Errorf("variant %s: region %s, Compare %s", n, row[5], c.B)
				}
			}
			continue
		}
		sums[n] = sums[n].Add(d)
		if n != "0" {
			u := unitOf(cmps[int(row[0][0]-'1')], row[3])
			if row[5] != u.B.StringFixed(2) || row[6] != u.Diff.StringFixed(2) {
				t.Errorf("variant %s, %s: %s %s, Compare %s %s", n, row[3], row[5], row[6], u.B, u.Diff)
			}
		}
	}
	if len(sums) != 4 {
		t.Errorf("%d variants in the CSV, want 4 (the model and 3)", len(sums))
	}
}

// TestSweepIsPriceWithMeasures: with the measures computed (goal pay read
// over each indicator's window), every variant of a model with goal pay
// is priced as Price prices its model, one month alone included (the
// window is then still the indicator's, not the month).
func TestSweepIsPriceWithMeasures(t *testing.T) {
	r, _ := genSynth(t, 3000).load(t)
	ctx := context.Background()
	goals := 0
	for _, name := range BuiltinNames() {
		m := loadModel(t, name)
		if len(m.MeasureIDs()) == 0 {
			continue
		}
		goals++
		for _, period := range []vardval.Period{
			{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 3, 31)},
			{From: vardval.D(2024, 3, 1), To: vardval.D(2024, 3, 31)},
		} {
			if !m.Valid.Contains(period.From) {
				t.Fatalf("%s does not cover %s", name, period.Label())
			}
			var variants []Variant
			for _, v := range sweepVariants(t, m, period.From) {
				if strings.Contains(v.Name, "indicators") || len(variants) < 3 {
					variants = append(variants, v)
				}
			}
			sw, err := Sweep(ctx, m, r, period, variants, PriceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			js := func(st *Statement) string {
				var b bytes.Buffer
				if err := WriteJSON(&b, st, nil); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			base, err := Price(ctx, m, r, period, PriceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(js(base), js(sw.Base)); d != "" {
				t.Fatalf("%s %s: base differs from Price (-Price +Sweep):\n%s", name, period.Label(), d)
			}
			for _, v := range sw.Variants {
				want, err := Price(ctx, v.Model, r, period, PriceOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(js(want), js(v.Statement)); d != "" {
					t.Fatalf("%s %s, %s differs from Price (-Price +Sweep):\n%s", name, period.Label(), v.Variant.Name, d)
				}
			}
		}
	}
	if goals == 0 {
		t.Fatal("no embedded model with goal pay")
	}
}
