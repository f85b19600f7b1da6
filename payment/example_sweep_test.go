package payment_test

import (
	"context"
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// ExampleSweep prices a region under three splits of a pool between
// listed persons and ACG weight, summing the region once: each variant's
// statement is the one Price would give for its model.
func ExampleSweep() {
	model, region, err := sweepExample()
	if err != nil {
		fmt.Println(err)
		return
	}
	var variants []payment.Variant
	for _, listed := range []string{"0.2", "0.4", "0.6"} {
		l := decimal.RequireFromString(listed)
		variants = append(variants, payment.Variant{Name: "listed " + listed, Overrides: []payment.Override{
			{Key: "pool.shares[0].share", Value: l},
			{Key: "pool.shares[1].share", Value: decimal.NewFromInt(1).Sub(l)},
		}})
	}
	march := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3})
	sw, err := payment.Sweep(context.Background(), model, region, march, variants, payment.PriceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("model:", sw.Base.Units[0].Total.StringFixed(2), sw.Base.Units[1].Total.StringFixed(2))
	for _, v := range sw.Variants {
		fmt.Printf("%s: %s %s\n", v.Variant.Name, v.Statement.Units[0].Total.StringFixed(2), v.Statement.Units[1].Total.StringFixed(2))
	}
	// Output:
	// model: 645.83 354.17
	// listed 0.2: 633.33 366.67
	// listed 0.4: 641.67 358.33
	// listed 0.6: 650.00 350.00
}

// sweepExample is the model and region of the sweep examples: a pool
// split half by listed persons, half by ACG weight, and two units.
func sweepExample() (*payment.Model, *vardval.Region, error) {
	model, err := payment.ParseModel(strings.NewReader(`model: pool-2024
region: Exempelstaden
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
acg:
  source: person
  missing_weight: [{from: 2024-01-01, value: "1", source: "assumption", assumption: "no weight: average"}]
components:
  - id: pool
    type: pool_split
    name: Pool
    pool_per_month: [{from: 2024-01-01, value: "1000", source: "budget 2024"}]
    shares:
      - {id: listed, name: Listed, index: listed, share: [{from: 2024-01-01, value: "0.5", source: "budget 2024"}]}
      - {id: acg, name: ACG, index: acg, share: [{from: 2024-01-01, value: "0.5", source: "budget 2024"}]}
`), payment.ParseOptions{})
	if err != nil {
		return nil, nil, err
	}
	region, _, err := vardval.LoadFS(context.Background(), fstest.MapFS{
		"units.csv": {Data: []byte("unit_id,name,kind,municipality,owner,from,to\n" +
			"VC1,Vårdcentralen Norr,primary,1380,public,2010-01-01,\nVC2,Hälsocentralen Syd,primary,1380,private,2015-05-01,\n")},
		"listings.csv": {Data: []byte("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\n" +
			"P1,VC1,2020-01-01,,F,1950-03-04,,,2.0\nP2,VC1,2020-01-01,,M,1985-07-01,,,0.5\nP3,VC2,2020-01-01,,F,1990-01-01,,,1.5\n")},
	}, vardval.LoadOptions{})
	if err != nil {
		return nil, nil, err
	}
	return model, region, nil
}

// ExampleNewSweeper prices variants one at a time, as a slider asks for
// them, from the region's sums made once: each statement is Price's for
// the variant's model.
func ExampleNewSweeper() {
	model, region, err := sweepExample()
	if err != nil {
		fmt.Println(err)
		return
	}
	march := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3})
	sw, err := payment.NewSweeper(context.Background(), model, region, march, payment.PriceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("model:", sw.Base().Total.StringFixed(2))
	for _, listed := range []string{"0.2", "0.6"} {
		l := decimal.RequireFromString(listed)
		v, err := sw.Price(context.Background(), payment.Variant{Name: "listed " + listed, Overrides: []payment.Override{
			{Key: "pool.shares[0].share", Value: l},
			{Key: "pool.shares[1].share", Value: decimal.NewFromInt(1).Sub(l)},
		}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %s %s\n", v.Variant.Name, v.Statement.Units[0].Total.StringFixed(2), v.Statement.Units[1].Total.StringFixed(2))
	}
	// Output:
	// model: 1000.00
	// listed 0.2: 633.33 366.67
	// listed 0.6: 650.00 350.00
}
