package measures

import "github.com/shopspring/decimal"

// Result is one measure's outcome for one unit, or for the whole region
// when UnitID is "". It is what goal-related payment reads.
//
// Numerator and Denominator are exact: Denominator is a count of persons or
// contacts for proportions, and listed person-years for rates. Value is the
// exact quotient Numerator/Denominator (times Scale for rates such as "per
// 1,000"), rounded to ValueDecimals places half-even; payment uses Value and
// never the float interval bounds.
type Result struct {
	Measure     string          // stable measure id, e.g. "depression_remission_6m"
	UnitID      string          // "" for the region row
	Numerator   decimal.Decimal // count of events
	Denominator decimal.Decimal // persons, contacts or person-years
	Value       decimal.Decimal // Numerator/Denominator × Scale; zero when Suppressed
	CILow       float64         // interval bounds on the Value scale (display only)
	CIHigh      float64
	Method      string // interval method and level, e.g. "wilson-95"
	Suppressed  bool   // denominator below the smallest reportable; Value not shown
	// NotAvailable marks a result of a measure whose input file or column
	// the region was not given (Definition.Inputs): Suppressed too, with
	// no numerator, denominator or value. It is not a value of 0: goal pay
	// does what the model says for an unavailable measure.
	NotAvailable bool
	// Withheld marks a result disclosure control hid from the published
	// outputs (a small count or complementary suppression) that
	// Report.PayResult hands to pay unsuppressed: pay is not publication.
	Withheld bool
	// DesignEffect is the ratio of the variance allowing for clustering
	// within persons to the variance treating every event as independent
	// (measures that count events of persons: continuity, care guarantee,
	// ED visits); 1 for measures that count persons, and 0 when not
	// computed (suppressed rows, empty denominators, a results file
	// without it). Goal pay judged on shrunk uses it (payment package
	// documentation).
	DesignEffect float64
}
