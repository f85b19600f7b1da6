package payment_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// Each Example loads the few rows of the data contract its component
// reads (vardval.Load takes the CSV files as readers; vardval.LoadFS reads
// them from a directory, an embed.FS or a zip), parses a model holding just
// that component and prices January 2024.

// Capitation pays per listed person by age band. Day-weighted, a person
// listed from 16 January counts 16/31 of the month.
func ExampleCapitation() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cap
    type: capitation
    name: Capitation
    per: year
    counting: day-weighted
    rates:
      - {ages: 0-5, values: [{from: 2024-01-01, value: "3720", source: "example"}]}
      - {ages: 6-64, values: [{from: 2024-01-01, value: "2400", source: "example"}]}
      - {ages: 65-, values: [{from: 2024-01-01, value: "6000", source: "example"}]}
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 360.00
	//   Capitation 0–5: 0.516129 listed person-months aged 0–5 × 310 SEK per person-month (3720 SEK per person-year ÷ 12) (day-weighted over 2024-01).
	//   Capitation 6–64: 1 listed person-months aged 6–64 × 200 SEK per person-month (2400 SEK per person-year ÷ 12) (day-weighted over 2024-01).
	// VC2 total 1000.00
	//   Capitation 65+: 2 listed person-months aged 65+ × 500 SEK per person-month (6000 SEK per person-year ÷ 12) (day-weighted over 2024-01).
}

// Listing points weigh each person listed on the month's last day by age
// and sex, then pay a rate per point.
func ExampleListingPoints() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
tables:
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
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 588.00
	//   Listing points: 2 listing points (weights w) × 294 SEK per point per month (listed on 2024-01-31).
	// VC2 total 1470.00
	//   Listing points: 5 listing points (weights w) × 294 SEK per point per month (listed on 2024-01-31).
}

// ACG points scale a unit's listing points by its case-mix: the mean ACG
// weight of its listed persons over the region's mean.
func ExampleACGPoints() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date,acg_weight
P1,VC1,2020-01-01,F,1990-05-10,1.2
P2,VC1,2024-01-16,M,2022-03-01,0.5
P3,VC2,2010-01-01,F,1940-01-15,3
P4,VC2,2015-01-01,F,1955-02-02,1
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
tables:
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
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 119.30
	//   ACG points: 1.192982 ACG points × 100 SEK per point per month; ACG points = 2 listing points (w) × case-mix 0.5965 (unit mean ACG weight 0.85 ÷ region mean 1.425).
	// VC2 total 280.70
	//   ACG points: 2.807018 ACG points × 100 SEK per point per month; ACG points = 2 listing points (w) × case-mix 1.4035 (unit mean ACG weight 2 ÷ region mean 1.425).
}

// A pool split shares a fixed sum out between the units in sub-pools, each
// by an index: here ACG weight, age points and the care need index (CNI)
// of the listed persons' areas. P4 lives in no known area, so counts the
// model's missing CNI, 1.
func ExamplePoolSplit() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Areas: strings.NewReader("area,cni\nA,1.5\nB,0.8\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date,area,acg_weight
P1,VC1,2020-01-01,F,1990-05-10,A,1.2
P2,VC1,2024-01-16,M,2022-03-01,A,0.5
P3,VC2,2010-01-01,F,1940-01-15,B,3
P4,VC2,2015-01-01,F,1955-02-02,,1
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
tables:
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
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
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

// Visit fees pay a unit per contact with persons listed elsewhere or not
// listed at all (here one given by personnummer, which needs no birth
// date).
func ExampleVisitFee() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P3,VC2,2010-01-01,F,1940-01-15
`),
		Contacts: strings.NewReader(`contact_id,person_id,unit_id,date,mode,profession
C1,P1,VC2,2024-01-09,visit,nurse
C2,P3,VC1,2024-01-12,visit,doctor
C3,19800701-0013,VC1,2024-01-15,visit,doctor
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: visits
    type: visit_fee
    name: Visits
    fees:
      - {relation: elsewhere, mode: any, profession: doctor, values: [{from: 2024-01-01, value: "700", source: "example"}]}
      - {relation: elsewhere, values: [{from: 2024-01-01, value: "350", source: "example"}]}
      - {relation: unlisted, values: [{from: 2024-01-01, value: "700", source: "example"}]}
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 1400.00
	//   Visits (elsewhere doctor): 1 contacts (elsewhere doctor) × 700 SEK per contact.
	//   Visits (unlisted): 1 contacts (unlisted) × 700 SEK per contact.
	// VC2 total 350.00
	//   Visits (elsewhere): 1 contacts (elsewhere) × 350 SEK per contact.
}

// A goal pays on a follow-up measure's result: a bonus by how far the
// result lies between its thresholds, per listed person.
func ExampleGoal() {
	// Results of the follow-up measures, as measures.Compute or
	// payment.ReadResults give them: none for VC2.
	results := map[[2]string]measures.Result{
		{"diabetes_hba1c_over_70", "VC1"}: {Measure: "diabetes_hba1c_over_70", UnitID: "VC1", Numerator: decimal.NewFromInt(15),
			Denominator: decimal.NewFromInt(100), Value: decimal.RequireFromString("0.15"), CILow: 0.093, CIHigh: 0.233, Method: "wilson-95"},
	}
	lookup := func(measure, unit string) (measures.Result, bool) {
		r, ok := results[[2]string{measure, unit}]
		return r, ok
	}
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
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
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{Measures: lookup})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 20.00
	//   Quality: diabetes_hba1c_over_70: 2 listed persons × 10 SEK per basis unit; measure diabetes_hba1c_over_70 = 0.15 (15/100, interval 0.093–0.233 wilson-95), thresholds 0.1–0.2 (lower better), attainment 0.5; bonus 2 points × 10 SEK per point (components[0].indicators[0].points[0]).
	// VC2 total 0.00
	//   Quality: diabetes_hba1c_over_70: no reportable result for measure diabetes_hba1c_over_70 at this unit, so the bonus is not applied.
}

// Coverage pays by the share of the listed persons' contacts at
// primary-care units in the last months that were at their own unit.
func ExampleCoverage() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
		Contacts: strings.NewReader(`contact_id,person_id,unit_id,date,mode,profession
C1,P1,VC1,2024-01-03,visit,doctor
C2,P1,VC2,2024-01-09,visit,nurse
C3,P3,VC2,2024-01-10,phone,doctor
C4,P3,VC1,2024-01-12,visit,doctor
C5,P4,VC2,2024-01-22,visit,nurse
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cov
    type: coverage
    name: Coverage
    basis: listed
    window_months: [{from: 2024-01-01, value: "6", source: "example"}]
    lower: [{from: 2024-01-01, value: "20", source: "example"}]
    upper: [{from: 2024-01-01, value: "80", source: "example"}]
    rate: [{from: 2024-01-01, value: "3", source: "example"}]
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 180.00
	//   Coverage: 2 listed persons × 90 SEK per basis unit; coverage 50 % (1 of 2 contacts in the last 6 months at the own unit), 30 percentage points above 20 % (capped at 80 %) × 3 SEK per point (components[0].rate[0]).
	// VC2 total 280.00
	//   Coverage: 2 listed persons × 140 SEK per basis unit; coverage 66.67 % (2 of 3 contacts in the last 6 months at the own unit), 46.6667 percentage points above 20 % (capped at 80 %) × 3 SEK per point (components[0].rate[0]).
}

// A supplement pays named units a fixed sum per month.
func ExampleSupplement() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,VC1,2020-01-01,F,1990-05-10\n"),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: extra
    type: supplement
    name: Special assignment
    items:
      - {unit: VC2, name: rural unit, values: [{from: 2024-01-01, value: "25000", source: "example"}]}
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 0.00
	// VC2 total 25000.00
	//   Special assignment: rural unit: 1 month × 25000 SEK per month.
}

// VAT compensation adds a percentage of other components, paid to privately
// owned units only.
func ExampleVATCompensation() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind,owner\nVC1,Ett,primary,public\nVC2,Två,primary,private\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cap
    type: capitation
    per: month
    rates: [{ages: 0-, values: [{from: 2024-01-01, value: "250", source: "example"}]}]
  - id: vat
    type: vat_compensation
    name: VAT compensation
    of: [cap]
    percent: [{from: 2024-01-01, value: "6", source: "example"}]
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 500.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	// VC2 total 530.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	//   VAT compensation: 500 SEK of cap × 0.06 (6 %); paid to privately owned units only.
}

// Cost responsibility charges a unit for the care its listed persons had
// at other units, priced by the kind of unit.
func ExampleCostResponsibility() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader(`unit_id,name,kind
DIG,Digital,digital
ED,Akuten,emergency
VC1,Ett,primary
VC2,Två,primary
`),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P3,VC2,2010-01-01,F,1940-01-15
`),
		Contacts: strings.NewReader(`contact_id,person_id,unit_id,date,mode,profession
C1,P1,ED,2024-01-05,visit,doctor
C2,P1,VC2,2024-01-09,visit,nurse
C3,P3,VC1,2024-01-12,visit,doctor
C4,P3,DIG,2024-01-20,chat,doctor
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: elsewhere
    type: cost_responsibility
    name: Care elsewhere
    prices:
      - {kind: primary, values: [{from: 2024-01-01, value: "350", source: "example"}]}
      - {kind: emergency, values: [{from: 2024-01-01, value: "400", source: "example"}]}
      - {kind: digital, values: [{from: 2024-01-01, value: "450", source: "example"}]}
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total -750.00
	//   Care elsewhere (primary): 1 contacts by listed persons at other units (primary) × -350 SEK per contact.
	//   Care elsewhere (emergency): 1 contacts by listed persons at other units (emergency) × -400 SEK per contact.
	// VC2 total -800.00
	//   Care elsewhere (primary): 1 contacts by listed persons at other units (primary) × -350 SEK per contact.
	//   Care elsewhere (digital): 1 contacts by listed persons at other units (digital) × -450 SEK per contact.
}

// Patient fees nets the fees a unit collected off its pay.
func ExamplePatientFees() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC2,2010-01-01,M,1940-01-15
`),
		Contacts: strings.NewReader(`contact_id,person_id,unit_id,date,mode,profession,fee
C1,P1,VC1,2024-01-03,visit,doctor,200
C2,P2,VC1,2024-01-12,visit,doctor,200
C3,P1,VC1,2024-01-15,visit,doctor,200
C4,P2,VC2,2024-01-22,visit,nurse,
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: fees
    type: patient_fees
    name: Patient fees netted
    share: [{from: 2024-01-01, value: "1", source: "example"}]
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total -600.00
	//   Patient fees netted: 600 SEK patient fees collected × -1 share.
	// VC2 total 0.00
}

// A limit puts a floor or a ceiling on a unit's pay, or on some of its
// components, per month.
func ExampleLimit() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
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
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	january := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
	st, err := payment.Run(context.Background(), model, region, january, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range st.Units {
		fmt.Printf("%s total %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %s: %s\n", l.Name, l.Explanation)
		}
	}
	// Output:
	// VC1 total 600.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	//   Floor (floor): floor of 600 SEK per unit and month on total brings 500.00 SEK to 600.00 SEK.
	// VC2 total 600.00
	//   cap 0+: 2 listed persons aged 0+ × 250 SEK per person-month (listed on 2024-01-31).
	//   Floor (floor): floor of 600 SEK per unit and month on total brings 500.00 SEK to 600.00 SEK.
}
