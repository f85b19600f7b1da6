package vardval

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Rules about ids that would print a personnummer, and listings that could
// not be paid as listed: each row is rejected at its line and column.
func TestIntakeUnitAndListingRules(t *testing.T) {
	units := "unit_id,name,kind,from,to\n" +
		"VC1,Norr,primary,2010-01-01,\n" +
		"191212121212,Enskild firma,primary,,\n" + // line 3: id is a personnummer
		"VC3,Dr Tolvan 19121212-1212,primary,,\n" + // line 4: name holds a personnummer
		"VC4,Dr Nummer 0701234567,primary,,\n" + // line 5: ten digits are shaped like a personnummer (issue 15)
		"AKUT,Akuten,emergency,,\n" +
		"VC7,Stängd,primary,2010-01-01,2024-03-31\n" +
		"VC5,Dr Nummer 070-123 45 67,primary,,\n" // line 8: a phone number as people write it is fine
	areas := "area,cni\nA1,1.1\n1912121212,1.2\n" // line 3: personnummer-shaped area
	listings := "person_id,unit_id,from,to,sex,birth_date\n" +
		"P1,VC1,2020-01-01,,F,1980-01-01\n" +
		"P2,AKUT,2020-01-01,,F,1980-01-01\n" + // line 3: not a primary unit
		"P3,VC1,2009-01-01,,F,1980-01-01\n" + // line 4: before the unit opens
		"P4,VC7,2020-01-01,,F,1980-01-01\n" + // line 5: open past the unit's last day
		"P5,VC7,2020-01-01,2024-03-31,F,1980-01-01\n" + // closed in time: fine
		"P6,VC4,2020-01-01,,M,1970-01-01\n" + // line 7: VC4 was rejected
		"P7,VC5,2020-01-01,,M,1970-01-01\n"
	contacts := "contact_id,person_id,unit_id,date,mode,profession,clinician\n" +
		"C1,P1,VC1,2024-01-02,visit,doctor,D1\n" +
		"C2,P1,VC1,2024-01-03,visit,doctor,\"\x01\"\n" // line 3: not a usable clinician id
	m := map[string][]byte{FileUnits: []byte(units), FileAreas: []byte(areas), FileListings: []byte(listings), FileContacts: []byte(contacts)}
	_, rep, err := Load(context.Background(), filesOf(m), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type at struct {
		File   string
		Line   int
		Column string
	}
	var got []at
	for _, f := range rep.Files {
		for _, e := range f.Rejections {
			got = append(got, at{f.File, e.Line, e.Column})
		}
	}
	want := []at{
		{FileUnits, 3, "unit_id"}, {FileUnits, 4, "name"}, {FileUnits, 5, "name"},
		{FileAreas, 3, "area"},
		{FileListings, 3, "unit_id"}, {FileListings, 4, "from"}, {FileListings, 5, "to"}, {FileListings, 7, "unit_id"},
		{FileContacts, 3, "clinician"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rejections (-want +got):\n%s", diff)
	}
	for _, f := range rep.Files {
		for _, e := range f.Rejections {
			if personnummerLike.MatchString(e.Reason) {
				t.Errorf("%s:%d: reason shows a personnummer: %q", f.File, e.Line, e.Reason)
			}
		}
	}
}
