package vardval

import "github.com/shopspring/decimal"

// ProcedureRow is one row of procedures.csv.
type ProcedureRow struct {
	PersonID  string
	Date      Date
	UnitID    string
	Code      string // KVÅ code
	Clinician string
}

// AdmissionRow is one row of admissions.csv. Acute takes the contract's
// words ("yes", "no"; [YesNo.String]); a zero Discharged is still admitted.
type AdmissionRow struct {
	PersonID             string
	Admitted, Discharged Date
	MainDiagnosis        string
	Acute                string
	Hospital             string
}

// ClinicianRow is one row of clinicians.csv. Profession and Employment
// take the contract's words ([Profession.String], [Employment.String]); a
// zero To is still open.
type ClinicianRow struct {
	Clinician  string
	UnitID     string
	Profession string
	Employment string
	From, To   Date
}

// CallRow is one row of calls.csv (whole numbers; not Valid is an empty
// cell, which intake rejects).
type CallRow struct {
	UnitID          string
	Date            Date
	Calls           decimal.NullDecimal
	AnsweredSameDay decimal.NullDecimal
}

// SurveyRow is one row of survey.csv. Period is written as given
// ("2024", "2024-10", "2024-09..2024-10"; [Period.String] gives one).
type SurveyRow struct {
	UnitID      string
	Period      string
	Question    string
	Respondents decimal.NullDecimal
	Positive    decimal.NullDecimal
}

// AddProcedure adds a row of procedures.csv.
func (b *Builder) AddProcedure(p ProcedureRow) {
	b.add(bProcedures, p.PersonID, dateText(p.Date), p.UnitID, p.Code, p.Clinician)
}

// AddAdmission adds a row of admissions.csv.
func (b *Builder) AddAdmission(a AdmissionRow) {
	b.add(bAdmissions, a.PersonID, dateText(a.Admitted), dateText(a.Discharged), a.MainDiagnosis, a.Acute, a.Hospital)
}

// AddClinician adds a row of clinicians.csv.
func (b *Builder) AddClinician(c ClinicianRow) {
	b.add(bClinicians, c.Clinician, c.UnitID, c.Profession, c.Employment, dateText(c.From), dateText(c.To))
}

// AddCall adds a row of calls.csv.
func (b *Builder) AddCall(c CallRow) {
	b.add(bCalls, c.UnitID, dateText(c.Date), numberText(c.Calls), numberText(c.AnsweredSameDay))
}

// AddSurvey adds a row of survey.csv.
func (b *Builder) AddSurvey(s SurveyRow) {
	b.add(bSurvey, s.UnitID, s.Period, s.Question, numberText(s.Respondents), numberText(s.Positive))
}
