package vardval_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// regionFiles is a small region with two faulty rows.
func regionFiles() vardval.Files {
	return vardval.Files{
		Units: strings.NewReader("unit_id,name,kind\nVC1,Vårdcentralen Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\n" +
			"P1,VC1,2020-01-01,F,1950-05-17\n" +
			"P2,VC1,2021-03-01,M,\n"), // a pseudonym needs a birth date
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\n" +
			"C1,P1,VC1,2024-02-03,visit,doctor\n" +
			"C2,P1,VC9,2024-02-04,phone,nurse\n"), // no such unit
	}
}

// Load reads a region's files into a Region and accounts for every row.
func ExampleLoad() {
	r, rep, err := vardval.Load(context.Background(), regionFiles(), vardval.LoadOptions{})
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

// Check gives Load's report without building the Region.
func ExampleCheck() {
	rep, err := vardval.Check(context.Background(), regionFiles(), vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	read, accepted, rejected := rep.Totals()
	fmt.Println(read, "rows read,", accepted, "accepted,", rejected, "rejected; exit status", rep.Status())
	// Output:
	// 5 rows read, 3 accepted, 2 rejected; exit status 1
}
