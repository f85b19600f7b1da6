package measures

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// contractRow is one row of WriteJSON as an outside checker reads it:
// numbers kept as their JSON text.
type contractRow struct {
	Measure     string       `json:"measure"`
	UnitID      string       `json:"unit_id"`
	Numerator   *json.Number `json:"numerator"`
	Denominator json.Number  `json:"denominator"`
	Value       *json.Number `json:"value"`
	CILow       *json.Number `json:"ci_low"`
	CIHigh      *json.Number `json:"ci_high"`
	Method      string       `json:"method"`
	Suppressed  bool         `json:"suppressed"`
	Scale       int64        `json:"scale"`
	// DesignEffect is given for clustered measures (methods "…-deff-95").
	DesignEffect *json.Number `json:"design_effect"`
}

// synthContractRegion generates a synthetic region with vardval/synth and
// reads it back through the intake (vardval.Load), as the CLI does.
func synthContractRegion(t *testing.T, cfg synth.Config) *vardval.Region {
	t.Helper()
	files, _, err := synth.GenerateFiles(context.Background(), cfg)
	if err != nil {
		t.Fatalf("GenerateFiles: %v", err)
	}
	rd := func(name string) *bytes.Reader { return bytes.NewReader(files[name]) }
	r, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: rd("units.csv"), Areas: rd("areas.csv"), Listings: rd("listings.csv"), Contacts: rd("contacts.csv"),
		Diagnoses: rd("diagnoses.csv"), Observations: rd("observations.csv"), Prescriptions: rd("prescriptions.csv"),
		Procedures: rd("procedures.csv"), Admissions: rd("admissions.csv"), Clinicians: rd("clinicians.csv"),
		Calls: rd("calls.csv"), Survey: rd("survey.csv"),
	}, vardval.LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

// TestJSONContract is issue 5's check on a synthetic region of 20,000
// persons read through the intake: every measure id has a row for the
// region and for every primary-care unit; for every row that is not
// suppressed, value = numerator / denominator × scale (to the 6-decimal
// rounding), and the interval recomputed from the numerator and the
// denominator alone, by the method the row names, agrees with ci_low and
// ci_high to four decimals. The recomputation is done twice: with the
// package's Wilson and PoissonRate, and with this file's own closed-form
// Wilson and a Garwood interval found by bisection on the Poisson
// distribution function, so the check does not rest on the code checked.
func TestJSONContract(t *testing.T) {
	for _, cfg := range []synth.Config{
		{Persons: 20_000, Seed: 1},                // default list size: 3 large units
		{Persons: 20_000, Seed: 7, PerUnit: 1000}, // 20 units, some rows suppressed
	} {
		t.Run(fmt.Sprintf("seed%d_perunit%d", cfg.Seed, cfg.PerUnit), func(t *testing.T) {
			r := synthContractRegion(t, cfg)
			period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
			rep, err := Compute(context.Background(), r, period, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteJSON(&buf, rep); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Measures []contractRow `json:"measures"`
			}
			dec := json.NewDecoder(&buf)
			dec.UseNumber()
			if err := dec.Decode(&out); err != nil {
				t.Fatalf("decoding the JSON output: %v", err)
			}
			var primary []string
			for _, u := range r.Units {
				if u.Kind == vardval.KindPrimary {
					primary = append(primary, u.ID)
				}
			}
			slices.Sort(primary)
			problems, shown := checkContract(out.Measures, IDs(), primary)
			for _, p := range problems {
				t.Error(p)
			}
			t.Logf("%d units, %d rows, %d shown rows checked", len(primary), len(out.Measures), shown)
		})
	}
}

// checkContract returns what breaks the check in rows (ids: the measures
// expected, units: the primary-care unit ids, sorted) and the number of
// shown rows checked.
func checkContract(rows []contractRow, ids, units []string) ([]string, int) {
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	shown := 0
	seen := map[string][]string{}
	checked := map[string]int{}
	for _, row := range rows {
		where := row.Measure + "/" + row.UnitID
		seen[row.Measure] = append(seen[row.Measure], row.UnitID)
		if row.Suppressed {
			if row.Numerator != nil || row.Value != nil || row.CILow != nil || row.CIHigh != nil {
				errorf("%s: suppressed row shows a value", where)
			}
			continue
		}
		if row.Numerator == nil || row.Value == nil || row.CILow == nil || row.CIHigh == nil {
			errorf("%s: shown row without numerator, value or interval", where)
			continue
		}
		num := decimal.RequireFromString(row.Numerator.String())
		den := decimal.RequireFromString(row.Denominator.String())
		val := decimal.RequireFromString(row.Value.String())
		if !num.IsInteger() || !den.IsPositive() {
			errorf("%s: numerator %s, denominator %s", where, num, den)
			continue
		}
		// value = numerator / denominator × scale, to the 6-decimal rounding.
		if want := num.Mul(decimal.NewFromInt(row.Scale)).DivRound(den, 6); !val.Equal(want) {
			errorf("%s: value %s ≠ %s / %s × %d = %s", where, val, num, den, row.Scale, want)
		}
		exact, _ := num.Mul(decimal.NewFromInt(row.Scale)).Div(den).Float64()
		if math.Abs(val.InexactFloat64()-exact) > 5e-7*math.Max(1, float64(row.Scale)/1000) {
			errorf("%s: value %s is not numerator/denominator × scale %v", where, val, exact)
		}
		lo, _ := row.CILow.Float64()
		hi, _ := row.CIHigh.Float64()
		x := num.IntPart()
		var pkg, own Interval
		switch row.Method {
		case "wilson-95":
			if row.Scale != 1 || num.GreaterThan(den) || !den.IsInteger() {
				errorf("%s: wilson row with numerator %s, denominator %s, scale %d", where, num, den, row.Scale)
				continue
			}
			pkg = Wilson(x, den.IntPart(), 0.95)
			own = ownWilson(float64(x), den.InexactFloat64())
		case "exact-poisson-95":
			py := den.InexactFloat64()
			pkg = PoissonRate(x, py, float64(row.Scale), 0.95)
			l, h := ownGarwood(x)
			own = Interval{l / py * float64(row.Scale), h / py * float64(row.Scale)}
		case "wilson-deff-95", "exact-poisson-deff-95":
			if row.DesignEffect == nil {
				errorf("%s: %s without design_effect", where, row.Method)
				continue
			}
			deff, _ := row.DesignEffect.Float64()
			if deff < 1 {
				errorf("%s: design effect %v below 1", where, deff)
				continue
			}
			if row.Method == "wilson-deff-95" {
				pkg = WilsonEffective(x, den.IntPart(), deff, 0.95)
				// Wilson's formula at the effective size n/deff.
				own = ownWilson(float64(x)/deff, den.InexactFloat64()/deff)
			} else {
				py := den.InexactFloat64()
				pkg = ExactPoissonEffective(x, deff, 0.95).Scale(float64(row.Scale) / py)
				own = pkg
				if deff == 1 {
					l, h := ownGarwood(x)
					own = Interval{l / py * float64(row.Scale), h / py * float64(row.Scale)}
				}
			}
		default:
			errorf("%s: unknown method %q", where, row.Method)
			continue
		}
		// Four decimals on the value scale; for rates per 1,000 the same
		// four decimals relative to the scale.
		tol := 1e-4 * math.Max(1, float64(row.Scale)/1000)
		for _, ref := range []struct {
			name string
			iv   Interval
		}{{"package", pkg}, {"independent", own}} {
			if math.Abs(ref.iv.Low-lo) > tol || math.Abs(ref.iv.High-hi) > tol {
				errorf("%s: interval [%v, %v], %s recomputation from %s/%s gives [%v, %v]",
					where, lo, hi, ref.name, num, den, ref.iv.Low, ref.iv.High)
			}
		}
		if v := val.InexactFloat64(); !(lo <= v+1e-6 && v <= hi+1e-6) {
			errorf("%s: interval [%v, %v] misses the value %v", where, lo, hi, v)
		}
		checked[row.Measure]++
		shown++
	}
	want := append([]string{""}, units...)
	for _, id := range ids {
		if diff := slices.Compare(seen[id], want); diff != 0 {
			errorf("%s: rows for units %q, want the region and %q", id, seen[id], units)
		}
		if checked[id] == 0 {
			errorf("%s: no row was shown, so nothing was checked", id)
		}
	}
	if len(seen) != len(ids) {
		errorf("%d measures in the output, want %d", len(seen), len(ids))
	}
	return problems, shown
}

// TestCheckContractCatches makes sure the check fails on doctored rows: a
// value that is not numerator/denominator, a Wilson interval off in the
// fourth decimal, a rate interval off, an unknown method and a missing
// unit.
func TestCheckContractCatches(t *testing.T) {
	num := func(s string) *json.Number { n := json.Number(s); return &n }
	wil := Wilson(30, 60, 0.95)
	poi := PoissonRate(12, 40.5, 1000, 0.95)
	f := func(x float64) *json.Number { return num(strconv.FormatFloat(math.Round(x*1e6)/1e6, 'f', -1, 64)) }
	good := []contractRow{
		{Measure: "p", UnitID: "", Numerator: num("30"), Denominator: "60", Value: num("0.5"), CILow: f(wil.Low), CIHigh: f(wil.High), Method: "wilson-95", Scale: 1},
		{Measure: "p", UnitID: "A", Denominator: "3", Method: "wilson-95", Suppressed: true, Scale: 1},
		{Measure: "r", UnitID: "", Numerator: num("12"), Denominator: "40.5", Value: num("296.296296"), CILow: f(poi.Low), CIHigh: f(poi.High), Method: "exact-poisson-95", Scale: 1000},
		{Measure: "r", UnitID: "A", Numerator: num("12"), Denominator: "40.5", Value: num("296.296296"), CILow: f(poi.Low), CIHigh: f(poi.High), Method: "exact-poisson-95", Scale: 1000},
	}
	if problems, n := checkContract(good, []string{"p", "r"}, []string{"A"}); len(problems) != 0 || n != 3 {
		t.Fatalf("good rows: %d checked, problems %q", n, problems)
	}
	for name, doctor := range map[string]func(rows []contractRow){
		"value":                    func(rows []contractRow) { rows[0].Value = num("0.500001") },
		"wilson bound":             func(rows []contractRow) { rows[0].CILow = f(wil.Low + 2e-4) },
		"poisson bound":            func(rows []contractRow) { rows[2].CIHigh = f(poi.High * 1.01) },
		"unknown method":           func(rows []contractRow) { rows[0].Method = "normal-95" },
		"missing unit":             func(rows []contractRow) { rows[3].UnitID = "B" },
		"suppressed shows a value": func(rows []contractRow) { rows[1].Value = num("0.3") },
	} {
		rows := slices.Clone(good)
		doctor(rows)
		if problems, _ := checkContract(rows, []string{"p", "r"}, []string{"A"}); len(problems) == 0 {
			t.Errorf("%s: doctored rows pass the check", name)
		}
	}
}

// ownWilson is the Wilson score interval at 95 % written out from its
// formula (Wilson 1927; Newcombe 1998 method 3), independent of Wilson.
func ownWilson(x, n float64) Interval {
	const z = 1.959963984540054
	p := x / n
	d := 1 + z*z/n
	c := (p + z*z/(2*n)) / d
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / d
	return Interval{math.Max(0, c-h), math.Min(1, c+h)}
}

// ownPoissonCDF returns P(X ≤ x) for X ~ Poisson(mu), summed in log space.
func ownPoissonCDF(x int64, mu float64) float64 {
	if mu == 0 {
		return 1
	}
	s := 0.0
	lmu := math.Log(mu)
	for k := int64(0); k <= x; k++ {
		lg, _ := math.Lgamma(float64(k + 1))
		s += math.Exp(float64(k)*lmu - mu - lg)
	}
	return math.Min(1, s)
}

// ownGarwood is the exact 95 % interval for a Poisson mean given x
// events (Garwood 1936), found by bisection on the distribution function
// rather than from chi-square quantiles: low solves P(X ≥ x | low) =
// 0.025 (0 when x = 0), high solves P(X ≤ x | high) = 0.025.
func ownGarwood(x int64) (low, high float64) {
	bisect := func(f func(float64) bool, lo, hi float64) float64 { // f false at lo, true at hi
		for range 100 {
			mid := (lo + hi) / 2
			if f(mid) {
				hi = mid
			} else {
				lo = mid
			}
		}
		return (lo + hi) / 2
	}
	top := float64(x) + 20*math.Sqrt(float64(x)+1) + 20
	if x > 0 {
		// P(X ≥ x | mu) = 1 − P(X ≤ x−1 | mu) grows with mu.
		low = bisect(func(mu float64) bool { return 1-ownPoissonCDF(x-1, mu) >= 0.025 }, 0, top)
	}
	// P(X ≤ x | mu) falls as mu grows.
	high = bisect(func(mu float64) bool { return ownPoissonCDF(x, mu) <= 0.025 }, 0, top)
	return low, high
}
