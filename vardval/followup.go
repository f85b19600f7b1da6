package vardval

import (
	"cmp"
	"fmt"
	"slices"
)

// The follow-up files of the contract: optional, read after the others
// (issue 22). They carry what the measures of prevention, lifestyle,
// multimorbid elderly, avoidable hospital care, staffing, telephone
// accessibility and patient experience need.
const (
	FileProcedures = "procedures.csv"
	FileAdmissions = "admissions.csv"
	FileClinicians = "clinicians.csv"
	FileCalls      = "calls.csv"
	FileSurvey     = "survey.csv"
)

// Employment tells whether a clinician works at a unit as its employee or
// is hired in (hyrpersonal, bemanningsföretag). The zero value means not
// given.
type Employment uint8

// The employments of the data contract.
const (
	EmploymentUnknown Employment = iota
	Employed
	Hired
)

var employmentNames = [...]string{"", "employed", "hired"}

// String returns the contract's name of e.
func (e Employment) String() string {
	if int(e) < len(employmentNames) {
		return employmentNames[e]
	}
	return fmt.Sprintf("Employment(%d)", e)
}

// Procedure is one KVÅ procedure (åtgärd) recorded for a person on a day
// (procedures.csv).
type Procedure struct {
	Person    PersonIndex
	Date      Date
	Unit      UnitIndex
	Code      string // KVÅ code, upper-case, e.g. DV112 or XV015
	Clinician string // pseudonymous staff id, "" when not given
}

// Admission is one hospital admission of a person (admissions.csv).
type Admission struct {
	Person     PersonIndex
	Admitted   Date
	Discharged Date   // zero while still admitted
	Diagnosis  string // main diagnosis, ICD-10 without dot, upper-case (E119)
	Acute      bool
	Hospital   string
}

// StaffPeriod is a period during which a clinician works at a unit
// (clinicians.csv).
type StaffPeriod struct {
	Clinician  string
	Unit       UnitIndex
	Profession Profession
	Employment Employment
	Period     Period // To zero = still working there
}

// CallDay is one unit's telephone calls on one day (calls.csv), as
// telephony systems export them.
type CallDay struct {
	Unit            UnitIndex
	Date            Date
	Calls           int64
	AnsweredSameDay int64
}

// SurveyResult is one unit's aggregated answers to one survey question in
// one survey period (survey.csv), e.g. Nationell patientenkät.
type SurveyResult struct {
	Unit        UnitIndex
	Period      Period
	Question    string // lower-case
	Respondents int64
	Positive    int64
}

// Followup holds a region's follow-up files. Procedures and admissions are
// grouped by person (persons of the region only: a row of a person the
// other files do not name is accepted but kept nowhere, as it counts for
// no measure), each person's in date order; staff periods are ordered by
// clinician, unit and start, calls by unit and date, survey results by
// unit, period and question. Every order is by content, never by input
// order. A Followup is read-only once its Region is returned.
type Followup struct {
	Procedures []Procedure
	Admissions []Admission
	Staff      []StaffPeriod
	Calls      []CallDay
	Survey     []SurveyResult

	procOff, admOff []int32
}

// Followup returns the region's follow-up records (empty, never nil, when
// none of the follow-up files was given).
func (r *Region) Followup() *Followup {
	if r.followup == nil {
		return &Followup{}
	}
	return r.followup
}

// ProceduresOf returns person p's procedures in date order.
func (f *Followup) ProceduresOf(p PersonIndex) []Procedure {
	if f.procOff == nil || int(p)+1 >= len(f.procOff) || p < 0 {
		return nil
	}
	return f.Procedures[f.procOff[p]:f.procOff[p+1]]
}

// AdmissionsOf returns person p's admissions in order of admission.
func (f *Followup) AdmissionsOf(p PersonIndex) []Admission {
	if f.admOff == nil || int(p)+1 >= len(f.admOff) || p < 0 {
		return nil
	}
	return f.Admissions[f.admOff[p]:f.admOff[p+1]]
}

// index puts every slice of f into its canonical order and builds the
// per-person offsets for n persons.
func (f *Followup) index(n int) {
	// No procedures (or admissions): no offsets (ProceduresOf and
	// AdmissionsOf return nil), not a slice of n zeros.
	f.procOff, f.admOff = nil, nil
	if len(f.Procedures) > 0 {
		f.procOff = groupSort(n, f.Procedures, func(x *Procedure) PersonIndex { return x.Person }, cmpProcedure)
	}
	if len(f.Admissions) > 0 {
		f.admOff = groupSort(n, f.Admissions, func(x *Admission) PersonIndex { return x.Person }, cmpAdmission)
	}
	slices.SortFunc(f.Staff, cmpStaff)
	slices.SortFunc(f.Calls, func(a, b CallDay) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), a.Date.Compare(b.Date), cmp.Compare(a.Calls, b.Calls),
			cmp.Compare(a.AnsweredSameDay, b.AnsweredSameDay))
	})
	slices.SortFunc(f.Survey, func(a, b SurveyResult) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), a.Period.From.Compare(b.Period.From), a.Period.To.Compare(b.Period.To),
			cmp.Compare(a.Question, b.Question), cmp.Compare(a.Respondents, b.Respondents), cmp.Compare(a.Positive, b.Positive))
	})
}

func cmpProcedure(a, b Procedure) int {
	return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Clinician, b.Clinician))
}

func cmpAdmission(a, b Admission) int {
	return cmp.Or(a.Admitted.Compare(b.Admitted), cmpOpenEnd(a.Discharged, b.Discharged), cmp.Compare(a.Diagnosis, b.Diagnosis),
		cmpBool(a.Acute, b.Acute), cmp.Compare(a.Hospital, b.Hospital))
}

func cmpStaff(a, b StaffPeriod) int {
	return cmp.Or(cmp.Compare(a.Clinician, b.Clinician), cmp.Compare(a.Unit, b.Unit), a.Period.From.Compare(b.Period.From),
		cmpOpenEnd(a.Period.To, b.Period.To), cmp.Compare(a.Profession, b.Profession), cmp.Compare(a.Employment, b.Employment))
}

// remapUnits returns a copy of f with every unit index u replaced by
// remap[u] and the order restored (Region.Extend merges units).
func (f *Followup) remapUnits(remap []UnitIndex, n int) *Followup {
	if f == nil {
		return nil
	}
	m := func(u UnitIndex) UnitIndex {
		if u < 0 || int(u) >= len(remap) {
			return u
		}
		return remap[u]
	}
	c := &Followup{
		Procedures: slices.Clone(f.Procedures), Admissions: slices.Clone(f.Admissions), Staff: slices.Clone(f.Staff),
		Calls: slices.Clone(f.Calls), Survey: slices.Clone(f.Survey),
	}
	for i := range c.Procedures {
		c.Procedures[i].Unit = m(c.Procedures[i].Unit)
	}
	for i := range c.Staff {
		c.Staff[i].Unit = m(c.Staff[i].Unit)
	}
	for i := range c.Calls {
		c.Calls[i].Unit = m(c.Calls[i].Unit)
	}
	for i := range c.Survey {
		c.Survey[i].Unit = m(c.Survey[i].Unit)
	}
	c.index(n)
	return c
}

// Equal reports whether f and g hold the same records (nil equals empty),
// so that go-cmp compares regions by content.
func (f *Followup) Equal(g *Followup) bool {
	if f == nil {
		f = &Followup{}
	}
	if g == nil {
		g = &Followup{}
	}
	return slices.Equal(f.Procedures, g.Procedures) && slices.Equal(f.Admissions, g.Admissions) &&
		slices.Equal(f.Staff, g.Staff) && slices.Equal(f.Calls, g.Calls) && slices.Equal(f.Survey, g.Survey)
}
