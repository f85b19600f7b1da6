package measures_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// handRegion is a Region literal with a listing whose unit index is out of
// range: it cannot come from Load, the Builder or Extend.
func handRegion() *vardval.Region {
	return &vardval.Region{
		Units:    []vardval.Unit{{ID: "VC1", Name: "Ett", Kind: vardval.KindPrimary}},
		Persons:  []vardval.Person{{Key: "a", Sex: vardval.Female, BirthDate: vardval.D(1980, 1, 1)}},
		Listings: []vardval.Listing{{Person: 0, Unit: 7, Period: vardval.Period{From: vardval.D(2024, 1, 1)}, Area: -1, ACG: -1}},
		Contacts: []vardval.Contact{{Person: 0, Unit: 9, Date: vardval.D(2024, 2, 1), Clinician: -1, Fee: -1, Mode: vardval.ModeVisit, Profession: vardval.Doctor}},
	}
}

// Compute refuses a hand-assembled Region with a *vardval.RegionError
// instead of panicking on a worker.
func TestComputeRefusesHandMadeRegion(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Compute panicked: %v", p)
		}
	}()
	_, err := measures.Compute(context.Background(), handRegion(), vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}, measures.Options{})
	var re *vardval.RegionError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *vardval.RegionError", err)
	}
}
