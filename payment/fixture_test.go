package payment_test

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// The region and model header the component tests share. The Examples do
// not use them: each builds the little it needs itself, so that it can be
// read on its own.

// exampleRegion is a tiny region built from rows: two vårdcentraler (VC1
// public, VC2 private), an emergency department and a digital provider;
// five persons, four of them listed, one (p4, given by personnummer)
// visiting VC1 unlisted.
func exampleRegion() *vardval.Region { return exampleRegionACG(nil) }

// exampleRegionACG is exampleRegion with the ACG category acg[person] on
// that person's listing.
func exampleRegionACG(acg map[string]string) *vardval.Region {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	for _, u := range []vardval.UnitRow{
		{UnitID: "DIG", Name: "Digital", Kind: "digital", Owner: "private"},
		{UnitID: "ED", Name: "Akuten", Kind: "emergency", Owner: "public"},
		{UnitID: "VC1", Name: "Vårdcentral Ett", Kind: "primary", Owner: "public"},
		{UnitID: "VC2", Name: "Vårdcentral Två", Kind: "primary", Owner: "private"},
	} {
		b.AddUnit(u)
	}
	num := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	b.AddArea(vardval.AreaRow{Area: "A", CNI: num("1.5")})
	b.AddArea(vardval.AreaRow{Area: "B", CNI: num("0.8")})
	list := func(person, unit string, from vardval.Date, sex string, birth vardval.Date, area, weight string) {
		b.AddListing(vardval.ListingRow{PersonID: person, UnitID: unit, From: from, Sex: sex, BirthDate: birth, Area: area,
			ACG: acg[person], ACGWeight: num(weight)})
	}
	list("p1", "VC1", vardval.D(2020, 1, 1), "F", vardval.D(1990, 5, 10), "A", "1.2")
	list("p2", "VC1", vardval.D(2024, 1, 16), "M", vardval.D(2022, 3, 1), "A", "0.5")
	list("p3", "VC2", vardval.D(2010, 1, 1), "F", vardval.D(1940, 1, 15), "B", "3")
	list("p5", "VC2", vardval.D(2015, 1, 1), "F", vardval.D(1955, 2, 2), "", "1")
	const p4 = "19800701-0013" // a man born 1980-07-01, never listed
	n := 0
	visit := func(person, unit string, day int, mode, prof, fee string) {
		n++
		c := vardval.ContactRow{ContactID: fmt.Sprint("C", n), PersonID: person, UnitID: unit, Date: vardval.D(2024, 1, day), Mode: mode, Profession: prof}
		if fee != "" {
			c.Fee = num(fee)
		}
		b.AddContact(c)
	}
	visit("p1", "VC1", 3, "visit", "doctor", "200")
	visit("p1", "ED", 5, "visit", "doctor", "400")
	visit("p1", "VC2", 9, "visit", "nurse", "")
	visit("p3", "VC2", 10, "phone", "doctor", "")
	visit("p3", "VC1", 12, "visit", "doctor", "200")
	visit(p4, "VC1", 15, "visit", "doctor", "200")
	visit("p5", "DIG", 20, "chat", "doctor", "")
	visit("p5", "VC2", 22, "visit", "nurse", "")
	r, rep, err := b.Build(context.Background())
	if err != nil || rep.Status() != 0 {
		panic(fmt.Sprint(err, rep.Files))
	}
	return r
}

const exampleHeader = `model: example-2024
region: Exempelregionen
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
`
