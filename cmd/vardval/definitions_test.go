package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// regionDefinitions is a region's own measure: a percentage on an
// observation code of the data contract.
const regionDefinitions = `measures:
  - id: obesity_bmi_30
    name_sv: Fetma, senaste BMI minst 30
    name_en: Obesity, latest BMI at least 30
    kind: proportion
    scale: 100
    rule: latest_observation
    counts: persons
    status: I
    population:
      description: Persons aged 18 or over listed on the period's last day with a BMI in the period.
      listed_on: period_end
      age_min: 18
    numerator: Persons whose latest BMI in the period is 30 or more.
    observation: {code: BMI, op: ">=", value: "30"}
    min_denominator: 5
    direction: lower
    sources:
      - {from: 2024-01-01, source: Region X decision 2024-17}
`

// regionModel pays on the region's own measure.
const regionModel = `model: region-x-2024
region: Region X
title: Region X 2024, a goal on obesity
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: obesity
    type: goal
    name: Goal-related pay for obesity
    style: bonus
    basis: listed
    counting: cutoff-last
    rate:
      - {from: 2024-01-01, value: "1.00", source: Region X decision 2024-17}
    indicators:
      - measure: obesity_bmi_30
        better: lower
        lower: [{from: 2024-01-01, value: "10", source: Region X decision 2024-17}]
        upper: [{from: 2024-01-01, value: "60", source: Region X decision 2024-17}]
        points: [{from: 2024-01-01, value: "1", source: Region X decision 2024-17}]
`

// TestDefinitionsFlag runs a region's own measure through the CLI:
// listed by measures, paid on by run and compare, and refused with a
// located error when the file is wrong.
func TestDefinitionsFlag(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := run(t, "synth", "--persons", "3000", "--seed", "3", "--out", data); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, errs)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	defs := write("region.yaml", regionDefinitions)
	model := write("model.yaml", regionModel)

	code, out, errs := run(t, "measures", "--data", data, "--definitions", defs, "--format", "json")
	if code != 0 {
		t.Fatalf("measures --definitions: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `{"measure": "obesity_bmi_30", "unit_id": "", `) || !strings.Contains(out, `"scale": 100`) ||
		!strings.Contains(out, `{"measure": "care_guarantee_0d", "unit_id": "", `) {
		t.Errorf("measures --definitions does not list the region's measure beside the built-ins:\n%s", out)
	}
	if code, out, _ := run(t, "measures", "--data", data, "--format", "json"); code != 0 || strings.Contains(out, "obesity_bmi_30") {
		t.Errorf("without --definitions: exit %d, region measure listed: %v", code, strings.Contains(out, "obesity_bmi_30"))
	}
	if code, out, _ := run(t, "measures", "--data", data, "--definitions", defs, "--measures", "obesity_bmi_30, care_guarantee_0d", "--format", "csv"); code != 0 || !strings.Contains(out, "obesity_bmi_30,") || strings.Contains(out, "care_guarantee_3d") {
		t.Errorf("--measures with a region's measure: exit %d:\n%s", code, out)
	}
	if code, _, errs := run(t, "measures", "--data", data, "--measures", "obesity_bmi_30"); code != 2 || !strings.Contains(errs, `vardval: --measures: unknown measure "obesity_bmi_30" (known: `) || !strings.Contains(errs, "--definitions FILE") {
		t.Errorf("--measures naming a region's measure without --definitions: exit %d: %s", code, errs)
	}

	code, out, errs = run(t, "run", "--model", model, "--data", data, "--definitions", defs, "--format", "csv")
	if code != 0 {
		t.Fatalf("run --definitions: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "measure obesity_bmi_30 = ") {
		t.Errorf("run --definitions: the goal has no result:\n%s", out)
	}
	// Without the definitions the model names an unknown measure.
	code, _, errs = run(t, "run", "--model", model, "--data", data)
	if code != 2 || !strings.Contains(errs, `model.yaml:17: components[0].indicators[0].measure: unknown measure "obesity_bmi_30"`) {
		t.Errorf("run without --definitions: exit %d: %s", code, errs)
	}
	if code, out, errs := run(t, "model", "check", model, "--definitions", defs); code != 0 || !strings.Contains(out, "model.yaml: ok") {
		t.Errorf("model check --definitions: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := run(t, "model", "check", model); code != 1 || !strings.Contains(errs, `unknown measure "obesity_bmi_30"`) {
		t.Errorf("model check without --definitions: exit %d: %s", code, errs)
	}
	code, out, errs = run(t, "compare", "--model", model, "--set", "b:obesity.rate=2", "--data", data, "--definitions", defs)
	if code != 0 {
		t.Fatalf("compare --definitions: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "region-x-2024 (B)") {
		t.Errorf("compare --definitions:\n%s", out)
	}

	bad := []struct{ name, text, want string }{
		{"dup.yaml", strings.Replace(regionDefinitions, "id: obesity_bmi_30", "id: care_guarantee_0d", 1),
			`vardval: dup.yaml:2: measures[0].id: duplicate measure id "care_guarantee_0d" (first defined at measures/definitions.yaml:`},
		{"scale.yaml", strings.Replace(regionDefinitions, "scale: 100", "scale: 10", 1),
			`vardval: scale.yaml:6: measures[0].scale: a proportion's scale must be 1 or 100, not 10`},
		{"code.yaml", strings.Replace(regionDefinitions, "code: BMI", "code: BMX", 1),
			`vardval: code.yaml:15: measures[0].observation.code: unknown observation code "BMX"`},
		{"key.yaml", strings.Replace(regionDefinitions, "    min_denominator: 5\n", "    min_denominator: 5\n    min_denom: 5\n", 1),
			`vardval: key.yaml:17: measures[0].min_denom: unknown key "min_denom"`},
	}
	for _, b := range bad {
		p := write(b.name, b.text)
		for _, args := range [][]string{
			{"measures", "--data", data, "--definitions", p},
			{"run", "--model", model, "--data", data, "--definitions", p},
			{"compare", "--model", model, "--model", model, "--data", data, "--definitions", p},
			{"model", "check", model, "--definitions", p},
		} {
			code, _, errs := run(t, args...)
			if code != 2 || !strings.HasPrefix(errs, b.want) || strings.Contains(errs, "measures.") {
				t.Errorf("%s %s: exit %d:\n%s\nwant %s…", args[0], b.name, code, errs, b.want)
			}
		}
	}
	if code, _, errs := run(t, "measures", "--data", data, "--definitions", filepath.Join(dir, "missing.yaml")); code != 2 || errs == "" {
		t.Errorf("missing file: exit %d: %s", code, errs)
	}
}
