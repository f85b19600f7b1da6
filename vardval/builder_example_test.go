package vardval_test

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// A Builder fed from rows as a database query returns them: typed
// columns, NULL as the zero Date or a NullDecimal that is not Valid
// (decimal.NullDecimal scans a SQL NUMERIC directly). Report lines count
// the rows added to each file from line 2, as under a header line.
func ExampleBuilder() {
	type listingRow struct { // SELECT person_id, unit_id, listed_from, listed_to, sex, birth_date, acg_weight FROM ...
		person, unit string
		from, to     vardval.Date
		sex          string
		birth        vardval.Date
		weight       decimal.NullDecimal
	}
	dbListings := []listingRow{
		{"P1", "VC1", vardval.D(2020, 1, 1), vardval.Date{}, "F", vardval.D(1950, 5, 17), decimal.NewNullDecimal(decimal.RequireFromString("1.25"))},
		{"P2", "VC1", vardval.D(2021, 3, 1), vardval.Date{}, "M", vardval.Date{}, decimal.NullDecimal{}}, // a pseudonym needs a birth date
		{"P3", "VC2", vardval.D(2022, 6, 1), vardval.D(2024, 5, 31), "K", vardval.D(1988, 2, 29), decimal.NullDecimal{}},
	}

	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "Vårdcentralen Ett", Kind: vardval.KindPrimary.String(), Owner: "public"})
	b.AddUnit(vardval.UnitRow{UnitID: "VC2", Name: "Hälsan, Två", Kind: "primary", Owner: "private"})
	for _, l := range dbListings {
		b.AddListing(vardval.ListingRow{PersonID: l.person, UnitID: l.unit, From: l.from, To: l.to, Sex: l.sex, BirthDate: l.birth, ACGWeight: l.weight})
	}
	b.AddContact(vardval.ContactRow{ContactID: "C1", PersonID: "P1", UnitID: "VC1", Date: vardval.D(2024, 2, 3),
		Mode: vardval.ModeVisit.String(), Profession: vardval.Doctor.String(), Urgent: vardval.No.String(),
		Fee: decimal.NewNullDecimal(decimal.NewFromInt(200))})
	b.AddContact(vardval.ContactRow{ContactID: "C2", PersonID: "P1", UnitID: "VC9", Date: vardval.D(2024, 2, 4), Mode: "phone", Profession: "nurse"})

	r, rep, err := b.Build(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range r.Units {
		fmt.Printf("%s %q %s\n", u.ID, u.Name, u.Owner)
	}
	fmt.Println(len(r.Listings), "listings,", len(r.Contacts), "contact")
	for _, f := range rep.Files {
		for _, e := range f.Rejections {
			fmt.Println(e.Error())
		}
	}
	// Output:
	// VC1 "Vårdcentralen Ett" public
	// VC2 "Hälsan, Två" private
	// 2 listings, 1 contact
	// listings.csv:3:birth_date: birth_date is required when person_id is not a personnummer
	// contacts.csv:3:unit_id: unit_id "VC9" is not in units.csv
}
