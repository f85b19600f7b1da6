package vardval_test

import (
	"fmt"

	"github.com/vardval/vardval/vardval"
)

// The last six months up to 2024-11-30 start on 2024-06-01: whole
// calendar months, whatever the cut-off's day.
func ExampleDate_FirstOfLastMonths() {
	cut := vardval.D(2024, 11, 30)
	fmt.Println(cut.FirstOfLastMonths(6), cut.FirstOfLastMonths(1))
	fmt.Println(vardval.D(2024, 2, 29).FirstOfLastMonths(12))
	// Output:
	// 2024-06-01 2024-11-01
	// 2023-03-01
}

// The census columns of areas.csv, in the order a model's cni.weights
// follow.
func ExampleCensusVariables() {
	fmt.Println(len(vardval.CensusVariables()), vardval.CensusVariables()[0])
	// Output: 7 share_elderly_alone
}
