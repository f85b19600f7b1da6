package calc_test

import (
	"context"
	"fmt"

	"github.com/vardval/vardval/internal/calc"
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
