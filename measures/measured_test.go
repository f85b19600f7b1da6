package measures

import "testing"

// TestMeasuredShare: diabetes and blood-pressure rows count the persons
// in the population whether measured or not (the scenario's y3 at A has
// no HbA1c in the period, z5 at B no blood pressure), and the measured
// share is denominator / eligible; other measures carry neither.
func TestMeasuredShare(t *testing.T) {
	rep := computeScenario(t, defsNoMin())
	want := map[string]map[string][2]int64{ // eligible, denominator
		"diabetes_hba1c_over_70": {"": {5, 4}, "A": {4, 3}, "B": {1, 1}},
		"hypertension_bp_target": {"": {5, 4}, "A": {3, 3}, "B": {2, 1}},
	}
	for id, units := range want {
		m, _ := rep.Measure(id)
		if !m.Definition.MeasuredShare() {
			t.Fatalf("%s has no measured share", id)
		}
		for _, row := range m.Rows {
			w := units[row.UnitID]
			if row.Eligible != w[0] || row.Denominator.IntPart() != w[1] {
				t.Errorf("%s/%s: eligible %d, denominator %s, want %v", id, row.UnitID, row.Eligible, row.Denominator, w)
			}
			if got, want := row.MeasuredShare.InexactFloat64(), float64(w[1])/float64(w[0]); got != want {
				t.Errorf("%s/%s: measured share %v, want %v", id, row.UnitID, got, want)
			}
		}
	}
	m, _ := rep.Measure("continuity_coc")
	if m.Definition.MeasuredShare() || m.Rows[0].Eligible != 0 {
		t.Error("continuity has a measured share")
	}
}
