package vardval

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNotGiven: a region loaded without prescriptions.csv, and with a
// contacts.csv lacking requested and clinician, names them; a Builder's
// region was given everything.
func TestNotGiven(t *testing.T) {
	files := Files{
		Units:    strings.NewReader("unit_id,name,kind\nU1,One,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,U1,2024-01-01,F,1950-01-01\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession,urgent,fee,new_problem\nC1,P1,U1,2024-02-01,visit,doctor,no,0,no\n"),
	}
	r, _, err := Load(context.Background(), files, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"units.csv:municipality", "units.csv:owner", "units.csv:from", "units.csv:to", FileAreas,
		"listings.csv:to", "listings.csv:area", "listings.csv:acg", "listings.csv:acg_weight", "contacts.csv:requested", "contacts.csv:clinician", FileDiagnoses, FileObservations, FilePrescriptions,
		FileProcedures, FileAdmissions, FileClinicians, FileCalls, FileSurvey}
	if diff := cmp.Diff(want, r.NotGiven()); diff != "" {
		t.Errorf("NotGiven (-want +got):\n%s", diff)
	}
	for in, given := range map[string]bool{FilePrescriptions: false, "prescriptions.csv:atc": false, FileContacts: true,
		"contacts.csv:requested": false, "contacts.csv:new_problem": true, FileListings: true} {
		if got := r.Given(in); got != given {
			t.Errorf("Given(%q) = %v, want %v", in, got, given)
		}
	}
	if r.Given(FilePrescriptions) {
		t.Error("prescriptions given")
	}
}
