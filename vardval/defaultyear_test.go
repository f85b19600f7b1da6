package vardval

import (
	"context"
	"strings"
	"testing"
)

// TestDefaultYear pins docs/semantics.md, "Default period": 2023 has 2
// contacts and 2024 has 2 (a tie: the later, 2024); among 2022..2023 only
// 2023; with no contacts in the years asked, the fallback.
func TestDefaultYear(t *testing.T) {
	r, _, err := Load(context.Background(), Files{
		Units:    strings.NewReader("unit_id,name,kind\nU1,One,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP1,U1,2020-01-01,F,1950-01-01\n"),
		Contacts: strings.NewReader("contact_id,person_id,unit_id,date,mode,profession\n" +
			"C1,P1,U1,2023-02-01,visit,doctor\nC2,P1,U1,2023-12-31,visit,doctor\nC3,P1,U1,2024-01-01,visit,doctor\nC4,P1,U1,2024-06-30,visit,doctor\n"),
	}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		years          []int
		fallback, want int
	}{{nil, 2019, 2024}, {[]int{2022, 2023}, 2022, 2023}, {[]int{2019}, 2019, 2019}} {
		if got := DefaultYear(r, tc.years, tc.fallback); got != tc.want {
			t.Errorf("DefaultYear(%v, %d) = %d, want %d", tc.years, tc.fallback, got, tc.want)
		}
	}
}
