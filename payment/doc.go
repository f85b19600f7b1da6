// Package payment prices primary-care units (vårdcentraler) under a
// region's published payment model and writes statements in which every
// krona names its quantity, rate, parameter, validity and source.
//
// A model is a YAML file (see the examples package) parsed by [ParseModel]
// into a [Model]: a named rounding rule, optional age/sex weight tables and
// ACG/CNI/active-listing definitions, and an ordered list of typed
// components, each a [Component] of a type in a [ComponentRegistry]
// ([BuiltinComponents]: [Capitation], [ListingPoints], [ACGPoints],
// [PoolSplit], [VisitFee], [Goal], [Coverage], [Supplement],
// [CNISupplement], [VATCompensation], [CostResponsibility], [PatientFees],
// [Limit], one file each). Every figure is a
// [Param]: dated values, each with its source, or marked as an assumption
// with its reason (a reason shared by several figures is written once under
// the file's top-level assumptions and named by its id). Numbers are read as text and parsed as exact decimals;
// no float64 is involved at any point of pricing. A number in a model file
// is an optional leading '-', digits and optionally one '.' with more
// digits, with at most [MaxDigits] (40) significant digits; exponents
// ("1e2") and commas are refused ("1,000" could be a thousand or one).
// [ParseParameterValue] reads a value for an override (--set, the page)
// the same way, except that it also takes a decimal comma ("0,15"). A
// model file may be at most [MaxModelSize] (16 MiB): the parser reads no
// more than that and one byte ([ErrModelTooLarge]). [Model.Validate] runs
// the rules on values (ranges, real dates in date order, shares summing
// to 1, a value in force throughout the validity) on a model in memory;
// [CheckModel] and [ParseModel] end with the very same code.
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
// Every rule is written down, with the test that pins it, in
// docs/semantics.md: windows of N calendar months, counting days, ages,
// move days, rounding ties, largest remainder, actively listed, open
// months. Goal indicators read their measure over their window for the
// paid month ([Indicator.MeasuredOver], [Model.MeasureWindows],
// [RunOptions.MeasuresOver]; [Price] computes them once per window), so a
// month priced alone pays what it pays in a year run; a measure whose
// input was not given is not available and does what [Goal.Unavailable]
// says. A line resting on an assumed figure anywhere carries
// [Line.Assumption], and [Statement.Assumed] and [Statement.Gross] give
// the kronor that rest on assumptions ([AssumedShare]).
//
// Writers: [WriteJSON] (the data contract's "Statement output"),
// [WriteCSV], [WriteTable] and [Explain] (one unit, every line with its
// explanation, parameter, validity and source); Excel workbooks are
// written by package payment/xlsx, so that pricing never links the Excel
// library. [Compare] sets two
// statements side by side unit by unit with the difference attributed to
// components ([WriteComparisonJSON], [WriteComparisonTable],
// [WriteWaterfallSVG]); [Model.With] makes a new model with parameters
// changed from a date ([Override]) for what-if proposals, refusing a
// change that breaks the model's rules; [Sweep] prices a region under many
// such variants from one summing of the region, each statement exactly
// Price's ([WriteSweepTable], [WriteSweepCSV], [WriteSweepJSON]), and a
// [Sweeper] prices such variants one at a time as they are asked for (a
// slider), from sums made once;
// [Marginals] tells what one more
// listed person, visit or measure point adds to a unit's month. [Builtin]
// parses an embedded example model by name.
//
// # Adding a component type
//
// A component type is data read from the model file plus the rules that
// price it; the parser, [ComponentTypes], [Model.Inputs] and
// [Model.MeasureIDs] all come from the registry and the components'
// methods, so a type is added in one place, also from outside this
// package (Example_componentType; docs/forking.md in the repository):
//
//  1. Write the type: a struct embedding [ComponentInfo] with its
//     parameters as [Param] fields, and the [Component] methods. Params
//     returns pointers to the parameters (so that Validate and
//     [Model.With] reach them); Need tells what the component reads from
//     the region ([Needs]: listed persons by a [Counting], contacts,
//     contacts elsewhere, patient fees, measure results); Price adds, for
//     every statement unit of the month, lines through the
//     [MonthContext] ([MonthContext.Value] for the value in force,
//     [MonthContext.Listed], [MonthContext.ListedAged],
//     [MonthContext.Points], [MonthContext.Contacts] and the like for the
//     month's counts, [MonthContext.Add] with a [LineSpec]: an exact
//     quantity × a cited dated value, or an exact amount); Clone copies
//     it for [Model.With] ([Param.Clone]). Amounts are exact (big.Rat);
//     the model's [Rounding] rounds each line once, after Price.
//  2. Write its parse function, func(*Decoder) Component: the [Decoder]
//     reads text, lists, dated parameters with a [ValueRule], counting
//     rules and table references the way the built-in types do, and
//     reports problems ([Decoder.Fail]) as [ModelError]s with file, line
//     and key path; unread keys are reported as unknown.
//  3. Add it to a registry: BuiltinComponents().With(ComponentType{Name:
//     "my_type", Parse: parseMyType}), and give the registry to
//     [ParseModel] in [ParseOptions].Components (the vardval command
//     builds its registry in cmd/vardval/components.go).
//  4. Use it in a model file: a component with type: my_type.
//
// # Judging a goal indicator
//
// Each indicator of a [Goal] says in judged_on how its measure result is
// judged ([Indicator].JudgedOn); attainment is then computed from the
// judged value exactly as from the value. A result that is missing or
// suppressed is judged by the component's missing rule in every case.
//
// Pay is not publication: when the measures are computed in process
// ([Price] computing them, or [PriceOptions].Measures), a row that
// disclosure control hid from the published outputs (a small count or
// complementary suppression, published as "disclosure") reaches goal pay
// unsuppressed (measures.Report.PayResult; Result.Withheld set), so hiding
// a figure never moves money: 1–4 patients over a target is an excellent
// result, not a missing one. The statement is published like the measures,
// so its line says the result is not published and shows none of its
// figures (no value, count, interval or judged value; [Judgement].Withheld,
// "withheld": true in JSON), only the thresholds, the attainment and the
// amount. The amount itself can tell where between the two thresholds the
// hidden value lies; a region that publishes statements unit by unit
// should know that (the measures outputs, plots and page never show it). Rows suppressed because the denominator is below min_denominator
// or there are too few patients stay suppressed for pay (the figure is
// too uncertain to judge). Results read from a file ([PriceOptions].
// Results, --results) hold only what was published: every suppressed row
// there is missing.
//
//   - value (the default, [JudgedOnValue]): the result's value as reported.
//   - benefit-of-doubt ([JudgedOnBenefitOfDoubt]): the bound of the
//     result's interval most favourable to the unit, the upper bound when
//     higher is better and the lower when lower is better, so that a unit
//     misses a threshold only when its whole interval misses it. The bound
//     is the result's own interval (measures.Result CILow, CIHigh: Wilson
//     for proportions, exact Poisson for rates, at the report's level, 95 %
//     unless set otherwise; its method is shown on the line). The float
//     bound is taken as the measures output writes it, to 6 decimals
//     (math.Round(x × 10⁶) / 10⁶ in float64, halves away from zero, written
//     as the shortest decimal that reads back as that float), so a results
//     file judges as the computed measures do, and then fixed half-even to
//     [JudgedDecimals] (6) decimals (no change); the judged value is that
//     bound when it is more favourable
//     than the value, else the value (so never less favourable). A result
//     without a usable interval (a bound not finite, low > high, or both
//     bounds 0 with a value that is not 0, as in a results file without
//     ci_low and ci_high) is judged on its value and the line says so.
//   - shrunk ([JudgedOnShrunk]): an empirical-Bayes posterior mean
//     (Efron and Morris 1975, JASA 70:311–319), beta-binomial for
//     proportions and gamma-Poisson for rates (Clayton and Kaldor 1987,
//     Biometrics 43:671–681; Marshall 1991, Applied Statistics 40:283–294),
//     with the prior estimated by the method of moments (Kleinman 1973,
//     JASA 68:46–54). The measure must be a built-in one (its kind and
//     Scale come from measures/definitions.yaml); ParseModel refuses
//     shrunk on any other.
//
// The prior of a shrunk indicator is estimated from the units of the
// region (every unit of the units file, by id) whose result of the
// measure is present, not suppressed and has a denominator > 0 (with
// measures computed in process, a unit hidden only by disclosure control
// counts with its unsuppressed result, as above); the region row and
// suppressed units are not used. With k such units, x_i
// the numerator and n_i the denominator of unit i exactly as its result
// reports them (persons or contacts for a proportion; person-years for a
// rate, days ÷ 365.25 rounded to 6 decimals in the measures output), all
// in exact rational arithmetic:
//
//	N = Σ n_i,  μ = Σ x_i / N,  y_i = x_i / n_i
//	S = Σ n_i (y_i − μ)²
//	proportions: V = μ(1 − μ),  D = Σ (n_i − 1)(1 − n_i/N)
//	rates:       V = μ,         D = N − Σ n_i² / N
//	τ² = (S − V(k − 1)) / D
//
// τ² is the moment estimate of the variance of the units' true shares
// (rates per person-year) from E[S] = τ²D + V(k − 1), which holds when
// unit i's value has variance τ² + (V − τ²)/n_i (beta-binomial) or
// τ² + μ/n_i (gamma-Poisson) about μ, with V at the estimated μ. (Marshall's
// global estimator uses the same moments with a chance term μ/(N/k); the
// formula here is the exact weighted one.) Then the unit's
// posterior mean is
//
//	proportions: M = V/τ² − 1 (= α + β of the beta prior), θ_i = (x_i + Mμ) / (n_i + M)
//	rates:       M = μ/τ² (the gamma prior's rate, in person-years), θ_i = (x_i + Mμ) / (n_i + M)
//
// that is θ_i = w_i y_i + (1 − w_i) μ with weight w_i = n_i / (n_i + M) on
// the unit's own value: a unit moves toward μ, never past it, and less the
// larger its denominator. Edge cases: fewer than [ShrinkMinUnits] (10)
// units, no prior is estimated and every unit is judged on its value
// (the line says why); D ≤ 0 or τ² ≤ 0 (no between-unit variance beyond
// chance, including μ = 0 or, for proportions, μ = 1), w_i = 0 and every
// unit is judged on μ; for proportions M ≤ 0 (τ² ≥ μ(1 − μ)), w_i = 1 and
// every unit is judged on its own value. w_i is continuous in τ² at both
// edges (w_i → 0 as τ² → 0, w_i → 1 as τ² → μ(1 − μ)); only the
// [ShrinkMinUnits] minimum is a step. The judged value is θ_i × Scale
// (the definition's: 1 for shares, 1 000 for rates per 1 000 person-years),
// rounded half-even to [JudgedDecimals] (6) decimals; the region value
// shown is μ × Scale and the weight w_i, rounded the same way. The prior
// is the same in every month of a run (the results are the run's).
//
// Clustered measures (events of persons: continuity, care guarantee, ED
// visits) carry a design effect d_i (measures.Result.DesignEffect: the
// output's design_effect, a results file's optional design_effect column
// or field). Shrinking uses the effective counts x_i/d_i and n_i/d_i
// (Kish's effective sample size) in place of x_i and n_i everywhere
// above, in the prior and in the unit's posterior, so that a unit's
// weight reflects the information its clustered result really holds:
// w_i = (n_i/d_i) / (n_i/d_i + M). d_i is taken as the output writes it,
// rounded to 6 decimals (math.Round(d × 10⁶)/10⁶), as an exact rational;
// a design effect below 1, missing or not finite counts as 1 (measures
// that count persons; results files without it).
//
// The statement line shows the value, its interval and method, the
// judged value and the rule (in the explanation, and in JSON as the
// line's "judged" object, [Line].Judgement); a model that does not say
// judged_on, or says value, writes exactly what it wrote before.
//
// [Price] is the whole pipeline from a loaded region to a statement: it
// checks the period and the region, computes the follow-up measures with
// measures.Compute when the model pays on them (or takes them from
// [ReadResults] or a report given in [PriceOptions]) and calls [Run].
//
// Concurrency: a *Model is never changed by this package once parsed
// ([Model.With] copies), and Run, Price, Marginals and Compare only read
// the model and the *vardval.Region, so one model and one region may be
// used by many goroutines at once. A caller who changes a model's exported
// fields must not do so while it is in use.
//
// Errors: request errors ([UnknownModelError], [RunPeriodError],
// [OverrideError], [UnknownUnitError], [ResultsError]) are about what was
// asked; a [DataError] is a region that cannot be priced as given (a pool
// share whose index is zero for every unit, nobody listed in the period);
// a [ModelError] is a model file that cannot be read. [RunPeriodError] and
// [DataError] wrap a [RunError] with the model, month and key path.
//
// Invariants: output is independent of the order of input rows (the Region
// is canonical and every output is sorted by unit id, component order and
// line key); only units of kind primary get statements; the statement
// period is the run period widened to whole calendar months. Zero values:
// a zero [RunOptions] means no measure results (goal indicators then give
// zero lines saying so) on GOMAXPROCS workers (the statement is the same
// on any number of [RunOptions].Workers); a zero [PriceOptions] computes
// the measures when the model pays on them; a zero [ParseOptions] reads a
// model with the built-in component types and measures; a zero [Param]
// has no values.
package payment
