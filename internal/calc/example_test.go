package calc_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/vardval/vardval/internal/calc"
	"github.com/vardval/vardval/vardval/synth"
)

// Describe prices one vårdcentral described by counts for a calendar year
// (listed persons by age band and sex, mean ACG weight, CNI, contacts)
// under one of the embedded models.
func ExampleCalculator_Describe() {
	c := calc.New()
	v, err := c.Describe(context.Background(), calc.DescribeRequest{
		Model: "halland-2019", Year: 2024, Owner: "public",
		Persons: []calc.BandCount{{From: 20, To: 44, F: 1000, M: 900}, {From: 65, To: 74, F: 300, M: 280}},
		MeanACG: "1.00", CNI: "1.00",
		Contacts: calc.Contacts{OwnDoctor: 4000, OutEmergency: 200},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Focus, v.Period.From, v.Period.To, len(v.Units))
	// Output: DIN-VC 2024-01-01 2024-12-31 1
}

// Vary prices a loaded region with one parameter of the model changed, as
// the page's slider does: here skane-2023's CNI share at 10 % instead of
// 15 %, the ACG case-mix share (the pool's largest other) taking up the
// difference: the pool is shared out differently, its size is not changed.
func ExampleCalculator_Vary() {
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 500, Seed: 1, PerUnit: 250})
	if err != nil {
		fmt.Println(err)
		return
	}
	var in []calc.File
	for name, b := range files {
		in = append(in, calc.File{Name: name, Reader: bytes.NewReader(b)})
	}
	c := calc.New()
	req := calc.RegionRequest{Model: "skane-2023", Year: 2024, NoMeasures: true}
	if _, err := c.Region(context.Background(), req, in, nil); err != nil {
		fmt.Println(err)
		return
	}
	v, err := c.Vary(context.Background(), calc.VaryRequest{RegionRequest: req, Key: "components[0].shares[2].share", Value: "0.10"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Key, "=", v.Value, "balanced by", v.Balance, "=", v.BalanceValue)
	fmt.Println(len(v.Units), "units; slider", v.Values[0], "…", v.Values[len(v.Values)-1], "in", len(v.Values), "steps")
	for _, u := range v.Units {
		fmt.Println(u.UnitID, u.Base, "→", u.Total, u.Diff)
	}
	fmt.Println("region", v.BaseTotal, "→", v.Total, v.Diff)
	// Output:
	// components[0].shares[2].share = 0.1 balanced by components[0].shares[0].share = 0.55
	// 3 units; slider 0 … 0.65 in 66 steps
	// VC001 445764.61 → 445618.76 -145.85
	// VC002 437426.83 → 439872.64 2445.81
	// VC003 778083.56 → 775783.60 -2299.96
	// region 1661275.00 → 1661275.00 0.00
}
