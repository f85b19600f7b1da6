package vardval

import (
	"cmp"
	"slices"
	"strconv"
	"sync"
	"unsafe"
)

// Region is a loaded, validated region: units, persons and their listings,
// contacts, diagnoses, observations and prescriptions, with the indexes that
// measures and payment need, and the follow-up files' records
// ([Region.Followup]; unexported, so not part of Validate's check: they are
// built by Load and carried by Extend, never assembled by hand).
//
// Every slice is in a canonical order that does not depend on the order of
// the input rows: units by ID, persons by pseudonym, and each person's
// records by date and then by every other field. A Region is read-only
// after [Load] returns and safe for concurrent readers.
//
// A Region comes from [Load], [Builder.Build] or [Region.Extend]; its
// lookup indexes are unexported, so a Region assembled by hand (a literal)
// or one whose exported slices were replaced or resized afterwards fails
// [Region.Validate], which payment and measures call before reading one.
// Validate does not see an element changed in place (see its doc).
type Region struct {
	Units         []Unit
	Persons       []Person
	Listings      []Listing      // by person, then from-date
	Contacts      []Contact      // by person, then date
	Diagnoses     []Diagnosis    // by person, then date
	Observations  []Observation  // by person, then date
	Prescriptions []Prescription // by person, then date
	Areas         []Area         // by ID
	Codes         []string       // interned codes (ICD-10, ATC, observation, ACG)
	Clinicians    []string       // interned pseudonymous clinician ids

	unitByID  map[string]UnitIndex
	codeIndex map[string]int32
	// per-person offsets into the record slices: records of person p are
	// [off[p], off[p+1]).
	listOff, contOff, diagOff, obsOff, rxOff []int32
	// contactMonths counts the contacts by month (ContactMonths).
	contactMonths []MonthCount
	// followup holds the follow-up files (Followup); nil when none.
	followup *Followup
	// notGiven lists the optional inputs Load was not given (NotGiven).
	notGiven []string
	// seal records the exported slices as Load or Extend returned them
	// (Validate's fast path).
	seal regionSeal
}

// regionSeal is a copy of a Region's exported slice headers, taken when
// Load or Extend returns the Region (valid by construction or by check).
// [Region.Validate] compares the Region's current headers with it: when
// every data pointer, length and capacity is the same, no slice was
// replaced or resized and the full check is skipped.
//
// It holds the slices themselves rather than bare addresses, so that an
// array a caller replaced stays allocated while the seal names it: its
// address cannot be reused by a new slice that would then match the seal.
// (That keeps at most one replaced array per field alive, and only in a
// Region whose slices were replaced.)
type regionSeal struct {
	sealed        bool
	units         []Unit
	persons       []Person
	listings      []Listing
	contacts      []Contact
	diagnoses     []Diagnosis
	observations  []Observation
	prescriptions []Prescription
	areas         []Area
	codes         []string
	clinicians    []string
}

// Equal reports whether s and t are both sealed or both not: a seal names
// a Region's own slices, not a part of its value, so go-cmp (which calls
// Equal) compares regions by their contents alone.
func (s regionSeal) Equal(t regionSeal) bool { return s.sealed == t.sealed }

// sealUp records r's exported slices as valid. Load calls it on the
// Region it returns and Extend once the new Region passed Validate, before
// either is handed to a caller; nothing else writes the seal.
func (r *Region) sealUp() {
	r.seal = regionSeal{sealed: true, units: r.Units, persons: r.Persons, listings: r.Listings, contacts: r.Contacts,
		diagnoses: r.Diagnoses, observations: r.Observations, prescriptions: r.Prescriptions, areas: r.Areas,
		codes: r.Codes, clinicians: r.Clinicians}
}

// sealIntact reports whether r was sealed and none of its exported slices
// has been replaced or resized since. It only reads r.
func (r *Region) sealIntact() bool {
	s := &r.seal
	return s.sealed && same(r.Units, s.units) && same(r.Persons, s.persons) && same(r.Listings, s.listings) &&
		same(r.Contacts, s.contacts) && same(r.Diagnoses, s.diagnoses) && same(r.Observations, s.observations) &&
		same(r.Prescriptions, s.prescriptions) && same(r.Areas, s.areas) && same(r.Codes, s.codes) &&
		same(r.Clinicians, s.clinicians)
}

// same reports whether a and b have the same header: data pointer, length
// and capacity.
func same[T any](a, b []T) bool {
	return unsafe.SliceData(a) == unsafe.SliceData(b) && len(a) == len(b) && cap(a) == cap(b)
}

// MonthCount is how many contacts a region has in one calendar month.
type MonthCount struct {
	Month    YearMonth
	Contacts int
}

// ContactMonths returns the number of contacts in every month that has
// any, in month order. Load, Build and Extend count them once, so a caller that
// looks for the period of the data need not walk every contact.
func (r *Region) ContactMonths() []MonthCount { return slices.Clone(r.contactMonths) }

// countContactMonths counts cs by month, on both cores when it is long.
func countContactMonths(cs []Contact) []MonthCount {
	// Dates are between 1800 and 2200 (parseDateBytes, ParseDate).
	const first, months = 1800 * 12, 401 * 12
	var parts [2][]int
	halves(len(cs), 1<<16, func(lo, hi int) {
		k := 0
		if lo > 0 {
			k = 1
		}
		n := make([]int, months)
		for i := lo; i < hi; i++ {
			d := cs[i].Date
			if j := int(d.Year)*12 + int(d.Month) - 1 - first; j >= 0 && j < months {
				n[j]++
			}
		}
		parts[k] = n
	})
	var out []MonthCount
	for j := range months {
		c := 0
		for _, n := range parts {
			if n != nil {
				c += n[j]
			}
		}
		if c > 0 {
			out = append(out, MonthCount{Month: YearMonth{Year: (first + j) / 12, Month: (first+j)%12 + 1}, Contacts: c})
		}
	}
	return out
}

// UnitByID returns the index of the unit with the given id.
func (r *Region) UnitByID(id string) (UnitIndex, bool) {
	u, ok := r.unitByID[id]
	return u, ok
}

// Unit returns the unit at index u.
func (r *Region) Unit(u UnitIndex) *Unit { return &r.Units[u] }

// CodeIndex returns the interned index of code, if any record uses it.
func (r *Region) CodeIndex(code string) (int32, bool) {
	i, ok := r.codeIndex[code]
	return i, ok
}

// Code returns the interned code at index i ("" for -1).
func (r *Region) Code(i int32) string {
	if i < 0 || int(i) >= len(r.Codes) {
		return ""
	}
	return r.Codes[i]
}

func span[T any](s []T, off []int32, p PersonIndex) []T {
	if int(p)+1 >= len(off) {
		return nil
	}
	return s[off[p]:off[p+1]]
}

// ListingsOf returns person p's listings in date order.
func (r *Region) ListingsOf(p PersonIndex) []Listing { return span(r.Listings, r.listOff, p) }

// ContactsOf returns person p's contacts in date order.
func (r *Region) ContactsOf(p PersonIndex) []Contact { return span(r.Contacts, r.contOff, p) }

// DiagnosesOf returns person p's diagnoses in date order.
func (r *Region) DiagnosesOf(p PersonIndex) []Diagnosis { return span(r.Diagnoses, r.diagOff, p) }

// ObservationsOf returns person p's observations in date order.
func (r *Region) ObservationsOf(p PersonIndex) []Observation {
	return span(r.Observations, r.obsOff, p)
}

// PrescriptionsOf returns person p's prescriptions in date order.
func (r *Region) PrescriptionsOf(p PersonIndex) []Prescription {
	return span(r.Prescriptions, r.rxOff, p)
}

// ListingOn returns the listing that covers day d for person p, if any.
func (r *Region) ListingOn(p PersonIndex, d Date) (Listing, bool) {
	for _, l := range r.ListingsOf(p) {
		if l.Period.Contains(d) {
			return l, true
		}
	}
	return Listing{}, false
}

// ListedAt returns the unit where person p is listed on day d, or NoUnit.
func (r *Region) ListedAt(p PersonIndex, d Date) UnitIndex {
	if l, ok := r.ListingOn(p, d); ok {
		return l.Unit
	}
	return NoUnit
}

// ListedOn returns, per unit (indexed by UnitIndex), the number of persons
// listed there on day d.
func (r *Region) ListedOn(d Date) []int {
	out := make([]int, len(r.Units))
	for _, l := range r.Listings {
		if l.Period.Contains(d) {
			out[l.Unit]++
		}
	}
	return out
}

// PersonDays returns, per unit, the number of listed person-days in period p
// (a closed period): the sum over listings of the days they share with p.
func (r *Region) PersonDays(p Period) []int64 {
	out := make([]int64, len(r.Units))
	for _, l := range r.Listings {
		if s, ok := l.Period.Intersect(p); ok {
			out[l.Unit] += int64(s.Days())
		}
	}
	return out
}

// PersonDaysByMonth returns listed person-days per unit for each month of
// the closed period p: result[i][u] is month i of p.Months(), unit u.
func (r *Region) PersonDaysByMonth(p Period) [][]int64 {
	months := p.Months()
	out := make([][]int64, len(months))
	for i, m := range months {
		mp, _ := MonthPeriod(m).Intersect(p)
		out[i] = r.PersonDays(mp)
	}
	return out
}

// index sorts every record slice into canonical order and builds the
// per-person offsets. Persons must already be in their final order.
//
// Records are first grouped by person with an in-place counting sort (person
// indexes are dense), then each person's few records are sorted with the
// full comparator. Every comparator orders by all fields, so the result does
// not depend on the order the records came in.
func (r *Region) index() {
	n := len(r.Persons)
	// Codes are sorted by Load; then comparing indexes is comparing codes.
	cmpCode := func(a, b int32) int { return cmp.Compare(r.Codes[a], r.Codes[b]) }
	if slices.IsSorted(r.Codes) {
		cmpCode = cmpIndex
	}
	r.listOff = groupSort(n, r.Listings, func(l *Listing) PersonIndex { return l.Person }, cmpListing)
	r.contOff = groupSort(n, r.Contacts, func(c *Contact) PersonIndex { return c.Person }, cmpContact)
	r.contactMonths = countContactMonths(r.Contacts)
	r.diagOff = groupSort(n, r.Diagnoses, func(d *Diagnosis) PersonIndex { return d.Person }, cmpDiagnosis(cmpCode))
	r.obsOff = groupSort(n, r.Observations, func(o *Observation) PersonIndex { return o.Person }, cmpObservation(cmpCode))
	r.rxOff = groupSort(n, r.Prescriptions, func(x *Prescription) PersonIndex { return x.Person }, cmpPrescription(cmpCode))
}

// The canonical order of one person's records: by date, then every other
// field. Codes are compared with the given function.

func cmpIndex(a, b int32) int { return cmp.Compare(a, b) }

func cmpListing(a, b Listing) int {
	if c := a.Period.From.Compare(b.Period.From); c != 0 {
		return c
	}
	return cmp.Or(cmpOpenEnd(a.Period.To, b.Period.To), cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Area, b.Area), cmp.Compare(a.ACG, b.ACG), cmp.Compare(a.ACGWeight, b.ACGWeight),
		cmpBool(a.HasWeight, b.HasWeight))
}

func cmpContact(a, b Contact) int {
	// Most contacts of a person differ in date: decide on it before
	// evaluating the rest.
	if a.Date != b.Date {
		return a.Date.Compare(b.Date)
	}
	return cmp.Or(cmp.Compare(a.Unit, b.Unit),
		cmp.Compare(a.Mode, b.Mode), cmp.Compare(a.Profession, b.Profession), a.Requested.Compare(b.Requested),
		cmp.Compare(a.Clinician, b.Clinician), cmp.Compare(a.Fee, b.Fee), cmp.Compare(a.Urgent, b.Urgent),
		cmp.Compare(a.NewProblem, b.NewProblem))
}

func cmpDiagnosis(cmpCode func(a, b int32) int) func(a, b Diagnosis) int {
	return func(a, b Diagnosis) int {
		if a.Date != b.Date {
			return a.Date.Compare(b.Date)
		}
		return cmp.Or(cmpCode(a.Code, b.Code), cmp.Compare(a.Unit, b.Unit))
	}
}

func cmpObservation(cmpCode func(a, b int32) int) func(a, b Observation) int {
	return func(a, b Observation) int {
		if a.Date != b.Date {
			return a.Date.Compare(b.Date)
		}
		return cmp.Or(cmpCode(a.Code, b.Code), cmp.Compare(a.Value, b.Value), cmp.Compare(a.Unit, b.Unit))
	}
}

func cmpPrescription(cmpCode func(a, b int32) int) func(a, b Prescription) int {
	return func(a, b Prescription) int {
		if a.Date != b.Date {
			return a.Date.Compare(b.Date)
		}
		return cmp.Or(cmpCode(a.ATC, b.ATC), cmp.Compare(a.Unit, b.Unit),
			cmp.Compare(a.DDD, b.DDD), cmpBool(a.HasDDD, b.HasDDD))
	}
}

// groupSort puts s into order by person (0..n-1) and, within a person, by
// less; it returns the per-person offsets (len n+1). The grouping is an
// in-place counting sort (American flag): each record is moved at most once.
func groupSort[T any](n int, s []T, person func(*T) PersonIndex, less func(a, b T) int) []int32 {
	off := make([]int32, n+1)
	for i := range s {
		off[person(&s[i])+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	sorted := true
	for i := 1; i < len(s) && sorted; i++ {
		sorted = person(&s[i-1]) <= person(&s[i])
	}
	if !sorted {
		next := make([]int32, n)
		copy(next, off[:n])
		for p := 0; p < n; p++ {
			end := off[p+1]
			for i := next[p]; i < end; i = next[p] {
				// Move s[i] to its person's next free slot until a record
				// of person p lands at i.
				for q := person(&s[i]); int(q) != p; q = person(&s[i]) {
					j := next[q]
					next[q]++
					s[i], s[j] = s[j], s[i]
				}
				next[p]++
			}
		}
	}
	sortGroups(s, off, less)
	return off
}

// sortGroups sorts each group s[off[p]:off[p+1]] with less: insertion sort
// for the usual handful of records, pdqsort beyond.
func sortGroups[T any](s []T, off []int32, less func(a, b T) int) {
	for p := 0; p+1 < len(off); p++ {
		g := s[off[p]:off[p+1]]
		switch {
		case len(g) < 2:
		case len(g) <= 12:
			for i := 1; i < len(g); i++ {
				for j := i; j > 0 && less(g[j-1], g[j]) > 0; j-- {
					g[j-1], g[j] = g[j], g[j-1]
				}
			}
		default:
			slices.SortFunc(g, less)
		}
	}
}

func cmpOpenEnd(a, b Date) int {
	switch {
	case a == b:
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// reindex rebuilds the lookup indexes from the exported slices and puts
// every record slice into canonical order. Units must already be sorted by
// ID and Persons in their final order; record fields must refer to valid
// indexes (Extend checks them first).
func (r *Region) reindex() {
	r.unitByID = make(map[string]UnitIndex, len(r.Units))
	for i, u := range r.Units {
		r.unitByID[u.ID] = UnitIndex(i)
	}
	r.codeIndex = make(map[string]int32, len(r.Codes))
	for i, c := range r.Codes {
		r.codeIndex[c] = int32(i)
	}
	r.index()
}

// RegionError is returned by [Region.Validate] (and so by payment and
// measures) for a Region whose parts do not hold together, and by
// [Region.Extend] for an extension that would make one: an index out of
// range, a record outside its person's group, an impossible date or enum
// value, a Region that was assembled by hand rather than by [Load],
// [Builder.Build] or [Region.Extend].
type RegionError struct {
	// Field names the offending part, e.g. "Contacts[12].Unit" or "Units".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "vardval: region: Field: Reason".
func (e *RegionError) Error() string { return "vardval: region: " + e.Field + ": " + e.Reason }

func regionErr(field string, i int, name, reason string) *RegionError {
	if i >= 0 {
		field += "[" + strconv.Itoa(i) + "]"
	}
	if name != "" {
		field += "." + name
	}
	return &RegionError{Field: field, Reason: reason}
}

// Validate checks that r holds together, so that nothing reading it can
// index out of range: every index in a record (person, unit, area, code,
// clinician) is in range, every enum value is one of the contract's, every
// date is a real date between 1800 and 2200 (or zero where "not given" is
// allowed), a listing's To is not before its From, units are sorted by
// unique ID, and the per-person groups are consistent (each person's
// records are together, in date order, where the lookup indexes say). The
// error is a *[RegionError].
//
// A Region from [Load], [Builder.Build] or [Region.Extend] is valid when
// it is returned, and they record each exported slice's data pointer,
// length and capacity. When these are unchanged Validate returns nil at
// once, without reading a record. Otherwise (a slice was replaced or
// resized, or the Region was assembled by hand and so was never recorded)
// it checks everything: one pass over the records, the contacts on a
// second goroutine that ends before Validate returns. A Region assembled
// by hand never passes (its lookup indexes are unexported).
//
// Validate does not see an element changed in place (r.Contacts[i].Unit
// = 40 on the slice Load returned): a Region is read-only, and such a
// change gives wrong figures or a panic, which payment and measures turn
// into an error. Validate only reads r (it never records a Region it found
// valid), so concurrent readers may call it.
func (r *Region) Validate() error {
	if r == nil {
		return &RegionError{Field: "Region", Reason: "nil"}
	}
	if r.sealIntact() {
		return nil
	}
	return r.check()
}

// check is Validate's full check, whatever the seal says.
func (r *Region) check() error {
	if err := r.checkTables(); err != nil {
		return err
	}
	return r.checkGroups()
}

// checkTables checks units, persons, areas and the lookup maps.
func (r *Region) checkTables() error {
	built := r.unitByID != nil && r.codeIndex != nil && r.listOff != nil
	if !built {
		return &RegionError{Field: "Region", Reason: "not built by Load, Builder.Build or Region.Extend (a Region cannot be assembled by hand)"}
	}
	if len(r.unitByID) != len(r.Units) {
		return &RegionError{Field: "Units", Reason: "changed after the region was built"}
	}
	for i := range r.Units {
		u := &r.Units[i]
		if i > 0 && r.Units[i-1].ID >= u.ID {
			return regionErr("Units", i, "ID", "units are not sorted by unique id")
		}
		if x, ok := r.unitByID[u.ID]; !ok || int(x) != i {
			return regionErr("Units", i, "ID", "changed after the region was built")
		}
		if u.Kind > KindDigital {
			return regionErr("Units", i, "Kind", "not a unit kind")
		}
		if u.Owner > OwnerPrivate {
			return regionErr("Units", i, "Owner", "not an owner")
		}
		if !dateOrZero(u.Active.From) || !dateOrZero(u.Active.To) {
			return regionErr("Units", i, "Active", "not a real date")
		}
	}
	if len(r.codeIndex) != len(r.Codes) {
		return &RegionError{Field: "Codes", Reason: "changed after the region was built"}
	}
	for i, c := range r.Codes {
		if x, ok := r.codeIndex[c]; !ok || int(x) != i {
			return regionErr("Codes", i, "", "changed after the region was built")
		}
	}
	for i := range r.Persons {
		p := &r.Persons[i]
		if p.Sex > Male {
			return regionErr("Persons", i, "Sex", "not a sex")
		}
		if !dateOrZero(p.BirthDate) {
			return regionErr("Persons", i, "BirthDate", "not a real date")
		}
	}
	n := 0
	for _, m := range r.contactMonths {
		n += m.Contacts
	}
	if n != len(r.Contacts) {
		return &RegionError{Field: "Contacts", Reason: "changed after the region was built"}
	}
	return nil
}

func dateOrZero(d Date) bool { return d.IsZero() || validDate(d) }

// checkRecords checks every index, enum and date of the records. It does
// not need the per-person offsets (Extend calls it before indexing).
func (r *Region) checkRecords() error {
	nP, nU, nA, nC, nK := len(r.Persons), len(r.Units), len(r.Areas), len(r.Codes), len(r.Clinicians)
	person := func(p PersonIndex) bool { return p >= 0 && int(p) < nP }
	unit := func(u UnitIndex) bool { return u >= 0 && int(u) < nU }
	optUnit := func(u UnitIndex) bool { return u == NoUnit || unit(u) }
	opt := func(i int32, n int) bool { return i >= -1 && int(i) < n }
	for i := range r.Listings {
		l := &r.Listings[i]
		switch {
		case !person(l.Person):
			return regionErr("Listings", i, "Person", "out of range")
		case !unit(l.Unit):
			return regionErr("Listings", i, "Unit", "out of range")
		case !opt(l.Area, nA):
			return regionErr("Listings", i, "Area", "out of range")
		case !opt(l.ACG, nC):
			return regionErr("Listings", i, "ACG", "out of range")
		case !validDate(l.Period.From):
			return regionErr("Listings", i, "Period", "From is not a real date")
		case !dateOrZero(l.Period.To) || (!l.Period.To.IsZero() && l.Period.To.Before(l.Period.From)):
			return regionErr("Listings", i, "Period", "To is not a real date on or after From")
		}
	}
	for i := range r.Contacts {
		c := &r.Contacts[i]
		switch {
		case !person(c.Person):
			return regionErr("Contacts", i, "Person", "out of range")
		case !unit(c.Unit):
			return regionErr("Contacts", i, "Unit", "out of range")
		case !opt(c.Clinician, nK):
			return regionErr("Contacts", i, "Clinician", "out of range")
		case !validDate(c.Date):
			return regionErr("Contacts", i, "Date", "not a real date")
		case !dateOrZero(c.Requested):
			return regionErr("Contacts", i, "Requested", "not a real date")
		case c.Mode > ModeChat:
			return regionErr("Contacts", i, "Mode", "not a mode")
		case c.Profession > OtherProfession:
			return regionErr("Contacts", i, "Profession", "not a profession")
		case c.Urgent > No || c.NewProblem > No:
			return regionErr("Contacts", i, "Urgent", "not a yes/no value")
		}
	}
	for i := range r.Diagnoses {
		d := &r.Diagnoses[i]
		switch {
		case !person(d.Person):
			return regionErr("Diagnoses", i, "Person", "out of range")
		case d.Code < 0 || int(d.Code) >= nC:
			return regionErr("Diagnoses", i, "Code", "out of range")
		case !optUnit(d.Unit):
			return regionErr("Diagnoses", i, "Unit", "out of range")
		case !validDate(d.Date):
			return regionErr("Diagnoses", i, "Date", "not a real date")
		}
	}
	for i := range r.Observations {
		o := &r.Observations[i]
		switch {
		case !person(o.Person):
			return regionErr("Observations", i, "Person", "out of range")
		case o.Code < 0 || int(o.Code) >= nC:
			return regionErr("Observations", i, "Code", "out of range")
		case !optUnit(o.Unit):
			return regionErr("Observations", i, "Unit", "out of range")
		case !validDate(o.Date):
			return regionErr("Observations", i, "Date", "not a real date")
		}
	}
	for i := range r.Prescriptions {
		x := &r.Prescriptions[i]
		switch {
		case !person(x.Person):
			return regionErr("Prescriptions", i, "Person", "out of range")
		case x.ATC < 0 || int(x.ATC) >= nC:
			return regionErr("Prescriptions", i, "ATC", "out of range")
		case !optUnit(x.Unit):
			return regionErr("Prescriptions", i, "Unit", "out of range")
		case !validDate(x.Date):
			return regionErr("Prescriptions", i, "Date", "not a real date")
		}
	}
	return nil
}

// checkGroups checks every record in one pass per slice, person by
// person: the offsets, the person of each record, its date order and
// every index, enum and date in it (what checkRecords checks, in the
// order that reads each slice once).
func (r *Region) checkGroups() error {
	n := len(r.Persons)
	nU, nA, nC, nK := len(r.Units), len(r.Areas), len(r.Codes), len(r.Clinicians)
	for _, g := range [...]struct {
		name string
		off  []int32
		len  int
	}{{"Listings", r.listOff, len(r.Listings)}, {"Contacts", r.contOff, len(r.Contacts)}, {"Diagnoses", r.diagOff, len(r.Diagnoses)},
		{"Observations", r.obsOff, len(r.Observations)}, {"Prescriptions", r.rxOff, len(r.Prescriptions)}} {
		if len(g.off) != n+1 || g.off[0] != 0 || int(g.off[n]) != g.len {
			return &RegionError{Field: g.name, Reason: "changed after the region was built"}
		}
		for p := 0; p < n; p++ {
			if g.off[p+1] < g.off[p] {
				return &RegionError{Field: g.name, Reason: "changed after the region was built"}
			}
		}
	}
	bad := func(name string, i int32) error {
		// Say what is wrong: an index, enum or date, else the grouping.
		if err := r.checkRecords(); err != nil {
			return err
		}
		return regionErr(name, int(i), "", "not in its person's group in date order (changed after the region was built)")
	}
	// The contacts, the largest slice, are checked on a second goroutine
	// (which ends before Validate returns).
	contactsBad := int32(-1)
	var wg sync.WaitGroup
	wg.Go(func() {
		contactsBad = func() int32 {
			for p := int32(0); p < int32(n); p++ {
				var prev int32
				for i := r.contOff[p]; i < r.contOff[p+1]; i++ {
					c := &r.Contacts[i]
					d := c.Date.order()
					if c.Person != PersonIndex(p) || d < prev || uint32(c.Unit) >= uint32(nU) || c.Clinician < -1 || int(c.Clinician) >= nK ||
						!validDate(c.Date) || (!c.Requested.IsZero() && !validDate(c.Requested)) || c.Mode > ModeChat ||
						c.Profession > OtherProfession || c.Urgent > No || c.NewProblem > No {
						return i
					}
					prev = d
				}
			}
			return -1
		}()
	})
	defer wg.Wait()
	for p := int32(0); p < int32(n); p++ {
		var prev int32
		for i := r.listOff[p]; i < r.listOff[p+1]; i++ {
			l := &r.Listings[i]
			from := l.Period.From.order()
			if l.Person != PersonIndex(p) || from < prev || uint32(l.Unit) >= uint32(nU) || l.Area < -1 || int(l.Area) >= nA ||
				l.ACG < -1 || int(l.ACG) >= nC || !validDate(l.Period.From) ||
				(!l.Period.To.IsZero() && (!validDate(l.Period.To) || l.Period.To.order() < from)) {
				return bad("Listings", i)
			}
			prev = from
		}
	}
	for p := int32(0); p < int32(n); p++ {
		var prev int32
		for i := r.diagOff[p]; i < r.diagOff[p+1]; i++ {
			x := &r.Diagnoses[i]
			d := x.Date.order()
			if x.Person != PersonIndex(p) || d < prev || uint32(x.Code) >= uint32(nC) || x.Unit < NoUnit || int(x.Unit) >= nU || !validDate(x.Date) {
				return bad("Diagnoses", i)
			}
			prev = d
		}
	}
	for p := int32(0); p < int32(n); p++ {
		var prev int32
		for i := r.obsOff[p]; i < r.obsOff[p+1]; i++ {
			x := &r.Observations[i]
			d := x.Date.order()
			if x.Person != PersonIndex(p) || d < prev || uint32(x.Code) >= uint32(nC) || x.Unit < NoUnit || int(x.Unit) >= nU || !validDate(x.Date) {
				return bad("Observations", i)
			}
			prev = d
		}
	}
	for p := int32(0); p < int32(n); p++ {
		var prev int32
		for i := r.rxOff[p]; i < r.rxOff[p+1]; i++ {
			x := &r.Prescriptions[i]
			d := x.Date.order()
			if x.Person != PersonIndex(p) || d < prev || uint32(x.ATC) >= uint32(nC) || x.Unit < NoUnit || int(x.Unit) >= nU || !validDate(x.Date) {
				return bad("Prescriptions", i)
			}
			prev = d
		}
	}
	if wg.Wait(); contactsBad >= 0 {
		return bad("Contacts", contactsBad)
	}
	return nil
}

var monthDays = [12]uint8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// validDate reports whether d is a real date in the years [ParseDate]
// reads, 1800–2200: Date.Valid without a call for the usual date, and
// with the year bounded (a Region's dates are counted by month in that
// range, ContactMonths).
func validDate(d Date) bool {
	m := d.Month - 1
	if m >= 12 || d.Day == 0 || d.Year < 1800 || d.Year > 2200 {
		return false
	}
	return d.Day <= monthDays[m] || (m == 1 && d.Day == 29 && IsLeap(int(d.Year)))
}
