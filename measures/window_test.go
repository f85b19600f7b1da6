package measures

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vardval/vardval/vardval"
)

// TestOwnUnitWindowCalendarMonths pins docs/semantics.md, "Windows", for
// the measures: over the period 2024-05..2024-11, coverage_own_unit's six
// months are 2024-06-01..2024-11-30. 30 contacts at the own unit on
// 2024-06-15 count; one at another unit on 2024-05-31 does not (a window
// from AddMonths(-6) + 1 day counted it: 30 of 31).
func TestOwnUnitWindowCalendarMonths(t *testing.T) {
	var c strings.Builder
	c.WriteString("contact_id,person_id,unit_id,date,mode,profession\n")
	for i := range 30 {
		fmt.Fprintf(&c, "C%d,P1,U1,2024-06-15,visit,doctor\n", i)
	}
	c.WriteString("X1,P1,U2,2024-05-31,visit,doctor\n")
	r, _, err := vardval.Load(context.Background(), vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nU1,One,primary\nU2,Two,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,U1,2020-01-01,F,1950-01-01\n"),
		Contacts: strings.NewReader(c.String()),
	}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compute(context.Background(), r, vardval.Period{From: vardval.D(2024, 5, 1), To: vardval.D(2024, 11, 30)}, Options{Measures: []string{"coverage_own_unit"}})
	if err != nil {
		t.Fatal(err)
	}
	row := rep.Measures[0].Rows[0] // the region
	if row.Denominator.String() != "30" || row.Numerator.String() != "30" {
		t.Errorf("region: %s of %s, want 30 of 30", row.Numerator, row.Denominator)
	}
}
