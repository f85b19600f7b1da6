package measures

import (
	"fmt"
	"math/rand/v2"

	"github.com/vardval/vardval/vardval"
)

// synthRegion builds a random but reproducible region of n persons with
// 2024 activity for every measure: 40 primary units, a digital and two
// emergency units. It is for property tests and benchmarks, not realism.
func synthRegion(n int, seed uint64) *vardval.Region {
	rng := rand.New(rand.NewPCG(seed, 42))
	b := newBuilder()
	b.unit("DIG", vardval.KindDigital)
	b.unit("ED1", vardval.KindEmergency)
	b.unit("ED2", vardval.KindEmergency)
	const nPrimary = 40
	var prim []vardval.UnitIndex
	for i := range nPrimary {
		prim = append(prim, b.unit(fmt.Sprintf("U%03d", i+1), vardval.KindPrimary))
	}
	r := b.r
	for i := range 8 {
		r.Clinicians = append(r.Clinicians, fmt.Sprintf("c%d", i))
	}
	codes := map[string]int32{}
	code := func(c string) int32 {
		if i, ok := codes[c]; ok {
			return i
		}
		i := int32(len(r.Codes))
		r.Codes = append(r.Codes, c)
		codes[c] = i
		return i
	}
	day := func(from vardval.Date, span int) vardval.Date { return from.AddDays(rng.IntN(span)) }
	y2024 := vardval.D(2024, 1, 1)
	drugs := []string{"C07AB02", "C09AA05", "C10AA01", "B01AC06", "A02BC01", "N02BE01", "C03CA01", "A10BA02",
		"N06AB06", "H03AA01", "R03AK06", "M01AE01", "N05CF01", "C08CA01"}
	for i := range n {
		sex := vardval.Female
		if rng.IntN(2) == 0 {
			sex = vardval.Male
		}
		birth := vardval.D(1925+rng.IntN(99), 1+rng.IntN(12), 1+rng.IntN(28))
		r.Persons = append(r.Persons, vardval.Person{Key: keyOf(i), Sex: sex, BirthDate: birth})
		p := vardval.PersonIndex(i)
		// Small units get few persons so that some rows are suppressed.
		u := prim[min(rng.IntN(nPrimary+6), nPrimary-1)]
		if rng.IntN(50) == 0 {
			u = prim[0]
		}
		if rng.IntN(20) == 0 {
			continue // not listed
		}
		if rng.IntN(10) == 0 {
			move := day(y2024, 360)
			r.Listings = append(r.Listings, vardval.Listing{Person: p, Unit: u, Period: vardval.Period{From: vardval.D(2015, 1, 1), To: move}, Area: -1, ACG: -1})
			u = prim[rng.IntN(nPrimary)]
			r.Listings = append(r.Listings, vardval.Listing{Person: p, Unit: u, Period: vardval.Period{From: move.AddDays(1)}, Area: -1, ACG: -1})
		} else {
			r.Listings = append(r.Listings, vardval.Listing{Person: p, Unit: u, Period: vardval.Period{From: vardval.D(2015, 1, 1)}, Area: -1, ACG: -1})
		}
		for range rng.IntN(9) {
			c := vardval.Contact{Person: p, Unit: u, Date: day(y2024, 366), Clinician: -1, Fee: -1,
				Mode: vardval.Mode(1 + rng.IntN(5)), Profession: vardval.Profession(1 + rng.IntN(8))}
			switch rng.IntN(10) {
			case 0:
				c.Unit = prim[rng.IntN(nPrimary)]
			case 1:
				c.Unit = 0 // digital
			case 2:
				c.Unit = vardval.UnitIndex(1 + rng.IntN(2)) // emergency
			}
			if c.Profession == vardval.Doctor || rng.IntN(3) == 0 {
				c.Profession = vardval.Doctor
				c.Clinician = int32(rng.IntN(3) + int(u)%5)
			}
			if rng.IntN(3) == 0 {
				c.NewProblem = vardval.Yes
				c.Requested = c.Date.AddDays(-rng.IntN(5))
			}
			r.Contacts = append(r.Contacts, c)
		}
		if rng.IntN(12) == 0 { // depression
			idx := day(y2024, 366)
			r.Diagnoses = append(r.Diagnoses, vardval.Diagnosis{Person: p, Date: idx, Code: code("F321"), Unit: u})
			inst := "PHQ9"
			base := 8 + rng.IntN(10)
			if rng.IntN(4) == 0 {
				inst, base = "MADRSS", 15+rng.IntN(25)
			}
			dt := idx
			for k := range rng.IntN(6) {
				v := base - k*rng.IntN(5)
				r.Observations = append(r.Observations, vardval.Observation{Person: p, Date: dt, Code: code(inst),
					Value: vardval.Fixed(max(v, 0)) * vardval.FixedScale, Unit: u})
				dt = dt.AddDays(30 + rng.IntN(150))
			}
		}
		if rng.IntN(14) == 0 { // diabetes
			r.Diagnoses = append(r.Diagnoses, vardval.Diagnosis{Person: p, Date: day(vardval.D(2022, 6, 1), 900), Code: code("E11"), Unit: u})
			for range rng.IntN(4) {
				r.Observations = append(r.Observations, vardval.Observation{Person: p, Date: day(y2024, 366), Code: code("HBA1C"),
					Value: vardval.Fixed(35+rng.IntN(55)) * vardval.FixedScale, Unit: u})
			}
		}
		if rng.IntN(5) == 0 { // hypertension
			r.Diagnoses = append(r.Diagnoses, vardval.Diagnosis{Person: p, Date: day(vardval.D(2023, 1, 1), 700), Code: code("I10"), Unit: u})
			for range rng.IntN(3) {
				dt := day(y2024, 366)
				r.Observations = append(r.Observations,
					vardval.Observation{Person: p, Date: dt, Code: code("BPSYS"), Value: vardval.Fixed(115+rng.IntN(45)) * vardval.FixedScale, Unit: u},
					vardval.Observation{Person: p, Date: dt, Code: code("BPDIA"), Value: vardval.Fixed(65+rng.IntN(35)) * vardval.FixedScale, Unit: u})
			}
		}
		if rng.IntN(3) == 0 {
			atc := "J01CA04"
			if rng.IntN(8) == 0 {
				atc = "J01XX05"
			}
			r.Prescriptions = append(r.Prescriptions, vardval.Prescription{Person: p, Date: day(y2024, 366), ATC: code(atc), Unit: u})
		}
		if birth.AgeOn(vardval.D(2024, 12, 31)) >= 75 {
			for range rng.IntN(16) {
				r.Prescriptions = append(r.Prescriptions, vardval.Prescription{Person: p, Date: day(vardval.D(2024, 10, 1), 92),
					ATC: code(drugs[rng.IntN(len(drugs))]), Unit: u})
			}
		}
	}
	return rebuilt(r)
}
