package payment

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/vardval"
)

// referenceHist is the slow, obvious count: for every day of the month and
// every person, find the unit they are listed at that day and their age
// that day, and add one person-day. For a cut-off counting, only the
// cut-off day counts.
func referenceHist(r *vardval.Region, ym vardval.YearMonth, c Counting) map[vardval.UnitIndex][nSex][nAge]int64 {
	out := map[vardval.UnitIndex][nSex][nAge]int64{}
	days := []vardval.Date{c.Cutoff(ym)}
	if c.DayWeighted {
		days = nil
		for d := ym.First(); !d.After(ym.Last()); d = d.AddDays(1) {
			days = append(days, d)
		}
	}
	for _, d := range days {
		for p := range r.Persons {
			u := r.ListedAt(vardval.PersonIndex(p), d)
			if u == vardval.NoUnit {
				continue
			}
			h := out[u]
			age := MaxAge + 1
			if b := r.Persons[p].BirthDate; !b.IsZero() {
				age = min(max(b.AgeOn(d), 0), MaxAge)
			}
			h[r.Persons[p].Sex][age]++
			out[u] = h
		}
	}
	return out
}

func TestReferencePersonDays(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		rw := synthRows(synthSpec{seed: seed, persons: 300, primary: 4, year: 2024, contacts: 1})
		// a leap-day birthday and birthdays inside the month
		rw.persons[0].BirthDate = vardval.D(2000, 2, 29)
		rw.persons[1].BirthDate = vardval.D(1990, 2, 10)
		rw.persons[2].BirthDate = vardval.D(2024, 3, 15) // born inside a priced month
		rw.persons[3].BirthDate = vardval.D(1950, 7, 1)  // birthday on the first
		rw.persons[4].BirthDate = vardval.Date{}         // unknown
		rw.persons[5].BirthDate = vardval.D(1900, 5, 20) // older than MaxAge
		count := map[vardval.PersonIndex]int{}
		for _, l := range rw.listings {
			count[l.Person]++
		}
		for i := range rw.listings {
			if p := rw.listings[i].Person; p <= 5 && count[p] == 1 {
				rw.listings[i].Period = vardval.Period{From: vardval.D(2022, 1, 1)}
			}
		}
		for p := vardval.PersonIndex(0); p <= 5; p++ {
			if count[p] == 0 {
				rw.listings = append(rw.listings, vardval.Listing{Person: p, Unit: 0, Period: vardval.Period{From: vardval.D(2022, 1, 1)}, Area: -1, ACG: -1})
			}
		}
		r := rw.region()
		months := vardval.Period{From: vardval.D(2023, 1, 1), To: vardval.D(2024, 12, 31)}.Months()
		for _, c := range []Counting{{DayWeighted: true}, {}, {Day: -1}, {Day: 15}} {
			reg := newRegistry(len(months))
			ci := reg.snapshot(c)
			agg := aggregate(context.Background(), r, months, reg, &weights{acgMissing: make([]int64, len(months)), cniMissing: make([]int64, len(months))}, 0)
			for mi, ym := range months {
				want := referenceHist(r, ym, c)
				got := map[vardval.UnitIndex][nSex][nAge]int64{}
				for u := range r.Units {
					if h := agg.units[mi][u].snaps[ci].hist; h != ([nSex][nAge]int64{}) {
						got[vardval.UnitIndex(u)] = h
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("seed %d %s %s (-reference +fast):\n%s", seed, c, ym, diff)
				}
			}
		}
	}
}
