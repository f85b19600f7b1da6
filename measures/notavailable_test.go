package measures

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/vardval"
)

// TestNotAvailable pins docs/semantics.md, "Unavailable is not zero": a
// region loaded without prescriptions.csv has antibiotics_per_1000 not
// available on every row (no value, no denominator; JSON "available":
// false and "not_given"), never 0, while a measure of the contacts it was
// given is computed.
func TestNotAvailable(t *testing.T) {
	files := vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nU1,One,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,U1,2023-01-01,F,1950-01-01\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\nC1,P1,U1,2024-02-01,visit,doctor\n"),
	}
	r, _, err := vardval.Load(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	rep, err := Compute(context.Background(), r, period, Options{Measures: []string{"antibiotics_per_1000", "coverage_own_unit", "care_guarantee_3d",
		"influenza_vaccination_65plus", "medication_review_elderly", "avoidable_hospitalisations_per_1000", "phone_same_day",
		"doctor_contacts_by_employed", "patient_experience_participation"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, m := range rep.Measures {
		got[m.Definition.ID] = m.NotGiven
		for _, row := range m.Rows {
			if row.NotAvailable != (len(m.NotGiven) > 0) || row.NotAvailable && (!row.Suppressed || row.Suppression != SuppressedNotAvailable) {
				t.Errorf("%s %q: not available %v, suppressed %v (%s)", row.Measure, row.UnitID, row.NotAvailable, row.Suppressed, row.Suppression)
			}
		}
	}
	want := map[string][]string{"antibiotics_per_1000": {"prescriptions.csv"}, "coverage_own_unit": nil,
		"care_guarantee_3d": {"contacts.csv:new_problem", "contacts.csv:requested"},
		// The measures of the follow-up files are not available without them.
		"influenza_vaccination_65plus":        {"procedures.csv"},
		"medication_review_elderly":           {"prescriptions.csv", "procedures.csv"},
		"avoidable_hospitalisations_per_1000": {"admissions.csv"},
		"phone_same_day":                      {"calls.csv"},
		"doctor_contacts_by_employed":         {"contacts.csv:clinician", "clinicians.csv"},
		"patient_experience_participation":    {"survey.csv"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("not given (-want +got):\n%s", diff)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	wantRow := `{"measure": "antibiotics_per_1000", "unit_id": "U1", "numerator": null, "denominator": null, "value": null, "ci_low": null, "ci_high": null, "method": "", "suppressed": true, "suppression": "not_available", "kind": "rate", "scale": 1000, "available": false, "not_given": ["prescriptions.csv"]}`
	if !strings.Contains(js.String(), wantRow) {
		t.Errorf("JSON lacks\n%s\nin\n%s", wantRow, js.String())
	}
	var tb bytes.Buffer
	if err := WriteTable(&tb, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tb.String(), "not available (prescriptions.csv not given)") {
		t.Errorf("table:\n%s", tb.String())
	}
}
