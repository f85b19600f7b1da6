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
// them); the interval bounds are float64 and for display only. A measure
// whose input file or column the region was not given (Definition.Inputs,
// vardval.Region.NotGiven) is not available: every row of it has
// Result.NotAvailable and SuppressedNotAvailable, no value and no
// denominator, never a value of 0 (MeasureReport.NotGiven names the
// inputs). The last N months of a window are the N calendar months ending
// with the period's last month (vardval.Date.FirstOfLastMonths).
//
// # Measures and engine
//
// The measures are data: definitions.yaml, embedded, gives each measure a
// stable id (depression_remission_6m, care_guarantee_0d, care_guarantee_3d,
// continuity_coc, continuity_upc, coverage_own_unit, ed_visits_per_1000,
// antibiotics_per_1000, diabetes_hba1c_over_70, diabetes_hba1c_target,
// hypertension_bp_target, elderly_many_drugs, depression_followup_coverage,
// and, from the follow-up files, influenza_vaccination_65plus,
// lifestyle_advice_chronic, medication_review_elderly,
// avoidable_hospitalisations_per_1000, phone_same_day,
// doctor_contacts_by_employed, patient_experience_participation),
// Swedish and English names, population, numerator, windows, the smallest
// reportable denominator and dated sources. Builtin returns them as an
// immutable Registry (IDs, Lookup and Definitions are its package-level
// shorthands). A region reads its own file with ParseDefinitions and
// extends the built-ins with Registry.Extend: its measures come after
// them, and an id already defined is a *DuplicateMeasureError naming both
// places. A Definition holds the fields every measure has and a Rule, one
// concrete type per computation (SustainedRemission, RemissionFollowup,
// CareGuarantee, Continuity, OwnUnitShare, EventRate, LatestObservation,
// LatestBloodPressure, Polypharmacy, and for the follow-up files
// ProcedureShare, AdmissionRate, EmployedContacts, CallsSameDay,
// SurveyPositive), each in its own file with its parsing, checks and
// counting. CallsSameDay and SurveyPositive count per unit (calls.csv and
// survey.csv are aggregated per unit), after the pass over the persons.
//
// Compute makes one pass over the persons of a vardval.Region (in
// parallel over person ranges, merged in unit order, so the result never
// depends on the number of workers or the row order) with the registry of
// Options.Registry (nil: the built-ins) and returns a Report with the
// region row first and one row per primary-care unit. WriteJSON, WriteCSV
// and WriteTable write it in the data contract's shape; WriteFunnelSVG
// draws one funnel plot per measure.
//
// # Definitions file
//
// A definitions file (the form of definitions.yaml; the CLI's
// --definitions FILE) is a top-level "measures" list. Every item has:
//
//   - id (required): a plain identifier, unique among the built-in and
//     the file's measures.
//   - name_sv, name_en (required): the names.
//   - kind (required): proportion or rate; it must be what the rule
//     computes (every rule computes a proportion except event_rate and
//     admission_rate).
//   - scale: a proportion's is 1 (a share 0..1, the default) or 100 (a
//     percentage); a rate's is required and positive (1000: per 1,000
//     person-years).
//   - rule (required): the computation, with its own keys below.
//   - population (required): listed_on (required: index_date,
//     period_end, contact_date, event_date or none), description,
//     age_min, age_max, diagnoses {prefixes, exclude_prefixes,
//     from_days, to_days, relative_to: index_date or period; a
//     diagnosis matching exclude_prefixes dated on or before the
//     window's end excludes the person}, contacts {unit_kinds,
//     professions, modes, new_problem, requested, clinician,
//     at_listed_unit, min_per_person}, atc {include, exclude}.
//   - min_denominator (required, not negative); min_patients (continuity
//     only).
//   - direction (required): higher or lower.
//   - sources (required, at least one): {from: YYYY-MM-DD, source, note}.
//   - counts, status, reason, differences (where and why the measure
//     departs from the national or cited definition), numerator,
//     exclusions: text; small_count (disclosure control, below);
//     target {value, note}; standardise (rates only).
//
// The rules and their keys (a key of another rule is an error):
//
//   - sustained_remission: instruments [{code, moderate_min,
//     moderate_max, remission_below}], windows first_remission
//     (relative_to index_date) and sustained_remission (relative_to
//     first_remission), each {name, from_days, to_days, relative_to};
//     population.listed_on index_date.
//   - remission_followup: instruments, window followup (relative_to
//     index_date); population.listed_on index_date.
//   - care_guarantee: within_days (required), licensed_assessment;
//     population.contacts required.
//   - continuity_coc, continuity_upc: no keys of their own;
//     population.listed_on period_end, population.contacts with
//     min_per_person ≥ 2.
//   - own_unit_share: window last_months {name, months, relative_to
//     period_end}; population.contacts required.
//   - event_rate: event (emergency_contacts, with population.contacts; or
//     prescriptions, with population.atc); no age limits.
//   - latest_observation: observation {code, op (>, >=, <, <=), value}.
//   - latest_blood_pressure: blood_pressure {systolic, diastolic,
//     systolic_below, diastolic_below}.
//   - polypharmacy: min_drugs (required, positive), window last_months.
//   - procedure_share: procedures {codes} (required: KVÅ codes, matched
//     exactly, case ignored), window procedures (required) and, with
//     min_drugs (persons need prescriptions of at least that many
//     different ATC codes), window drugs: day windows {name, from_days,
//     to_days, relative_to period_end}, from the period's last day plus
//     from_days to it plus to_days, both included; population.listed_on
//     period_end (age on that day, diagnosis condition allowed). The
//     numerator counts a procedure at any unit.
//   - admission_rate: admissions {acute, main_diagnoses} (main_diagnoses
//     required: ICD-10 prefixes); admissions admitted in the period,
//     acute only when acute is true, of persons listed at a primary-care
//     unit on the day of admission, one per person and day, per listed
//     person-years; population.listed_on event_date; no age limits.
//   - employed_contacts: no keys of its own; population.listed_on none,
//     population.contacts required; the share of those contacts made by a
//     clinician employed (clinicians.csv) at the contact's unit on its
//     date.
//   - calls_same_day: no keys; population.listed_on none; Σ
//     answered_same_day / Σ calls of calls.csv rows dated in the period.
//   - survey_positive: survey {question} (required, compared in lower
//     case); population.listed_on none; Σ positive / Σ respondents of
//     survey.csv rows whose period lies wholly within the measurement
//     period.
//
// Observation codes (instruments, observation, blood_pressure) must be
// codes of the data contract (vardval.ObservationRanges) or of
// DefinitionOptions.ObservationCodes. Numbers are read as exact decimals;
// thresholds have at most six decimals. Every problem is a
// *DefinitionError reading "FILE:LINE: KEY: reason", with a typed cause
// (*UnknownKeyError, *MissingKeyError, *ScaleError, *UnknownCodeError,
// *KindMismatchError, *DefinitionDateError, *WindowError, *DuplicateMeasureError)
// for errors.As.
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
//   - InflatedFunnelLimits and RatioFunnelLimits: the engine's funnel
//     limits for crude measures and standardised ratios (below).
//   - DesignEffect, WilsonEffective and ExactPoissonEffective: the
//     cluster-robust design effect and the intervals at the effective
//     sample size (below).
//   - Suppress and SuppressResult: the smallest reportable denominator.
//   - Disclosed and Complement: disclosure control (below).
//   - NormalQuantile: the inverse standard normal distribution function.
//
// Levels are two-sided confidence levels in (0, 1), e.g. 0.95 or 0.998.
// Interval functions return Interval{NaN, NaN} for arguments outside their
// domain instead of panicking; Standardise returns typed errors
// (*StratumError, *ParameterError) because its inputs come from data.
//
// # Persons and events; clustering within persons
//
// Measures that count persons (one person is one unit of the
// denominator): depression_remission_6m, depression_followup_coverage,
// diabetes_hba1c_over_70, diabetes_hba1c_target, hypertension_bp_target,
// elderly_many_drugs, influenza_vaccination_65plus,
// lifestyle_advice_chronic, medication_review_elderly. Measures that count
// events of persons, several per person: continuity_coc (ordered pairs of
// a patient's doctor visits), continuity_upc (doctor visits),
// care_guarantee_0d and care_guarantee_3d (new-problem contacts),
// coverage_own_unit (contacts), ed_visits_per_1000 (emergency visits per
// listed person-year), avoidable_hospitalisations_per_1000 (acute
// admissions per listed person-year), antibiotics_per_1000 (prescriptions
// per listed person-year) and doctor_contacts_by_employed (doctor
// contacts). phone_same_day counts calls and
// patient_experience_participation respondents, given per unit, not per
// person: they are not clustered (calls of one day, answers of one
// survey, are counted as independent). The national sources count the
// same way: the care guarantee follows up contacts (vantetider.se), the
// continuity indices are per patient and pooled here over visits, and
// the Strama target counts prescriptions.
//
// Definition.Clustered marks the event measures whose intervals and
// funnels allow for clustering within persons: continuity_coc,
// continuity_upc, care_guarantee_0d, care_guarantee_3d, ed_visits_per_1000
// and avoidable_hospitalisations_per_1000 (and any definition with the
// same rules; admissions are clustered as ED visits are). A
// cluster is one person at one unit: for continuity the patient's
// same-doctor count and visit (pair) count, for the care guarantee the
// person's qualifying and all new-problem contacts at the unit, for ED
// visits the person's visits while listed at the unit and listed days
// there (persons without visits count, with y = 0). The design effect
// (DesignEffect; formulas in cluster.go's comment, repeated here):
//
//	R = Σy/Σn,  S = Σy² − 2R·Σyn + R²·Σn²  (= Σ (y_i − R n_i)²)
//	proportion: deff = S / (N·R(1 − R)),  N = Σn
//	rate:       deff = S / O,              O = Σy events (n in days)
//
// is 1 when undefined (fewer than 2 clusters, R = 0, or R = 1) or not
// above 1 + 10⁻⁹. Intervals: proportions WilsonEffective (Wilson at
// n* = N/deff, method "wilson-deff-95"); rates ExactPoissonEffective
// (deff × Garwood interval of O/deff, method "exact-poisson-deff-95");
// a standardised ratio's interval is ExactPoissonEffective(O, deff)/E
// with the row's deff. Row.DesignEffect (JSON design_effect) reports it,
// and the funnel limits use it. coverage_own_unit and antibiotics_per_1000
// count events too but are not treated as clustered (open point: their
// design effect is not reported). The region row's deff pools all its
// clusters.
//
// # Funnels in the engine
//
// Compute gives every published unit row a FunnelMark. Crude measures:
// the row's value against the region value θ (a share, or a rate per
// person-year) at n = its denominator. Standardised rates (standardise:
// true): the ratio O/E against 1 at n = E, E = Σ_s days_unit(s)/365.25 ×
// events_region(s)/(days_region(s)/365.25) over age band × sex strata s
// (Standardise; the region is the reference), with exact Poisson limits
// around 1, so that a unit is flagged on the same ratio its interval
// (exact Garwood O/E interval, RatioCI) describes; JSON gives observed,
// expected, ratio, ratio_ci_low and ratio_ci_high, and the mark has on
// "ratio" and x = E. The ratio's limits are RatioFunnelLimits: the
// interval ExactPoissonEffective(O, deff, level)/E inverted in O, so that
// the mark is above (below) the limit at a level exactly when the
// interval at that level lies wholly above (below) 1; with D = deff +
// τ²·E, x = E/D and tail α (0.025, 0.001), upper = D·a⁺/E with
// P(a⁺, x) = α and lower = max(0, D·(a⁻ − 1))/E with Q(a⁻, x) = α (P, Q
// the regularised incomplete gamma functions). Crude measures' limits
// are InflatedFunnelLimits: the exact limits
// (Spiegelhalter 2005 appendix A.1.1) L_exact(θ, n), widened about θ by
// f = √(deff + τ²·n/V(θ)), V(θ) = θ(1 − θ) for proportions and θ for
// rates and ratios, i.e. L = θ + (L_exact − θ)·f clipped to [0, 1] or
// [0, ∞). deff is the row's design effect (1 unless the measure is
// clustered, below). τ² is 0 unless Options.Overdispersion is set and
// at least Options.OverdispersionMinUnits published units (default 10)
// have a mark; it is then EstimateOverdispersion's DerSimonian–Laird τ²
// computed from the points (y_i·n_i/deff_i, n_i/deff_i), i.e. with
// s_i² = deff_i·V(θ)/n_i. With fewer units the limits are exact and
// MeasureReport.FunnelNote (JSON funnel.limits) says so. Because f is
// continuous in τ² and equals 1 at τ² = 0 and deff = 1, the limits do not
// jump as τ² passes zero (the normal-approximation limits of
// FunnelOptions remain available to callers). The SVG draws the curve
// with the region row's design effect and the measure's τ².
//
// # Disclosure control
//
// A row (region or unit) is suppressed, in this order, when its
// denominator is zero or below min_denominator ("denominator"), when it
// has fewer patients than min_patients ("patients", continuity), or when
// its numerator is between 1 and k, or (proportions only) its
// denominator minus its numerator is between 1 and k, k being the
// definition's small_count (default 4; 0 turns the rule off)
// ("small_count"). A suppressed row shows its denominator but no
// numerator, value, interval, patient mean, funnel mark or
// standardisation, in every format.
//
// Complementary suppression then protects those rows from differencing.
// What an attacker has, for one measure and period: every denominator,
// every published numerator, the equation region = Σ units, and the box
// 0 ≤ numerator ≤ denominator (proportions; rates have no upper bound).
// A suppressed row is disclosed when these leave a single value
// (Disclosed gives the exact rule; a row with an empty denominator hides
// nothing). While a row is disclosed, one more unit is suppressed
// ("complementary"): a published unit with a non-empty denominator whose
// numerator is strictly inside (0, denominator) if there is one (only
// such a unit can hide a sum of 0 or of every denominator), then the
// smallest denominator (rates: the smallest numerator), then the first
// in unit-id order; when no unit is left, the region row. With the
// region row suppressed there is no funnel centre, so no unit gets
// funnel limits and the plot draws no limits, and no unit is
// standardised (the standardised value is the ratio × the region's crude
// rate). The continuity patient means need no rule of their own: a
// suppressed unit's sum of patient indices is pinned only when every
// suppressed patient's index is 0 (or 1), which pins the numerators too.
// Denominators, patients, eligible and measured_share are not protected:
// they are not the hidden figure. A gopter property test
// attacks every suppressed cell of random tables and of computed
// reports (JSON and CSV) by differencing, knowing the published reasons.
//
// The outputs (JSON, CSV, table) publish small-count and complementary
// rows with the one reason "disclosure" (SuppressionReason.Published):
// published separately, "small_count" would tell the attacker the
// numerator is in 1…k or den−k…den−1 and "complementary" that it is 0 or
// k+1…den−k−1, ranges that with differencing can leave one value (a
// region of 15 with one published unit of 7 and two small-count units of
// at most 4 each pins both at 4). Their union implies only 0…den, the
// box the rule above assumes. "denominator" and "patients" stay distinct:
// they are decided on published figures. Row.Suppression keeps the
// detailed reason for in-process callers.
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
