package measures

import (
	"context"
	"testing"

	"github.com/vardval/vardval/vardval"
)

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

// TestAssessingProfessions: a counsellor (kurator) counts as a licensed
// assessment from 2019-07-01, the day the profession became licensed, and
// not before; "other" never counts.
func TestAssessingProfessions(t *testing.T) {
	for _, c := range []struct {
		prof vardval.Profession
		day  vardval.Date
		want bool
	}{
		{vardval.Counsellor, vardval.D(2019, 6, 30), false},
		{vardval.Counsellor, vardval.D(2019, 7, 1), true},
		{vardval.Nurse, vardval.D(2018, 1, 1), true},
		{vardval.OtherProfession, vardval.D(2024, 1, 1), false},
	} {
		if got := assessing(&vardval.Contact{Profession: c.prof, Date: c.day}); got != c.want {
			t.Errorf("%v on %s: %v, want %v", c.prof, c.day, got, c.want)
		}
	}
}

// TestDepressionExclusions: a person with bipolar disorder (F31) or a
// psychotic disorder (F20–F29) recorded up to 30 days after the index is
// not in the depression measures; one recorded later is.
func TestDepressionExclusions(t *testing.T) {
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	for _, c := range []struct {
		extra, on string
		want      int64
	}{
		{"", "", 1},
		{"F310", "2020-01-01", 0},
		{"F200", "2024-03-31", 0},
		{"F251", "2024-04-01", 1}, // 31 days after the index
		{"F341", "2024-03-01", 1}, // not excluded
	} {
		b := newBuilder()
		a := b.unit("A", vardval.KindPrimary)
		p := b.person("d1", vardval.Female, "1960-01-01")
		b.list(p, a, "2020-01-01", "")
		b.diag(p, "2024-03-01", "F321")
		if c.extra != "" {
			b.diag(p, c.on, c.extra)
		}
		b.obs(p, "2024-03-01", "PHQ9", "12")
		rep, err := Compute(context.Background(), b.region(), period,
			Options{Registry: mustRegistry(defsNoMin()), Measures: []string{"depression_remission_6m", "depression_followup_coverage"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rep.Measures {
			if got := m.Rows[1].Denominator.IntPart(); got != c.want {
				t.Errorf("%s with %s on %s: denominator %d, want %d", m.Definition.ID, c.extra, c.on, got, c.want)
			}
		}
	}
}
