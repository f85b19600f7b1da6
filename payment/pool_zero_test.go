package payment_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// acgPoolModel is a model body with one pool shared out by the listed
// persons' ACG weights.
const acgPoolModel = `acg:
  source: person
  missing_weight: [{from: 2024-01-01, value: "1", source: s}]
components:
  - id: pool
    type: pool_split
    name: Pool
    pool_per_listed_year: [{from: 2024-01-01, value: "1200", source: s}]
    shares: [{id: acg, name: ACG, index: acg, share: [{from: 2024-01-01, value: "1", source: s}]}]
`

// A pool share whose index is zero for every unit cannot be shared out:
// Run refuses with a RunError instead of losing the sub-pool.
func TestPoolShareWithZeroIndexIsAnError(t *testing.T) {
	r := exampleRegion()
	for i := range r.Listings {
		r.Listings[i].ACGWeight, r.Listings[i].HasWeight = 0, true
	}
	r = rebuilt(t, r)
	m, err := payment.ParseModel(strings.NewReader(exampleHeader+acgPoolModel), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{})
	var re *payment.RunError
	if !errors.As(err, &re) || re.Month != "2024-01" {
		t.Fatalf("err = %v, want a *RunError for 2024-01", err)
	}
}

// Months are priced on two goroutines; the error of the first month that
// fails is the one returned, as when they are priced in order. From the
// month the ACG weights drop to zero every month fails: February (the
// second goroutine's) or March (the first's) fails first. A cancelled
// context is an error too, with no statement.
func TestRunReturnsTheFirstMonthsError(t *testing.T) {
	m, err := payment.ParseModel(strings.NewReader(exampleHeader+acgPoolModel), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	for _, zeroFrom := range []int{2, 3} {
		r := exampleRegion()
		var later []vardval.Listing
		for i := range r.Listings {
			l := &r.Listings[i]
			l.ACGWeight, l.HasWeight = 1_000_000, true
			if l.Period.To.IsZero() || l.Period.To.Compare(vardval.D(2024, zeroFrom, 1)) >= 0 {
				next := *l
				next.Period.From, next.ACGWeight = vardval.D(2024, zeroFrom, 1), 0
				l.Period.To = vardval.D(2024, zeroFrom, 1).AddDays(-1)
				later = append(later, next)
			}
		}
		r.Listings = append(r.Listings, later...)
		r = rebuilt(t, r)
		jan, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{})
		if err != nil || jan.Total.IsZero() {
			t.Fatalf("zero from month %d, January alone: total %v, err %v; want a priced month", zeroFrom, jan, err)
		}
		_, err = payment.Run(context.Background(), m, r, year, payment.RunOptions{})
		var re *payment.RunError
		if want := fmt.Sprintf("2024-%02d", zeroFrom); !errors.As(err, &re) || re.Month != want {
			t.Fatalf("zero from month %d: err = %v, want a *RunError for %s", zeroFrom, err, want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := payment.Run(ctx, m, exampleRegion(), year, payment.RunOptions{})
	if !errors.Is(err, context.Canceled) || st != nil {
		t.Fatalf("cancelled: statement %v, err %v; want none and context.Canceled", st, err)
	}
}

// rebuilt is r, whose exported slices a test changed, built again through
// Region.Extend (which checks it and puts the records in order).
func rebuilt(t testing.TB, r *vardval.Region) *vardval.Region {
	t.Helper()
	out, err := (&vardval.Region{}).Extend(vardval.Extension{Units: r.Units, Areas: r.Areas, Codes: r.Codes, Clinicians: r.Clinicians,
		Persons: r.Persons, Listings: r.Listings, Contacts: r.Contacts, Diagnoses: r.Diagnoses, Observations: r.Observations,
		Prescriptions: r.Prescriptions})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
