package vardval_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// Load reads a region's files into a Region and accounts for every row.
func ExampleLoad() {
	files := vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Vårdcentralen Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\n" +
			"P1,VC1,2020-01-01,F,1950-05-17\n" +
			"P2,VC1,2021-03-01,M,\n"), // a pseudonym needs a birth date
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\n" +
			"C1,P1,VC1,2024-02-03,visit,doctor\n" +
			"C2,P1,VC9,2024-02-04,phone,nurse\n"), // no such unit
	}
	r, rep, err := vardval.Load(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(r.Persons), "persons,", len(r.Contacts), "contact")
	for _, f := range rep.Files {
		for _, e := range f.Rejections {
			fmt.Printf("%s:%d:%s: %s\n", f.File, e.Line, e.Column, e.Reason)
		}
	}
	// Output:
	// 2 persons, 1 contact
	// listings.csv:3:birth_date: birth_date is required when person_id is not a personnummer
	// contacts.csv:3:unit_id: unit_id "VC9" is not in units.csv
}

// Check gives Load's report without building the Region: here of one
// unit, two listings (one starting on a day that does not exist) and two
// contacts (one in an unknown mode).
func ExampleCheck() {
	files := vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Vårdcentralen Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,VC1,2020-01-01,F,1950-05-17\nP2,VC1,2021-02-30,M,1988-11-02\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\nC1,P1,VC1,2024-02-03,visit,doctor\nC2,P1,VC1,2024-02-04,letter,nurse\n"),
	}
	rep, err := vardval.Check(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	read, accepted, rejected := rep.Totals()
	fmt.Println(read, "rows read,", accepted, "accepted,", rejected, "rejected; exit status", rep.Status())
	// Output:
	// 5 rows read, 3 accepted, 2 rejected; exit status 1
}

// ParsePersonnummer checks a personnummer (or samordningsnummer) and
// reads the birth date and sex from it; printing one never shows its
// digits.
func ExampleParsePersonnummer() {
	// Tolvan Tolvansson, Skatteverket's test person.
	p, err := vardval.ParsePersonnummer("121212+1212", vardval.D(2026, 11, 23))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.BirthDate(), p.Sex(), p.Coordination())
	fmt.Println(p) // never the digits
	_, err = vardval.ParsePersonnummer("121212-1213", vardval.D(2026, 11, 23))
	fmt.Println(err)
	// Output:
	// 1912-12-12 M false
	// personnummer(redacted)
	// personnummer: wrong check digit
}
