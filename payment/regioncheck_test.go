package payment_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// Run refuses a hand-assembled Region (a literal with a listing whose unit
// index is out of range) with a *vardval.RegionError instead of panicking;
// so does a loaded region whose exported slices were changed afterwards.
func TestRunRefusesHandMadeRegion(t *testing.T) {
	m, err := payment.Builtin("skane-2023")
	if err != nil {
		t.Fatal(err)
	}
	hand := &vardval.Region{
		Units:    []vardval.Unit{{ID: "VC1", Name: "Ett", Kind: vardval.KindPrimary}},
		Persons:  []vardval.Person{{Key: "a", Sex: vardval.Female, BirthDate: vardval.D(1980, 1, 1)}},
		Listings: []vardval.Listing{{Person: 0, Unit: 7, Period: vardval.Period{From: vardval.D(2024, 1, 1)}, Area: -1, ACG: -1}},
	}
	changed := exampleRegion()
	changed.Contacts = append([]vardval.Contact(nil), changed.Contacts...)
	changed.Contacts[0].Unit = 40
	for name, r := range map[string]*vardval.Region{"literal": hand, "changed": changed} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: Run panicked: %v", name, p)
				}
			}()
			jan := vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1})
			_, err := payment.Run(context.Background(), m, r, jan, payment.RunOptions{})
			var re *vardval.RegionError
			if !errors.As(err, &re) {
				t.Errorf("%s: Run: err = %v, want a *vardval.RegionError", name, err)
			}
			if _, err := payment.Price(context.Background(), m, r, jan, payment.PriceOptions{}); !errors.As(err, &re) {
				t.Errorf("%s: Price: err = %v, want a *vardval.RegionError", name, err)
			}
		}()
	}
}
