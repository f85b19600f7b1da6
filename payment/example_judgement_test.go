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

// A goal indicator judged on benefit-of-doubt: the unit's share 18/30 =
// 0.6 misses the 0.7–0.9 thresholds, but the upper bound of its Wilson
// 95 % interval does not, so the bonus pays on that bound.
func ExampleJudgement() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC2,Vårdcentral Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP3,VC2,2010-01-01,F,1940-01-15\n"),
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
  - id: quality
    type: goal
    name: Quality bonus
    style: bonus
    basis: listed
    rate: [{from: 2024-01-01, value: "10", source: "example §5"}]
    indicators:
      - measure: care_guarantee_3d
        better: higher
        judged_on: benefit-of-doubt
        lower: [{from: 2024-01-01, value: "0.7", source: "example §5"}]
        upper: [{from: 2024-01-01, value: "0.9", source: "example §5"}]
        points: [{from: 2024-01-01, value: "1", source: "example §5"}]
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	iv := measures.Wilson(18, 30, 0.95)
	results := func(measure, unitID string) (measures.Result, bool) {
		return measures.Result{Measure: measure, UnitID: unitID, Numerator: decimal.NewFromInt(18), Denominator: decimal.NewFromInt(30),
			Value: decimal.RequireFromString("0.6"), CILow: iv.Low, CIHigh: iv.High, Method: "wilson-95"}, true
	}
	st, err := payment.Run(context.Background(), model, region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 1, 31)},
		payment.RunOptions{Measures: results})
	if err != nil {
		log.Fatal(err)
	}
	l := st.Units[0].Lines[0]
	j := l.Judgement
	fmt.Printf("judged on %s: value %s, interval %.3f–%.3f (%s), judged %s\n", j.JudgedOn, j.Value, j.CILow, j.CIHigh, j.Method, j.Judged)
	fmt.Println("amount", l.Amount.StringFixed(2), "SEK") // (0.754094 − 0.7) / 0.2 × 1 point × 10 SEK × 1 listed
	// Output:
	// judged on benefit-of-doubt: value 0.6, interval 0.423–0.754 (wilson-95), judged 0.754094
	// amount 2.70 SEK
}
