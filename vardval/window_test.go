package vardval

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFirstOfLastMonths pins docs/semantics.md, "Windows": the last N
// months up to a cut-off are the N calendar months ending with the
// cut-off's month, whatever the cut-off's day, at every month end and in
// February of common and leap years.
func TestFirstOfLastMonths(t *testing.T) {
	tests := []struct {
		cut  Date
		n    int
		want Date
	}{
		// The case of the issue: 2024-11-30, six months, starts 2024-06-01
		// (AddMonths(-6)+1 day gave 2024-05-31).
		{D(2024, 11, 30), 6, D(2024, 6, 1)},
		{D(2024, 11, 30), 7, D(2024, 5, 1)},
		{D(2024, 11, 15), 6, D(2024, 6, 1)},
		{D(2024, 11, 30), 1, D(2024, 11, 1)},
		{D(2024, 2, 29), 1, D(2024, 2, 1)},
		{D(2024, 2, 29), 12, D(2023, 3, 1)},
		{D(2023, 2, 28), 12, D(2022, 3, 1)},
		{D(2024, 3, 31), 1, D(2024, 3, 1)},
		{D(2024, 3, 31), 2, D(2024, 2, 1)},
		{D(2025, 3, 31), 2, D(2025, 2, 1)},
		{D(2024, 1, 31), 24, D(2022, 2, 1)},
		{D(2024, 12, 31), 12, D(2024, 1, 1)},
		{D(2024, 12, 31), 13, D(2023, 12, 1)},
	}
	for _, tc := range tests {
		if got := tc.cut.FirstOfLastMonths(tc.n); got != tc.want {
			t.Errorf("%s.FirstOfLastMonths(%d) = %s, want %s", tc.cut, tc.n, got, tc.want)
		}
	}
	// Every month end of 2023 and 2024, windows of 1..15 months: the window
	// holds exactly n calendar months, starts on a first day and ends in
	// the cut-off's month.
	for y := 2023; y <= 2024; y++ {
		for m := 1; m <= 12; m++ {
			cut := YearMonth{Year: y, Month: m}.Last()
			for n := 1; n <= 15; n++ {
				from := cut.FirstOfLastMonths(n)
				var months []YearMonth
				for ym := from.YearMonth(); ym.Index() <= cut.YearMonth().Index(); ym = ym.Add(1) {
					months = append(months, ym)
				}
				if from.Day != 1 || len(months) != n {
					t.Errorf("%s, %d months: from %s holds %d months", cut, n, from, len(months))
				}
				if diff := cmp.Diff(cut.YearMonth(), months[len(months)-1]); diff != "" {
					t.Errorf("%s, %d months: last month (-want +got):\n%s", cut, n, diff)
				}
			}
		}
	}
}
