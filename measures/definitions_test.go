package measures

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIDs pins the stable ids and their order: tools and the web page
// rely on them.
func TestIDs(t *testing.T) {
	want := []string{
		"depression_remission_6m", "depression_followup_coverage", "care_guarantee_0d", "care_guarantee_3d",
		"continuity_coc", "continuity_upc", "coverage_own_unit", "ed_visits_per_1000", "antibiotics_per_1000",
		"diabetes_hba1c_over_70", "diabetes_hba1c_target", "hypertension_bp_target", "elderly_many_drugs",
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
// what the data says.
func TestDefinitionParameters(t *testing.T) {
	get := func(id string) Definition {
		d, err := Lookup(id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dep := get("depression_remission_6m")
	got := fmt.Sprintf("%s %s-%s <%s; %s %s-%s <%s", dep.Instruments[0].Code, dep.Instruments[0].ModerateMin,
		dep.Instruments[0].ModerateMax, dep.Instruments[0].RemissionBelow, dep.Instruments[1].Code,
		dep.Instruments[1].ModerateMin, dep.Instruments[1].ModerateMax, dep.Instruments[1].RemissionBelow)
	if got != "PHQ9 10-14 <5; MADRSS 20-34 <13" {
		t.Errorf("depression instruments: %s", got)
	}
	if w, _ := dep.Window("sustained_remission"); w.FromDays != 183-60 || w.ToDays != 183+60 {
		t.Errorf("sustained window %+v", w)
	}
	if o := get("diabetes_hba1c_over_70").Observation; o.Op != ">" || o.Value.String() != "70" {
		t.Errorf("hba1c over 70: %+v", o)
	}
	if o := get("diabetes_hba1c_target").Observation; o.Op != "<=" || o.Value.String() != "52" {
		t.Errorf("hba1c target: %+v", o)
	}
	if bp := get("hypertension_bp_target").BloodPressure; bp.SystolicBelow.String() != "140" || bp.DiastolicBelow.String() != "90" {
		t.Errorf("bp: %+v", bp)
	}
	if a := get("antibiotics_per_1000").Population.ATC; !cmp.Equal(a.Include, []string{"J01"}) || !cmp.Equal(a.Exclude, []string{"J01XX05"}) {
		t.Errorf("atc: %+v", a)
	}
	if tg := get("antibiotics_per_1000").Target; tg == nil || tg.Value.String() != "250" {
		t.Errorf("strama target: %+v", tg)
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

func TestParseDefinitionsErrors(t *testing.T) {
	if _, err := ParseDefinitions(strings.NewReader(minimalDef)); err != nil {
		t.Fatalf("minimal definition: %v", err)
	}
	tests := []struct {
		name, from, to, key string
	}{
		{"unknown kind", "kind: proportion", "kind: ratio", "measures[0].kind"},
		{"mean kind is gone", "kind: proportion", "kind: mean", "measures[0].kind"},
		{"min_patients on a non-patient rule", "min_denominator: 30", "min_denominator: 30\n    min_patients: 30", "measures[0].min_patients"},
		{"unknown rule", "rule: care_guarantee", "rule: magic", "measures[0].rule"},
		{"bad direction", "direction: higher", "direction: up", "measures[0].direction"},
		{"no min", "min_denominator: 30", "min_denominator: -1", "measures[0].min_denominator"},
		{"bad date", "from: 2024-01-01", "from: 2024-13-01", "measures[0].sources[0].from"},
		{"bad unit kind", "unit_kinds: [primary]", "unit_kinds: [hospital]", "measures[0].population.contacts.unit_kinds[0]"},
		{"bad listed_on", "listed_on: none", "listed_on: sometimes", "measures[0].population.listed_on"},
		{"rule needs days", "within_days: 0", "within_days: -3", "measures[0].within_days"},
		{"kind mismatch", "kind: proportion", "kind: rate\n    scale: 1000", "measures[0].kind"},
		{"unknown key", "numerator: n", "numerator: n\n    colour: red", ""},
		{"not a number", "min_denominator: 30", "min_denominator: many", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimalDef, tc.from, tc.to, 1)
			_, err := ParseDefinitions(strings.NewReader(src))
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want *DefinitionError", err)
			}
			if de.Key != tc.key {
				t.Errorf("key = %q, want %q (%v)", de.Key, tc.key, err)
			}
		})
	}
	// A duplicate id.
	dup := minimalDef + strings.TrimPrefix(minimalDef, "measures:\n")
	var de *DefinitionError
	if _, err := ParseDefinitions(strings.NewReader(dup)); !errors.As(err, &de) || de.Reason != "duplicate id" {
		t.Errorf("duplicate: %v", err)
	}
}

// FuzzParseDefinitions: any input gives definitions or a *DefinitionError,
// never a panic.
func FuzzParseDefinitions(f *testing.F) {
	f.Add(embeddedDefinitions)
	f.Add([]byte(minimalDef))
	f.Add([]byte("measures: []"))
	f.Add([]byte("measures:\n  - id: [1, 2]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defs, err := ParseDefinitions(bytes.NewReader(data))
		if err != nil {
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(defs) == 0 {
			t.Fatal("no error and no definitions")
		}
		for _, d := range defs {
			if d.ID == "" || d.Scale <= 0 {
				t.Fatalf("accepted an incomplete definition %+v", d)
			}
		}
	})
}
