package payment_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// exampleRegion is a tiny region built from rows: two vårdcentraler (VC1
// public, VC2 private), an emergency department and a digital provider;
// five persons, four of them listed, one (p4, given by personnummer)
// visiting VC1 unlisted.
func exampleRegion() *vardval.Region { return exampleRegionACG(nil) }

// exampleRegionACG is exampleRegion with the ACG category acg[person] on
// that person's listing.
func exampleRegionACG(acg map[string]string) *vardval.Region {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	for _, u := range []vardval.UnitRow{
		{UnitID: "DIG", Name: "Digital", Kind: "digital", Owner: "private"},
		{UnitID: "ED", Name: "Akuten", Kind: "emergency", Owner: "public"},
		{UnitID: "VC1", Name: "Vårdcentral Ett", Kind: "primary", Owner: "public"},
		{UnitID: "VC2", Name: "Vårdcentral Två", Kind: "primary", Owner: "private"},
	} {
		b.AddUnit(u)
	}
	num := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	b.AddArea(vardval.AreaRow{Area: "A", CNI: num("1.5")})
	b.AddArea(vardval.AreaRow{Area: "B", CNI: num("0.8")})
	list := func(person, unit string, from vardval.Date, sex string, birth vardval.Date, area, weight string) {
		b.AddListing(vardval.ListingRow{PersonID: person, UnitID: unit, From: from, Sex: sex, BirthDate: birth, Area: area,
			ACG: acg[person], ACGWeight: num(weight)})
	}
	list("p1", "VC1", vardval.D(2020, 1, 1), "F", vardval.D(1990, 5, 10), "A", "1.2")
	list("p2", "VC1", vardval.D(2024, 1, 16), "M", vardval.D(2022, 3, 1), "A", "0.5")
	list("p3", "VC2", vardval.D(2010, 1, 1), "F", vardval.D(1940, 1, 15), "B", "3")
	list("p5", "VC2", vardval.D(2015, 1, 1), "F", vardval.D(1955, 2, 2), "", "1")
	const p4 = "19800701-0013" // a man born 1980-07-01, never listed
	n := 0
	visit := func(person, unit string, day int, mode, prof, fee string) {
		n++
		c := vardval.ContactRow{ContactID: fmt.Sprint("C", n), PersonID: person, UnitID: unit, Date: vardval.D(2024, 1, day), Mode: mode, Profession: prof}
		if fee != "" {
			c.Fee = num(fee)
		}
		b.AddContact(c)
	}
	visit("p1", "VC1", 3, "visit", "doctor", "200")
	visit("p1", "ED", 5, "visit", "doctor", "400")
	visit("p1", "VC2", 9, "visit", "nurse", "")
	visit("p3", "VC2", 10, "phone", "doctor", "")
	visit("p3", "VC1", 12, "visit", "doctor", "200")
	visit(p4, "VC1", 15, "visit", "doctor", "200")
	visit("p5", "DIG", 20, "chat", "doctor", "")
	visit("p5", "VC2", 22, "visit", "nurse", "")
	r, rep, err := b.Build(context.Background())
	if err != nil || rep.Status() != 0 {
		panic(fmt.Sprint(err, rep.Files))
	}
	return r
}

const exampleHeader = `model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
`

// runExample parses header+body, runs January 2024 and prints every
// unit's lines.
func runExample(body string, opts payment.RunOptions) {
	m, err := payment.ParseModel(strings.NewReader(exampleHeader + body))
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := payment.Run(context.Background(), m, exampleRegion(), vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
}

func ExampleCapitation() {
	runExample(`components:
  - id: cap
    type: capitation
    name: Capitation
    per: year
    counting: day-weighted
    rates:
      - {ages: 0-5, values: [{from: 2024-01-01, value: "3720", source: "example"}]}
      - {ages: 6-64, values: [{from: 2024-01-01, value: "2400", source: "example"}]}
      - {ages: 65-, values: [{from: 2024-01-01, value: "6000", source: "example"}]}
`, payment.RunOptions{})
	// Output:
	// VC1 total 360.00
	//   Capitation 0–5: 0.516129 listed person-months aged 0–5 × 310 SEK per person-month (3720 SEK per person-year ÷ 12) (day-weighted over 2024-01).
	//   Capitation 6–64: 1 listed person-months aged 6–64 × 200 SEK per person-month (2400 SEK per person-year ÷ 12) (day-weighted over 2024-01).
	// VC2 total 1000.00
	//   Capitation 65+: 2 listed person-months aged 65+ × 500 SEK per person-month (6000 SEK per person-year ÷ 12) (day-weighted over 2024-01).
}

func ExampleListingPoints() {
	runExample(`tables:
  - id: w
    weights:
      - {ages: 0-64, sex: F, values: [{from: 2024-01-01, value: "1.1", source: "example"}]}
      - {ages: 0-64, sex: M, values: [{from: 2024-01-01, value: "0.9", source: "example"}]}
      - {ages: 65-, values: [{from: 2024-01-01, value: "2.5", source: "example"}]}
components:
  - id: points
    type: listing_points
    name: Listing points
    table: w
    counting: cutoff-last
    rate: [{from: 2024-01-01, value: "294", source: "example"}]
`, payment.RunOptions{})
	// Output:
	// VC1 total 588.00
	//   Listing points: 2 listing points (weights w) × 294 SEK per point per month (listed on 2024-01-31).
	// VC2 total 1470.00
	//   Listing points: 5 listing points (weights w) × 294 SEK per point per month (listed on 2024-01-31).
}

func ExampleACGPoints() {
	runExample(`tables:
  - id: w
    weights:
      - {ages: 0-, values: [{from: 2024-01-01, value: "1", source: "example"}]}
acg:
  source: person
  missing_weight: [{from: 2024-01-01, value: "1", source: "example"}]
components:
  - id: acg
    type: acg_points
    name: ACG points
    table: w
    rate: [{from: 2024-01-01, value: "100", source: "example"}]
`, payment.RunOptions{})
	// Output:
	// VC1 total 119.30
	//   ACG points: 1.192982 ACG points × 100 SEK per point per month; ACG points = 2 listing points (w) × case-mix 0.5965 (unit mean ACG weight 0.85 ÷ region mean 1.425).
	// VC2 total 280.70
	//   ACG points: 2.807018 ACG points × 100 SEK per point per month; ACG points = 2 listing points (w) × case-mix 1.4035 (unit mean ACG weight 2 ÷ region mean 1.425).
}

func ExamplePoolSplit() {
	runExample(`tables:
  - id: w
    weights:
      - {ages: 0-64, values: [{from: 2024-01-01, value: "1", source: "example"}]}
      - {ages: 65-, values: [{from: 2024-01-01, value: "2", source: "example"}]}
acg:
  source: person
  missing_weight: [{from: 2024-01-01, value: "1", source: "example"}]
cni:
  missing: [{from: 2024-01-01, value: "1", source: "example"}]
components:
  - id: pool
    type: pool_split
    name: Pool
    pool_per_month: [{from: 2024-01-01, value: "1000", source: "example"}]
    shares:
      - {id: acg, name: ACG, index: acg, share: [{from: 2024-01-01, value: "0.5", source: "example"}]}
      - {id: age, name: Age, index: age_sex, table: w, share: [{from: 2024-01-01, value: "0.3", source: "example"}]}
      - {id: cni, name: CNI, index: cni, share: [{from: 2024-01-01, value: "0.2", source: "example"}]}
`, payment.RunOptions{})
	// Output:
	// VC1 total 374.12
	//   Pool: ACG: ACG case-mix (Σ ACG weights = listed × unit case-mix, region mean 1.00) index 1.7 of the region's 5.7 (29.8246 %) of sub-pool 500.00 SEK in 2024-01; share 0.5 of the pool of 1000 SEK per month (components[0].pool_per_month[0]), allocated by acg index (largest remainder).
	//   Pool: Age: age/sex points (w) index 2 of the region's 6 (33.3333 %) of sub-pool 300.00 SEK in 2024-01; share 0.3 of the pool of 1000 SEK per month (components[0].pool_per_month[0]), allocated by age_sex index (largest remainder).
	//   Pool: CNI: CNI (Σ CNI of the listed = listed × unit CNI) index 3 of the region's 4.8 (62.5 %) of sub-pool 200.00 SEK in 2024-01; share 0.2 of the pool of 1000 SEK per month (components[0].pool_per_month[0]), allocated by cni index (largest remainder).
	// VC2 total 625.88
	//   Pool: ACG: ACG case-mix (Σ ACG weights = listed × unit case-mix, region mean 1.00) index 4 of the region's 5.7 (70.1754 %) of sub-pool 500.00 SEK in 2024-01; share 0.5 of the pool of 1000 SEK per month (components[0].pool_per_month[0]), allocated by acg index (largest remainder).
	//   Pool: Age: age/sex points (w) index 4 of the region's 6 (66.6667 %) of sub-pool 300.00 SEK in 2024-01; share 0.3 of the pool of 1000 SEK per month (components[0].pool_per_month[0]), allocated by age_sex index (largest remainder).
	//   Pool: CNI: CNI (Σ CNI of the listed = listed × unit CNI) index 1.8 of the region's 4.8 (37.5 %) of sub-pool 200.00 SEK in 2024-01; share 0.2 of the pool of 1000 SEK per month (components[0].pool_per_month[0]), allocated by cni index (largest remainder).
}

func ExampleVisitFee() {
	runExample(`components:
  - id: visits
    type: visit_fee
    name: Visits
    fees:
      - {relation: elsewhere, mode: any, profession: doctor, values: [{from: 2024-01-01, value: "700", source: "example"}]}
      - {relation: elsewhere, values: [{from: 2024-01-01, value: "350", source: "example"}]}
      - {relation: unlisted, values: [{from: 2024-01-01, value: "700", source: "example"}]}
`, payment.RunOptions{})
	// Output:
	// VC1 total 1400.00
	//   Visits (elsewhere doctor): 1 contacts (elsewhere doctor) × 700 SEK per contact.
	//   Visits (unlisted): 1 contacts (unlisted) × 700 SEK per contact.
	// VC2 total 350.00
	//   Visits (elsewhere): 1 contacts (elsewhere) × 350 SEK per contact.
}

func ExampleGoal() {
	results := map[[2]string]measures.Result{
		{"diabetes_hba1c_over_70", "VC1"}: {Measure: "diabetes_hba1c_over_70", UnitID: "VC1", Numerator: decimal.NewFromInt(15),
			Denominator: decimal.NewFromInt(100), Value: decimal.RequireFromString("0.15"), CILow: 0.093, CIHigh: 0.233, Method: "wilson-95"},
	}
	runExample(`components:
  - id: quality
    type: goal
    name: Quality
    style: bonus
    basis: listed
    rate: [{from: 2024-01-01, value: "10", source: "example"}]
    indicators:
      - measure: diabetes_hba1c_over_70
        better: lower
        lower: [{from: 2024-01-01, value: "0.10", source: "example"}]
        upper: [{from: 2024-01-01, value: "0.20", source: "example"}]
        points: [{from: 2024-01-01, value: "2", source: "example"}]
`, payment.RunOptions{Measures: func(m, u string) (measures.Result, bool) {
		r, ok := results[[2]string{m, u}]
		return r, ok
	}})
	// Output:
	// VC1 total 20.00
	//   Quality: diabetes_hba1c_over_70: 2 listed persons × 10 SEK per basis unit; measure diabetes_hba1c_over_70 = 0.15 (15/100, interval 0.093–0.233 wilson-95), thresholds 0.1–0.2 (lower better), attainment 0.5; bonus 2 points × 10 SEK per point (components[0].indicators[0].points[0]).
	// VC2 total 0.00
	//   Quality: diabetes_hba1c_over_70: no reportable result for measure diabetes_hba1c_over_70 at this unit, so the bonus is not applied.
}

func ExampleCoverage() {
	runExample(`components:
  - id: cov
    type: coverage
    name: Coverage
    basis: listed
    window_months: [{from: 2024-01-01, value: "6", source: "example"}]
    lower: [{from: 2024-01-01, value: "20", source: "example"}]
    upper: [{from: 2024-01-01, value: "80", source: "example"}]
    rate: [{from: 2024-01-01, value: "3", source: "example"}]
`, payment.RunOptions{})
	// Output:
	// VC1 total 180.00
	//   Coverage: 2 listed persons × 90 SEK per basis unit; coverage 50 % (1 of 2 contacts in the last 6 months at the own unit), 30 percentage points above 20 % (capped at 80 %) × 3 SEK per point (components[0].rate[0]).
	// VC2 total 280.00
	//   Coverage: 2 listed persons × 140 SEK per basis unit; coverage 66.67 % (2 of 3 contacts in the last 6 months at the own unit), 46.6667 percentage points above 20 % (capped at 80 %) × 3 SEK per point (components[0].rate[0]).
}

func ExampleSupplement() {
	runExample(`components:
  - id: extra
    type: supplement
    name: Special assignment
    items:
      - {unit: VC2, name: rural unit, values: [{from: 2024-01-01, value: "25000", source: "example"}]}
`, payment.RunOptions{})
	// Output:
	// VC1 total 0.00
	// VC2 total 25000.00
	//   Special assignment: rural unit: 1 month × 25000 SEK per month.
}

func ExampleVATCompensation() {
	runExample(`components:
  - id: cap
    type: capitation
    per: month
    rates: [{ages: 0-, values: [{from: 2024-01-01, value: "250", source: "example"}]}]
  - id: vat
    type: vat_compensation
    name: VAT compensation
    of: [cap]
    percent: [{from: 2024-01-01, value: "6", source: "example"}]
`, payment.RunOptions{})
	// Output:
	// VC1 total 500.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	// VC2 total 530.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	//   VAT compensation: 500 SEK of cap × 0.06 (6 %); paid to privately owned units only.
}

func ExampleCostResponsibility() {
	runExample(`components:
  - id: elsewhere
    type: cost_responsibility
    name: Care elsewhere
    prices:
      - {kind: primary, values: [{from: 2024-01-01, value: "350", source: "example"}]}
      - {kind: emergency, values: [{from: 2024-01-01, value: "400", source: "example"}]}
      - {kind: digital, values: [{from: 2024-01-01, value: "450", source: "example"}]}
`, payment.RunOptions{})
	// Output:
	// VC1 total -750.00
	//   Care elsewhere (primary): 1 contacts by listed persons at other units (primary) × -350 SEK per contact.
	//   Care elsewhere (emergency): 1 contacts by listed persons at other units (emergency) × -400 SEK per contact.
	// VC2 total -800.00
	//   Care elsewhere (primary): 1 contacts by listed persons at other units (primary) × -350 SEK per contact.
	//   Care elsewhere (digital): 1 contacts by listed persons at other units (digital) × -450 SEK per contact.
}

func ExamplePatientFees() {
	runExample(`components:
  - id: fees
    type: patient_fees
    name: Patient fees netted
    share: [{from: 2024-01-01, value: "1", source: "example"}]
`, payment.RunOptions{})
	// Output:
	// VC1 total -600.00
	//   Patient fees netted: 600 SEK patient fees collected × -1 share.
	// VC2 total 0.00
}

func ExampleLimit() {
	runExample(`components:
  - id: cap
    type: capitation
    per: month
    rates: [{ages: 0-, values: [{from: 2024-01-01, value: "250", source: "example"}]}]
  - id: floor
    type: limit
    name: Floor
    target: total
    per: unit
    min: [{from: 2024-01-01, value: "600", source: "example"}]
`, payment.RunOptions{})
	// Output:
	// VC1 total 600.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	//   Floor (floor): floor of 600 SEK per unit and month on total brings 500.00 SEK to 600.00 SEK.
	// VC2 total 600.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	//   Floor (floor): floor of 600 SEK per unit and month on total brings 500.00 SEK to 600.00 SEK.
}

func ExampleExplain() {
	m, _ := payment.ParseModel(strings.NewReader(exampleHeader + `title: Example
components:
  - id: cap
    type: capitation
    name: Capitation
    per: month
    rates: [{ages: 0-, values: [{from: 2024-01-01, value: "250", source: "example §2"}]}]
`))
	st, _ := payment.Run(context.Background(), m, exampleRegion(), vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 2, 29)}, payment.RunOptions{})
	_ = payment.Explain(os.Stdout, st, "VC2")
	// Output:
	// Vårdcentral Två (VC2) — Example
	// model example-2024, Exempelregionen, period 2024-01-01..2024-02-29, rounding line-ore-half-even
	// total 1000.00 SEK
	//
	//  1. Capitation 0+  1000.00 SEK
	//     2 months, summed: 4 listed persons aged 0+ × 250 SEK per person-month.
	//     parameter components[0].rates[0].values[0], valid from 2024-01-01
	//     source: example §2
	//
	// month    lines    total
	// -----------------------
	// 2024-01      1   500.00
	// 2024-02      1   500.00
	// -----------------------
	// period       1  1000.00
}

func ExampleReadResults() {
	res, err := payment.ReadResults(strings.NewReader("measure,unit_id,numerator,denominator,value\ncare_guarantee_3d,VC1,45,50,0.9\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, ok := res.Lookup("care_guarantee_3d", "VC1")
	fmt.Println(ok, r.Value, r.Numerator, r.Denominator)
	// Output:
	// true 0.9 45 50
}

func ExampleCompare() {
	run := func(rate string) *payment.Statement {
		m, err := payment.ParseModel(strings.NewReader(exampleHeader + `components:
  - {id: cap, type: capitation, per: month, rates: [{ages: 0-64, values: [{from: 2024-01-01, value: "250", source: s}]}, {ages: 65-, values: [{from: 2024-01-01, value: "` + rate + `", source: s}]}]}
  - {id: visits, type: visit_fee, fees: [{relation: unlisted, values: [{from: 2024-01-01, value: "500", source: s}]}]}
`))
		if err != nil {
			panic(err)
		}
		st, err := payment.Run(context.Background(), m, exampleRegion(), vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{})
		if err != nil {
			panic(err)
		}
		return st
	}
	c := payment.Compare(run("400"), run("600"))
	for _, u := range c.Ranked() {
		fmt.Printf("%s %s → %s (%s, %s %%)\n", u.UnitID, u.A.StringFixed(2), u.B.StringFixed(2), u.Diff.StringFixed(2), u.Percent)
		for _, s := range u.Steps {
			fmt.Printf("  %s %s\n", s.Component, s.Amount.StringFixed(2))
		}
	}
	fmt.Println("region", c.Diff.StringFixed(2))
	// Output:
	// VC2 800.00 → 1200.00 (400.00, 50 %)
	//   cap 400.00
	// VC1 1000.00 → 1000.00 (0.00, 0 %)
	//   cap 0.00
	//   visits 0.00
	// region 400.00
}
