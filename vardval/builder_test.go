package vardval_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// rowSet is one random region as typed rows.
type rowSet struct {
	units         []vardval.UnitRow
	areas         []vardval.AreaRow
	listings      []vardval.ListingRow
	contacts      []vardval.ContactRow
	diagnoses     []vardval.DiagnosisRow
	observations  []vardval.ObservationRow
	prescriptions []vardval.PrescriptionRow
}

// randomRows draws rows from pools of good and faulty values: ids with
// delimiters, quotes and line breaks, personnummer (valid and not), words
// in other cases or not in the contract, impossible dates, numbers out of
// range or with too many decimals or digits.
func randomRows(seed uint64) rowSet {
	rng := rand.New(rand.NewPCG(seed, 16))
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	date := func() vardval.Date {
		switch rng.IntN(12) {
		case 0:
			return vardval.Date{}
		case 1:
			return vardval.D(2023, 13, 1)
		case 2:
			return vardval.D(2023, 2, 30)
		case 3:
			return vardval.D(1700, 1, 1)
		}
		return vardval.D(2018+rng.IntN(8), 1+rng.IntN(12), 1+rng.IntN(28))
	}
	num := func(s ...string) decimal.NullDecimal {
		v := pick(s...)
		if v == "" {
			return decimal.NullDecimal{}
		}
		return decimal.NewNullDecimal(decimal.RequireFromString(v))
	}
	numbers := []string{"", "0", "1", "1.5", "2.25", "-1", "27", "150", "1000000.01", "0.0000001", "12.1234567",
		"123456789012345678901234", "0.000000000000000000000000001", "9", "54", "0.5"}
	unitIDs := []string{"VC1", "VC2", "VC3", "A,B", "Q\"1", " VC4 ", "", "191212121212", "VC\n5", "vc1"}
	persons := []string{"P1", "P2", "P3", "P4", "P5", "19121212-1212", "191212121213", "", "P,6", "p\"7", "200001012384"}
	var rs rowSet
	for range rng.IntN(7) {
		rs.units = append(rs.units, vardval.UnitRow{UnitID: pick(unitIDs...),
			Name:         pick("Vårdcentral", "", "Namn, med komma", "a\"b", "rad\nbryt", "rad\r\nbryt", "x;y", " spaced ", "Dr 19121212-1212"),
			Kind:         pick("primary", "PRIMARY", "emergency", "digital", "specialist", "bogus", "", "primary"),
			Municipality: pick("", "1280", "12a0", "12800"), Owner: pick("", "public", "private", "Private", "x"),
			From: date(), To: date()})
	}
	for range rng.IntN(4) {
		rs.areas = append(rs.areas, vardval.AreaRow{Area: pick("A1", "A2", "", "A,3", "A\"4"), Name: pick("", "Norr", "Sö,der"), CNI: num(numbers...)})
	}
	for range rng.IntN(12) {
		rs.listings = append(rs.listings, vardval.ListingRow{PersonID: pick(persons...), UnitID: pick(unitIDs...),
			From: date(), To: date(), Sex: pick("F", "M", "K", "1", "2", "x", "", "f"), BirthDate: date(),
			Area: pick("", "A1", "A2", "A9", "A,3"), ACG: pick("", "1100", "bad code!", "x-1"), ACGWeight: num(numbers...)})
	}
	for range rng.IntN(12) {
		rs.contacts = append(rs.contacts, vardval.ContactRow{ContactID: pick("C1", "C2", "C3", "C4", "C5", "", "C,6"),
			PersonID: pick(persons...), UnitID: pick(unitIDs...), Date: date(),
			Mode: pick("visit", "phone", "VIDEO", "teleport", "", "chat"), Profession: pick("doctor", "nurse", "Physio", "wizard", "", "other"),
			Urgent: pick("", "yes", "no", "ja", "maybe"), Fee: num(numbers...), Requested: date(),
			NewProblem: pick("", "yes", "NEJ", "?"), Clinician: pick("", "D1", "D2", "19121212-1212", "D\n3")})
	}
	for range rng.IntN(8) {
		rs.diagnoses = append(rs.diagnoses, vardval.DiagnosisRow{PersonID: pick(persons...), Date: date(),
			Code: pick("F32.1", "F321", "j06", "X", "", "E11,9"), UnitID: pick(append(unitIDs, "")...), ContactID: pick("", "C1", "C9")})
	}
	for range rng.IntN(8) {
		rs.observations = append(rs.observations, vardval.ObservationRow{PersonID: pick(persons...), Date: date(),
			Code: pick("PHQ9", "BMI", "HBA1C", "X-Y", "bad code", "madrs-s"), Value: num(numbers...), UnitID: pick(append(unitIDs, "")...)})
	}
	for range rng.IntN(8) {
		rs.prescriptions = append(rs.prescriptions, vardval.PrescriptionRow{PersonID: pick(persons...), Date: date(),
			ATC: pick("J01CA04", "j01ca04", "J01", ""), UnitID: pick(append(unitIDs, "")...), DDD: num(numbers...)})
	}
	return rs
}

// csvFiles writes rs as the contract's files with encoding/csv, as a
// region's export would: dates with Date.String, numbers with
// Decimal.String, a file with no rows left out unless it is required.
func csvFiles(t *testing.T, rs rowSet) vardval.Files {
	file := func(required bool, header string, rows [][]string) *bytes.Reader {
		if len(rows) == 0 && !required {
			return nil
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.Write(strings.Split(header, ",")); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(b.Bytes())
	}
	n := func(d decimal.NullDecimal) string {
		if !d.Valid {
			return ""
		}
		return d.Decimal.String()
	}
	var f vardval.Files
	var rows [][]string
	for _, u := range rs.units {
		rows = append(rows, []string{u.UnitID, u.Name, u.Kind, u.Municipality, u.Owner, u.From.String(), u.To.String()})
	}
	f.Units = file(true, "unit_id,name,kind,municipality,owner,from,to", rows)
	rows = nil
	for _, a := range rs.areas {
		rows = append(rows, []string{a.Area, a.Name, n(a.CNI)})
	}
	if r := file(false, "area,name,cni", rows); r != nil {
		f.Areas = r
	}
	rows = nil
	for _, l := range rs.listings {
		rows = append(rows, []string{l.PersonID, l.UnitID, l.From.String(), l.To.String(), l.Sex, l.BirthDate.String(), l.Area, l.ACG, n(l.ACGWeight)})
	}
	f.Listings = file(true, "person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight", rows)
	rows = nil
	for _, c := range rs.contacts {
		rows = append(rows, []string{c.ContactID, c.PersonID, c.UnitID, c.Date.String(), c.Mode, c.Profession, c.Urgent, n(c.Fee),
			c.Requested.String(), c.NewProblem, c.Clinician})
	}
	if r := file(false, "contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician", rows); r != nil {
		f.Contacts = r
	}
	rows = nil
	for _, d := range rs.diagnoses {
		rows = append(rows, []string{d.PersonID, d.Date.String(), d.Code, d.UnitID, d.ContactID})
	}
	if r := file(false, "person_id,date,code,unit_id,contact_id", rows); r != nil {
		f.Diagnoses = r
	}
	rows = nil
	for _, o := range rs.observations {
		rows = append(rows, []string{o.PersonID, o.Date.String(), o.Code, n(o.Value), o.UnitID})
	}
	if r := file(false, "person_id,date,code,value,unit_id", rows); r != nil {
		f.Observations = r
	}
	rows = nil
	for _, x := range rs.prescriptions {
		rows = append(rows, []string{x.PersonID, x.Date.String(), x.ATC, x.UnitID, n(x.DDD)})
	}
	if r := file(false, "person_id,date,atc,unit_id,ddd", rows); r != nil {
		f.Prescriptions = r
	}
	return f
}

func build(rs rowSet, opts vardval.LoadOptions) (*vardval.Region, *vardval.IntakeReport, error) {
	b := vardval.NewBuilder(opts)
	for _, u := range rs.units {
		b.AddUnit(u)
	}
	for _, a := range rs.areas {
		b.AddArea(a)
	}
	for _, l := range rs.listings {
		b.AddListing(l)
	}
	for _, c := range rs.contacts {
		b.AddContact(c)
	}
	for _, d := range rs.diagnoses {
		b.AddDiagnosis(d)
	}
	for _, o := range rs.observations {
		b.AddObservation(o)
	}
	for _, x := range rs.prescriptions {
		b.AddPrescription(x)
	}
	return b.Build(context.Background())
}

// compareRegions compares every field of two regions and two reports, the
// unexported indexes included; the report's encoding is the files' own.
var compareRegions = []cmp.Option{
	cmp.AllowUnexported(vardval.Region{}, vardval.FileReport{}),
	cmpopts.IgnoreFields(vardval.FileReport{}, "Encoding"),
	cmpopts.EquateEmpty(),
}

// Random rows, faulty ones included, give the same Region, report and
// error through CSV files and through the Builder.
func TestBuilderMatchesCSV(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 400
	props := gopter.NewProperties(params)
	props.Property("Builder = Load of the same rows as CSV", prop.ForAll(
		func(seed uint64) bool {
			rs := randomRows(seed)
			opts := vardval.LoadOptions{Reference: vardval.D(2024, 6, 30)}
			r1, rep1, err1 := vardval.Load(context.Background(), csvFiles(t, rs), opts)
			r2, rep2, err2 := build(rs, opts)
			if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
				t.Logf("seed %d: errors differ: %v / %v", seed, err1, err2)
				return false
			}
			if d := cmp.Diff(rep1, rep2, compareRegions...); d != "" {
				t.Logf("seed %d: reports differ (-csv +builder):\n%s", seed, d)
				return false
			}
			if d := cmp.Diff(r1, r2, compareRegions...); d != "" {
				t.Logf("seed %d: regions differ (-csv +builder):\n%s", seed, d)
				return false
			}
			return true
		},
		gen.UInt64(),
	))
	props.TestingRun(t)
}

// The n-th row added to a file is on line n+1 of its report; a value
// cannot add a field, a row or a column.
func TestBuilderLinesAndQuoting(t *testing.T) {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	evil := "x\",primary\nVC9,Evil,primary\n"
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "Ett; \"två\", tre", Kind: "primary"})
	b.AddUnit(vardval.UnitRow{UnitID: "VC2", Name: "Två", Kind: "nope"})
	b.AddUnit(vardval.UnitRow{UnitID: "VC3", Name: evil, Kind: "primary"})
	b.AddListing(vardval.ListingRow{PersonID: "P1", UnitID: "VC1", From: vardval.D(2024, 1, 1), Sex: "F", BirthDate: vardval.D(1980, 1, 1)})
	b.AddListing(vardval.ListingRow{PersonID: "P2", UnitID: "VC1", From: vardval.D(2024, 1, 1), Sex: "F"})
	b.AddListing(vardval.ListingRow{PersonID: "P3", UnitID: "VC9", From: vardval.D(2024, 1, 1), Sex: "F", BirthDate: vardval.D(1980, 1, 1)})
	r, rep, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids, names []string
	for _, u := range r.Units {
		ids, names = append(ids, u.ID), append(names, u.Name)
	}
	if d := cmp.Diff([]string{"VC1", "VC3"}, ids); d != "" {
		t.Errorf("units (-want +got):\n%s", d)
	}
	if names[0] != "Ett; \"två\", tre" || names[1] != strings.TrimSpace(evil) {
		t.Errorf("names %q", names)
	}
	var got []string
	for _, f := range rep.Files {
		for _, e := range f.Rejections {
			got = append(got, e.Error())
		}
	}
	want := []string{
		"units.csv:3:kind: kind \"nope\" is not one of primary, emergency, specialist, digital",
		"listings.csv:3:birth_date: birth_date is required when person_id is not a personnummer",
		"listings.csv:4:unit_id: unit_id \"VC9\" is not in units.csv",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rejections (-want +got):\n%s", d)
	}
	if l := r.Listings; len(l) != 1 || l[0].Line != 2 {
		t.Errorf("listings %v", l)
	}
	// Build leaves the Builder empty: a second Build has no units.
	r2, rep2, err := b.Build(context.Background())
	if err != nil || len(r2.Units) != 0 || rep2.File(vardval.FileUnits).Read != 0 || rep2.File(vardval.FileContacts).Present {
		t.Errorf("second Build: %v %v %+v", err, r2.Units, rep2.Files)
	}
}

// Numbers with an exponent far out are written in bounded space and
// rejected as their full notation would be (a run of ten or more digits
// is masked whole in a reason).
func TestBuilderHugeNumbers(t *testing.T) {
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "Ett", Kind: "primary"})
	for i, v := range []decimal.Decimal{decimal.New(7, 1_000_000_000), decimal.New(7, -1_000_000_000), decimal.New(25, -1)} {
		b.AddListing(vardval.ListingRow{PersonID: "P" + string(rune('1'+i)), UnitID: "VC1", From: vardval.D(2024, 1, 1), Sex: "F",
			BirthDate: vardval.D(1980, 1, 1), ACGWeight: decimal.NewNullDecimal(v)})
	}
	r, rep, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rep.File(vardval.FileListings).Rejections {
		got = append(got, e.Error())
	}
	want := []string{
		`listings.csv:2:acg_weight: acg_weight "[personnummer]": number too large`,
		`listings.csv:3:acg_weight: acg_weight "0.[personnummer]": more than 6 decimals`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rejections (-want +got):\n%s", d)
	}
	if len(r.Listings) != 1 || r.Listings[0].ACGWeight != 2_500_000 {
		t.Errorf("listings %+v", r.Listings)
	}
}

// A Region assembled by hand fails Validate with a *RegionError; one from
// the Builder passes; Extend checks what it adds.
func TestRegionValidate(t *testing.T) {
	hand := &vardval.Region{Units: []vardval.Unit{{ID: "VC1", Kind: vardval.KindPrimary}},
		Persons:  []vardval.Person{{Key: "a", Sex: vardval.Female}},
		Listings: []vardval.Listing{{Person: 0, Unit: 5, Period: vardval.Period{From: vardval.D(2024, 1, 1)}, Area: -1, ACG: -1}}}
	var re *vardval.RegionError
	if err := hand.Validate(); !errors.As(err, &re) {
		t.Fatalf("hand-made region: %v", err)
	}
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "Ett", Kind: "primary"})
	b.AddListing(vardval.ListingRow{PersonID: "P1", UnitID: "VC1", From: vardval.D(2024, 1, 1), Sex: "F", BirthDate: vardval.D(1980, 1, 1)})
	r, _, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	// A changed index is found.
	bad := *r
	bad.Listings = []vardval.Listing{r.Listings[0]}
	bad.Listings[0].Unit = 3
	if err := bad.Validate(); !errors.As(err, &re) || re.Field != "Listings[0].Unit" {
		t.Errorf("changed unit index: %v", err)
	}
	// Extend: a new unit in id order, a new person, their records.
	x, err := r.Extend(vardval.Extension{
		Units:    []vardval.Unit{{ID: "AA", Name: "Först", Kind: vardval.KindPrimary}},
		Persons:  []vardval.Person{{Key: "~new", Sex: vardval.Male, BirthDate: vardval.D(1990, 1, 1)}},
		Listings: []vardval.Listing{{Person: 1, Unit: 1, Period: vardval.Period{From: vardval.D(2024, 2, 1)}, Area: -1, ACG: -1}},
		Contacts: []vardval.Contact{{Person: 0, Unit: 0, Date: vardval.D(2024, 3, 1), Clinician: -1, Fee: -1, Mode: vardval.ModeVisit, Profession: vardval.Doctor}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if x.Units[0].ID != "AA" || x.Unit(x.ListingsOf(1)[0].Unit).ID != "AA" || x.Unit(x.ContactsOf(0)[0].Unit).ID != "VC1" || len(r.Units) != 1 {
		t.Errorf("extended: %+v", x)
	}
	for _, ext := range []vardval.Extension{
		{Contacts: []vardval.Contact{{Person: 0, Unit: 9, Date: vardval.D(2024, 3, 1), Clinician: -1}}},
		{Persons: []vardval.Person{{Key: ""}}},
		{Units: []vardval.Unit{{ID: "VC1"}}},
		{Listings: []vardval.Listing{{Person: 0, Unit: 0, Period: vardval.Period{From: vardval.D(2024, 2, 30)}, Area: -1, ACG: -1}}},
	} {
		if _, err := r.Extend(ext); !errors.As(err, &re) {
			t.Errorf("%+v: %v", ext, err)
		}
	}
}
