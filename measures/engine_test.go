package measures

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func computeScenario(t *testing.T, defs []Definition) *Report {
	t.Helper()
	var reg *Registry // nil: the built-ins
	if defs != nil {
		reg = mustRegistry(defs)
	}
	rep, err := Compute(context.Background(), scenario(), scenarioPeriod(), Options{Registry: reg})
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return rep
}

// TestScenarioCounts checks every measure's numerator and denominator per
// unit against the trajectories written into scenario().
func TestScenarioCounts(t *testing.T) {
	r := scenario()
	rep := computeScenario(t, defsNoMin())
	days := r.PersonDays(scenarioPeriod())
	pyA, pyB := personYears(days[0]), personYears(days[1])
	pyR := personYears(days[0] + days[1])
	type nd struct{ Num, Den string }
	want := map[string]map[string]nd{
		"depression_remission_6m":      {"": {"2", "6"}, "A": {"1", "5"}, "B": {"1", "1"}},
		"depression_followup_coverage": {"": {"5", "6"}, "A": {"4", "5"}, "B": {"1", "1"}},
		"care_guarantee_0d":            {"": {"2", "4"}, "A": {"1", "3"}, "B": {"1", "1"}},
		"care_guarantee_3d":            {"": {"3", "4"}, "A": {"2", "3"}, "B": {"1", "1"}},
		"continuity_coc":               {"": {"10", "28"}, "A": {"8", "20"}, "B": {"2", "8"}},
		"continuity_upc":               {"": {"9", "14"}, "A": {"6", "9"}, "B": {"3", "5"}},
		"coverage_own_unit":            {"": {"3", "6"}, "A": {"2", "5"}, "B": {"1", "1"}},
		"ed_visits_per_1000":           {"": {"4", pyR.String()}, "A": {"3", pyA.String()}, "B": {"1", pyB.String()}},
		"antibiotics_per_1000":         {"": {"3", pyR.String()}, "A": {"2", pyA.String()}, "B": {"1", pyB.String()}},
		"diabetes_hba1c_over_70":       {"": {"2", "4"}, "A": {"2", "3"}, "B": {"0", "1"}},
		"diabetes_hba1c_target":        {"": {"2", "4"}, "A": {"1", "3"}, "B": {"1", "1"}},
		"hypertension_bp_target":       {"": {"2", "4"}, "A": {"2", "3"}, "B": {"0", "1"}},
		"elderly_many_drugs":           {"": {"1", "3"}, "A": {"1", "2"}, "B": {"0", "1"}},
		// The scenario has no follow-up files: only the populations.
		"influenza_vaccination_65plus":        {"": {"0", "9"}, "A": {"0", "6"}, "B": {"0", "3"}},
		"lifestyle_advice_chronic":            {"": {"0", "10"}, "A": {"0", "7"}, "B": {"0", "3"}},
		"medication_review_elderly":           {"": {"0", "2"}, "A": {"0", "2"}, "B": {"0", "0"}},
		"avoidable_hospitalisations_per_1000": {"": {"0", pyR.String()}, "A": {"0", pyA.String()}, "B": {"0", pyB.String()}},
		"phone_same_day":                      {"": {"0", "0"}, "A": {"0", "0"}, "B": {"0", "0"}},
		"doctor_contacts_by_employed":         {"": {"0", "27"}, "A": {"0", "14"}, "B": {"0", "13"}},
		"patient_experience_participation":    {"": {"0", "0"}, "A": {"0", "0"}, "B": {"0", "0"}},
	}
	got := map[string]map[string]nd{}
	for _, m := range rep.Measures {
		got[m.Definition.ID] = map[string]nd{}
		for _, row := range m.Rows {
			got[m.Definition.ID][row.UnitID] = nd{row.Numerator.String(), row.Denominator.String()}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

// TestScenarioValues checks values and intervals of a few rows against
// hand computation and against the stats functions.
func TestScenarioValues(t *testing.T) {
	rep := computeScenario(t, defsNoMin())
	tests := []struct {
		id, unit string
		value    string
		method   string
	}{
		{"depression_remission_6m", "A", "0.2", "wilson-95"},
		{"care_guarantee_3d", "A", "0.666667", "wilson-deff-95"},
		{"continuity_coc", "A", "0.4", "wilson-deff-95"},
		{"continuity_upc", "A", "0.666667", "wilson-deff-95"},
		{"continuity_coc", "B", "0.25", "wilson-deff-95"},
		{"continuity_upc", "B", "0.6", "wilson-deff-95"},
		{"diabetes_hba1c_over_70", "", "0.5", "wilson-95"},
	}
	for _, tc := range tests {
		res, ok := rep.Result(tc.id, tc.unit)
		if !ok {
			t.Fatalf("%s/%s missing", tc.id, tc.unit)
		}
		if res.Value.String() != tc.value || res.Method != tc.method {
			t.Errorf("%s/%s = %s %s, want %s %s", tc.id, tc.unit, res.Value, res.Method, tc.value, tc.method)
		}
	}
	// Wilson for 1/5 (R: prop.test(1, 5, correct = FALSE)$conf.int =
	// 0.03622411 0.62446537).
	res, _ := rep.Result("depression_remission_6m", "A")
	if math.Abs(res.CILow-0.03622411) > 1e-8 || math.Abs(res.CIHigh-0.62446537) > 1e-8 {
		t.Errorf("wilson 1/5 = [%v, %v]", res.CILow, res.CIHigh)
	}
	// Continuity at A: three patients with 2, 3 and 4 doctor visits, 2, 1
	// and 3 of them with their most-seen doctor (UPC 6 of 9 visits) and 2,
	// 0 and 6 same-doctor pairs of 2, 6 and 12 (COC 8 of 20 pairs). The
	// design effect Σ(y − Rn)²/(N·R(1−R)) by hand: UPC R = 2/3, residuals
	// 2/3, −1, 1/3, Σ² = 14/9, / (9·2/9) = 7/9, below 1, so 1; COC R =
	// 0.4, residuals 1.2, −2.4, 1.2, Σ² = 8.64, / (20·0.24) = 1.8.
	// Intervals: Wilson at n* = n/deff,
	// (p̂ + z²/2n* ± z·√(p̂(1−p̂)/n* + z²/4n*²)) / (1 + z²/n*), z = 1.959964.
	for _, c := range []struct {
		id   string
		p, n float64
		deff float64
	}{
		{"continuity_coc", 0.4, 20, 1.8},
		{"continuity_upc", 2.0 / 3, 9, 1},
	} {
		m, _ := rep.Measure(c.id)
		row := m.Rows[1]
		if math.Abs(row.DesignEffect-c.deff) > 1e-12 {
			t.Errorf("%s/A design effect %v, want %v", c.id, row.DesignEffect, c.deff)
		}
		z := 1.959963984540054
		ne := c.n / c.deff
		centre := (c.p + z*z/(2*ne)) / (1 + z*z/ne)
		half := z * math.Sqrt(c.p*(1-c.p)/ne+z*z/(4*ne*ne)) / (1 + z*z/ne)
		if math.Abs(row.CILow-(centre-half)) > 1e-12 || math.Abs(row.CIHigh-(centre+half)) > 1e-12 {
			t.Errorf("%s/A interval [%v, %v], want [%v, %v]", c.id, row.CILow, row.CIHigh, centre-half, centre+half)
		}
	}
	// Rates: value = events × 1000 / person-years, Garwood interval.
	res, _ = rep.Result("ed_visits_per_1000", "A")
	want := res.Numerator.Mul(decimal.NewFromInt(1000)).DivRound(res.Denominator, 6)
	if !res.Value.Equal(want) {
		t.Errorf("ed value %s, want %s", res.Value, want)
	}
	m, _ := rep.Measure("ed_visits_per_1000")
	iv := ExactPoissonEffective(3, m.Rows[1].DesignEffect, 0.95).Scale(1000 / res.Denominator.InexactFloat64())
	if iv != (Interval{res.CILow, res.CIHigh}) || res.Method != "exact-poisson-deff-95" {
		t.Errorf("ed interval [%v, %v] %s, want %v", res.CILow, res.CIHigh, res.Method, iv)
	}
}

// TestContinuityPatients checks the patient count and the unweighted
// patient-level mean beside the pooled continuity shares (hand values in
// scenario()), and suppression by min_patients.
func TestContinuityPatients(t *testing.T) {
	type pm struct {
		Patients int64
		Mean     string
	}
	want := map[string]map[string]pm{
		"continuity_coc": {"": {5, "0.366667"}, "A": {3, "0.5"}, "B": {2, "0.166667"}},
		"continuity_upc": {"": {5, "0.65"}, "A": {3, "0.694444"}, "B": {2, "0.583333"}},
	}
	rep := computeScenario(t, defsNoMin())
	got := map[string]map[string]pm{}
	for id := range want {
		m, _ := rep.Measure(id)
		got[id] = map[string]pm{}
		for _, row := range m.Rows {
			got[id][row.UnitID] = pm{row.Patients, row.PatientMean.String()}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patients (-want +got):\n%s", diff)
	}
	// Other measures carry no patient fields.
	if m, _ := rep.Measure("care_guarantee_3d"); m.Rows[1].Patients != 0 || !m.Rows[1].PatientMean.IsZero() {
		t.Errorf("care_guarantee_3d has patient fields: %+v", m.Rows[1])
	}

	// At least 3 patients: the region (5) shown, B (2, with 5 visits and 8
	// pairs) suppressed whatever its denominator, and A (3) suppressed too
	// (complementary), since region minus A would give B.
	defs := defsNoMin()
	for i := range defs {
		if defs[i].PatientLevel() {
			defs[i].MinPatients = 3
		}
	}
	rep = computeScenario(t, defs)
	for _, id := range []string{"continuity_coc", "continuity_upc"} {
		for unit, sup := range map[string]bool{"": false, "A": true, "B": true} {
			m, _ := rep.Measure(id)
			var row Row
			for _, r := range m.Rows {
				if r.UnitID == unit {
					row = r
				}
			}
			if row.Suppressed != sup {
				t.Errorf("%s/%s suppressed = %v, want %v", id, unit, row.Suppressed, sup)
			}
			if sup && (!row.Numerator.IsZero() || !row.Value.IsZero() || !row.PatientMean.IsZero() || row.Funnel != nil) {
				t.Errorf("%s/%s suppressed but shows %+v", id, unit, row)
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("suppressed (fewer than 3 patients)")) {
		t.Errorf("table does not say why B is suppressed:\n%s", buf.String())
	}
	buf.Reset()
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"unit_id": "B", "numerator": null, "denominator": 8, "value": null, "ci_low": null, "ci_high": null, "method": "wilson-deff-95", "suppressed": true, "suppression": "patients", "kind": "proportion", "scale": 1, "patients": 2, "patient_mean": null}`)) {
		t.Errorf("suppressed continuity row:\n%s", buf.String())
	}
}

func TestSuppression(t *testing.T) {
	rep := computeScenario(t, nil) // built-in minimums: everything here is small
	for _, res := range rep.Results() {
		if !res.Suppressed {
			t.Errorf("%s/%s not suppressed (denominator %s)", res.Measure, res.UnitID, res.Denominator)
		}
		if !res.Value.IsZero() || !res.Numerator.IsZero() || res.CILow != 0 || res.CIHigh != 0 {
			t.Errorf("%s/%s suppressed but shows %v", res.Measure, res.UnitID, res)
		}
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"numerator": null, "denominator": 5, "value": null, "ci_low": null, "ci_high": null, "method": "wilson-95", "suppressed": true`)) {
		t.Errorf("suppressed row not rendered as null:\n%s", buf.String())
	}
}

func TestGoldenJSON(t *testing.T) {
	rep := computeScenario(t, defsNoMin())
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer, *Report) error
	}{
		{"scenario.json", func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }},
		{"scenario.csv", func(b *bytes.Buffer, r *Report) error { return WriteCSV(b, r) }},
		{"scenario.txt", func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r) }},
		{"funnel_ed_visits_per_1000.svg", func(b *bytes.Buffer, r *Report) error {
			return WriteFunnelSVG(b, r, "ed_visits_per_1000")
		}},
		{"funnel_care_guarantee_3d.svg", func(b *bytes.Buffer, r *Report) error {
			return WriteFunnelSVG(b, r, "care_guarantee_3d")
		}},
	} {
		var buf bytes.Buffer
		if err := f.write(&buf, rep); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		golden(t, f.name, buf.Bytes())
	}
}

// TestGoldenSynthSVG keeps two funnel plots of a synthetic 40-unit region
// in testdata/ for review (open them in a browser).
func TestGoldenSynthSVG(t *testing.T) {
	rep, err := Compute(context.Background(), synthRegion(12000, 5), scenarioPeriod(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"antibiotics_per_1000", "continuity_coc", "diabetes_hba1c_over_70"} {
		var buf bytes.Buffer
		if err := WriteFunnelSVG(&buf, rep, id); err != nil {
			t.Fatal(err)
		}
		golden(t, "funnel_synth_"+id+".svg", buf.Bytes())
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from golden (-want +got):\n%s", name, diff)
	}
}

// TestDeterminism: shuffled record slices and re-interned codes, any
// number of workers → byte-identical JSON.
func TestDeterminism(t *testing.T) {
	r := scenario()
	jsonOf := func(r *vardval.Region, workers int) []byte {
		rep, err := Compute(context.Background(), r, scenarioPeriod(), Options{Registry: mustRegistry(defsNoMin()), Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, rep); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	want := jsonOf(r, 1)
	for seed := uint64(1); seed <= 5; seed++ {
		if got := jsonOf(shuffled(r, seed), int(seed)); !bytes.Equal(got, want) {
			t.Fatalf("seed %d: output differs:\n%s", seed, cmp.Diff(string(want), string(got)))
		}
	}
	// A larger synthetic region spans many chunks.
	big := synthRegion(20_000, 7)
	want = jsonOf(big, 1)
	if got := jsonOf(shuffled(big, 3), 8); !bytes.Equal(got, want) {
		t.Fatalf("synthetic region: output differs with shuffling and 8 workers")
	}
}

func TestComputeErrors(t *testing.T) {
	r := scenario()
	ctx := context.Background()
	var ie *InputError
	if _, err := Compute(ctx, r, vardval.Period{From: d("2024-01-01")}, Options{}); !errors.As(err, &ie) || ie.Parameter != "period" {
		t.Errorf("open period: %v", err)
	}
	if _, err := Compute(ctx, r, scenarioPeriod(), Options{Measures: []string{"care_guarantee_0d", "nope"}}); !errors.As(err, &ie) || ie.Parameter != "measures[1]" {
		t.Errorf("unknown measure: %v", err)
	}
	if _, err := Compute(ctx, r, scenarioPeriod(), Options{Level: 1.5}); !errors.As(err, &ie) || ie.Parameter != "level" {
		t.Errorf("bad level: %v", err)
	}
	defs := Definitions()
	defs[3].Rule.(*CareGuarantee).WithinDays = -1
	var de *DefinitionError
	if _, err := NewRegistry(defs...); !errors.As(err, &de) || de.Key != "measures[3].within_days" || de.ID != "care_guarantee_3d" || de.File != "measures/definitions.yaml" || de.Line == 0 {
		t.Errorf("bad definition in code: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Compute(cctx, r, scenarioPeriod(), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestSelectMeasures(t *testing.T) {
	rep, err := Compute(context.Background(), scenario(), scenarioPeriod(),
		Options{Measures: []string{"hypertension_bp_target", "care_guarantee_0d"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range rep.Measures {
		ids = append(ids, m.Definition.ID)
	}
	if diff := cmp.Diff([]string{"care_guarantee_0d", "hypertension_bp_target"}, ids); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// Every primary unit (A, B) and the region, nothing for other kinds.
	for _, m := range rep.Measures {
		var units []string
		for _, row := range m.Rows {
			units = append(units, row.UnitID)
		}
		if diff := cmp.Diff([]string{"", "A", "B"}, units); diff != "" {
			t.Errorf("%s units (-want +got):\n%s", m.Definition.ID, diff)
		}
	}
}
