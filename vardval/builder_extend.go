package vardval

import (
	"slices"
	"strings"
)

// Extension is what [Region.Extend] adds to a region: new units, areas,
// codes, clinicians and persons, and records.
//
// Indexes in the extension's records count the region's own entries
// first, then the extension's: unit u < len(r.Units) is the region's unit
// u, unit len(r.Units)+k is Units[k]; likewise for persons, areas, codes
// and clinicians. Records may belong to the region's persons as well as to
// new ones.
type Extension struct {
	// Units are new units, with ids not in the region; they are merged into
	// the region's units in id order (every unit index is remapped).
	Units []Unit
	// Areas are new areas, with ids that sort after every area of the
	// region, in increasing order.
	Areas []Area
	// Codes and Clinicians are new interned strings, not in the region.
	Codes, Clinicians []string
	// Persons are new persons, with keys that sort after every person of
	// the region, in increasing order (e.g. keys starting with "~").
	Persons       []Person
	Listings      []Listing
	Contacts      []Contact
	Diagnoses     []Diagnosis
	Observations  []Observation
	Prescriptions []Prescription
}

// Extend returns a new Region: r with x added, every record in canonical
// order and the whole checked as [Region.Validate] checks it (indexes,
// enums, dates, the order of units, areas and persons). r is not changed.
// It is how a region is derived from a loaded one (a described unit, a
// marginal person); (&Region{}).Extend(x) builds one from records alone.
//
// Extend checks integrity, not the data contract's rules on content (it
// does not reject overlapping listings, say): rows from outside the
// program go through [Builder] or [Load]. The error is a *[RegionError]
// naming the field of x (e.g. "Extension.Contacts[3].Unit").
func (r *Region) Extend(x Extension) (*Region, error) {
	empty := len(r.Units)+len(r.Persons)+len(r.Areas)+len(r.Codes)+len(r.Clinicians)+len(r.Listings)+len(r.Contacts)+
		len(r.Diagnoses)+len(r.Observations)+len(r.Prescriptions) == 0
	if !empty {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	ext := func(err *RegionError) *RegionError {
		err.Field = "Extension." + err.Field
		return err
	}
	// Units: merge in id order, remap.
	units := append(slices.Clip(r.Units), x.Units...)
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(units[a].ID, units[b].ID) })
	remap := make([]UnitIndex, len(units))
	c := &Region{Units: make([]Unit, len(units)), notGiven: slices.Clone(r.notGiven)}
	for to, from := range order {
		c.Units[to] = units[from]
		remap[from] = UnitIndex(to)
		if to > 0 && c.Units[to-1].ID == c.Units[to].ID {
			return nil, ext(regionErr("Units", max(from-len(r.Units), 0), "ID", "unit id "+safeValue(units[from].ID)+" appears twice"))
		}
		if units[from].ID == "" {
			return nil, ext(regionErr("Units", from-len(r.Units), "ID", "empty"))
		}
	}
	if k := slices.IndexFunc(x.Areas, func(a Area) bool { return a.ID == "" }); k >= 0 {
		return nil, ext(regionErr("Areas", k, "ID", "must sort after every earlier area id"))
	}
	if k := firstUnsorted(r.Areas, x.Areas, func(a Area) string { return a.ID }); k >= 0 {
		return nil, ext(regionErr("Areas", k, "ID", "must sort after every earlier area id"))
	}
	if k := firstUnsorted(r.Persons, x.Persons, func(p Person) string { return p.Key }); k >= 0 {
		return nil, ext(regionErr("Persons", k, "Key", "must sort after every earlier person's key"))
	}
	seen := func(name string, old, add []string) error {
		have := make(map[string]bool, len(old)+len(add))
		for _, s := range old {
			have[s] = true
		}
		for k, s := range add {
			if have[s] {
				return ext(regionErr(name, k, "", "already interned"))
			}
			have[s] = true
		}
		return nil
	}
	if err := seen("Codes", r.Codes, x.Codes); err != nil {
		return nil, err
	}
	if err := seen("Clinicians", r.Clinicians, x.Clinicians); err != nil {
		return nil, err
	}
	c.Areas = append(slices.Clip(r.Areas), x.Areas...)
	c.Codes = append(slices.Clip(r.Codes), x.Codes...)
	c.Clinicians = append(slices.Clip(r.Clinicians), x.Clinicians...)
	c.Persons = append(slices.Clip(r.Persons), x.Persons...)
	// The extension's records are checked in a region of their own first,
	// so that an error names the extension's record.
	probe := &Region{Units: units, Persons: c.Persons, Areas: c.Areas, Codes: c.Codes, Clinicians: c.Clinicians,
		Listings: x.Listings, Contacts: x.Contacts, Diagnoses: x.Diagnoses, Observations: x.Observations, Prescriptions: x.Prescriptions}
	if err := probe.checkRecords(); err != nil {
		return nil, ext(err.(*RegionError))
	}
	mapU := func(u UnitIndex) UnitIndex {
		if u < 0 {
			return u
		}
		return remap[u]
	}
	c.Listings = appendMapped(r.Listings, x.Listings, func(l *Listing) { l.Unit = mapU(l.Unit) })
	c.Contacts = appendMapped(r.Contacts, x.Contacts, func(v *Contact) { v.Unit = mapU(v.Unit) })
	c.Diagnoses = appendMapped(r.Diagnoses, x.Diagnoses, func(v *Diagnosis) { v.Unit = mapU(v.Unit) })
	c.Observations = appendMapped(r.Observations, x.Observations, func(v *Observation) { v.Unit = mapU(v.Unit) })
	c.Prescriptions = appendMapped(r.Prescriptions, x.Prescriptions, func(v *Prescription) { v.Unit = mapU(v.Unit) })
	c.reindex()
	// The follow-up records stay with the region's persons and units.
	c.followup = r.followup.remapUnits(remap[:len(r.Units)], len(c.Persons))
	// c is not sealed yet: this is the full check.
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.sealUp()
	return c, nil
}

// appendMapped returns a new slice of a then b, with fix applied to each.
func appendMapped[T any](a, b []T, fix func(*T)) []T {
	out := make([]T, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	for i := range out {
		fix(&out[i])
	}
	return out
}

// firstUnsorted returns the index in add of the first element whose key
// does not sort strictly after the one before it (the last of old for the
// first), or -1 when add continues old in order.
func firstUnsorted[T any](old, add []T, key func(T) string) int {
	for k := range add {
		switch {
		case k > 0 && key(add[k]) <= key(add[k-1]):
			return k
		case k == 0 && len(old) > 0 && key(add[0]) <= key(old[len(old)-1]):
			return 0
		}
	}
	return -1
}
