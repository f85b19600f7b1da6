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

// ExampleModel_With tries a proposal: a pool shared half by listed
// persons and half by ACG weight becomes 20/80 from April. With returns a
// new model (the original is untouched and may be in use elsewhere);
// Compare says what it does to each unit.
func ExampleModel_With() {
	base, err := payment.ParseModel(strings.NewReader(`model: pool-2024
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
		fmt.Println(err)
		return
	}
	from := vardval.D(2024, 4, 1)
	proposal, err := base.With(
		payment.Override{Key: "pool.shares[0].share", From: from, Value: decimal.RequireFromString("0.2"), Note: "proposal"},
		payment.Override{Key: "pool.shares[1].share", From: from, Value: decimal.RequireFromString("0.8"), Note: "proposal"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	// One share alone would break the rule that shares sum to 1.
	_, err = base.With(payment.Override{Key: "pool.shares[1].share", From: from, Value: decimal.RequireFromString("0.8")})
	fmt.Println(err)

	// Two units; VC1's two listed persons weigh 2.0 and 0.5, VC2's one 1.5.
	region, _, err := vardval.LoadFS(context.Background(), fstest.MapFS{
		"units.csv": {Data: []byte("unit_id,name,kind,municipality,owner,from,to\n" +
			"VC1,Vårdcentralen Norr,primary,1380,public,2010-01-01,\nVC2,Hälsocentralen Syd,primary,1380,private,2015-05-01,\n")},
		"listings.csv": {Data: []byte("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\n" +
			"P1,VC1,2020-01-01,,F,1950-03-04,,,2.0\nP2,VC1,2020-01-01,,M,1985-07-01,,,0.5\nP3,VC2,2020-01-01,,F,1990-01-01,,,1.5\n")},
	}, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	q2 := vardval.Period{From: vardval.D(2024, 4, 1), To: vardval.D(2024, 6, 30)}
	a, err := payment.Price(context.Background(), base, region, q2, payment.PriceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := payment.Price(context.Background(), proposal, region, q2, payment.PriceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := payment.Compare(a, b)
	for _, u := range c.Units {
		fmt.Printf("%s %s → %s (%s %%)\n", u.UnitID, u.A.StringFixed(2), u.B.StringFixed(2), u.Percent)
	}
	fmt.Println("region difference", c.Diff.StringFixed(2))
	// Output:
	// override pool.shares[1].share: the shares in force on 2024-04-01 sum to 1.3, not 1
	// VC1 1937.49 → 1899.99 (-1.94 %)
	// VC2 1062.51 → 1100.01 (3.53 %)
	// region difference 0.00
}
