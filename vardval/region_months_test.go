package vardval_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vardval/vardval/vardval"
)

// naiveContactMonths counts contacts by month the obvious way.
func naiveContactMonths(r *vardval.Region) []vardval.MonthCount {
	n := map[vardval.YearMonth]int{}
	for _, c := range r.Contacts {
		n[c.Date.YearMonth()]++
	}
	var out []vardval.MonthCount
	for y := 1800; y <= 2200; y++ {
		for mo := 1; mo <= 12; mo++ {
			if c := n[vardval.YearMonth{Year: y, Month: mo}]; c > 0 {
				out = append(out, vardval.MonthCount{Month: vardval.YearMonth{Year: y, Month: mo}, Contacts: c})
			}
		}
	}
	return out
}

// ContactMonths of a loaded region (counted on both cores) and of a region
// built from records (Extend) equal the obvious count.
func TestContactMonths(t *testing.T) {
	r, _, err := vardval.Load(context.Background(), synthFiles(t, 30000, 3), vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := naiveContactMonths(r)
	if len(want) < 12 {
		t.Fatalf("synthetic region has contacts in only %d months", len(want))
	}
	if diff := cmp.Diff(want, r.ContactMonths()); diff != "" {
		t.Errorf("loaded region (-want +got):\n%s", diff)
	}
	hand, err := (&vardval.Region{}).Extend(vardval.Extension{Units: []vardval.Unit{{ID: "VC1", Name: "A", Kind: vardval.KindPrimary}}, Persons: []vardval.Person{{}},
		Contacts: []vardval.Contact{
			{Person: 0, Unit: 0, Date: vardval.D(2024, 3, 31), Clinician: -1},
			{Person: 0, Unit: 0, Date: vardval.D(1800, 1, 1), Clinician: -1},
			{Person: 0, Unit: 0, Date: vardval.D(2024, 3, 1), Clinician: -1},
			{Person: 0, Unit: 0, Date: vardval.D(2200, 12, 31), Clinician: -1},
		}})
	if err != nil {
		t.Fatal(err)
	}
	want = []vardval.MonthCount{
		{Month: vardval.YearMonth{Year: 1800, Month: 1}, Contacts: 1},
		{Month: vardval.YearMonth{Year: 2024, Month: 3}, Contacts: 2},
		{Month: vardval.YearMonth{Year: 2200, Month: 12}, Contacts: 1},
	}
	if diff := cmp.Diff(want, hand.ContactMonths()); diff != "" {
		t.Errorf("region filled by hand (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, naiveContactMonths(hand)); diff != "" {
		t.Errorf("naive count disagrees with the hand count (-want +got):\n%s", diff)
	}
}
