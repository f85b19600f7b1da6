package measures_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// The measures of the follow-up files are computed like the others: here
// telephone accessibility from calls.csv, per unit and for the region.
func ExampleCompute_followup() {
	files := vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC1,Vårdcentralen Ett,primary\nVC2,Vårdcentralen Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,VC1,2020-01-01,F,1945-05-17\n"),
		Calls: strings.NewReader("unit_id,date,calls,answered_same_day\n" +
			"VC1,2024-03-01,120,104\nVC1,2024-03-04,90,85\nVC2,2024-03-01,200,150\nVC2,2023-12-29,50,50\n"),
	}
	r, _, err := vardval.Load(context.Background(), files, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := measures.Compute(context.Background(), r, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		measures.Options{Measures: []string{"phone_same_day"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := rep.Measure("phone_same_day")
	for _, row := range m.Rows {
		fmt.Printf("%-4s %s/%s = %s\n", row.UnitID, row.Numerator, row.Denominator, row.Value)
	}
	// Output:
	//      339/410 = 0.826829
	// VC1  189/210 = 0.9
	// VC2  150/200 = 0.75
}
