package payment_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// A model of one's own, in the model file's YAML: age-banded capitation
// and a pool shared out half by listed persons, half by ACG weight.
const ownModel = `model: town-2024
region: Exempelstaden
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
acg:
  source: person
  missing_weight: [{from: 2024-01-01, value: "1", source: "assumption", assumption: "no weight: average"}]
components:
  - id: capitation
    type: capitation
    name: Capitation
    per: month
    counting: cutoff-last
    rates:
      - {ages: 0-64, values: [{from: 2024-01-01, value: "200", source: "council decision 2023-11"}]}
      - {ages: 65-, values: [{from: 2024-01-01, value: "500", source: "council decision 2023-11"}]}
  - id: pool
    type: pool_split
    name: Pool
    pool_per_month: [{from: 2024-01-01, value: "1000", source: "budget 2024"}]
    shares:
      - {id: listed, name: Listed, index: listed, share: [{from: 2024-01-01, value: "0.5", source: "budget 2024"}]}
      - {id: acg, name: ACG, index: acg, share: [{from: 2024-01-01, value: "0.5", source: "budget 2024"}]}
`

// loadTown reads a region of two vårdcentraler and three listed persons
// from the data contract's CSV files, as a service would receive them.
func loadTown() (*vardval.Region, error) {
	files := vardval.Files{
		Units: strings.NewReader("unit_id,name,kind,municipality,owner,from,to\n" +
			"VC1,Vårdcentralen Norr,primary,1380,public,2010-01-01,\n" +
			"VC2,Hälsocentralen Syd,primary,1380,private,2015-05-01,\n"),
		Listings: strings.NewReader("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\n" +
			"P1,VC1,2020-01-01,,F,1950-03-04,,,2.0\n" +
			"P2,VC1,2020-01-01,,M,1985-07-01,,,0.5\n" +
			"P3,VC2,2020-01-01,,F,1990-01-01,,,1.5\n"),
	}
	r, rep, err := vardval.Load(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		return nil, err
	}
	return r, rep.Err()
}

// ExampleParseModel prices a region under a model of one's own, read from
// its YAML text.
func ExampleParseModel() {
	m, err := payment.ParseModel(strings.NewReader(ownModel), payment.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := loadTown()
	if err != nil {
		fmt.Println(err)
		return
	}
	march := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3})
	st, err := payment.Price(context.Background(), m, r, march, payment.PriceOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range st.Units {
		fmt.Printf("%s %s\n", u.UnitID, st.Rounding.Format(u.Total))
		for _, l := range u.Lines {
			fmt.Printf("  %-18s %8s  %s\n", l.Name, st.Rounding.Format(l.Amount), l.Source)
		}
	}
	fmt.Println("total", st.Rounding.Format(st.Total))
	// Output:
	// VC1 1345.83
	//   Capitation 0–64      200.00  council decision 2023-11
	//   Capitation 65+       500.00  council decision 2023-11
	//   Pool: ACG            312.50  budget 2024
	//   Pool: Listed         333.33  budget 2024
	// VC2 554.17
	//   Capitation 0–64      200.00  council decision 2023-11
	//   Pool: ACG            187.50  budget 2024
	//   Pool: Listed         166.67  budget 2024
	// total 1900.00
}
