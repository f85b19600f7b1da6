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
// # Measures and engine
//
// The measures are data: definitions.yaml, embedded, gives each measure a
// stable id (depression_remission_6m, care_guarantee_0d, care_guarantee_3d,
// continuity_coc, continuity_upc, coverage_own_unit, ed_visits_per_1000,
// antibiotics_per_1000, diabetes_hba1c_over_70, diabetes_hba1c_target,
// hypertension_bp_target, elderly_many_drugs, depression_followup_coverage),
// Swedish and English names, population, numerator, windows, the smallest
// reportable denominator and dated sources. A region may supply its own
// file through ParseDefinitions. Compute makes one pass over the persons of
// a vardval.Region (in parallel over person ranges, merged in unit order, so
// the result never depends on the number of workers or the row order) and
// returns a Report with the region row first and one row per primary-care
// unit. WriteJSON, WriteCSV and WriteTable write it in the data contract's
// shape; WriteFunnelSVG draws one funnel plot per measure.
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
