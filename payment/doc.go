// Package payment prices primary-care units (vårdcentraler) under a
// region's published payment model and writes statements in which every
// krona names its quantity, rate, parameter, validity and source.
//
// A model is a YAML file (see the examples package) parsed by [ParseModel]
// into a [Model]: a named rounding rule, optional age/sex weight tables and
// ACG/CNI/active-listing definitions, and an ordered list of typed
// components ([Capitation], [ListingPoints], [ACGPoints], [PoolSplit],
// [VisitFee], [Goal], [Coverage], [Supplement], [VATCompensation],
// [CostResponsibility], [PatientFees], [Limit]). Every figure is a
// [Param]: dated values, each with its source, or marked as an assumption
// with its reason. Numbers are read as text and parsed as exact decimals;
// no float64 is involved at any point of pricing. A number is an optional
// leading '-', digits and optionally one '.' or ',' with more digits, with
// at most [MaxDigits] (40) significant digits; exponents ("1e2") are
// refused ([ParseParameterValue] reads a value the same way, for
// overrides). A model file may be at most [MaxModelSize] (16 MiB): the
// parser reads no more than that and one byte ([ErrModelTooLarge]).
// [Model.Validate] runs the rules on values (ranges, date order, shares
// summing to 1, a value in force throughout the validity) on a model in
// memory; [Check] and [ParseModel] end with the very same code.
//
// [Run] aggregates a [vardval.Region] once into integer counts per unit and
// month (listed persons or person-days by sex and age, ACG and CNI sums in
// millionths, contacts by relation × mode × profession, contacts elsewhere,
// fees in öre), then lets each component add exact rational lines for every
// month. The model's [Rounding] rounds each unit-month line exactly once
// (pools are allocated by largest remainder in the same type); unit-month
// totals are sums of rounded lines, period lines sum monthly lines, unit
// totals sum the period lines, and the statement total sums the units:
// every sum is exact.
//
// Writers: [WriteJSON] (the data contract's "Statement output"),
// [WriteCSV], [WriteTable] and [Explain] (one unit, every line with its
// explanation, parameter, validity and source); Excel workbooks are
// written by package payment/xlsx, so that pricing never links the Excel
// library. [Compare] sets two
// statements side by side unit by unit with the difference attributed to
// components ([WriteComparisonJSON], [WriteComparisonTable],
// [WriteWaterfallSVG]); [Model.Override] changes one parameter from a date
// for what-if proposals ([Model.OverrideAll] several at once), refusing a
// change that breaks the model's rules; [Marginals] tells what one more listed person,
// visit or measure point adds to a unit's month. [ReadResults] reads measure results (CSV or JSON) for
// goal-related pay until the measures engine is wired in; [Builtin] parses
// an embedded example model by name.
//
// Invariants: output is independent of the order of input rows (the Region
// is canonical and every output is sorted by unit id, component order and
// line key); only units of kind primary get statements; the statement
// period is the run period widened to whole calendar months. Zero values:
// a zero [RunOptions] means no measure results (goal indicators then give
// zero lines saying so); a zero [Param] has no values.
package payment
