package measures

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// Kind is what a measure's value is.
type Kind string

// The kinds of measure.
const (
	// Proportion: Numerator and Denominator are counts, Value their share
	// (0..1, or 0..100 with scale 100), interval Wilson. The continuity
	// measures are proportions of doctor visits (UPC) or of ordered pairs
	// of doctor visits (COC), pooled over patients.
	Proportion Kind = "proportion"
	// Rate: Numerator is a count of events, Denominator listed person-years,
	// Value events per Scale person-years, interval exact Poisson (Garwood).
	Rate Kind = "rate"
)

// Direction tells which way a measure improves.
type Direction string

// The directions.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// The names of the rules (computations) a definition can name under
// "rule", one per concrete [Rule] type (Continuity has two).
const (
	RuleSustainedRemission  = "sustained_remission"
	RuleRemissionFollowup   = "remission_followup"
	RuleCareGuarantee       = "care_guarantee"
	RuleContinuityCOC       = "continuity_coc"
	RuleContinuityUPC       = "continuity_upc"
	RuleOwnUnitShare        = "own_unit_share"
	RuleEventRate           = "event_rate"
	RuleLatestObservation   = "latest_observation"
	RuleLatestBloodPressure = "latest_blood_pressure"
	RulePolypharmacy        = "polypharmacy"
	// The rules of the follow-up files (procedures, admissions,
	// clinicians, calls, survey).
	RuleProcedureShare   = "procedure_share"
	RuleAdmissionRate    = "admission_rate"
	RuleEmployedContacts = "employed_contacts"
	RuleCallsSameDay     = "calls_same_day"
	RuleSurveyPositive   = "survey_positive"
)

// The population anchors (Population.ListedOn) and window anchors
// (Window.RelativeTo, CodeWindow.RelativeTo).
const (
	listedOnIndexDate        = "index_date"
	listedOnPeriodEnd        = "period_end"
	listedOnContactDate      = "contact_date"
	listedOnEventDate        = "event_date"
	listedOnNone             = "none"
	relativeToIndexDate      = "index_date"
	relativeToPeriod         = "period"
	relativeToPeriodEnd      = "period_end"
	relativeToFirstRemission = "first_remission"
)

// Definition is one measure as data: who is counted, what counts as
// success (the Rule and its parameters), how small a denominator may be
// shown, and where the definition comes from. The zero value is not a
// valid definition; get definitions from a [Registry], [Definitions] or
// [ParseDefinitions]. A definition built in code is checked when it
// enters a registry ([NewRegistry], [Registry.Extend]).
type Definition struct {
	ID     string // stable id, e.g. "depression_remission_6m"
	NameSV string // Swedish name
	NameEN string // English name
	Kind   Kind   // proportion or rate; must fit the rule (Rule.Kind)
	// Rule is the computation with its parameters: one of
	// *SustainedRemission, *RemissionFollowup, *CareGuarantee,
	// *Continuity, *OwnUnitShare, *EventRate, *LatestObservation,
	// *LatestBloodPressure, *Polypharmacy, *ProcedureShare,
	// *AdmissionRate, *EmployedContacts, *CallsSameDay or
	// *SurveyPositive.
	Rule   Rule
	Scale  int64  // Value = Numerator/Denominator × Scale (1 or 100 for proportions, e.g. 1000 for rates)
	Counts string // what the denominator counts: persons, contacts, visits, visit_pairs, person-years
	Status string // C, L, I or U (see the legend at the top of definitions.yaml)
	Reason string // why the measure was chosen, when that is not obvious
	// Differences says where, and why, the measure departs from the
	// national (or cited) definition it follows; "" when it does not.
	Differences string
	Population  Population
	Numerator   string   // what the numerator counts, in words
	Exclusions  []string // who or what is left out, in words
	// MinDenominator is the smallest reportable denominator.
	MinDenominator decimal.Decimal
	// MinPatients is, for the continuity rule (whose denominator counts
	// visits or visit pairs), the smallest reportable number of patients;
	// a row is suppressed when either minimum is not reached. 0 = none.
	MinPatients int
	// SmallCount is the small-count threshold k of disclosure control: a
	// row is suppressed when its numerator, or (proportions) its
	// denominator minus its numerator, is between 1 and k. 0 means
	// DefaultSmallCount (4) and a negative value turns the rule off; a
	// definitions file writes small_count: k (≥ 1), or 0 for off, and
	// leaves it out for the default.
	SmallCount  int
	Direction   Direction
	Target      *Target // nil when no target is set
	Standardise bool    // rates: add indirect age × sex standardisation
	Sources     []Source
	// Origin is where the definition was read (zero for one built in
	// code); errors about it name this file and line.
	Origin Origin
}

// Origin is where a definition was read: the file name given to
// ParseDefinitions (DefinitionOptions.File), the 1-based line of its list
// item and its key path (e.g. "measures[3]").
type Origin struct {
	File string
	Line int
	Key  string
}

// Rule is a definition's computation with its parameters. The concrete
// types are this package's (*SustainedRemission, *RemissionFollowup,
// *CareGuarantee, *Continuity, *OwnUnitShare, *EventRate,
// *LatestObservation, *LatestBloodPressure, *Polypharmacy,
// *ProcedureShare, *AdmissionRate, *EmployedContacts, *CallsSameDay,
// *SurveyPositive); each is
// computed by the engine, so the set is closed: a region adds measures
// by combining these rules with its own parameters.
type Rule interface {
	// Name is the rule's name in a definitions file (one of the Rule
	// constants).
	Name() string
	// Kind is the kind of value the rule computes; the definition's
	// Kind must equal it.
	Kind() Kind

	// check returns the problems of the rule's parameters within d,
	// with keys relative to the definition.
	check(d *Definition, codes codeSet) []problem
	// compile fills s with what the engine needs of the rule.
	compile(e *engine, s *spec)
	// tally adds one person's contribution to spec index si of a.
	tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch)
	// reads returns the region inputs the rule itself reads beyond its
	// population's (Definition.Inputs): file names ("observations.csv")
	// and "file:column" for an optional column it needs.
	reads() []string
	// clone returns a deep copy.
	clone() Rule
}

// Population says who (or which contacts) a measure's denominator is drawn
// from. Age limits apply on the day the rule looks at: the index date
// (depression), the contact date (care guarantee, coverage) or the
// period's last day (the others); a person with no birth date fails any
// age limit. Rates take no age limits.
type Population struct {
	Description string
	ListedOn    string      // index_date, period_end, contact_date, event_date or none
	AgeMin      int         // 0 = no lower limit
	AgeMax      int         // 0 = no upper limit
	Diagnoses   *CodeWindow // nil = no diagnosis condition
	Contacts    *ContactFilter
	ATC         *ATCFilter
}

// CodeWindow is a diagnosis condition: a code starting with one of
// Prefixes dated within [FromDays, ToDays] days of the anchor RelativeTo
// ("index_date"; or "period": from period start + FromDays to period end
// + ToDays). A person with a code starting with one of ExcludePrefixes
// dated on or before the window's end (at any earlier time) is excluded
// (e.g. bipolar or psychotic disorders from a depression measure).
type CodeWindow struct {
	Prefixes        []string
	ExcludePrefixes []string
	FromDays        int
	ToDays          int
	RelativeTo      string
}

// ContactFilter selects contacts. Empty lists mean any.
type ContactFilter struct {
	UnitKinds    []vardval.UnitKind
	Professions  []vardval.Profession
	Modes        []vardval.Mode
	NewProblem   bool // only new_problem = yes
	Requested    bool // requested must be given
	Clinician    bool // clinician must be given
	AtListedUnit bool // only contacts at the unit the person is listed at
	MinPerPerson int  // persons need at least this many such contacts
}

// ATCFilter selects prescriptions by ATC code prefix.
type ATCFilter struct {
	Include []string
	Exclude []string
}

// Instrument is a depression rating scale with its bands.
type Instrument struct {
	Code           string          // observation code, e.g. PHQ9
	ModerateMin    decimal.Decimal // moderate band, inclusive
	ModerateMax    decimal.Decimal
	RemissionBelow decimal.Decimal // remission when score < RemissionBelow
}

// Window is a named time window. Either FromDays..ToDays (inclusive) days
// after the anchor RelativeTo, or the last Months calendar months before
// RelativeTo "period_end".
type Window struct {
	Name       string
	FromDays   int
	ToDays     int
	Months     int
	RelativeTo string
}

// ObservationThreshold is a comparison of an observation value: Code Op Value.
type ObservationThreshold struct {
	Code  string
	Op    string // ">", ">=", "<", "<="
	Value decimal.Decimal
}

// BloodPressureThreshold: in target when systolic < SystolicBelow and
// diastolic < DiastolicBelow.
type BloodPressureThreshold struct {
	Systolic, Diastolic           string // observation codes
	SystolicBelow, DiastolicBelow decimal.Decimal
}

// Target is a goal for the measure's value, on the Value scale.
type Target struct {
	Value decimal.Decimal
	Note  string
}

// Source is a dated source for a definition.
type Source struct {
	From   vardval.Date // from when the source applies (or was published)
	Source string       // URL or citation
	Note   string
}

// DefaultSmallCount is the small-count threshold used when a definition
// gives none (Definition.SmallCount 0).
const DefaultSmallCount = 4

// SmallCountThreshold returns d.SmallCount, DefaultSmallCount when it is
// 0, and 0 (no small-count suppression) when it is negative.
func (d *Definition) SmallCountThreshold() int64 {
	switch {
	case d.SmallCount < 0:
		return 0
	case d.SmallCount == 0:
		return DefaultSmallCount
	}
	return int64(d.SmallCount)
}

// PatientLevel reports whether d's rule pools patient-level visit counts
// (the continuity rule): its rows then also carry the number of patients
// and the mean of the patient-level index (Row.Patients,
// Row.PatientMean), and MinPatients applies.
func (d *Definition) PatientLevel() bool {
	_, ok := d.Rule.(*Continuity)
	return ok
}

// Clustered reports whether d counts events that cluster within persons
// (visits, visit pairs, contacts or emergency visits: the continuity,
// care-guarantee and emergency-contact rate rules), so that its intervals
// and funnel limits use a cluster-robust variance by person and its rows
// report a design effect. Measures that count persons (one row per
// person) and prescription rates are not clustered.
func (d *Definition) Clustered() bool {
	switch r := d.Rule.(type) {
	case *Continuity, *CareGuarantee:
		return true
	case *EventRate:
		return r.Event == EventEmergencyContacts
	case *AdmissionRate:
		return true
	}
	return false
}

// MeasuredShare reports whether d's rows carry the share of the
// population that was measured (the latest-observation and
// blood-pressure rules: diabetes and hypertension), Row.Eligible and
// Row.MeasuredShare, so that a unit cannot improve its figure by
// measuring fewer patients unnoticed.
func (d *Definition) MeasuredShare() bool {
	switch d.Rule.(type) {
	case *LatestObservation, *LatestBloodPressure:
		return true
	}
	return false
}

// RuleName returns the name of d's rule, or "" when it has none.
func (d *Definition) RuleName() string {
	if d.Rule == nil {
		return ""
	}
	return d.Rule.Name()
}

// clone returns a deep copy of d: registries hand out copies so that no
// caller can change a shared definition.
func (d Definition) clone() Definition {
	if d.Rule != nil {
		d.Rule = d.Rule.clone()
	}
	d.Exclusions = slices.Clone(d.Exclusions)
	d.Sources = slices.Clone(d.Sources)
	if d.Target != nil {
		t := *d.Target
		d.Target = &t
	}
	p := &d.Population
	if p.Diagnoses != nil {
		c := *p.Diagnoses
		c.Prefixes = slices.Clone(c.Prefixes)
		c.ExcludePrefixes = slices.Clone(c.ExcludePrefixes)
		p.Diagnoses = &c
	}
	if p.Contacts != nil {
		c := *p.Contacts
		c.UnitKinds, c.Professions, c.Modes = slices.Clone(c.UnitKinds), slices.Clone(c.Professions), slices.Clone(c.Modes)
		p.Contacts = &c
	}
	if p.ATC != nil {
		a := ATCFilter{Include: slices.Clone(p.ATC.Include), Exclude: slices.Clone(p.ATC.Exclude)}
		p.ATC = &a
	}
	return d
}

// enumByName finds the value in [lo, hi] whose String is name.
func enumByName[T interface {
	~uint8
	String() string
}](name string, lo, hi T) (T, bool) {
	for v := lo; v <= hi; v++ {
		if v.String() == name {
			return v, true
		}
	}
	return 0, false
}

func upperAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = strings.ToUpper(strings.TrimSpace(x))
	}
	return out
}

// normaliseCode upper-cases an ICD-10 code and drops dots and spaces, the
// form diagnoses are stored in (F32.1 → F321).
func normaliseCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(".", "", " ", "").Replace(s)
}
