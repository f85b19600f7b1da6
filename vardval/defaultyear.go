package vardval

import "slices"

// DefaultYear is the one rule for the period priced or measured when none
// is asked for (the CLI's --period, the page's year): the calendar year
// with the most contacts in r among years (every year when years is nil),
// the later one on a tie; fallback when none of them has a contact
// (docs/semantics.md, "Default period").
func DefaultYear(r *Region, years []int, fallback int) int {
	count := map[int]int{}
	for _, m := range r.ContactMonths() {
		if years == nil || slices.Contains(years, m.Month.Year) {
			count[m.Month.Year] += m.Contacts
		}
	}
	y, best := fallback, 0
	for year, n := range count {
		if n > best || (n == best && n > 0 && year > y) {
			y, best = year, n
		}
	}
	return y
}
