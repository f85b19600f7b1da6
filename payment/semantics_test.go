package payment_test

// The hand-computed cases that pin the rules of docs/semantics.md; each
// section there names its test here.

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

func mustModel(t *testing.T, yaml string) *payment.Model {
	t.Helper()
	m, err := payment.ParseModel(strings.NewReader(yaml), payment.ParseOptions{File: "semantics.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func loadCSV(t *testing.T, files vardval.Files) *vardval.Region {
	t.Helper()
	r, rep, err := vardval.Load(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

func unitTotals(st *payment.Statement) map[string]string {
	out := map[string]string{}
	for _, u := range st.Units {
		out[u.UnitID] = u.Total.StringFixed(2)
	}
	return out
}

// TestSemanticsCoverageWindow: "Windows". p1, listed at VC1, made one
// contact at VC2 on 2024-05-31 and one at VC1 on 2024-06-01. November
// 2024 is priced with a six-month coverage window at cut-off 2024-11-30:
// the window is 2024-06-01..2024-11-30, so only the VC1 contact counts,
// täckningsgrad 1/1 = 100 %, and VC1 is paid (100 − 0) points × 1 SEK ×
// 1 listed = 100.00 SEK. (A window from AddMonths(−6) + 1 day started on
// 2024-05-31 and gave 1/2 = 50 %, 50.00 SEK.)
func TestSemanticsCoverageWindow(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\np1,VC1,2020-01-01,F,1960-05-05\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\nc1,p1,VC2,2024-05-31,visit,doctor\nc2,p1,VC1,2024-06-01,visit,doctor\n"),
	})
	m := mustModel(t, `model: window-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: coverage
    type: coverage
    name: Coverage
    basis: listed
    counting: cutoff-last
    window_months: [{from: 2024-01-01, value: "6", source: test}]
    lower: [{from: 2024-01-01, value: "0", source: test}]
    upper: [{from: 2024-01-01, value: "100", source: test}]
    rate: [{from: 2024-01-01, value: "1", source: test}]
`)
	for _, tc := range []struct {
		month vardval.YearMonth
		want  string
	}{
		{vardval.YearMonth{Year: 2024, Month: 11}, "100.00"}, // 2024-06-01..2024-11-30: the VC1 contact only
		{vardval.YearMonth{Year: 2024, Month: 10}, "50.00"},  // 2024-05-01..2024-10-31: both
		{vardval.YearMonth{Year: 2024, Month: 12}, "100.00"}, // 2024-07-01..2024-12-31: 0 own of 0 → see below
	} {
		st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(tc.month), payment.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := unitTotals(st)["VC1"]
		if tc.month.Month == 12 {
			// No contact in the window: no täckningsgrad, nothing paid.
			tc.want = "0.00"
		}
		if got != tc.want {
			t.Errorf("%s: VC1 paid %s, want %s", tc.month, got, tc.want)
		}
	}
}

// TestSemanticsOneMonthEqualsYear: "Which measurement goal pay reads".
// Every month of every shipped model priced alone equals that month of
// the year run, to the öre, line by line.
func TestSemanticsOneMonthEqualsYear(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"halland-2019", "vgr-2017", "skane-2023"} {
		m := builtin(t, name)
		r := synthRegionYear(t, 3000, int(m.Valid.From.Year))
		y := int(m.Valid.From.Year)
		year, err := payment.Price(ctx, m, r, vardval.Period{From: vardval.D(y, 1, 1), To: vardval.D(y, 12, 31)}, payment.PriceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for mo := 1; mo <= 12; mo++ {
			ym := vardval.YearMonth{Year: y, Month: mo}
			one, err := payment.Price(ctx, m, r, vardval.MonthPeriod(ym), payment.PriceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for i, u := range one.Units {
				got, want := monthLines(u.Months[0]), monthLines(year.Units[i].Months[mo-1])
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s %s %s: priced alone differs from the year run (-year +alone):\n%s", name, ym, u.UnitID, diff)
				}
			}
		}
	}
}

func monthLines(ms payment.MonthStatement) []string {
	out := []string{ms.Total.StringFixed(2)}
	for _, l := range ms.Lines {
		out = append(out, l.Component+" "+l.Key+" "+l.Amount.StringFixed(2)+" "+l.Explanation)
	}
	return out
}

// TestSemanticsUnavailable: "Unavailable is not zero". A goal with two
// bonus indicators of 1 point each at 10 SEK per point per listed person;
// coverage_own_unit is 1 (attainment 1) at VC1's 1 listed person and
// antibiotics_per_1000 is not available. skip: 10.00 (the antibiotics
// line 0, saying not available); full: 10.00 as well (a bonus not paid);
// reweight: the coverage indicator carries both points, 20.00. As a
// deduction (thresholds crossed, attainment 1 gives no deduction): skip
// 0.00, full −10.00, reweight 0.00.
func TestSemanticsUnavailable(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\np1,VC1,2020-01-01,F,1960-05-05\n"),
	})
	over := func(w vardval.Period, id, unit string) (measures.Result, bool) {
		if id == "antibiotics_per_1000" {
			return measures.Result{Measure: id, UnitID: unit, Suppressed: true, NotAvailable: true}, true
		}
		one := decimal.NewFromInt(1)
		return measures.Result{Measure: id, UnitID: unit, Numerator: one, Denominator: one, Value: one, Method: "wilson-95"}, true
	}
	for _, tc := range []struct{ style, policy, want string }{
		{"bonus", "skip", "10.00"}, {"bonus", "full", "10.00"}, {"bonus", "reweight", "20.00"},
		{"deduction", "skip", "0.00"}, {"deduction", "full", "-10.00"}, {"deduction", "reweight", "0.00"},
	} {
		m := mustModel(t, `model: goal-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: goal
    type: goal
    name: Goal
    style: `+tc.style+`
    unavailable: `+tc.policy+`
    basis: listed
    counting: cutoff-last
    rate: [{from: 2024-01-01, value: "10", source: test}]
    indicators:
      - measure: coverage_own_unit
        better: higher
        lower: [{from: 2024-01-01, value: "0.5", source: test}]
        upper: [{from: 2024-01-01, value: "0.9", source: test}]
        points: [{from: 2024-01-01, value: "1", source: test}]
      - measure: antibiotics_per_1000
        better: lower
        lower: [{from: 2024-01-01, value: "250", source: test}]
        upper: [{from: 2024-01-01, value: "400", source: test}]
        points: [{from: 2024-01-01, value: "1", source: test}]
`)
		st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3}), payment.RunOptions{MeasuresOver: over})
		if err != nil {
			t.Fatal(err)
		}
		if got := unitTotals(st)["VC1"]; got != tc.want {
			t.Errorf("%s, unavailable: %s: VC1 %s, want %s", tc.style, tc.policy, got, tc.want)
		}
		notes := strings.Join(st.Notes, "\n")
		for _, want := range []string{"input not given: prescriptions.csv", "measure antibiotics_per_1000 is not available (the region was not given an input it reads: prescriptions.csv)"} {
			if !strings.Contains(notes, want) {
				t.Errorf("%s/%s: notes lack %q:\n%s", tc.style, tc.policy, want, notes)
			}
		}
		for _, l := range st.Units[0].Lines {
			if strings.Contains(l.Name, "antibiotics") && !strings.Contains(l.Explanation, "not available") {
				t.Errorf("%s/%s: antibiotics line does not say not available: %s", tc.style, tc.policy, l.Explanation)
			}
		}
	}
}

// TestSemanticsCNISupplement: "Socioeconomic supplement (cni_supplement)".
// VC1 has two listed persons in area A (CNI 1.2), VC2 one in area B (CNI
// 0.8). With scale 2.476, threshold 2.5 and 67 SEK per point: VC1's
// scaled CNI is 1.2 × 2.476 = 2.9712 > 2.5, points = 2 × (2.9712 − 2.5) =
// 0.9424, paid 0.9424 × 67 = 63.1408 → 63.14 SEK; VC2's 0.8 × 2.476 =
// 1.9808 ≤ 2.5 is paid nothing.
func TestSemanticsCNISupplement(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Areas:    strings.NewReader("area,name,cni\nA,A,1.2\nB,B,0.8\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date,area\np1,VC1,2020-01-01,F,1960-05-05,A\np2,VC1,2020-01-01,M,1970-05-05,A\np3,VC2,2020-01-01,F,1980-05-05,B\n"),
	})
	m := mustModel(t, `model: cni-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
cni:
  missing: [{from: 2024-01-01, value: "1", source: test}]
components:
  - id: socio
    type: cni_supplement
    counting: cutoff-last
    scale: [{from: 2024-01-01, value: "2.476", source: test}]
    threshold: [{from: 2024-01-01, value: "2.5", source: test}]
    rate: [{from: 2024-01-01, value: "67", source: test}]
`)
	st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 5}), payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"VC1": "63.14", "VC2": "0.00"}, unitTotals(st)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSemanticsActiveDayWeighted: "Actively listed". A day-weighted pool
// of 1 000 SEK in April 2024 shared by actively listed (12-month window):
// p1, listed at VC1 all month, first contacts VC1 on 2024-04-16, so is
// active 15 of 30 days (0.5); p2, listed at VC2, contacted VC2 on
// 2024-01-10, is active all 30 days (1.0). VC1 gets 1000 × 0.5 ÷ 1.5 =
// 333.33, VC2 666.67 (counting whole persons on the last day gave 500
// each).
func TestSemanticsActiveDayWeighted(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\np1,VC1,2020-01-01,F,1960-05-05\np2,VC2,2020-01-01,M,1970-05-05\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\nc1,p1,VC1,2024-04-16,visit,doctor\nc2,p2,VC2,2024-01-10,visit,doctor\n"),
	})
	for _, tc := range []struct{ counting, vc1, vc2 string }{
		{"day-weighted", "333.33", "666.67"},
		{"cutoff-last", "500.00", "500.00"},
	} {
		m := mustModel(t, `model: active-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
active:
  window_months: [{from: 2024-01-01, value: "12", source: test}]
components:
  - id: pool
    type: pool_split
    counting: `+tc.counting+`
    pool_per_month: [{from: 2024-01-01, value: "1000", source: test}]
    shares:
      - id: active
        index: active
        share: [{from: 2024-01-01, value: "1", source: test}]
`)
		st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 4}), payment.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"VC1": tc.vc1, "VC2": tc.vc2}, unitTotals(st)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.counting, diff)
		}
	}
}

// TestSemanticsOpenMonths: "Open months". VC2 opens on 2024-03-15 and
// closes on 2024-05-31 (units.csv from/to): its 1 000 SEK monthly
// supplement is paid for March (open from the 15th), April and May, not
// for February or June; VC1 (no dates) is paid every month.
func TestSemanticsOpenMonths(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind,from,to\nVC1,Ett,primary,,\nVC2,Två,primary,2024-03-15,2024-05-31\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\np1,VC1,2020-01-01,F,1960-05-05\n"),
	})
	m := mustModel(t, `model: open-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: sup
    type: supplement
    items:
      - unit: all
        name: Base
        values: [{from: 2024-01-01, value: "1000", source: test}]
`)
	st, err := payment.Run(context.Background(), m, r, vardval.Period{From: vardval.D(2024, 2, 1), To: vardval.D(2024, 6, 30)}, payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"VC1": "5000.00", "VC2": "3000.00"}, unitTotals(st)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSemanticsAssumptions: "Assumptions". A listing-points line whose
// rate is sourced but whose table weight (2.0, for p1 aged 64) is an
// assumption carries the flag; a sourced supplement of 100 SEK does not.
// March 2024: 2 points × 10 SEK = 20.00 assumed of 120.00 gross, share
// 0.1667.
func TestSemanticsAssumptions(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\np1,VC1,2020-01-01,F,1960-05-05\n"),
	})
	m := mustModel(t, `model: assumed-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
tables:
  - id: w
    title: Weights
    weights:
      - ages: 0-120
        sex: any
        values: [{from: 2024-01-01, value: "2.0", source: assumption, assumption: weights not found}]
components:
  - id: points
    type: listing_points
    table: w
    counting: cutoff-last
    rate: [{from: 2024-01-01, value: "10", source: council}]
  - id: sup
    type: supplement
    items:
      - unit: all
        name: Base
        values: [{from: 2024-01-01, value: "100", source: council}]
`)
	st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3}), payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u := st.Units[0]
	got := []string{u.Assumed.StringFixed(2), u.Gross.StringFixed(2), payment.AssumedShare(st.Assumed, st.Gross).String(), u.Lines[0].Assumption, u.Lines[1].Assumption}
	want := []string{"20.00", "120.00", "0.1667", "weights w, tables[0].weights[0].values[0]: weights not found", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSemanticsCensusCNI: "CNI from census shares". The normalisation is
// SCB's worked example (scb.se, Care Need Index (CNI), the example
// table): Enhet 1 has index 22 709 on population 5 912 and CNI 1.5513,
// Enhet 2 index 7 869 on 2 407 and CNI 1.3204; with the reference 2.476
// (index per person of the reference population), 22709/5912/2.476 =
// 1.551361 and 7869/2407/2.476 = 1.320361, SCB's to its 4 decimals. The
// weighted sum: shares 0.02, 0.10, 0.05, 0.03, 0.12, 0.06, 0.09 under the
// weights 6.15, 5.13, 5.72, 4.19, 4.19, 4.13, 3.97 sum to 2.1556, ÷ 2.476 =
// 0.870598 (half-even, 6 decimals); a person listed in that area and a
// cni_supplement of 100 SEK per point with scale 1 and threshold 0 pays
// 87.06 SEK.
func TestSemanticsCensusCNI(t *testing.T) {
	fx := func(s string) vardval.Fixed { return vardval.Fixed(decimal.RequireFromString(s).Shift(6).IntPart()) }
	rt := func(s string) *big.Rat { r, _ := new(big.Rat).SetString(s); return r }
	for _, tc := range []struct {
		index, population string
		want              int64
	}{{"22709", "5912", 1_551_361}, {"7869", "2407", 1_320_361}} {
		// One variable with share 1 and weight index ÷ population.
		w := []*big.Rat{new(big.Rat).Quo(rt(tc.index), rt(tc.population)), rt("0"), rt("0"), rt("0"), rt("0"), rt("0"), rt("0")}
		if got := payment.CensusCNI([7]vardval.Fixed{fx("1")}, w, rt("2.476")); got != tc.want {
			t.Errorf("SCB example %s/%s: CNI %d millionths, want %d", tc.index, tc.population, got, tc.want)
		}
	}
	shares := [7]vardval.Fixed{fx("0.02"), fx("0.10"), fx("0.05"), fx("0.03"), fx("0.12"), fx("0.06"), fx("0.09")}
	ws := []*big.Rat{rt("6.15"), rt("5.13"), rt("5.72"), rt("4.19"), rt("4.19"), rt("4.13"), rt("3.97")}
	if got := payment.CensusCNI(shares, ws, rt("2.476")); got != 870_598 {
		t.Errorf("hand case: CNI %d millionths, want 870598", got)
	}
	r := loadCSV(t, vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\n"),
		Areas: strings.NewReader("area,share_elderly_alone,share_born_outside_europe,share_unemployed,share_single_parent,share_moved_in,share_under_5,share_low_education\n" +
			"A,0.02,0.10,0.05,0.03,0.12,0.06,0.09\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date,area\np1,VC1,2020-01-01,F,1960-05-05,A\n"),
	})
	weight := func(v string) string { return `[{from: 2024-01-01, value: "` + v + `", source: test}]` }
	m := mustModel(t, `model: census-2024
region: Test
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
cni:
  missing: `+weight("1")+`
  weights:
    elderly_alone: `+weight("6.15")+`
    born_outside_europe: `+weight("5.13")+`
    unemployed: `+weight("5.72")+`
    single_parent: `+weight("4.19")+`
    moved_in: `+weight("4.19")+`
    under_5: `+weight("4.13")+`
    low_education: `+weight("3.97")+`
  reference: `+weight("2.476")+`
components:
  - id: socio
    type: cni_supplement
    counting: cutoff-last
    scale: `+weight("1")+`
    threshold: `+weight("0")+`
    rate: `+weight("100")+`
`)
	st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 5}), payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := unitTotals(st)["VC1"]; got != "87.06" {
		t.Errorf("VC1 %s, want 87.06", got)
	}
}

// TestSemanticsCountingAgeMove: "Counting day", "Age" and "Move day". A
// capitation of 100 SEK per month for ages 0–23 and 200 for 24+. p1 is
// born 2000-02-29 and listed at VC1; p2 (born 1960) moves from VC1 (to
// 2024-02-14) to VC2 (from 2024-02-15).
//   - cutoff-last, February 2024 (2024-02-29): p1 is 24 (her birthday), VC1
//     200.00; p2 is at VC2, 200.00.
//   - cutoff-day-15, February 2024: p1 is 23 → VC1 100.00; on the move day
//     p2 is listed at the new unit → VC2 200.00.
//   - day-weighted, February 2024 (29 days): p1 is 23 for 28 days and 24
//     for 1; p2 is at VC1 for 14 days and at VC2 for 15 (the move day
//     counts at the new unit). VC1: 28/29 × 100 = 96.55 (ages 0–23) and
//     (1 + 14)/29 × 200 = 103.45 (24+), 200.00; VC2: 15/29 × 200 = 103.45.
//   - cutoff-last, February 2023 (2023-02-28): p1 is 22 (a 29 February
//     birthday comes on 1 March in a common year) → VC1 100.00.
func TestSemanticsCountingAgeMove(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,to,sex,birth_date\n" +
			"p1,VC1,2020-01-01,,F,2000-02-29\np2,VC1,2020-01-01,2024-02-14,M,1960-06-01\np2,VC2,2024-02-15,,M,1960-06-01\n"),
	})
	feb24 := vardval.YearMonth{Year: 2024, Month: 2}
	feb23 := vardval.YearMonth{Year: 2023, Month: 2}
	for _, tc := range []struct {
		counting string
		month    vardval.YearMonth
		vc1, vc2 string
	}{
		{"cutoff-last", feb24, "200.00", "200.00"},
		{"cutoff-day-15", feb24, "100.00", "200.00"},
		{"day-weighted", feb24, "200.00", "103.45"},
		{"cutoff-last", feb23, "300.00", "0.00"},
	} {
		m := mustModel(t, `model: count-2023
region: Test
valid: {from: 2023-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cap
    type: capitation
    per: month
    counting: `+tc.counting+`
    rates:
      - ages: 0-23
        sex: any
        values: [{from: 2023-01-01, value: "100", source: test}]
      - ages: 24-120
        sex: any
        values: [{from: 2023-01-01, value: "200", source: test}]
`)
		st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(tc.month), payment.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"VC1": tc.vc1, "VC2": tc.vc2}, unitTotals(st)); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tc.counting, tc.month, diff)
		}
	}
}

// TestSemanticsHallandDigitalPrices: "Dated values". halland-2019's cost
// responsibility for its listed persons' digital contacts follows SKL's
// national prices, lowered on 2019-06-14 and applied from 2019-07-01 (an
// assumption): a digital doctor contact costs VC1 650 SEK in June, 500 in
// July; a psychologist 425 and a counsellor 425 from July; a nurse 275.
// June −650.00, July −925.00, August −700.00.
func TestSemanticsHallandDigitalPrices(t *testing.T) {
	r := loadCSV(t, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nDIG,Digital,digital\nVC1,Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\np1,VC1,2015-01-01,F,1960-05-05\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\n" +
			"c1,p1,DIG,2019-06-20,chat,doctor\nc2,p1,DIG,2019-07-03,chat,doctor\nc3,p1,DIG,2019-07-10,video,psychologist\n" +
			"c4,p1,DIG,2019-08-01,video,counsellor\nc5,p1,DIG,2019-08-02,chat,nurse\n"),
	})
	st, err := payment.Run(context.Background(), builtin(t, "halland-2019"), r, vardval.Period{From: vardval.D(2019, 6, 1), To: vardval.D(2019, 8, 31)}, payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, ms := range st.Units[0].Months {
		sum := decimal.Zero
		for _, l := range ms.Lines {
			if l.Component == "care_elsewhere" {
				sum = sum.Add(l.Amount)
				if ms.Month.Month >= 7 && l.Assumption == "" {
					t.Errorf("%s: %s does not carry the date assumption", ms.Month, l.Name)
				}
			}
		}
		got[ms.Month.String()] = sum.StringFixed(2)
	}
	if diff := cmp.Diff(map[string]string{"2019-06": "-650.00", "2019-07": "-925.00", "2019-08": "-700.00"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
