package vardval_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// The follow-up files are optional; their rows are checked like the
// others', and Region.Followup holds what was kept: procedures and
// admissions by person, calls, staff and survey answers by unit.
func ExampleRegion_Followup() {
	files := vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Vårdcentralen Ett,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,VC1,2020-01-01,F,1945-05-17\n"),
		Procedures: strings.NewReader("person_id,date,unit_id,code\n" +
			"P1,2024-03-01,VC1,xv015\n" +
			"P1,2024-03-01,VC1,XV01\n"), // not a KVÅ code
		Calls: strings.NewReader("unit_id,date,calls,answered_same_day\n" +
			"VC1,2024-03-01,120,104\n" +
			"VC1,2024-03-04,90,91\n"), // more answered than called
	}
	r, rep, err := vardval.Load(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := r.Followup()
	for _, x := range f.ProceduresOf(0) {
		fmt.Println("procedure", x.Code, x.Date, r.Units[x.Unit].ID)
	}
	for _, c := range f.Calls {
		fmt.Println("calls", r.Units[c.Unit].ID, c.Date, c.AnsweredSameDay, "of", c.Calls)
	}
	for _, name := range []string{vardval.FileProcedures, vardval.FileCalls} {
		for _, e := range rep.File(name).Rejections {
			fmt.Printf("%s:%d:%s: %s\n", name, e.Line, e.Column, e.Reason)
		}
	}
	// Output:
	// procedure XV015 2024-03-01 VC1
	// calls VC1 2024-03-01 104 of 120
	// procedures.csv:3:code: code "XV01" is not a KVÅ code (five letters or digits, the first a letter, e.g. DV112 or XV015)
	// calls.csv:3:answered_same_day: answered_same_day 91 is more than calls 90
}
