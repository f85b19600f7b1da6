package measures

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/vardval"
)

//go:embed definitions.yaml
var embeddedDefinitions []byte

// Kind is what a measure's value is.
type Kind string

// The kinds of measure.
const (
	// Proportion: Numerator and Denominator are counts, Value their share
	// (0..1), interval Wilson. The continuity measures are proportions of
	// doctor visits (UPC) or of ordered pairs of doctor visits (COC),
	// pooled over patients.
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

// The rules (computations) a definition can name. The engine implements
// each; the definition supplies their parameters.
const (
	RuleSustainedRemission   = "sustained_remission"
	RuleRemissionFollowup    = "remission_followup"
	RuleCareGuarantee        = "care_guarantee"
	RuleContinuityCOC        = "continuity_coc"
	RuleContinuityUPC        = "continuity_upc"
	RuleOwnUnitShare         = "own_unit_share"
	RuleEventRate            = "event_rate"
	RuleLatestObservation    = "latest_observation"
	RuleLatestBloodPressure  = "latest_blood_pressure"
	RulePolypharmacy         = "polypharmacy"
	EventEmergencyContacts   = "emergency_contacts"
	EventPrescriptions       = "prescriptions"
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
// success, in which windows, how small a denominator may be shown, and
// where the definition comes from. The zero value is not a valid
// definition; get definitions from [Definitions] or [ParseDefinitions].
type Definition struct {
	ID             string // stable id, e.g. "depression_remission_6m"
	NameSV         string // Swedish name
	NameEN         string // English name
	Kind           Kind   // proportion or rate
	Rule           string // the computation, one of the Rule constants
	Event          string // for RuleEventRate: which events are counted
	Scale          int64  // Value = Numerator/Denominator × Scale (1 for shares, 1000 for rates)
	Counts         string // what the denominator counts: persons, contacts, visits, visit_pairs, person-years
	Status         string // C, L, I or U (see the legend at the top of definitions.yaml)
	Reason         string // why the measure was chosen, when that is not obvious
	Population     Population
	Numerator      string   // what the numerator counts, in words
	Exclusions     []string // who or what is left out, in words
	Instruments    []Instrument
	Windows        []Window
	WithinDays     int                     // care guarantee: days after requested
	Licensed       bool                    // care guarantee: a licensed assessment is required
	Observation    *ObservationThreshold   // latest-observation rule
	BloodPressure  *BloodPressureThreshold // latest-blood-pressure rule
	MinDrugs       int                     // polypharmacy: different ATC codes needed
	MinDenominator decimal.Decimal         // smallest reportable denominator
	// MinPatients is, for the continuity rules (whose denominator counts
	// visits or visit pairs), the smallest reportable number of patients;
	// a row is suppressed when either minimum is not reached. 0 = none.
	MinPatients int
	Direction   Direction
	Target      *Target // nil when no target is set
	Standardise bool    // rates: add indirect age × sex standardisation
	Sources     []Source
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
// + ToDays).
type CodeWindow struct {
	Prefixes   []string
	FromDays   int
	ToDays     int
	RelativeTo string
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

// Window returns the window with the given name.
func (d *Definition) Window(name string) (Window, bool) {
	for _, w := range d.Windows {
		if w.Name == name {
			return w, true
		}
	}
	return Window{}, false
}

// PatientLevel reports whether d's rule pools patient-level visit counts
// (continuity_coc, continuity_upc): its rows then also carry the number
// of patients and the mean of the patient-level index (Row.Patients,
// Row.PatientMean), and MinPatients applies.
func (d *Definition) PatientLevel() bool {
	return d.Rule == RuleContinuityCOC || d.Rule == RuleContinuityUPC
}

// DefinitionError reports a definition that cannot be used: Key is the
// path of the offending key (e.g. "measures[3].observation.op"), Line its
// line in the YAML text when known.
type DefinitionError struct {
	Line   int
	Key    string
	ID     string // the measure id, when known
	Reason string
	Err    error // underlying YAML error, if any
}

// Error formats the error with its line, key and measure id.
func (e *DefinitionError) Error() string {
	var b strings.Builder
	b.WriteString("measure definitions")
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	if e.ID != "" {
		fmt.Fprintf(&b, " (%s)", e.ID)
	}
	b.WriteString(": " + e.Reason)
	return b.String()
}

// Unwrap returns the underlying YAML error, if any.
func (e *DefinitionError) Unwrap() error { return e.Err }

// UnknownMeasureError reports a measure id that no definition has.
type UnknownMeasureError struct {
	ID string
}

// Error names the unknown id (personnummer-shaped runs masked, control
// characters replaced).
func (e *UnknownMeasureError) Error() string { return fmt.Sprintf("unknown measure %q", safe(e.ID)) }

// Definitions returns the built-in measure definitions in their canonical
// (output) order. Each call returns a fresh copy.
func Definitions() []Definition {
	defs, err := ParseDefinitions(bytes.NewReader(embeddedDefinitions))
	if err != nil {
		// The embedded file is checked by the package tests.
		panic(err)
	}
	return defs
}

// IDs returns the ids of the built-in measures in canonical order.
func IDs() []string {
	defs := Definitions()
	ids := make([]string, len(defs))
	for i, d := range defs {
		ids[i] = d.ID
	}
	return ids
}

// Lookup returns the built-in definition with the given id.
func Lookup(id string) (Definition, error) {
	for _, d := range Definitions() {
		if d.ID == id {
			return d, nil
		}
	}
	return Definition{}, &UnknownMeasureError{ID: id}
}

// yamlDecimal decodes any YAML scalar as an exact decimal (never via float).
type yamlDecimal struct {
	d   decimal.Decimal
	set bool
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (y *yamlDecimal) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &DefinitionError{Line: n.Line, Reason: "expected a number"}
	}
	d, err := decimal.NewFromString(strings.TrimSpace(n.Value))
	if err != nil {
		return &DefinitionError{Line: n.Line, Reason: fmt.Sprintf("%q is not a decimal number", n.Value)}
	}
	y.d, y.set = d, true
	return nil
}

type rawFile struct {
	Measures []rawDef `yaml:"measures"`
}

type rawDef struct {
	ID          string        `yaml:"id"`
	NameSV      string        `yaml:"name_sv"`
	NameEN      string        `yaml:"name_en"`
	Kind        string        `yaml:"kind"`
	Rule        string        `yaml:"rule"`
	Event       string        `yaml:"event"`
	Scale       int64         `yaml:"scale"`
	Counts      string        `yaml:"counts"`
	Status      string        `yaml:"status"`
	Reason      string        `yaml:"reason"`
	Population  rawPopulation `yaml:"population"`
	Numerator   string        `yaml:"numerator"`
	Exclusions  []string      `yaml:"exclusions"`
	Instruments []struct {
		Code           string      `yaml:"code"`
		ModerateMin    yamlDecimal `yaml:"moderate_min"`
		ModerateMax    yamlDecimal `yaml:"moderate_max"`
		RemissionBelow yamlDecimal `yaml:"remission_below"`
	} `yaml:"instruments"`
	Windows []struct {
		Name       string `yaml:"name"`
		FromDays   int    `yaml:"from_days"`
		ToDays     int    `yaml:"to_days"`
		Months     int    `yaml:"months"`
		RelativeTo string `yaml:"relative_to"`
	} `yaml:"windows"`
	WithinDays  *int `yaml:"within_days"`
	Licensed    bool `yaml:"licensed_assessment"`
	Observation *struct {
		Code  string      `yaml:"code"`
		Op    string      `yaml:"op"`
		Value yamlDecimal `yaml:"value"`
	} `yaml:"observation"`
	BloodPressure *struct {
		Systolic       string      `yaml:"systolic"`
		Diastolic      string      `yaml:"diastolic"`
		SystolicBelow  yamlDecimal `yaml:"systolic_below"`
		DiastolicBelow yamlDecimal `yaml:"diastolic_below"`
	} `yaml:"blood_pressure"`
	MinDrugs       int         `yaml:"min_drugs"`
	MinDenominator yamlDecimal `yaml:"min_denominator"`
	MinPatients    int         `yaml:"min_patients"`
	Direction      string      `yaml:"direction"`
	Target         *struct {
		Value yamlDecimal `yaml:"value"`
		Note  string      `yaml:"note"`
	} `yaml:"target"`
	Standardise bool `yaml:"standardise"`
	Sources     []struct {
		From   string `yaml:"from"`
		Source string `yaml:"source"`
		Note   string `yaml:"note"`
	} `yaml:"sources"`
}

type rawPopulation struct {
	Description string `yaml:"description"`
	ListedOn    string `yaml:"listed_on"`
	AgeMin      int    `yaml:"age_min"`
	AgeMax      int    `yaml:"age_max"`
	Diagnoses   *struct {
		Prefixes   []string `yaml:"prefixes"`
		FromDays   int      `yaml:"from_days"`
		ToDays     int      `yaml:"to_days"`
		RelativeTo string   `yaml:"relative_to"`
	} `yaml:"diagnoses"`
	Contacts *struct {
		UnitKinds    []string `yaml:"unit_kinds"`
		Professions  []string `yaml:"professions"`
		Modes        []string `yaml:"modes"`
		NewProblem   bool     `yaml:"new_problem"`
		Requested    bool     `yaml:"requested"`
		Clinician    bool     `yaml:"clinician"`
		AtListedUnit bool     `yaml:"at_listed_unit"`
		MinPerPerson int      `yaml:"min_per_person"`
	} `yaml:"contacts"`
	ATC *struct {
		Include []string `yaml:"include"`
		Exclude []string `yaml:"exclude"`
	} `yaml:"atc"`
}

// ParseDefinitions reads measure definitions in the YAML form of the
// embedded definitions.yaml (a top-level "measures" list) and checks them:
// unknown keys, a missing name, an unknown kind, rule or direction, a
// parameter the rule needs, and duplicate ids are errors (*DefinitionError).
// The order of the list is the output order.
func ParseDefinitions(r io.Reader) ([]Definition, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f rawFile
	if err := dec.Decode(&f); err != nil {
		var de *DefinitionError
		if errors.As(err, &de) {
			return nil, de
		}
		return nil, &DefinitionError{Reason: "not valid yaml: " + err.Error(), Err: err}
	}
	if len(f.Measures) == 0 {
		return nil, &DefinitionError{Key: "measures", Reason: "no measures defined"}
	}
	out := make([]Definition, 0, len(f.Measures))
	seen := map[string]bool{}
	for i, rd := range f.Measures {
		d, err := convertDef(i, rd)
		if err != nil {
			return nil, err
		}
		if seen[d.ID] {
			return nil, &DefinitionError{Key: fmt.Sprintf("measures[%d].id", i), ID: d.ID, Reason: "duplicate id"}
		}
		seen[d.ID] = true
		out = append(out, d)
	}
	return out, nil
}

func convertDef(i int, rd rawDef) (Definition, error) {
	key := func(k string) string { return fmt.Sprintf("measures[%d].%s", i, k) }
	fail := func(k, reason string) (Definition, error) {
		return Definition{}, &DefinitionError{Key: key(k), ID: rd.ID, Reason: reason}
	}
	d := Definition{
		ID: rd.ID, NameSV: rd.NameSV, NameEN: rd.NameEN, Kind: Kind(rd.Kind), Rule: rd.Rule,
		Event: rd.Event, Scale: rd.Scale, Counts: rd.Counts, Status: rd.Status, Reason: rd.Reason,
		Numerator: rd.Numerator, Exclusions: rd.Exclusions, WithinDays: -1, Licensed: rd.Licensed,
		MinDrugs: rd.MinDrugs, Direction: Direction(rd.Direction), Standardise: rd.Standardise,
	}
	if d.ID == "" || strings.ContainsAny(d.ID, " \t,\"") {
		return fail("id", "missing or not a plain identifier")
	}
	if d.NameSV == "" || d.NameEN == "" {
		return fail("name_sv", "both name_sv and name_en are required")
	}
	switch d.Kind {
	case Proportion:
		if d.Scale == 0 {
			d.Scale = 1
		}
	case Rate:
		if d.Scale <= 0 {
			return fail("scale", "a rate needs a positive scale (e.g. 1000)")
		}
	default:
		return fail("kind", fmt.Sprintf("unknown kind %q (proportion or rate)", rd.Kind))
	}
	if d.Scale <= 0 {
		return fail("scale", "must be positive")
	}
	if d.Direction != HigherIsBetter && d.Direction != LowerIsBetter {
		return fail("direction", fmt.Sprintf("unknown direction %q (higher or lower)", rd.Direction))
	}
	if !rd.MinDenominator.set || rd.MinDenominator.d.Sign() < 0 {
		return fail("min_denominator", "required, not negative")
	}
	d.MinDenominator = rd.MinDenominator.d
	if rd.MinPatients < 0 {
		return fail("min_patients", "not negative")
	}
	if rd.MinPatients > 0 && !d.PatientLevel() {
		return fail("min_patients", "only the continuity rules count patients")
	}
	d.MinPatients = rd.MinPatients
	if rd.WithinDays != nil {
		d.WithinDays = *rd.WithinDays
	}
	if rd.Target != nil {
		if !rd.Target.Value.set {
			return fail("target.value", "required when a target is given")
		}
		d.Target = &Target{Value: rd.Target.Value.d, Note: rd.Target.Note}
	}
	for j, s := range rd.Sources {
		from, err := vardval.ParseDate(s.From)
		if err != nil {
			return fail(fmt.Sprintf("sources[%d].from", j), "not a date YYYY-MM-DD")
		}
		if s.Source == "" {
			return fail(fmt.Sprintf("sources[%d].source", j), "required")
		}
		d.Sources = append(d.Sources, Source{From: from, Source: s.Source, Note: s.Note})
	}
	if len(d.Sources) == 0 {
		return fail("sources", "at least one dated source is required")
	}
	rp := rd.Population
	p := Population{Description: rp.Description, ListedOn: rp.ListedOn, AgeMin: rp.AgeMin, AgeMax: rp.AgeMax}
	switch p.ListedOn {
	case listedOnIndexDate, listedOnPeriodEnd, listedOnContactDate, listedOnEventDate, listedOnNone:
	default:
		return fail("population.listed_on", fmt.Sprintf("unknown value %q", rp.ListedOn))
	}
	if p.AgeMin < 0 || p.AgeMax < 0 || (p.AgeMax > 0 && p.AgeMax < p.AgeMin) {
		return fail("population.age_min", "age limits must satisfy 0 ≤ age_min ≤ age_max")
	}
	if dg := rp.Diagnoses; dg != nil {
		if len(dg.Prefixes) == 0 {
			return fail("population.diagnoses.prefixes", "at least one code prefix is required")
		}
		if dg.RelativeTo != relativeToIndexDate && dg.RelativeTo != relativeToPeriod {
			return fail("population.diagnoses.relative_to", "must be index_date or period")
		}
		if dg.FromDays > dg.ToDays && dg.RelativeTo == relativeToIndexDate {
			return fail("population.diagnoses.from_days", "from_days after to_days")
		}
		prefixes := make([]string, len(dg.Prefixes))
		for k, pr := range dg.Prefixes {
			prefixes[k] = normaliseCode(pr)
		}
		p.Diagnoses = &CodeWindow{Prefixes: prefixes, FromDays: dg.FromDays, ToDays: dg.ToDays, RelativeTo: dg.RelativeTo}
	}
	if c := rp.Contacts; c != nil {
		cf := &ContactFilter{NewProblem: c.NewProblem, Requested: c.Requested, Clinician: c.Clinician,
			AtListedUnit: c.AtListedUnit, MinPerPerson: c.MinPerPerson}
		for k, s := range c.UnitKinds {
			uk, ok := enumByName(s, vardval.KindPrimary, vardval.KindDigital)
			if !ok {
				return fail(fmt.Sprintf("population.contacts.unit_kinds[%d]", k), fmt.Sprintf("unknown unit kind %q", s))
			}
			cf.UnitKinds = append(cf.UnitKinds, uk)
		}
		for k, s := range c.Professions {
			pr, ok := enumByName(s, vardval.Doctor, vardval.OtherProfession)
			if !ok {
				return fail(fmt.Sprintf("population.contacts.professions[%d]", k), fmt.Sprintf("unknown profession %q", s))
			}
			cf.Professions = append(cf.Professions, pr)
		}
		for k, s := range c.Modes {
			m, ok := enumByName(s, vardval.ModeVisit, vardval.ModeChat)
			if !ok {
				return fail(fmt.Sprintf("population.contacts.modes[%d]", k), fmt.Sprintf("unknown mode %q", s))
			}
			cf.Modes = append(cf.Modes, m)
		}
		p.Contacts = cf
	}
	if a := rp.ATC; a != nil {
		if len(a.Include) == 0 {
			return fail("population.atc.include", "at least one ATC prefix is required")
		}
		p.ATC = &ATCFilter{Include: upperAll(a.Include), Exclude: upperAll(a.Exclude)}
	}
	d.Population = p
	for j, in := range rd.Instruments {
		if in.Code == "" || !in.ModerateMin.set || !in.ModerateMax.set || !in.RemissionBelow.set {
			return fail(fmt.Sprintf("instruments[%d]", j), "code, moderate_min, moderate_max and remission_below are required")
		}
		if in.ModerateMax.d.LessThan(in.ModerateMin.d) || !in.RemissionBelow.d.LessThanOrEqual(in.ModerateMin.d) {
			return fail(fmt.Sprintf("instruments[%d]", j), "need remission_below ≤ moderate_min ≤ moderate_max")
		}
		d.Instruments = append(d.Instruments, Instrument{Code: in.Code, ModerateMin: in.ModerateMin.d,
			ModerateMax: in.ModerateMax.d, RemissionBelow: in.RemissionBelow.d})
	}
	for j, w := range rd.Windows {
		if w.Name == "" || (w.Months == 0 && w.FromDays > w.ToDays) || w.Months < 0 {
			return fail(fmt.Sprintf("windows[%d]", j), "a window needs a name and from_days ≤ to_days or months > 0")
		}
		d.Windows = append(d.Windows, Window{Name: w.Name, FromDays: w.FromDays, ToDays: w.ToDays, Months: w.Months, RelativeTo: w.RelativeTo})
	}
	if o := rd.Observation; o != nil {
		if o.Code == "" || !o.Value.set || !slices.Contains([]string{">", ">=", "<", "<="}, o.Op) {
			return fail("observation", "needs code, op (>, >=, <, <=) and value")
		}
		d.Observation = &ObservationThreshold{Code: o.Code, Op: o.Op, Value: o.Value.d}
	}
	if b := rd.BloodPressure; b != nil {
		if b.Systolic == "" || b.Diastolic == "" || !b.SystolicBelow.set || !b.DiastolicBelow.set {
			return fail("blood_pressure", "needs systolic, diastolic, systolic_below and diastolic_below")
		}
		d.BloodPressure = &BloodPressureThreshold{Systolic: b.Systolic, Diastolic: b.Diastolic,
			SystolicBelow: b.SystolicBelow.d, DiastolicBelow: b.DiastolicBelow.d}
	}
	if k, reason := checkRule(&d); reason != "" {
		return fail(k, reason)
	}
	return d, nil
}

// checkRule checks that d has what its rule needs; it returns the key and
// the reason when it does not.
func checkRule(d *Definition) (string, string) {
	needKind := func(k Kind) (string, string) {
		if d.Kind != k {
			return "kind", fmt.Sprintf("rule %s needs kind %s", d.Rule, k)
		}
		return "", ""
	}
	switch d.Rule {
	case RuleSustainedRemission, RuleRemissionFollowup:
		if len(d.Instruments) == 0 {
			return "instruments", "at least one instrument is required"
		}
		if d.Population.ListedOn != listedOnIndexDate {
			return "population.listed_on", "must be index_date"
		}
		if d.Population.Diagnoses != nil && d.Population.Diagnoses.RelativeTo != relativeToIndexDate {
			return "population.diagnoses.relative_to", "must be index_date"
		}
		names := []string{"first_remission", "sustained_remission"}
		if d.Rule == RuleRemissionFollowup {
			names = []string{"followup"}
		}
		for _, n := range names {
			if _, ok := d.Window(n); !ok {
				return "windows", "window " + n + " is required"
			}
		}
		return needKind(Proportion)
	case RuleCareGuarantee:
		if d.WithinDays < 0 {
			return "within_days", "required, not negative"
		}
		if d.Population.Contacts == nil {
			return "population.contacts", "required"
		}
		return needKind(Proportion)
	case RuleContinuityCOC, RuleContinuityUPC:
		c := d.Population.Contacts
		if c == nil || c.MinPerPerson < 2 {
			return "population.contacts.min_per_person", "contacts with min_per_person ≥ 2 are required"
		}
		if d.Population.ListedOn != listedOnPeriodEnd {
			return "population.listed_on", "must be period_end"
		}
		return needKind(Proportion)
	case RuleOwnUnitShare:
		if d.Population.Contacts == nil {
			return "population.contacts", "required"
		}
		if w, ok := d.Window("last_months"); !ok || w.Months <= 0 {
			return "windows", "window last_months with months > 0 is required"
		}
		return needKind(Proportion)
	case RuleEventRate:
		if d.Population.AgeMin != 0 || d.Population.AgeMax != 0 {
			return "population.age_min", "age limits are not supported for rates (the person-years would need them too)"
		}
		switch d.Event {
		case EventEmergencyContacts:
			if d.Population.Contacts == nil {
				return "population.contacts", "required"
			}
		case EventPrescriptions:
			if d.Population.ATC == nil {
				return "population.atc", "required"
			}
		default:
			return "event", fmt.Sprintf("unknown event %q", d.Event)
		}
		return needKind(Rate)
	case RuleLatestObservation:
		if d.Observation == nil {
			return "observation", "required"
		}
		return needKind(Proportion)
	case RuleLatestBloodPressure:
		if d.BloodPressure == nil {
			return "blood_pressure", "required"
		}
		return needKind(Proportion)
	case RulePolypharmacy:
		if d.MinDrugs <= 0 {
			return "min_drugs", "required, positive"
		}
		if w, ok := d.Window("last_months"); !ok || w.Months <= 0 {
			return "windows", "window last_months with months > 0 is required"
		}
		return needKind(Proportion)
	}
	return "rule", fmt.Sprintf("unknown rule %q", d.Rule)
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
