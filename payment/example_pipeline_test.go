package payment_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing/fstest"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// A service's whole pipeline: a region's files from any file system
// (here in memory; os.DirFS, embed.FS or a zip work alike), the follow-up
// measures, the statement under a model that pays on a measure, and one
// unit's statement explained line by line.
func Example_pipeline() {
	// 40 persons listed at VC1; each asked for care on 1 March and was
	// seen by a nurse that day, or (every fourth) the day after.
	var listings, contacts strings.Builder
	listings.WriteString("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\n")
	contacts.WriteString("contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician\n")
	for i := range 40 {
		fmt.Fprintf(&listings, "P%d,VC1,2020-01-01,,F,1980-01-01,,,\n", i)
		day := 1
		if i%4 == 0 {
			day = 2
		}
		fmt.Fprintf(&contacts, "C%d,P%d,VC1,2024-03-%02d,visit,nurse,no,0,2024-03-01,yes,\n", i, i, day)
	}
	fsys := fstest.MapFS{
		"units.csv":    {Data: []byte("unit_id,name,kind,municipality,owner,from,to\nVC1,Vårdcentralen Norr,primary,1380,public,2010-01-01,\n")},
		"listings.csv": {Data: []byte(listings.String())},
		"contacts.csv": {Data: []byte(contacts.String())},
	}
	ctx := context.Background()
	region, report, err := vardval.LoadFS(ctx, fsys, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	read, accepted, rejected := report.Totals()
	fmt.Printf("intake: %d rows read, %d accepted, %d rejected\n", read, accepted, rejected)

	march := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3})
	follow, err := measures.Compute(ctx, region, march, measures.Options{Measures: []string{"care_guarantee_0d"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := follow.Result("care_guarantee_0d", "VC1")
	fmt.Printf("care_guarantee_0d at VC1: %s of %s = %s\n", res.Numerator, res.Denominator, res.Value)

	model, err := payment.ParseModel(strings.NewReader(`model: town-2024
region: Exempelstaden
title: Exempelstaden 2024 — capitation and an access bonus
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: capitation
    type: capitation
    name: Capitation
    per: month
    counting: cutoff-last
    rates:
      - {ages: 0-, values: [{from: 2024-01-01, value: "200", source: "council decision 2023-11"}]}
  - id: access
    type: goal
    name: Access
    style: bonus
    basis: listed
    rate: [{from: 2024-01-01, value: "10", source: "council decision 2023-11"}]
    indicators:
      - measure: care_guarantee_0d
        better: higher
        lower: [{from: 2024-01-01, value: "0.50", source: "council decision 2023-11"}]
        upper: [{from: 2024-01-01, value: "0.90", source: "council decision 2023-11"}]
        points: [{from: 2024-01-01, value: "1", source: "council decision 2023-11"}]
`), payment.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// payment.Price(ctx, model, region, march, payment.PriceOptions{})
	// does the last two steps in one call; here the measures computed
	// above feed goal-related pay.
	st, err := payment.Run(ctx, model, region, march, payment.PriceOptions{Measures: follow}.RunOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := payment.Explain(os.Stdout, st, "VC1"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// intake: 81 rows read, 81 accepted, 0 rejected
	// care_guarantee_0d at VC1: 30 of 40 = 0.75
	// Vårdcentralen Norr (VC1) — Exempelstaden 2024 — capitation and an access bonus
	// model town-2024, Exempelstaden, period 2024-03, rounding line-ore-half-even
	// total 8250.00 SEK
	//
	//  1. Capitation 0+  8000.00 SEK
	//     40 listed persons aged 0+ × 200 SEK per person-month (listed on 2024-03-31).
	//     parameter components[0].rates[0].values[0], valid from 2024-01-01
	//     source: council decision 2023-11
	//  2. Access: care_guarantee_0d  250.00 SEK
	//     40 listed persons × 6.25 SEK per basis unit; measure care_guarantee_0d = 0.75 (30/40, interval 0.598–0.858 wilson-deff-95), thresholds 0.5–0.9 (higher better), attainment 0.625; bonus 1 points × 10 SEK per point (components[1].indicators[0].points[0]).
	//     parameter components[1].rate[0], valid from 2024-01-01
	//     source: council decision 2023-11
	//
	// month    lines    total
	// -----------------------
	// 2024-03      2  8250.00
	// -----------------------
	// period       2  8250.00
}
