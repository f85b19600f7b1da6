package measures

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// builder fills a Region by hand for tests. Units are added in id order.
type builder struct {
	r     *vardval.Region
	codes map[string]int32
}

func newBuilder() *builder { return &builder{r: &vardval.Region{}, codes: map[string]int32{}} }

// code returns the index of code in b.r.Codes, adding it if it is new.
func (b *builder) code(code string) int32 {
	if i, ok := b.codes[code]; ok {
		return i
	}
	i := int32(len(b.r.Codes))
	b.r.Codes = append(b.r.Codes, code)
	b.codes[code] = i
	return i
}

// rebuilt is r, filled or changed by hand, built through Region.Extend
// (which checks it and puts the records in canonical order).
func rebuilt(r *vardval.Region) *vardval.Region {
	out, err := (&vardval.Region{}).Extend(vardval.Extension{Units: r.Units, Areas: r.Areas, Codes: r.Codes, Clinicians: r.Clinicians,
		Persons: r.Persons, Listings: r.Listings, Contacts: r.Contacts, Diagnoses: r.Diagnoses, Observations: r.Observations,
		Prescriptions: r.Prescriptions})
	if err != nil {
		panic(err)
	}
	return out
}

func d(s string) vardval.Date {
	x, err := vardval.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

func (b *builder) unit(id string, kind vardval.UnitKind) vardval.UnitIndex {
	b.r.Units = append(b.r.Units, vardval.Unit{ID: id, Name: "Unit " + id, Kind: kind})
	if !slices.IsSortedFunc(b.r.Units, func(x, y vardval.Unit) int { return strings.Compare(x.ID, y.ID) }) {
		panic("units must be added in id order")
	}
	return vardval.UnitIndex(len(b.r.Units) - 1)
}

// person adds a person; keys must be added in sorted order.
func (b *builder) person(key string, sex vardval.Sex, birth string) vardval.PersonIndex {
	var bd vardval.Date
	if birth != "" {
		bd = d(birth)
	}
	b.r.Persons = append(b.r.Persons, vardval.Person{Key: key, Sex: sex, BirthDate: bd})
	if !slices.IsSortedFunc(b.r.Persons, func(x, y vardval.Person) int { return strings.Compare(x.Key, y.Key) }) {
		panic("persons must be added in key order")
	}
	return vardval.PersonIndex(len(b.r.Persons) - 1)
}

func (b *builder) list(p vardval.PersonIndex, u vardval.UnitIndex, from, to string) {
	per := vardval.Period{From: d(from)}
	if to != "" {
		per.To = d(to)
	}
	b.r.Listings = append(b.r.Listings, vardval.Listing{Person: p, Unit: u, Period: per, Area: -1, ACG: -1})
}

// contact options
type co struct {
	prof      vardval.Profession
	mode      vardval.Mode
	requested string
	newProb   bool
	clinician string
}

func (b *builder) contact(p vardval.PersonIndex, u vardval.UnitIndex, date string, o co) {
	c := vardval.Contact{Person: p, Unit: u, Date: d(date), Clinician: -1, Fee: -1, Mode: o.mode, Profession: o.prof}
	if c.Mode == 0 {
		c.Mode = vardval.ModeVisit
	}
	if c.Profession == 0 {
		c.Profession = vardval.Doctor
	}
	if o.requested != "" {
		c.Requested = d(o.requested)
	}
	if o.newProb {
		c.NewProblem = vardval.Yes
	}
	if o.clinician != "" {
		i := slices.Index(b.r.Clinicians, o.clinician)
		if i < 0 {
			b.r.Clinicians = append(b.r.Clinicians, o.clinician)
			i = len(b.r.Clinicians) - 1
		}
		c.Clinician = int32(i)
	}
	b.r.Contacts = append(b.r.Contacts, c)
}

func (b *builder) diag(p vardval.PersonIndex, date, code string) {
	b.r.Diagnoses = append(b.r.Diagnoses, vardval.Diagnosis{Person: p, Date: d(date), Code: b.code(code), Unit: -1})
}

func (b *builder) obs(p vardval.PersonIndex, date, code string, value string) {
	v := decimal.RequireFromString(value).Shift(6).IntPart()
	b.r.Observations = append(b.r.Observations, vardval.Observation{Person: p, Date: d(date), Code: b.code(code), Value: vardval.Fixed(v), Unit: -1})
}

func (b *builder) rx(p vardval.PersonIndex, date, atc string) {
	b.r.Prescriptions = append(b.r.Prescriptions, vardval.Prescription{Person: p, Date: d(date), ATC: b.code(atc), Unit: -1})
}

func (b *builder) region() *vardval.Region { return rebuilt(b.r) }

// shuffled returns a deep copy of r with every record slice shuffled and
// the codes interned in a different order, then rebuilt.
func shuffled(r *vardval.Region, seed uint64) *vardval.Region {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := &vardval.Region{
		Units: slices.Clone(r.Units), Persons: slices.Clone(r.Persons), Areas: slices.Clone(r.Areas),
		Clinicians: slices.Clone(r.Clinicians),
	}
	// Re-intern codes in a shuffled order.
	perm := rng.Perm(len(r.Codes))
	newIdx := make([]int32, len(r.Codes))
	for newI, oldI := range perm {
		out.Codes = append(out.Codes, r.Codes[oldI])
		newIdx[oldI] = int32(newI)
	}
	out.Listings = slices.Clone(r.Listings)
	out.Contacts = slices.Clone(r.Contacts)
	out.Diagnoses = slices.Clone(r.Diagnoses)
	for i := range out.Diagnoses {
		out.Diagnoses[i].Code = newIdx[out.Diagnoses[i].Code]
	}
	out.Observations = slices.Clone(r.Observations)
	for i := range out.Observations {
		out.Observations[i].Code = newIdx[out.Observations[i].Code]
	}
	out.Prescriptions = slices.Clone(r.Prescriptions)
	for i := range out.Prescriptions {
		out.Prescriptions[i].ATC = newIdx[out.Prescriptions[i].ATC]
	}
	shuffle := func(n int, swap func(i, j int)) { rng.Shuffle(n, swap) }
	shuffle(len(out.Listings), func(i, j int) { out.Listings[i], out.Listings[j] = out.Listings[j], out.Listings[i] })
	shuffle(len(out.Contacts), func(i, j int) { out.Contacts[i], out.Contacts[j] = out.Contacts[j], out.Contacts[i] })
	shuffle(len(out.Diagnoses), func(i, j int) { out.Diagnoses[i], out.Diagnoses[j] = out.Diagnoses[j], out.Diagnoses[i] })
	shuffle(len(out.Observations), func(i, j int) {
		out.Observations[i], out.Observations[j] = out.Observations[j], out.Observations[i]
	})
	shuffle(len(out.Prescriptions), func(i, j int) {
		out.Prescriptions[i], out.Prescriptions[j] = out.Prescriptions[j], out.Prescriptions[i]
	})
	return rebuilt(out)
}

// keyOf makes sortable person keys.
func keyOf(i int) string { return fmt.Sprintf("p%07d", i) }
