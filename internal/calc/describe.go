package calc

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// DescribedUnitID is the unit id of the described unit in the region
// Describe builds.
const DescribedUnitID = "DIN-VC"

// DescribeRequest is the describe form: one unit priced for one calendar
// year. Counts are persons or contacts in the year.
type DescribeRequest struct {
	Model    string         `json:"model"`
	Year     int            `json:"year"`
	Name     string         `json:"name"`  // the unit's name; "" gives a default
	Owner    string         `json:"owner"` // "public" or "private"
	Persons  []BandCount    `json:"persons"`
	MeanACG  string         `json:"mean_acg"` // decimal, e.g. "1.05"; "" = not given
	CNI      string         `json:"cni"`      // decimal, e.g. "1.20"; "" = not given
	Contacts Contacts       `json:"contacts"`
	Measures []MeasureValue `json:"measures"`
	// CompareWith names a second embedded model to price the same unit
	// with, side by side ("" = none). It must cover Year too.
	CompareWith string `json:"compare_with"`
	// Lang is the language of the view's texts: "sv" or "en" ("" is
	// English, as the CLI writes).
	Lang string `json:"lang"`
}

// BandCount is the number of listed women (F) and men (M) aged From..To.
type BandCount struct {
	From int `json:"from"`
	To   int `json:"to"`
	F    int `json:"f"`
	M    int `json:"m"`
}

// Contacts are the described unit's contacts in the year, by kind.
type Contacts struct {
	OwnDoctor int `json:"own_doctor"` // listed persons' doctor visits at the unit
	OwnOther  int `json:"own_other"`  // listed persons' visits to other professions at the unit
	// Visits at the unit by persons listed at other units.
	ElsewhereDoctor int `json:"elsewhere_doctor"`
	ElsewhereOther  int `json:"elsewhere_other"`
	// Visits at the unit by persons listed nowhere.
	UnlistedDoctor int `json:"unlisted_doctor"`
	UnlistedOther  int `json:"unlisted_other"`
	// Listed persons' contacts at other vårdcentraler, emergency
	// departments and digital providers.
	OutPrimaryDoctor int `json:"out_primary_doctor"`
	OutPrimaryOther  int `json:"out_primary_other"`
	OutEmergency     int `json:"out_emergency"`
	OutDigital       int `json:"out_digital"`
}

// MeasureValue is the described unit's result of one measure: numerator
// and denominator as decimal strings (value = numerator / denominator ×
// the measure's scale, as the measures engine computes it).
type MeasureValue struct {
	ID          string `json:"id"`
	Numerator   string `json:"numerator"`
	Denominator string `json:"denominator"`
}

// maxDescribed bounds the persons and contacts of a described unit.
const maxDescribed = 1_000_000

// Describe prices the described unit under req.Model for req.Year and
// returns its statement. Errors are *InputError for a bad request, and
// payment's errors for a model that cannot price the year.
func (c *Calculator) Describe(ctx context.Context, req DescribeRequest) (*View, error) {
	m, err := c.model(req.Model)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(modelYears(m.Valid), req.Year) {
		return nil, &InputError{Field: "year", Reason: fmt.Sprintf("model %s does not cover the whole year %d", m.Name, req.Year)}
	}
	ref, err := c.reference(ctx, req.Year)
	if err != nil {
		return nil, err
	}
	r, err := describedRegion(ref, req)
	if err != nil {
		return nil, err
	}
	res, err := describedMeasures(req.Measures)
	if err != nil {
		return nil, err
	}
	opts := payment.RunOptions{Measures: func(id, unit string) (measures.Result, bool) {
		if unit != DescribedUnitID {
			return measures.Result{}, false
		}
		v, ok := res[id]
		return v, ok
	}}
	period := vardval.Period{From: vardval.D(req.Year, 1, 1), To: vardval.D(req.Year, 12, 31)}
	st, err := payment.Run(ctx, m, r, period, opts)
	if err != nil {
		return nil, err
	}
	var cmpView *CompareView
	if req.CompareWith != "" {
		mb, err := c.model(req.CompareWith)
		if err != nil {
			return nil, &InputError{Field: "compare_with", Reason: fmt.Sprintf("no embedded model %q", req.CompareWith)}
		}
		if !slices.Contains(modelYears(mb.Valid), req.Year) {
			return nil, &InputError{Field: "compare_with", Reason: fmt.Sprintf("model %s does not cover the whole year %d", mb.Name, req.Year)}
		}
		sb, err := payment.Run(ctx, mb, r, period, opts)
		if err != nil {
			return nil, err
		}
		cmpView = compareView(st, sb, DescribedUnitID)
		cmpView.ModelA.Title, cmpView.ModelB.Title = i18n.Title(m, viewLang(req.Lang)), i18n.Title(mb, viewLang(req.Lang))
	}
	c.mu.Lock()
	c.last, c.focus, c.intake = st, DescribedUnitID, nil
	c.lastModel, c.lastLang = m, viewLang(req.Lang)
	c.mu.Unlock()
	v := translated(statementView(st, DescribedUnitID), m, viewLang(req.Lang))
	v.Focus = DescribedUnitID
	v.Compare = cmpView
	v.Reference = &Reference{Persons: len(ref.Persons), Units: len(ref.Units), Seed: ReferenceSeed, Year: req.Year}
	for _, u := range ref.Units {
		if u.Kind == vardval.KindPrimary {
			v.Reference.PrimaryUnits++
		}
	}
	return v, nil
}

// reference returns the synthetic reference region of year (cached).
func (c *Calculator) reference(ctx context.Context, year int) (*vardval.Region, error) {
	c.mu.Lock()
	r, ok := c.refs[year]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	files, _, err := synth.GenerateFiles(ctx, synth.Config{Persons: ReferencePersons, Seed: ReferenceSeed, Year: year, PerUnit: ReferencePerUnit})
	if err != nil {
		return nil, err
	}
	rd := func(name string) *bytes.Reader { return bytes.NewReader(files[name]) }
	r, _, err = vardval.Load(ctx, vardval.Files{
		Units: rd(vardval.FileUnits), Areas: rd(vardval.FileAreas), Listings: rd(vardval.FileListings),
		Contacts: rd(vardval.FileContacts),
	}, vardval.LoadOptions{})
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.refs[year] = r
	c.mu.Unlock()
	return r, nil
}

func parseFixed(field, s string) (vardval.Fixed, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	// Bounded like a model's numbers: no exponent ("1e100000000" would
	// take minutes to compare), at most payment.MaxDigits digits.
	d, err := payment.ParseParameterValue(s)
	if err != nil || d.IsNegative() || d.Exponent() < -6 || d.GreaterThan(decimal.NewFromInt(1000)) {
		return 0, false, &InputError{Field: field, Reason: "must be a decimal between 0 and 1000 with at most six decimals"}
	}
	return vardval.Fixed(d.Shift(6).IntPart()), true, nil
}

// birthFor returns a birth date that keeps a person inside the age band
// from..to for the whole year y, and on 31 December of y−1 when the band
// is wider than one year.
func birthFor(from, to, y int) vardval.Date {
	age := from
	if to > from {
		age = from + (min(to, from+10)-from+1)/2
	}
	return vardval.D(y-age, 1, 1)
}

// spread returns the day of the k-th of n events spread evenly over p.
func spread(p vardval.Period, k, n int) vardval.Date {
	days := p.Days()
	return p.From.AddDays(int((int64(2*k+1) * int64(days)) / int64(2*n)))
}

// describedRegion builds the reference region plus the described unit.
func describedRegion(ref *vardval.Region, req DescribeRequest) (*vardval.Region, error) {
	year := vardval.Period{From: vardval.D(req.Year, 1, 1), To: vardval.D(req.Year, 12, 31)}
	owner := vardval.OwnerPublic
	switch req.Owner {
	case "public", "":
	case "private":
		owner = vardval.OwnerPrivate
	default:
		return nil, &InputError{Field: "owner", Reason: "must be public or private"}
	}
	acg, hasACG, err := parseFixed("mean_acg", req.MeanACG)
	if err != nil {
		return nil, err
	}
	cni, hasCNI, err := parseFixed("cni", req.CNI)
	if err != nil {
		return nil, err
	}
	total := 0
	for i, b := range req.Persons {
		if b.F < 0 || b.M < 0 || b.From < 0 || b.To < b.From || b.From > payment.MaxAge {
			return nil, &InputError{Field: fmt.Sprintf("persons[%d]", i), Reason: "counts must be non-negative and from ≤ to"}
		}
		total += b.F + b.M
	}
	ct := req.Contacts
	counts := []int{ct.OwnDoctor, ct.OwnOther, ct.ElsewhereDoctor, ct.ElsewhereOther, ct.UnlistedDoctor, ct.UnlistedOther,
		ct.OutPrimaryDoctor, ct.OutPrimaryOther, ct.OutEmergency, ct.OutDigital}
	nContacts := 0
	for _, n := range counts {
		if n < 0 {
			return nil, &InputError{Field: "contacts", Reason: "counts must be non-negative"}
		}
		nContacts += n
	}
	if total > maxDescribed || nContacts > 10*maxDescribed {
		return nil, &InputError{Field: "persons", Reason: fmt.Sprintf("at most %d listed persons and %d contacts", maxDescribed, 10*maxDescribed)}
	}

	name := req.Name
	if name == "" {
		name = "Described unit"
		if req.Lang == "sv" {
			name = "Beskriven vårdcentral"
		}
	}
	// The described unit, its area and persons and every record are added
	// to the reference region by Region.Extend, which merges the unit in
	// id order, remaps every index and checks the result. In x, unit
	// len(ref.Units) is the described one, person len(ref.Persons)+k is
	// x.Persons[k].
	if _, dup := ref.UnitByID(DescribedUnitID); dup {
		return nil, &InputError{Field: "reference", Reason: "the reference region already has a unit " + DescribedUnitID}
	}
	x := vardval.Extension{Units: []vardval.Unit{{ID: DescribedUnitID, Name: name, Kind: vardval.KindPrimary, Owner: owner}}}
	du := vardval.UnitIndex(len(ref.Units))
	newPerson := func(p vardval.Person) vardval.PersonIndex {
		x.Persons = append(x.Persons, p)
		return vardval.PersonIndex(len(ref.Persons) + len(x.Persons) - 1)
	}

	// The described unit's area ("~" sorts after every reference area id).
	area := int32(-1)
	if hasCNI {
		area = int32(len(ref.Areas))
		x.Areas = append(x.Areas, vardval.Area{ID: "~" + DescribedUnitID, Name: name, CNI: cni, HasCNI: true})
	}
	// Listed persons: keys starting with "~" sort after the reference's.
	listFrom := vardval.D(req.Year-3, 1, 1)
	var listed []vardval.PersonIndex
	for bi, b := range req.Persons {
		birth := birthFor(b.From, b.To, req.Year)
		for si, n := range []int{b.F, b.M} {
			sex := []vardval.Sex{vardval.Female, vardval.Male}[si]
			for k := 0; k < n; k++ {
				p := newPerson(vardval.Person{Key: fmt.Sprintf("~L%03d%s%07d", bi, sex, k), Sex: sex, BirthDate: birth})
				from := listFrom
				if birth.After(from) {
					from = birth
				}
				x.Listings = append(x.Listings, vardval.Listing{Person: p, Unit: du, Period: vardval.Period{From: from},
					Area: area, ACG: -1, ACGWeight: acg, HasWeight: hasACG, Line: -1})
				listed = append(listed, p)
			}
		}
	}
	// Persons listed at a reference vårdcentral all year, who make the
	// "listed elsewhere" visits.
	var visitors []vardval.PersonIndex
	for p := range ref.Persons {
		pi := vardval.PersonIndex(p)
		ls := ref.ListingsOf(pi)
		if len(ls) == 1 && ref.Units[ls[0].Unit].Kind == vardval.KindPrimary && ls[0].Period.Contains(year.From) && ls[0].Period.Contains(year.To) {
			visitors = append(visitors, pi)
		}
	}
	first := func(kind vardval.UnitKind) vardval.UnitIndex {
		for i, u := range ref.Units {
			if u.Kind == kind {
				return vardval.UnitIndex(i)
			}
		}
		return vardval.NoUnit
	}
	add := func(field string, n int, who func(k int) vardval.PersonIndex, unit vardval.UnitIndex, mode vardval.Mode, prof vardval.Profession) error {
		if n == 0 {
			return nil
		}
		if unit == vardval.NoUnit {
			return &InputError{Field: "contacts." + field, Reason: "the reference region has no unit of that kind"}
		}
		for k := 0; k < n; k++ {
			x.Contacts = append(x.Contacts, vardval.Contact{Person: who(k), Unit: unit, Date: spread(year, k, n),
				Clinician: -1, Fee: -1, Mode: mode, Profession: prof})
		}
		return nil
	}
	own := func(field string, n int) (func(int) vardval.PersonIndex, error) {
		if n > 0 && len(listed) == 0 {
			return nil, &InputError{Field: "contacts." + field, Reason: "contacts of listed persons need at least one listed person"}
		}
		return func(k int) vardval.PersonIndex { return listed[k%len(listed)] }, nil
	}
	visitor := func(k int) vardval.PersonIndex { return visitors[k%len(visitors)] }
	if len(visitors) == 0 && ct.ElsewhereDoctor+ct.ElsewhereOther > 0 {
		return nil, &InputError{Field: "contacts.elsewhere_doctor", Reason: "the reference region has no persons listed elsewhere"}
	}
	// Unlisted visitors: one new person per three contacts.
	nUnlisted := (ct.UnlistedDoctor + ct.UnlistedOther + 2) / 3
	unlisted0 := len(ref.Persons) + len(x.Persons)
	for k := 0; k < nUnlisted; k++ {
		sex := vardval.Female
		if k%2 == 1 {
			sex = vardval.Male
		}
		newPerson(vardval.Person{Key: fmt.Sprintf("~U%07d", k), Sex: sex, BirthDate: vardval.D(req.Year-40, 1, 1)})
	}
	unlisted := func(off int) func(int) vardval.PersonIndex {
		return func(k int) vardval.PersonIndex { return vardval.PersonIndex(unlisted0 + (off+k)/3) }
	}
	type spec struct {
		field string
		n     int
		who   func(int) vardval.PersonIndex
		unit  vardval.UnitIndex
		mode  vardval.Mode
		prof  vardval.Profession
	}
	var specs []spec
	for _, o := range []struct {
		field string
		n     int
		unit  vardval.UnitIndex
		mode  vardval.Mode
		prof  vardval.Profession
	}{
		{"own_doctor", ct.OwnDoctor, du, vardval.ModeVisit, vardval.Doctor},
		{"own_other", ct.OwnOther, du, vardval.ModeVisit, vardval.Nurse},
		{"out_primary_doctor", ct.OutPrimaryDoctor, first(vardval.KindPrimary), vardval.ModeVisit, vardval.Doctor},
		{"out_primary_other", ct.OutPrimaryOther, first(vardval.KindPrimary), vardval.ModeVisit, vardval.Nurse},
		{"out_emergency", ct.OutEmergency, first(vardval.KindEmergency), vardval.ModeVisit, vardval.Doctor},
		{"out_digital", ct.OutDigital, first(vardval.KindDigital), vardval.ModeVideo, vardval.Doctor},
	} {
		who, err := own(o.field, o.n)
		if err != nil {
			return nil, err
		}
		specs = append(specs, spec{o.field, o.n, who, o.unit, o.mode, o.prof})
	}
	specs = append(specs,
		spec{"elsewhere_doctor", ct.ElsewhereDoctor, visitor, du, vardval.ModeVisit, vardval.Doctor},
		spec{"elsewhere_other", ct.ElsewhereOther, func(k int) vardval.PersonIndex { return visitor(k + ct.ElsewhereDoctor) }, du, vardval.ModeVisit, vardval.Nurse},
		spec{"unlisted_doctor", ct.UnlistedDoctor, unlisted(0), du, vardval.ModeVisit, vardval.Doctor},
		spec{"unlisted_other", ct.UnlistedOther, unlisted(ct.UnlistedDoctor), du, vardval.ModeVisit, vardval.Nurse},
	)
	for _, s := range specs {
		if err := add(s.field, s.n, s.who, s.unit, s.mode, s.prof); err != nil {
			return nil, err
		}
	}
	return ref.Extend(x)
}

// describedMeasures turns the entered results into measures.Results the
// way the measures engine computes them: value = numerator × scale /
// denominator rounded half-even to 6 decimals, suppressed below the
// definition's smallest reportable denominator.
func describedMeasures(in []MeasureValue) (map[string]measures.Result, error) {
	out := map[string]measures.Result{}
	for i, mv := range in {
		field := fmt.Sprintf("measures[%d]", i)
		d, err := measures.Lookup(mv.ID)
		if err != nil {
			return nil, &InputError{Field: field + ".id", Reason: "unknown measure"}
		}
		if strings.TrimSpace(mv.Numerator) == "" && strings.TrimSpace(mv.Denominator) == "" {
			continue // no result entered
		}
		num, err := payment.ParseParameterValue(mv.Numerator)
		if err != nil || num.IsNegative() {
			return nil, &InputError{Field: field + ".numerator", Reason: "must be a non-negative decimal"}
		}
		den, err := payment.ParseParameterValue(mv.Denominator)
		if err != nil || !den.IsPositive() {
			return nil, &InputError{Field: field + ".denominator", Reason: "must be a positive decimal"}
		}
		scale := d.Scale
		if scale == 0 {
			scale = 1
		}
		if d.Kind == "proportion" && num.GreaterThan(den) {
			return nil, &InputError{Field: field + ".numerator", Reason: "must not exceed the denominator"}
		}
		res := measures.Result{Measure: d.ID, UnitID: DescribedUnitID, Numerator: num, Denominator: den,
			Value: num.Mul(decimal.NewFromInt(scale)).DivRound(den, 6), CILow: math.NaN(), CIHigh: math.NaN()}
		// Intervals are display-only: Wilson needs whole counts; a rate's
		// exposure (person-years) is usually fractional, only its events
		// must be whole.
		switch {
		case d.Kind == "proportion" && num.IsInteger() && den.IsInteger():
			iv := measures.Wilson(num.IntPart(), den.IntPart(), 0.95)
			res.CILow, res.CIHigh, res.Method = iv.Low*float64(scale), iv.High*float64(scale), "wilson-95"
		case d.Kind == "rate" && num.IsInteger():
			iv := measures.PoissonRate(num.IntPart(), den.InexactFloat64(), float64(scale), 0.95)
			res.CILow, res.CIHigh, res.Method = iv.Low, iv.High, "exact-poisson-95"
		}
		out[d.ID] = measures.SuppressResult(res, d.MinDenominator)
	}
	return out, nil
}

// Warm generates and caches the reference region of year, so that the
// first Describe of that year answers at once.
func (c *Calculator) Warm(ctx context.Context, year int) error {
	_, err := c.reference(ctx, year)
	return err
}
