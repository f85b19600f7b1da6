package vardval

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

// sealRegion loads the clean test region; Load seals it.
func sealRegion(t *testing.T) *Region {
	t.Helper()
	r, _, err := Load(context.Background(), filesOf(readDir(t, "testdata/intake/clean")), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Contacts) < 2 || len(r.Listings) == 0 {
		t.Fatalf("clean region too small: %d contacts, %d listings", len(r.Contacts), len(r.Listings))
	}
	return r
}

// Load and Extend seal the Region they return, which passes the full
// check; Validate's fast path reads no record and allocates nothing.
func TestValidateSealed(t *testing.T) {
	for _, dir := range []string{"testdata/intake/clean", "testdata/intake/faults"} {
		r, _, err := Load(context.Background(), filesOf(readDir(t, dir)), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !r.sealIntact() {
			t.Errorf("%s: Load's region is not sealed", dir)
		}
		if err := r.check(); err != nil {
			t.Errorf("%s: Load's region fails the full check: %v", dir, err)
		}
	}
	r := sealRegion(t)
	if n := testing.AllocsPerRun(100, func() {
		if r.Validate() != nil {
			t.Fatal("sealed region invalid")
		}
	}); n != 0 {
		t.Errorf("Validate of a sealed region: %v allocations", n)
	}
	x, err := r.Extend(Extension{Contacts: []Contact{{Person: 0, Unit: 0, Date: D(2024, 3, 1), Clinician: -1, Fee: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	if !x.sealIntact() || x.check() != nil {
		t.Errorf("Extend's region: sealed %v, full check %v", x.sealIntact(), x.check())
	}
	y, err := (&Region{}).Extend(Extension{Units: []Unit{{ID: "VC1"}}, Persons: []Person{{Key: "a"}}})
	if err != nil || !y.sealIntact() {
		t.Errorf("Extend of an empty region: sealed %v, %v", err == nil && y.sealIntact(), err)
	}
}

// A slice replaced or resized after Load is checked in full; so is every
// Region that Load or Extend did not return. An element changed in place
// on Load's own slice is not seen (documented): the full check would.
func TestValidateAfterChange(t *testing.T) {
	var re *RegionError
	hand := &Region{Units: []Unit{{ID: "VC1"}}, Persons: []Person{{Key: "a"}},
		Listings: []Listing{{Person: 0, Unit: 5, Period: Period{From: D(2024, 1, 1)}, Area: -1, ACG: -1}}}
	if err := hand.Validate(); !errors.As(err, &re) {
		t.Errorf("literal: %v", err)
	}
	if err := (&Region{}).Validate(); !errors.As(err, &re) || re.Field != "Region" {
		t.Errorf("empty literal: %v", err)
	}
	r := sealRegion(t)

	// Replaced, same contents: valid after the full check.
	copied := *r
	copied.Contacts = append([]Contact(nil), r.Contacts...)
	if copied.sealIntact() {
		t.Error("replaced slice matches the seal")
	}
	if err := copied.Validate(); err != nil {
		t.Errorf("replaced, unchanged: %v", err)
	}
	// Replaced, an index changed.
	bad := *r
	bad.Contacts = append([]Contact(nil), r.Contacts...)
	bad.Contacts[1].Unit = 40
	if err := bad.Validate(); !errors.As(err, &re) || re.Field != "Contacts[1].Unit" {
		t.Errorf("replaced, unit changed: %v", err)
	}
	// Resized: shorter, or longer within the capacity.
	short := *r
	short.Contacts = r.Contacts[:len(r.Contacts)-1]
	if err := short.Validate(); !errors.As(err, &re) {
		t.Errorf("shortened: %v", err)
	}
	longer := *r
	longer.Contacts = r.Contacts[:len(r.Contacts)-1]
	longer.sealUp()
	longer.Contacts = longer.Contacts[:len(longer.Contacts)+1]
	if longer.sealIntact() {
		t.Error("a longer slice matches the seal")
	}
	s := make([]int, 3, 5)
	if !same(s, s[:3]) || same(s, s[:3:3]) || same(s, s[1:]) || same(s, s[:2]) {
		t.Error("same compares data pointer, length and capacity")
	}
	// Codes replaced by a different code list.
	codes := *r
	codes.Codes = append([]string(nil), r.Codes...)
	if len(codes.Codes) > 0 {
		codes.Codes[0] += "x"
		if err := codes.Validate(); !errors.As(err, &re) || !strings.HasPrefix(re.Field, "Codes") {
			t.Errorf("codes changed: %v", err)
		}
	}
	// In place on Load's slice: not seen by Validate, found by the full
	// check.
	inPlace := sealRegion(t)
	inPlace.Contacts[1].Unit = 40
	if err := inPlace.Validate(); err != nil {
		t.Errorf("in place: Validate = %v, want nil (documented: not seen)", err)
	}
	if err := inPlace.check(); !errors.As(err, &re) || re.Field != "Contacts[1].Unit" {
		t.Errorf("in place: full check = %v", err)
	}
}

// Validate only reads: concurrent callers on a sealed region and on a
// changed one race on nothing (run under -race).
func TestValidateConcurrent(t *testing.T) {
	r := sealRegion(t)
	bad := *r
	bad.Contacts = append([]Contact(nil), r.Contacts...)
	bad.Contacts[0].Mode = 200
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := r.Validate(); err != nil {
				t.Errorf("sealed: %v", err)
			}
			if err := bad.Validate(); err == nil {
				t.Error("changed: nil")
			}
		})
	}
	wg.Wait()
}

// A date outside the years ParseDate reads is "not a real date", in
// Validate and in Extend, not a region "changed after it was built".
func TestValidateYearBounds(t *testing.T) {
	r := sealRegion(t)
	for _, d := range []Date{D(32000, 1, 1), D(1799, 12, 31), D(2201, 1, 1), D(-5, 1, 1)} {
		_, err := r.Extend(Extension{Contacts: []Contact{{Person: 0, Unit: 0, Date: d, Clinician: -1, Fee: -1}}})
		var re *RegionError
		if !errors.As(err, &re) || re.Field != "Extension.Contacts[0].Date" || re.Reason != "not a real date" {
			t.Errorf("%v: Extend: %v", d, err)
		}
		bad := *r
		bad.Contacts = append([]Contact(nil), r.Contacts...)
		bad.Contacts[0].Date = d
		if err := bad.Validate(); !errors.As(err, &re) || re.Field != "Contacts[0].Date" {
			t.Errorf("%v: Validate: %v", d, err)
		}
	}
	for _, d := range []Date{D(1800, 1, 1), D(2200, 12, 31)} {
		if _, err := r.Extend(Extension{Contacts: []Contact{{Person: 0, Unit: 0, Date: d, Clinician: -1, Fee: -1}}}); err != nil {
			t.Errorf("%v: %v", d, err)
		}
	}
}

// Date.String writes a field beyond its width in full, never cut.
func TestDateStringWide(t *testing.T) {
	for d, want := range map[Date]string{
		D(32000, 1, 2): "32000-01-02", D(-5, 1, 2): "-0005-01-02", D(-12345, 12, 31): "-12345-12-31",
		D(10000, 1, 1): "10000-01-01", D(9999, 12, 31): "9999-12-31", D(5, 1, 1): "0005-01-01",
		D(2024, 255, 7): "2024-255-07", D(2024, 13, 0): "2024-13-00",
	} {
		if got := d.String(); got != want {
			t.Errorf("%#v: %q, want %q", d, got, want)
		}
	}
}
