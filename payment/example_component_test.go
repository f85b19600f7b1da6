package payment_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// elderlySupplement is a component type of a region's own, written
// outside package payment: a flat sum per month for every listed person
// aged from_age or more.
type elderlySupplement struct {
	payment.ComponentInfo
	Counting payment.Counting
	FromAge  int
	Rate     payment.Param // SEK per listed person per month
}

// parseElderlySupplement reads the component's keys; the Decoder checks
// the dated values, their sources and every key, and reports problems
// with file, line and key path like any other model error.
func parseElderlySupplement(d *payment.Decoder) payment.Component {
	return &elderlySupplement{ComponentInfo: d.Info(), Counting: d.Counting(), FromAge: d.Int("from_age", true, 0, payment.MaxAge),
		Rate: d.Param("rate", true, payment.NonNegative)}
}

func (c *elderlySupplement) Params() []*payment.Param { return []*payment.Param{&c.Rate} }

// Need asks for the listed persons by age, counted as the model says.
func (c *elderlySupplement) Need(n *payment.Needs) { n.Listed(c.Counting) }

// Price adds one line per unit: the persons aged FromAge or more × the
// rate in force, citing the rate's dated value.
func (c *elderlySupplement) Price(mc *payment.MonthContext) error {
	rate, err := mc.Value(&c.Rate)
	if err != nil {
		return err
	}
	for i := range mc.Units() {
		n := mc.ListedAged(i, c.Counting, payment.SexAny, c.FromAge, payment.MaxAge)
		if n.Sign() == 0 {
			continue
		}
		mc.Add(i, payment.LineSpec{Key: "elderly", Quantity: n, Rate: rate,
			QuantityText: fmt.Sprintf("listed persons aged %d+", c.FromAge), RateText: "SEK per person-month",
			Detail: "listed on " + c.Counting.Cutoff(mc.Month()).String()})
	}
	return nil
}

func (c *elderlySupplement) Clone(*payment.ModelCopy) payment.Component {
	x := *c
	x.Rate = c.Rate.Clone()
	return &x
}

// A region adds a component type of its own from outside the package:
// the registry of the built-in types With the new one parses a model file
// that uses it, and Run prices it like any other.
func Example_componentType() {
	types, err := payment.BuiltinComponents().With(
		payment.ComponentType{Name: "elderly_supplement", Parse: parseElderlySupplement})
	if err != nil {
		fmt.Println(err)
		return
	}
	model, err := payment.ParseModel(strings.NewReader(`model: town-2024
region: Exempelstaden
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: capitation
    type: capitation
    per: month
    rates:
      - {ages: 0-, values: [{from: 2024-01-01, value: "200", source: "council decision 2023-11"}]}
  - id: elderly
    type: elderly_supplement
    name: Elderly supplement
    from_age: 75
    rate:
      - {from: 2024-01-01, value: "55.50", source: "council decision 2023-11"}
      - {from: 2024-03-01, value: "60", assumption: "the proposed raise is adopted"}
`), payment.ParseOptions{File: "town-2024.yaml", Components: types})
	if err != nil {
		fmt.Println(err)
		return
	}
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "Vårdcentralen Norr", Kind: "primary", Owner: "public", From: vardval.D(2010, 1, 1)})
	for i, born := range []int{1940, 1945, 1950, 1990} {
		b.AddListing(vardval.ListingRow{PersonID: fmt.Sprintf("P%d", i), UnitID: "VC1", From: vardval.D(2020, 1, 1), Sex: "F",
			BirthDate: vardval.D(born, 6, 1)})
	}
	region, _, err := b.Build(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	period := vardval.Period{From: vardval.D(2024, 2, 1), To: vardval.D(2024, 3, 31)}
	st, err := payment.Run(context.Background(), model, region, period, payment.RunOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ms := range st.Units[0].Months {
		for _, l := range ms.Lines[1:] { // after the capitation line
			fmt.Printf("%s %s: %s SEK\n  %s\n  %s from %s, source: %s\n", ms.Month, l.Name, l.Amount.StringFixed(2),
				l.Explanation, l.Parameter, l.ValidFrom, l.Source)
			if l.Assumption != "" {
				fmt.Printf("  an assumption: %s\n", l.Assumption)
			}
		}
	}
	// The same registry lists the type and tells what the model reads.
	fmt.Println(strings.Join(types.Names(), " "))
	fmt.Printf("%+v\n", model.Inputs())
	// Output:
	// 2024-02 Elderly supplement: 111.00 SEK
	//   2 listed persons aged 75+ × 55.5 SEK per person-month (listed on 2024-02-29).
	//   components[1].rate[0] from 2024-01-01, source: council decision 2023-11
	// 2024-03 Elderly supplement: 120.00 SEK
	//   2 listed persons aged 75+ × 60 SEK per person-month (listed on 2024-03-31).
	//   components[1].rate[1] from 2024-03-01, source: assumption
	//   an assumption: the proposed raise is adopted
	// acg_points capitation cni_supplement cost_responsibility coverage elderly_supplement goal limit listing_points patient_fees pool_split supplement vat_compensation visit_fee
	// {Contacts:false Diagnoses:false Observations:false Prescriptions:false Followup:false}
}
