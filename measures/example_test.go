package measures_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// Compute runs the follow-up measures on a region: here the care
// guarantee (a nurse or doctor the day care was asked for) at one unit
// whose 40 listed persons all asked on 1 March, and a quarter were seen on
// 2 March. One contact per person: the design effect is 1 and the
// interval is Wilson's.
func ExampleCompute() {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "A", Name: "Vårdcentral A", Kind: "primary"})
	for i := range 40 {
		person := fmt.Sprint("P", i)
		b.AddListing(vardval.ListingRow{PersonID: person, UnitID: "A", From: vardval.D(2020, 1, 1), Sex: "F", BirthDate: vardval.D(1980, 1, 1)})
		seen := vardval.D(2024, 3, 1)
		if i%4 == 0 {
			seen = vardval.D(2024, 3, 2)
		}
		b.AddContact(vardval.ContactRow{ContactID: fmt.Sprint("C", i), PersonID: person, UnitID: "A", Date: seen,
			Mode: "visit", Profession: "nurse", Requested: vardval.D(2024, 3, 1), NewProblem: "yes"})
	}
	region, _, err := b.Build(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	rep, err := measures.Compute(context.Background(), region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		measures.Options{Measures: []string{"care_guarantee_0d"}})
	if err != nil {
		log.Fatal(err)
	}
	res, _ := rep.Result("care_guarantee_0d", "A")
	fmt.Println(res.Numerator, res.Denominator, res.Value, res.Method)
	fmt.Printf("%.4f–%.4f\n", res.CILow, res.CIHigh)
	// Output:
	// 30 40 0.75 wilson-deff-95
	// 0.5981–0.8581
}

// WriteJSON writes a report: one line for the region (unit_id "") and one
// for each unit. Here 40 men with hypertension (I10), 8 of whom had a
// systolic pressure of 150 at their check-up, above the target.
func ExampleWriteJSON() {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "A", Name: "Vårdcentral A", Kind: "primary"})
	for i := range 40 {
		person := fmt.Sprint("P", i)
		b.AddListing(vardval.ListingRow{PersonID: person, UnitID: "A", From: vardval.D(2020, 1, 1), Sex: "M", BirthDate: vardval.D(1950, 1, 1)})
		b.AddDiagnosis(vardval.DiagnosisRow{PersonID: person, Date: vardval.D(2023, 5, 1), Code: "I10"})
		systolic := int64(135)
		if i%5 == 0 {
			systolic = 150
		}
		b.AddObservation(vardval.ObservationRow{PersonID: person, Date: vardval.D(2024, 6, 1), Code: "BPSYS", Value: decimal.NewNullDecimal(decimal.NewFromInt(systolic))})
		b.AddObservation(vardval.ObservationRow{PersonID: person, Date: vardval.D(2024, 6, 1), Code: "BPDIA", Value: decimal.NewNullDecimal(decimal.NewFromInt(85))})
	}
	region, _, err := b.Build(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	rep, err := measures.Compute(context.Background(), region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		measures.Options{Measures: []string{"hypertension_bp_target"}})
	if err != nil {
		log.Fatal(err)
	}
	if err := measures.WriteJSON(os.Stdout, rep); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"period": {"from": "2024-01-01", "to": "2024-12-31"}, "level": 0.95, "measures": [
	//   {"measure": "hypertension_bp_target", "unit_id": "", "numerator": 32, "denominator": 40, "value": 0.8, "ci_low": 0.652427, "ci_high": 0.895, "method": "wilson-95", "suppressed": false, "suppression": null, "kind": "proportion", "scale": 1, "eligible": 40, "measured_share": 1},
	//   {"measure": "hypertension_bp_target", "unit_id": "A", "numerator": 32, "denominator": 40, "value": 0.8, "ci_low": 0.652427, "ci_high": 0.895, "method": "wilson-95", "suppressed": false, "suppression": null, "kind": "proportion", "scale": 1, "eligible": 40, "measured_share": 1, "funnel": {"on": "value", "x": 40, "lower95": 0.655866, "upper95": 0.904218, "lower998": 0.575115, "upper998": 0.958692, "position": 0, "design_effect": 1, "tau2": 0, "limits": "exact limits (overdispersion not requested)"}}
	// ]}
}

func ExampleWilson() {
	// 81 of 263 patients: Newcombe's (1998) example.
	iv := measures.Wilson(81, 263, 0.95)
	fmt.Printf("%.4f [%.4f, %.4f]\n", 81.0/263, iv.Low, iv.High)
	// Output: 0.3080 [0.2553, 0.3662]
}

func ExampleExactPoisson() {
	iv := measures.ExactPoisson(10, 0.95)
	fmt.Printf("[%.6f, %.6f]\n", iv.Low, iv.High)
	// Output: [4.795389, 18.390356]
}

func ExamplePoissonRate() {
	// 310 antibiotic prescriptions over 1,150.5 listed person-years.
	iv := measures.PoissonRate(310, 1150.5, 1000, 0.95)
	fmt.Printf("%.1f per 1,000 [%.1f, %.1f]\n", 310/1150.5*1000, iv.Low, iv.High)
	// Output: 269.4 per 1,000 [240.3, 301.2]
}

func ExampleFunnelLimits() {
	// A unit with 100 patients, regional target 10 %.
	l := measures.FunnelLimits(0.10, 100, measures.FunnelProportion, measures.FunnelOptions{})
	fmt.Printf("95 %%: %.3f–%.3f  99.8 %%: %.3f–%.3f\n", l.Lower95, l.Upper95, l.Lower998, l.Upper998)
	fmt.Println(l.Position(0.19) == measures.Above95)
	// Output:
	// 95 %: 0.040–0.158  99.8 %: 0.014–0.198
	// true
}

func ExampleIDs() {
	for _, id := range measures.IDs()[:4] {
		fmt.Println(id)
	}
	// Output:
	// depression_remission_6m
	// depression_followup_coverage
	// care_guarantee_0d
	// care_guarantee_3d
}

func ExampleStandardise() {
	// Events and population at risk by age band and sex, in the region and
	// at one unit.
	stratum := func(age int, sex vardval.Sex) measures.Stratum { return measures.Stratum{AgeBand: age, Sex: sex} }
	f, m := vardval.Female, vardval.Male
	region := []measures.StratumRate{
		{Stratum: stratum(0, f), Events: 120, Exposure: 4000},
		{Stratum: stratum(0, m), Events: 150, Exposure: 4000},
		{Stratum: stratum(65, f), Events: 300, Exposure: 1000},
		{Stratum: stratum(65, m), Events: 280, Exposure: 1000},
	}
	unit := []measures.StratumCount{
		{Stratum: stratum(0, f), Events: 10, Exposure: 300},
		{Stratum: stratum(0, m), Events: 12, Exposure: 280},
		{Stratum: stratum(65, f), Events: 40, Exposure: 150},
		{Stratum: stratum(65, m), Events: 30, Exposure: 120},
	}
	s, err := measures.Standardise(unit, region, 0.95)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("O = %d, E = %.1f, O/E = %.3f [%.3f, %.3f]\n", s.Observed, s.Expected, s.Ratio, s.RatioCI.Low, s.RatioCI.High)
	fmt.Printf("standardised rate %.1f per 1,000 (crude regional %.1f)\n", 1000*s.Rate, 1000*s.ReferenceRate)
	// Output:
	// O = 92, E = 98.1, O/E = 0.938 [0.756, 1.150]
	// standardised rate 79.7 per 1,000 (crude regional 85.0)
}
