package measures_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// A region adds its own measure to the built-in ones: a percentage of
// adults listed on the period's last day whose latest smoking
// observation says they smoke. Here 10 of 40 do.
func ExampleRegistry_Extend() {
	const file = `measures:
  - id: smokers
    name_sv: Rökare
    name_en: Smokers
    kind: proportion
    scale: 100
    rule: latest_observation
    counts: persons
    population:
      listed_on: period_end
      age_min: 18
    observation: {code: SMOKING, op: ">=", value: "1"}
    min_denominator: 30
    direction: lower
    sources:
      - {from: 2024-01-01, source: Region X decision 2024-17}
`
	defs, err := measures.ParseDefinitions(strings.NewReader(file), measures.DefinitionOptions{File: "region.yaml"})
	if err != nil {
		log.Fatal(err)
	}
	reg, err := measures.BuiltinRegistry().Extend(defs...)
	if err != nil {
		log.Fatal(err)
	}
	ids := reg.IDs()
	fmt.Println(len(ids), ids[len(ids)-1])

	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "A", Name: "Vårdcentral A", Kind: "primary"})
	for i := range 40 {
		person := fmt.Sprint("P", i)
		b.AddListing(vardval.ListingRow{PersonID: person, UnitID: "A", From: vardval.D(2020, 1, 1), Sex: "F", BirthDate: vardval.D(1970, 1, 1)})
		smokes := int64(0)
		if i%4 == 0 {
			smokes = 1
		}
		b.AddObservation(vardval.ObservationRow{PersonID: person, Date: vardval.D(2024, 6, 1), Code: "SMOKING",
			Value: decimal.NewNullDecimal(decimal.NewFromInt(smokes)), UnitID: "A"})
	}
	region, _, err := b.Build(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	rep, err := measures.Compute(context.Background(), region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		measures.Options{Registry: reg, Measures: []string{"smokers"}})
	if err != nil {
		log.Fatal(err)
	}
	res, _ := rep.Result("smokers", "A")
	fmt.Println(res.Numerator, res.Denominator, res.Value)

	// The same id again is refused, naming where it was first defined.
	_, err = reg.Extend(defs...)
	var dup *measures.DuplicateMeasureError
	fmt.Println(errors.As(err, &dup), err)
	// Output:
	// 21 smokers
	// 10 40 25
	// true region.yaml:2: measures[0].id: duplicate measure id "smokers" (first defined at region.yaml:2)
}

// ParseDefinitions reports every problem with its file, line and key.
func ExampleParseDefinitions() {
	const file = `measures:
  - id: smokers
    name_sv: Rökare
    name_en: Smokers
    kind: rate
    scale: 7
    rule: latest_observation
    population: {listed_on: period_end}
    observation: {code: SMOKER, op: ">=", value: "1"}
    min_denominator: 30
    direction: lower
    sources: [{from: 2024-01-01, source: Region X decision 2024-17}]
`
	_, err := measures.ParseDefinitions(strings.NewReader(file), measures.DefinitionOptions{File: "region.yaml"})
	fmt.Println(err)
	var kind *measures.KindMismatchError
	var code *measures.UnknownCodeError
	fmt.Println(errors.As(err, &kind), errors.As(err, &code))
	// Output:
	// region.yaml:5: measures[0].kind: rule latest_observation computes a proportion, not a rate
	// region.yaml:9: measures[0].observation.code: unknown observation code "SMOKER" (known: BMI, BPDIA, BPSYS, HBA1C, MADRSS, PHQ9, SMOKING)
	// true true
}
