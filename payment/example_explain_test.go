package payment_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// Explain writes one unit's statement for a reader: each line with its
// arithmetic, the model parameter behind it and that parameter's source,
// then the months.
func ExampleExplain() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC2,Vårdcentral Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
title: Example
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cap
    type: capitation
    name: Capitation
    per: month
    rates: [{ages: 0-, values: [{from: 2024-01-01, value: "250", source: "example §2"}]}]
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	st, err := payment.Run(context.Background(), model, region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 2, 29)}, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if err := payment.Explain(os.Stdout, st, "VC2"); err != nil {
		log.Fatal(err)
	}
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

// Compare sets two statements side by side: here one region priced under
// two models that differ in the capitation rate for persons aged 65 and
// over, unit by unit and component by component.
func ExampleCompare() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Ett,primary\nVC2,Två,primary\n"),
		Listings: strings.NewReader(`person_id,unit_id,from,sex,birth_date
P1,VC1,2020-01-01,F,1990-05-10
P2,VC1,2024-01-16,M,2022-03-01
P3,VC2,2010-01-01,F,1940-01-15
P4,VC2,2015-01-01,F,1955-02-02
`),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\nC1,19800701-0013,VC1,2024-01-15,visit,doctor\n"),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	run := func(rate string) *payment.Statement {
		model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - {id: cap, type: capitation, per: month, rates: [{ages: 0-64, values: [{from: 2024-01-01, value: "250", source: s}]}, {ages: 65-, values: [{from: 2024-01-01, value: "`+rate+`", source: s}]}]}
  - {id: visits, type: visit_fee, fees: [{relation: unlisted, values: [{from: 2024-01-01, value: "500", source: s}]}]}
`), payment.ParseOptions{})
		if err != nil {
			log.Fatal(err)
		}
		st, err := payment.Run(context.Background(), model, region, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{})
		if err != nil {
			log.Fatal(err)
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
