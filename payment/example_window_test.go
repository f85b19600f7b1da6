package payment_test

import (
	"fmt"
	"math/big"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// A goal indicator reads its measure over its window for the paid month,
// whatever period is priced.
func ExampleIndicator_MeasuredOver() {
	march := vardval.YearMonth{Year: 2024, Month: 3}
	for _, w := range []string{payment.WindowPaymentYear, payment.WindowLast12Months, payment.WindowPreviousYear} {
		in := payment.Indicator{Measure: "coverage_own_unit", Window: w}
		fmt.Println(w, in.MeasuredOver(march).Label())
	}
	// Output:
	// payment-year 2024
	// last-12-months 2023-04-01..2024-03-31
	// previous-year 2023
}

// SCB's example unit: index 22 709 on 5 912 persons, reference 2.476,
// CNI 1.551361 (SCB: 1.5513), in millionths.
func ExampleCensusCNI() {
	w := []*big.Rat{big.NewRat(22709, 5912), new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)}
	fmt.Println(payment.CensusCNI([7]vardval.Fixed{vardval.FixedScale}, w, big.NewRat(2476, 1000)))
	// Output: 1551361
}
