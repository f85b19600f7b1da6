package measures

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// TestIDs pins the stable ids and their order: tools and the web page
// rely on them.
func TestIDs(t *testing.T) {
	want := []string{
		"depression_remission_6m", "depression_followup_coverage", "care_guarantee_0d", "care_guarantee_3d",
		"continuity_coc", "continuity_upc", "coverage_own_unit", "ed_visits_per_1000", "antibiotics_per_1000",
		"diabetes_hba1c_over_70", "diabetes_hba1c_target", "hypertension_bp_target", "elderly_many_drugs",
		"influenza_vaccination_65plus", "lifestyle_advice_chronic", "medication_review_elderly",
		"avoidable_hospitalisations_per_1000", "phone_same_day", "doctor_contacts_by_employed",
		"patient_experience_participation",
	}
	if diff := cmp.Diff(want, IDs()); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

func TestDefinitionsComplete(t *testing.T) {
	for _, d := range Definitions() {
		t.Run(d.ID, func(t *testing.T) {
			if d.NameSV == "" || d.NameEN == "" || d.Population.Description == "" || d.Numerator == "" {
				t.Error("names, population and numerator must be described")
			}
			if len(d.Sources) == 0 || d.Sources[0].From.IsZero() {
				t.Error("needs a dated source")
			}
			if !strings.Contains("CLIU", d.Status) || len(d.Status) != 1 {
				t.Errorf("status %q", d.Status)
			}
			if d.MinDenominator.Sign() <= 0 {
				t.Error("needs a positive smallest reportable denominator")
			}
			if (d.Kind == Rate) != (d.Scale == 1000) {
				t.Errorf("kind %s with scale %d", d.Kind, d.Scale)
			}
		})
	}
	d, err := Lookup("elderly_many_drugs")
	if err != nil || d.Reason == "" {
		t.Errorf("the multimorbid-elderly measure must give its reason: %v", err)
	}
	var ue *UnknownMeasureError
	if _, err := Lookup("nope"); !errors.As(err, &ue) || ue.ID != "nope" {
		t.Errorf("Lookup(nope) = %v", err)
	}
}

// TestDefinitionParameters checks that the thresholds the issue names are
// what the data says, in the typed rules.
func TestDefinitionParameters(t *testing.T) {
	get := func(id string) Definition {
		d, err := Lookup(id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dep := get("depression_remission_6m").Rule.(*SustainedRemission)
	in := dep.Instruments
	got := fmt.Sprintf("%s %s-%s <%s; %s %s-%s <%s", in[0].Code, in[0].ModerateMin, in[0].ModerateMax, in[0].RemissionBelow,
		in[1].Code, in[1].ModerateMin, in[1].ModerateMax, in[1].RemissionBelow)
	if got != "PHQ9 10-14 <5; MADRSS 20-34 <13" {
		t.Errorf("depression instruments: %s", got)
	}
	if w := dep.Sustained; w.FromDays != 183-60 || w.ToDays != 183+60 || w.RelativeTo != "first_remission" {
		t.Errorf("sustained window %+v", w)
	}
	if o := get("diabetes_hba1c_over_70").Rule.(*LatestObservation).Threshold; o.Op != ">" || o.Value.String() != "70" {
		t.Errorf("hba1c over 70: %+v", o)
	}
	if o := get("diabetes_hba1c_target").Rule.(*LatestObservation).Threshold; o.Op != "<=" || o.Value.String() != "52" {
		t.Errorf("hba1c target: %+v", o)
	}
	if bp := get("hypertension_bp_target").Rule.(*LatestBloodPressure).Threshold; bp.SystolicBelow.String() != "140" || bp.DiastolicBelow.String() != "90" {
		t.Errorf("bp: %+v", bp)
	}
	if a := get("antibiotics_per_1000").Population.ATC; !cmp.Equal(a.Include, []string{"J01"}) || !cmp.Equal(a.Exclude, []string{"J01XX05"}) {
		t.Errorf("atc: %+v", a)
	}
	if tg := get("antibiotics_per_1000").Target; tg == nil || tg.Value.String() != "250" {
		t.Errorf("strama target: %+v", tg)
	}
	rules := map[string]string{}
	for _, d := range Definitions() {
		rules[d.ID] = fmt.Sprintf("%T %s", d.Rule, d.RuleName())
	}
	want := map[string]string{
		"depression_remission_6m":             "*measures.SustainedRemission sustained_remission",
		"depression_followup_coverage":        "*measures.RemissionFollowup remission_followup",
		"care_guarantee_0d":                   "*measures.CareGuarantee care_guarantee",
		"care_guarantee_3d":                   "*measures.CareGuarantee care_guarantee",
		"continuity_coc":                      "*measures.Continuity continuity_coc",
		"continuity_upc":                      "*measures.Continuity continuity_upc",
		"coverage_own_unit":                   "*measures.OwnUnitShare own_unit_share",
		"ed_visits_per_1000":                  "*measures.EventRate event_rate",
		"antibiotics_per_1000":                "*measures.EventRate event_rate",
		"diabetes_hba1c_over_70":              "*measures.LatestObservation latest_observation",
		"diabetes_hba1c_target":               "*measures.LatestObservation latest_observation",
		"hypertension_bp_target":              "*measures.LatestBloodPressure latest_blood_pressure",
		"elderly_many_drugs":                  "*measures.Polypharmacy polypharmacy",
		"influenza_vaccination_65plus":        "*measures.ProcedureShare procedure_share",
		"lifestyle_advice_chronic":            "*measures.ProcedureShare procedure_share",
		"medication_review_elderly":           "*measures.ProcedureShare procedure_share",
		"avoidable_hospitalisations_per_1000": "*measures.AdmissionRate admission_rate",
		"phone_same_day":                      "*measures.CallsSameDay calls_same_day",
		"doctor_contacts_by_employed":         "*measures.EmployedContacts employed_contacts",
		"patient_experience_participation":    "*measures.SurveyPositive survey_positive",
	}
	if diff := cmp.Diff(want, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

const minimalDef = `measures:
  - id: x
    name_sv: X
    name_en: X
    kind: proportion
    rule: care_guarantee
    population: {description: d, listed_on: none, contacts: {unit_kinds: [primary]}}
    numerator: n
    within_days: 0
    min_denominator: 30
    direction: higher
    sources: [{from: 2024-01-01, source: s}]
`

const observationDef = `measures:
  - id: smokers
    name_sv: Rökare
    name_en: Smokers
    kind: proportion
    rule: latest_observation
    counts: persons
    population:
      listed_on: period_end
      age_min: 18
    observation: {code: SMOKING, op: ">=", value: "1"}
    min_denominator: 30
    direction: lower
    sources:
      - {from: 2024-01-01, source: regional decision}
`

// parseOne parses src as file f.yaml and returns its first
// *DefinitionError (nil when it parses).
func parseOne(t *testing.T, src string) (*DefinitionError, error) {
	t.Helper()
	_, err := ParseDefinitions(strings.NewReader(src), DefinitionOptions{File: "f.yaml"})
	if err == nil {
		return nil, nil
	}
	var de *DefinitionError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v (%T), want *DefinitionError", err, err)
	}
	return de, err
}

func TestParseDefinitionsErrors(t *testing.T) {
	for _, src := range []string{minimalDef, observationDef} {
		if _, err := ParseDefinitions(strings.NewReader(src), DefinitionOptions{}); err != nil {
			t.Fatalf("valid definition: %v", err)
		}
	}
	var (
		unknownKey   *UnknownKeyError
		missingKey   *MissingKeyError
		scale        *ScaleError
		code         *UnknownCodeError
		kindMismatch *KindMismatchError
		date         *DefinitionDateError
		window       *WindowError
		dup          *DuplicateMeasureError
	)
	tests := []struct {
		name, src, from, to string
		key                 string
		line                int
		as                  any // a pointer to the typed cause, or nil
	}{
		{"unknown kind", minimalDef, "kind: proportion", "kind: ratio", "measures[0].kind", 5, nil},
		{"mean kind is gone", minimalDef, "kind: proportion", "kind: mean", "measures[0].kind", 5, nil},
		{"min_patients on a non-patient rule", minimalDef, "min_denominator: 30", "min_denominator: 30\n    min_patients: 30", "measures[0].min_patients", 11, nil},
		{"unknown rule", minimalDef, "rule: care_guarantee", "rule: magic", "measures[0].rule", 6, nil},
		{"bad direction", minimalDef, "direction: higher", "direction: up", "measures[0].direction", 11, nil},
		{"negative min", minimalDef, "min_denominator: 30", "min_denominator: -1", "measures[0].min_denominator", 10, nil},
		{"bad date", minimalDef, "from: 2024-01-01", "from: 2024-13-01", "measures[0].sources[0].from", 12, &date},
		{"bad unit kind", minimalDef, "unit_kinds: [primary]", "unit_kinds: [hospital]", "measures[0].population.contacts.unit_kinds[0]", 7, nil},
		{"bad listed_on", minimalDef, "listed_on: none", "listed_on: sometimes", "measures[0].population.listed_on", 7, nil},
		{"rule needs days", minimalDef, "within_days: 0", "within_days: -3", "measures[0].within_days", 9, nil},
		{"kind does not fit the rule", minimalDef, "kind: proportion", "kind: rate\n    scale: 1000", "measures[0].kind", 5, &kindMismatch},
		{"unknown key", minimalDef, "numerator: n", "numerator: n\n    colour: red", "measures[0].colour", 9, &unknownKey},
		{"key of another rule", minimalDef, "numerator: n", "numerator: n\n    min_drugs: 3", "measures[0].min_drugs", 9, &unknownKey},
		{"unknown key in population", minimalDef, "listed_on: none", "listed_on: none, colour: red", "measures[0].population.colour", 7, &unknownKey},
		{"missing key", minimalDef, "    direction: higher\n", "", "measures[0].direction", 2, &missingKey},
		{"missing within_days", minimalDef, "    within_days: 0\n", "", "measures[0].within_days", 2, &missingKey},
		{"not a number", minimalDef, "min_denominator: 30", "min_denominator: many", "measures[0].min_denominator", 10, nil},
		{"proportion scale 7", minimalDef, "kind: proportion", "kind: proportion\n    scale: 7", "measures[0].scale", 6, &scale},
		{"unknown observation code", observationDef, "code: SMOKING", "code: SMOKES", "measures[0].observation.code", 11, &code},
		{"bad op", observationDef, `op: ">="`, `op: "=>"`, "measures[0].observation.op", 11, nil},
		{"missing observation", observationDef, "    observation: {code: SMOKING, op: \">=\", value: \"1\"}\n", "", "measures[0].observation", 2, &missingKey},
		{"observation on a rate", observationDef, "kind: proportion", "kind: rate\n    scale: 1000", "measures[0].kind", 5, &kindMismatch},
		{"window the rule lacks", minimalDef, "numerator: n", "numerator: n\n    windows: [{name: last_months, months: 3}]", "measures[0].windows", 9, &unknownKey},
		{"bad diagnosis window", observationDef, "age_min: 18", "age_min: 18\n      diagnoses: {prefixes: [E11], from_days: 0, to_days: 0, relative_to: yesterday}", "measures[0].population.diagnoses.relative_to", 11, &window},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(tc.src, tc.from, tc.to, 1)
			if src == tc.src {
				t.Fatalf("replacement %q not found", tc.from)
			}
			de, err := parseOne(t, src)
			if de == nil {
				t.Fatal("no error")
			}
			if de.Key != tc.key || (tc.line != 0 && de.Line != tc.line) || de.File != "f.yaml" {
				t.Errorf("at %s:%d %q, want f.yaml:%d %q (%v)", de.File, de.Line, de.Key, tc.line, tc.key, err)
			}
			if tc.as != nil && !errors.As(err, tc.as) {
				t.Errorf("err = %v, want a %T", err, tc.as)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "f.yaml:") || strings.Contains(msg, "measures.") || strings.Contains(msg, "rawDef") {
				t.Errorf("message %q is not file:line: key: reason", msg)
			}
		})
	}
	// A rule's window: a months window on a day rule is refused.
	sus := strings.Replace(string(embeddedDefinitions), "{name: first_remission, from_days: 1, to_days: 365,", "{name: first_remission, from_days: 365, to_days: 1,", 1)
	if _, err := ParseDefinitions(strings.NewReader(sus), DefinitionOptions{}); !errors.As(err, &window) || window.Name != "first_remission" {
		t.Errorf("reversed window: %v", err)
	}
	// A rate needs its scale.
	rate := strings.Replace(string(embeddedDefinitions), "    scale: 1000\n", "", 1)
	if _, err := ParseDefinitions(strings.NewReader(rate), DefinitionOptions{}); !errors.As(err, &missingKey) || missingKey.Key != "scale" {
		t.Errorf("rate without scale: %v", err)
	}
	// A duplicate id names the line of the first.
	src := minimalDef + strings.TrimPrefix(minimalDef, "measures:\n")
	de, err := parseOne(t, src)
	if de == nil || !errors.As(err, &dup) || dup.First.Line != 2 || de.Line != 13 || de.Key != "measures[1].id" {
		t.Errorf("duplicate: %v", err)
	}
	if want := `f.yaml:13: measures[1].id: duplicate measure id "x" (first defined at f.yaml:2)`; err.Error() != want {
		t.Errorf("duplicate: %q, want %q", err, want)
	}
	// Every problem is reported, not only the first.
	src = strings.Replace(strings.Replace(minimalDef, "direction: higher", "direction: up", 1), "kind: proportion", "kind: ratio", 1)
	if _, err := ParseDefinitions(strings.NewReader(src), DefinitionOptions{}); err == nil || strings.Count(err.Error(), "\n") != 1 {
		t.Errorf("two problems: %v", err)
	}
	// Observation codes a region names itself.
	src = strings.Replace(observationDef, "code: SMOKING", "code: audit_c", 1)
	if _, err := ParseDefinitions(strings.NewReader(src), DefinitionOptions{ObservationCodes: []string{"audit_c"}}); err == nil {
		t.Error("a code is taken as given: upper case is not made of it")
	}
	src = strings.Replace(observationDef, "code: SMOKING", "code: AUDITC", 1)
	if _, err := ParseDefinitions(strings.NewReader(src), DefinitionOptions{ObservationCodes: []string{"AUDITC"}}); err != nil {
		t.Errorf("a code of the region: %v", err)
	}
	// Not YAML at all.
	if de, _ := parseOne(t, "measures:\n  - id: [\n"); de == nil || de.Line == 0 {
		t.Errorf("bad yaml: %v", de)
	}
}

func TestRegistry(t *testing.T) {
	region, err := ParseDefinitions(strings.NewReader(observationDef), DefinitionOptions{File: "region.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := BuiltinRegistry().Extend(region...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(IDs(), "smokers"), reg.IDs()); diff != "" {
		t.Errorf("extended ids (-want +got):\n%s", diff)
	}
	if BuiltinRegistry().Len() != len(IDs()) {
		t.Error("Extend changed the built-in registry")
	}
	if d, err := reg.Lookup("smokers"); err != nil || d.Origin != (Origin{File: "region.yaml", Line: 2, Key: "measures[0]"}) {
		t.Errorf("Lookup(smokers) = %+v, %v", d.Origin, err)
	}
	// Lookup returns a copy.
	d, _ := reg.Lookup("smokers")
	d.Rule.(*LatestObservation).Threshold.Code = "BMI"
	d.Population.AgeMin = 99
	if d2, _ := reg.Lookup("smokers"); d2.Rule.(*LatestObservation).Threshold.Code != "SMOKING" || d2.Population.AgeMin != 18 {
		t.Error("a change to a looked-up definition reached the registry")
	}
	// A region's id that a built-in has is a duplicate, located in the
	// region's file, naming the built-in's line.
	clash := strings.Replace(observationDef, "id: smokers", "id: care_guarantee_0d", 1)
	region, err = ParseDefinitions(strings.NewReader(clash), DefinitionOptions{File: "region.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = BuiltinRegistry().Extend(region...)
	var dup *DuplicateMeasureError
	var de *DefinitionError
	if !errors.As(err, &dup) || !errors.As(err, &de) || de.File != "region.yaml" || de.Line != 2 || dup.First.File != "measures/definitions.yaml" || dup.First.Line == 0 {
		t.Fatalf("clash: %v", err)
	}
	if !strings.HasPrefix(err.Error(), `region.yaml:2: measures[0].id: duplicate measure id "care_guarantee_0d" (first defined at measures/definitions.yaml:`) {
		t.Errorf("clash message: %q", err)
	}
	// Twice the same region definition.
	if _, err := BuiltinRegistry().Extend(append(reg.Definitions()[len(IDs()):], reg.Definitions()[len(IDs())])...); !errors.As(err, &dup) {
		t.Errorf("twice: %v", err)
	}
	// A definition built in code is checked as one from a file.
	bad := Definition{ID: "y", NameSV: "Y", NameEN: "Y", Kind: Proportion, Scale: 10, Rule: &CareGuarantee{},
		Population: Population{ListedOn: "none"}, Direction: HigherIsBetter, Sources: []Source{{From: vardval.D(2024, 1, 1), Source: "s"}}}
	var se *ScaleError
	var mk *MissingKeyError
	_, err = NewRegistry(bad)
	if !errors.As(err, &se) || se.Scale != 10 || !errors.As(err, &mk) || mk.Key != "contacts" {
		t.Errorf("in code: %v", err)
	}
	var nilReg *Registry
	if nilReg.Len() != 0 || nilReg.IDs() != nil {
		t.Error("a nil registry is empty")
	}
	if _, err := nilReg.Lookup("x"); err == nil {
		t.Error("a nil registry has no definitions")
	}
}

// FuzzParseDefinitions: any input gives definitions or *DefinitionErrors,
// never a panic, and what it accepts a registry takes.
func FuzzParseDefinitions(f *testing.F) {
	f.Add(embeddedDefinitions)
	f.Add([]byte(minimalDef))
	f.Add([]byte(observationDef))
	f.Add([]byte("measures: []"))
	f.Add([]byte("measures:\n  - id: [1, 2]\n"))
	f.Add([]byte("measures:\n  - &a {id: x}\n  - *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defs, err := ParseDefinitions(bytes.NewReader(data), DefinitionOptions{File: "f.yaml"})
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error without its file: %v", err)
			}
			return
		}
		if len(defs) == 0 {
			t.Fatal("no error and no definitions")
		}
		for _, d := range defs {
			if d.ID == "" || d.Scale <= 0 || d.Rule == nil {
				t.Fatalf("accepted an incomplete definition %+v", d)
			}
		}
		if _, err := NewRegistry(defs...); err != nil {
			t.Fatalf("parsed but a registry refuses them: %v", err)
		}
	})
}

// TestRegistryConcurrent shares one extended registry between goroutines
// computing, looking up and extending at once (run under -race): every
// report is the same and the registry does not change.
func TestRegistryConcurrent(t *testing.T) {
	region, err := ParseDefinitions(strings.NewReader(observationDef), DefinitionOptions{File: "region.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := BuiltinRegistry().Extend(region...)
	if err != nil {
		t.Fatal(err)
	}
	r := scenario()
	outs := make([]string, 4)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := Compute(context.Background(), r, scenarioPeriod(), Options{Registry: reg, Workers: 2})
			if err != nil {
				t.Error(err)
				return
			}
			for _, d := range reg.Definitions() {
				d.Population.AgeMin = 99 // a copy
			}
			if _, err := reg.Extend(Definition{}); err == nil {
				t.Error("an empty definition was accepted")
			}
			var b bytes.Buffer
			if err := WriteJSON(&b, rep); err != nil {
				t.Error(err)
			}
			outs[i] = b.String()
		}()
	}
	wg.Wait()
	for i := range outs {
		if outs[i] != outs[0] || !strings.Contains(outs[i], `"measure": "smokers"`) {
			t.Fatalf("report %d differs or lacks the region's measure", i)
		}
	}
	if d, _ := reg.Lookup("smokers"); d.Population.AgeMin != 18 {
		t.Error("the registry changed")
	}
}

// TestManyMeasures: a region may add many measures (up to 64 in all are
// computed at once), each counted on its own.
func TestManyMeasures(t *testing.T) {
	var b strings.Builder
	b.WriteString("measures:\n")
	for i := range 40 {
		item := strings.TrimPrefix(observationDef, "measures:\n")
		item = strings.Replace(item, "id: smokers", fmt.Sprintf("id: smokers_%02d", i), 1)
		b.WriteString(strings.Replace(item, "age_min: 18", fmt.Sprintf("age_min: %d", 18+i), 1))
	}
	defs, err := ParseDefinitions(strings.NewReader(b.String()), DefinitionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The last, past bit 32 of the engine's code classes, is a copy of a
	// built-in measure with a diagnosis condition.
	hba1c, err := Lookup("diabetes_hba1c_over_70")
	if err != nil {
		t.Fatal(err)
	}
	hba1c.ID, hba1c.Origin, hba1c.MinDenominator, hba1c.SmallCount = "hba1c_copy", Origin{}, decimal.Zero, -1
	reg, err := BuiltinRegistry().Extend(append(defs, hba1c)...)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compute(context.Background(), scenario(), scenarioPeriod(), Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(IDs()) + 41; len(rep.Measures) != want {
		t.Fatalf("%d measures, want %d", len(rep.Measures), want)
	}
	orig, _ := computeScenario(t, defsNoMin()).Measure("diabetes_hba1c_over_70")
	cp, _ := rep.Measure("hba1c_copy")
	for i := range orig.Rows {
		a, b := orig.Rows[i], cp.Rows[i]
		if a.UnitID != b.UnitID || !a.Numerator.Equal(b.Numerator) || !a.Denominator.Equal(b.Denominator) || a.Denominator.IsZero() && i == 0 {
			t.Errorf("row %d: copy %s %s/%s, original %s %s/%s", i, b.UnitID, b.Numerator, b.Denominator, a.UnitID, a.Numerator, a.Denominator)
		}
	}
	base, err := Compute(context.Background(), scenario(), scenarioPeriod(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range base.Measures {
		if diff := cmp.Diff(m.Rows, rep.Measures[i].Rows, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
			cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s changed beside the region's measures (-alone +extended):\n%s", m.Definition.ID, diff)
		}
	}
	if _, err := reg.Extend(defs[:15]...); err == nil {
		t.Fatal("duplicates accepted")
	}
}
