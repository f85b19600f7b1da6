package measures_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// WriteTableWith writes the table with a measure's name in one language
// and its notes rewritten; the header row and the figures stay.
func ExampleWriteTableWith() {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "A", Name: "Vårdcentral A", Kind: "primary"})
	for i := range 40 {
		person := fmt.Sprint("P", i)
		b.AddListing(vardval.ListingRow{PersonID: person, UnitID: "A", From: vardval.D(2020, 1, 1), Sex: "F", BirthDate: vardval.D(1980, 1, 1)})
		seen := vardval.D(2024, 3, 1)
		if i%4 == 0 {
			seen = vardval.D(2024, 3, 2)
		}
		b.AddContact(vardval.ContactRow{ContactID: fmt.Sprint("C", i), PersonID: person, UnitID: "A", Date: seen,
			Mode: "visit", Profession: "nurse", Requested: vardval.D(2024, 3, 1), NewProblem: "yes"})
	}
	region, _, err := b.Build(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	rep, err := measures.Compute(context.Background(), region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		measures.Options{Measures: []string{"care_guarantee_0d"}})
	if err != nil {
		log.Fatal(err)
	}
	sv := measures.Texts{
		Name: func(d *measures.Definition) string { return d.NameSV },
		Note: func(s string) string { return strings.ReplaceAll(s, "(region)", "(regionen)") },
	}
	if err := measures.WriteTableWith(os.Stdout, rep, sv); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Period 2024-01-01..2024-12-31
	//
	// care_guarantee_0d: Vårdgaranti, kontakt samma dag
	// unit        numerator  denominator  value  95 % interval       note
	// (regionen)         30           40   0.75  0.59806 – 0.858129
	// A                  30           40   0.75  0.59806 – 0.858129
}
