// Package measures computes outcome and process measures for primary-care
// follow-up, per unit (vårdcentral) and for the whole region, with honest
// uncertainty: every value comes with its numerator, its denominator and a
// confidence interval, small denominators are suppressed rather than shown,
// and units are compared on funnel plots rather than in league tables.
//
// # Results
//
// A measure's outcome for one unit, or for the region, is a Result. Its
// numerator, denominator and value are exact decimals (payment reads
// them); the interval bounds are float64 and for display only.
//
// # Statistics
//
// The statistics layer is pure functions on float64 with no package state:
//
//   - Wilson and WilsonCC: Wilson score intervals for proportions.
//   - ExactPoisson and PoissonRate: exact (Garwood) intervals for counts
//     and rates such as "per 1,000 person-years".
//   - Standardise: indirect standardisation by age band × sex against a
//     reference population (observed/expected with its exact interval,
//     and the indirectly standardised rate).
//   - FunnelLimits, FunnelCurve and EstimateOverdispersion: funnel-plot
//     control limits at 95 % and 99.8 % after Spiegelhalter (2005), exact
//     with interpolation or by normal approximation, optionally widened
//     for overdispersion (multiplicative φ or additive DerSimonian–Laird
//     τ² from Winsorised z-scores).
//   - Suppress and SuppressResult: the smallest reportable denominator.
//   - NormalQuantile: the inverse standard normal distribution function.
//
// Levels are two-sided confidence levels in (0, 1), e.g. 0.95 or 0.998.
// Interval functions return Interval{NaN, NaN} for arguments outside their
// domain instead of panicking; Standardise returns typed errors
// (*StratumError, *ParameterError) because its inputs come from data.
//
// # Zero values and invariants
//
// The zero Interval is [0, 0]; the zero FunnelOptions gives exact limits
// without overdispersion; the zero Overdispersion means "not estimated".
// For valid arguments every interval satisfies Low ≤ estimate ≤ High,
// proportion intervals lie in [0, 1], rate intervals are non-negative, and
// the 99.8 % funnel limits contain the 95 % limits. Results never depend on
// the order of input slices.
package measures
