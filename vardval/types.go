package vardval

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// UnitIndex identifies a care unit within one loaded [Region]: an index into
// Region.Units. Units are sorted by ID, so an index is stable for a region
// whatever the row order of the input.
type UnitIndex int32

// NoUnit is the UnitIndex of "no unit" (not listed, or not given).
const NoUnit UnitIndex = -1

// PersonIndex identifies a person within one loaded Region: an index into
// Region.Persons. Persons are sorted by their pseudonym, never by input order.
type PersonIndex int32

// UnitKind is the kind of a care unit.
type UnitKind uint8

// The unit kinds of the data contract.
const (
	KindUnknown UnitKind = iota
	KindPrimary
	KindEmergency
	KindSpecialist
	KindDigital
)

var unitKindNames = [...]string{"", "primary", "emergency", "specialist", "digital"}

// String returns the contract's name of k.
func (k UnitKind) String() string {
	if int(k) < len(unitKindNames) {
		return unitKindNames[k]
	}
	return fmt.Sprintf("UnitKind(%d)", k)
}

// Owner tells whether a unit is run by the region or by a private provider.
// The zero value means not given.
type Owner uint8

// The owners of the data contract.
const (
	OwnerUnknown Owner = iota
	OwnerPublic
	OwnerPrivate
)

var ownerNames = [...]string{"", "public", "private"}

// String returns the contract's name of o ("" when not given).
func (o Owner) String() string {
	if int(o) < len(ownerNames) {
		return ownerNames[o]
	}
	return fmt.Sprintf("Owner(%d)", o)
}

// Sex is a person's legal sex. The zero value means not known.
type Sex uint8

// The sexes of the data contract.
const (
	SexUnknown Sex = iota
	Female
	Male
)

// String returns "F", "M" or "" for unknown.
func (s Sex) String() string {
	switch s {
	case Female:
		return "F"
	case Male:
		return "M"
	}
	return ""
}

// Mode is how a contact took place.
type Mode uint8

// The contact modes of the data contract.
const (
	ModeUnknown Mode = iota
	ModeVisit
	ModeHome
	ModePhone
	ModeVideo
	ModeChat
)

// ModeNames lists the contract names of the modes, indexed by Mode.
var modeNames = [...]string{"", "visit", "home", "phone", "video", "chat"}

// String returns the contract's name of m.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// Profession is the profession of the clinician a contact was with.
type Profession uint8

// The professions of the data contract.
const (
	ProfessionUnknown Profession = iota
	Doctor
	Nurse
	Psychologist
	Physio
	OccupationalTherapist
	Counsellor
	Dietitian
	OtherProfession
)

var professionNames = [...]string{"", "doctor", "nurse", "psychologist", "physio", "occupational_therapist", "counsellor", "dietitian", "other"}

// String returns the contract's name of p.
func (p Profession) String() string {
	if int(p) < len(professionNames) {
		return professionNames[p]
	}
	return fmt.Sprintf("Profession(%d)", p)
}

// Licensed reports whether p is a licensed health profession that can make
// a medical assessment under the care guarantee (all but counsellor and other).
func (p Profession) Licensed() bool {
	switch p {
	case Doctor, Nurse, Psychologist, Physio, OccupationalTherapist, Dietitian:
		return true
	}
	return false
}

// YesNo is an optional yes/no answer. The zero value means not given.
type YesNo uint8

// The values of YesNo.
const (
	NotGiven YesNo = iota
	Yes
	No
)

// Fixed is an exact decimal quantity stored as millionths (6 decimals), used
// for ACG weights, CNI values, observation values and DDD. Inputs with more
// than six decimals are rejected, never rounded.
type Fixed int64

// FixedScale is the number of Fixed units in 1.
const FixedScale = 1_000_000

// Decimal returns f as an exact decimal.
func (f Fixed) Decimal() decimal.Decimal { return decimal.New(int64(f), -6) }

// String formats f with the decimals it needs (e.g. "1.25", "27").
func (f Fixed) String() string { return f.Decimal().String() }

// Unit is a care unit (vårdcentral, emergency department, specialist clinic
// or digital provider).
type Unit struct {
	ID           string
	Name         string
	Kind         UnitKind
	Municipality string // 4-digit kommunkod, or ""
	Owner        Owner
	Active       Period // when the unit is open; zero bounds mean unknown
}

// Person is one person as known to vardval: never the personnummer itself,
// only a keyed pseudonym and what was derived from it or given on a listing.
type Person struct {
	Key       string // keyed pseudonym, stable for the same input and key
	Sex       Sex
	BirthDate Date // zero when not known
}

// Listing is a period during which a person is listed at a unit.
type Listing struct {
	Person    PersonIndex
	Unit      UnitIndex
	Period    Period // To zero = still open
	Area      int32  // index into Region.Areas, -1 when not given or unknown
	ACG       int32  // index into Region.Codes of the ACG category, -1 when not given
	ACGWeight Fixed  // case-mix weight, valid when HasWeight
	HasWeight bool
	Line      int32 // line in listings.csv where the row starts
}

// Contact is one contact between a person and a unit.
type Contact struct {
	Person     PersonIndex
	Unit       UnitIndex
	Date       Date
	Requested  Date  // zero when not given
	Clinician  int32 // index into Region.Clinicians, -1 when not given
	Mode       Mode
	Profession Profession
	Urgent     YesNo
	NewProblem YesNo
	Fee        int64 // patient fee in öre, -1 when not given (last: the struct packs into 32 bytes)
}

// Diagnosis is one ICD-10-SE diagnosis code set for a person on a day.
type Diagnosis struct {
	Person PersonIndex
	Date   Date
	Code   int32 // index into Region.Codes, normalised without dot (F321)
	Unit   UnitIndex
}

// Observation is one measured value (PHQ-9 score, HbA1c, blood pressure...).
type Observation struct {
	Person PersonIndex
	Date   Date
	Code   int32 // index into Region.Codes (PHQ9, MADRSS, HBA1C...)
	Value  Fixed
	Unit   UnitIndex
}

// Prescription is one prescription of a drug by ATC code.
type Prescription struct {
	Person PersonIndex
	Date   Date
	ATC    int32 // index into Region.Codes
	Unit   UnitIndex
	DDD    Fixed // defined daily doses, valid when HasDDD
	HasDDD bool
}

// Area is a geographic area (DeSO or the region's own) with its CNI.
type Area struct {
	ID     string
	Name   string
	CNI    Fixed // valid when HasCNI
	HasCNI bool
	// Census holds the area's census shares, in CensusVariables order
	// (each the persons with the characteristic ÷ all persons of the area,
	// 0..1), valid when HasCensus: a payment model computes the CNI of an
	// area without one from them (docs/semantics.md, "CNI from census
	// shares").
	Census    [NCensus]Fixed
	HasCensus bool
}

// NCensus is the number of census variables of the Care Need Index.
const NCensus = 7

// CensusVariables returns the areas.csv column names of the seven census
// shares of Sundquist's Care Need Index (Sundquist et al., J Epidemiol
// Community Health 2003;57:347–352), in order: persons 65+ living alone,
// born outside Europe (Eastern Europe, Asia, Africa, South America),
// unemployed aged 16–64, single parents, moved in during the last year,
// children under 5, and persons aged 25–64 with low education; each as a
// share of all persons of the area.
func CensusVariables() []string {
	return []string{"share_elderly_alone", "share_born_outside_europe", "share_unemployed", "share_single_parent",
		"share_moved_in", "share_under_5", "share_low_education"}
}
