package payment

import (
	"fmt"
	"math/rand/v2"

	"github.com/vardval/vardval/vardval"
)

// synthSpec describes a synthetic region for tests and benchmarks.
type synthSpec struct {
	seed     uint64
	persons  int
	primary  int // number of primary-care units
	year     int // listings and contacts fall in this year and the one before
	contacts int // contacts per person per year on average
}

// rows is a region's records before they are built into a Region, so
// tests can shuffle them.
type rows struct {
	units    []vardval.Unit
	persons  []vardval.Person
	listings []vardval.Listing
	contacts []vardval.Contact
	areas    []vardval.Area
	codes    []string
}

func synthRows(s synthSpec) rows {
	rng := rand.New(rand.NewPCG(s.seed, 7))
	var rw rows
	for i := 0; i < s.primary; i++ {
		owner := vardval.OwnerPublic
		if i%3 == 1 {
			owner = vardval.OwnerPrivate
		}
		rw.units = append(rw.units, vardval.Unit{ID: fmt.Sprintf("VC%03d", i+1), Name: fmt.Sprintf("Vårdcentral %d", i+1), Kind: vardval.KindPrimary, Owner: owner})
	}
	rw.units = append(rw.units,
		vardval.Unit{ID: "XA01", Name: "Akutmottagning", Kind: vardval.KindEmergency, Owner: vardval.OwnerPublic},
		vardval.Unit{ID: "XD01", Name: "Digital vård", Kind: vardval.KindDigital, Owner: vardval.OwnerPrivate},
		vardval.Unit{ID: "XS01", Name: "Specialistmottagning", Kind: vardval.KindSpecialist, Owner: vardval.OwnerPublic},
	)
	for i := 0; i < 12; i++ {
		rw.areas = append(rw.areas, vardval.Area{ID: fmt.Sprintf("A%02d", i), CNI: vardval.Fixed(600_000 + 100_000*int64(i)), HasCNI: i != 11})
	}
	rw.codes = []string{"ACG1100", "ACG1710", "ACG2900"}
	emerg, digital, spec := vardval.UnitIndex(s.primary), vardval.UnitIndex(s.primary+1), vardval.UnitIndex(s.primary+2)
	start := vardval.D(s.year-1, 1, 1)
	for p := 0; p < s.persons; p++ {
		sex := vardval.Female
		if rng.IntN(2) == 0 {
			sex = vardval.Male
		}
		birth := vardval.D(s.year-1, 1, 1).AddDays(-rng.IntN(95 * 365))
		rw.persons = append(rw.persons, vardval.Person{Key: fmt.Sprintf("P%08d", p), Sex: sex, BirthDate: birth})
		pi := vardval.PersonIndex(p)
		home := vardval.UnitIndex(rng.IntN(s.primary))
		mk := func(u vardval.UnitIndex, from, to vardval.Date) vardval.Listing {
			l := vardval.Listing{Person: pi, Unit: u, Period: vardval.Period{From: from, To: to}, Area: int32(rng.IntN(len(rw.areas))), ACG: -1}
			switch rng.IntN(4) {
			case 0:
			case 1:
				l.ACG = int32(rng.IntN(len(rw.codes)))
				fallthrough
			default:
				l.ACGWeight, l.HasWeight = vardval.Fixed(100_000+rng.Int64N(3_000_000)), true
			}
			if rng.IntN(20) == 0 {
				l.Area = -1
			}
			return l
		}
		switch r := rng.IntN(10); {
		case r == 0: // moves mid-way
			mid := start.AddDays(200 + rng.IntN(300))
			other := vardval.UnitIndex((int(home) + 1) % s.primary)
			rw.listings = append(rw.listings, mk(home, start.AddDays(-rng.IntN(800)), mid.AddDays(-1)), mk(other, mid, vardval.Date{}))
		case r == 1: // not listed at all
		case r == 2: // listed from some day
			rw.listings = append(rw.listings, mk(home, start.AddDays(rng.IntN(700)), vardval.Date{}))
		default:
			rw.listings = append(rw.listings, mk(home, start.AddDays(-rng.IntN(3000)), vardval.Date{}))
		}
		n := rng.IntN(2*s.contacts*2 + 1)
		for k := 0; k < n; k++ {
			d := start.AddDays(rng.IntN(730))
			u := home
			switch r := rng.IntN(20); {
			case r < 3:
				u = vardval.UnitIndex(rng.IntN(s.primary))
			case r == 3:
				u = emerg
			case r == 4:
				u = digital
			case r == 5:
				u = spec
			}
			c := vardval.Contact{Person: pi, Unit: u, Date: d, Clinician: -1, Fee: -1,
				Mode: vardval.Mode(1 + rng.IntN(5)), Profession: vardval.Profession(1 + rng.IntN(8))}
			if rng.IntN(3) == 0 {
				c.Fee = 20000
			}
			rw.contacts = append(rw.contacts, c)
		}
	}
	return rw
}

// region builds a Region from rows through Region.Extend, which copies
// the slices, checks them and puts the records in order.
func (rw rows) region() *vardval.Region {
	r, err := (&vardval.Region{}).Extend(vardval.Extension{Units: rw.units, Persons: rw.persons, Listings: rw.listings,
		Contacts: rw.contacts, Areas: rw.areas, Codes: rw.codes})
	if err != nil {
		panic(err)
	}
	return r
}

// shuffled returns rows with every record slice shuffled (units and persons
// keep their order, as Load guarantees).
func (rw rows) shuffled(seed uint64) rows {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := rw
	out.listings = append([]vardval.Listing(nil), rw.listings...)
	out.contacts = append([]vardval.Contact(nil), rw.contacts...)
	rng.Shuffle(len(out.listings), func(i, j int) { out.listings[i], out.listings[j] = out.listings[j], out.listings[i] })
	rng.Shuffle(len(out.contacts), func(i, j int) { out.contacts[i], out.contacts[j] = out.contacts[j], out.contacts[i] })
	return out
}
