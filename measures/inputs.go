package measures

import (
	"math"
	"slices"
	"strings"

	"github.com/vardval/vardval/vardval"
)

// Inputs returns the optional region inputs the measure reads, in the
// data contract's file order: file names ("prescriptions.csv") and
// "file:column" for an optional column it needs ("contacts.csv:requested").
// A measure whose input the region was not given (vardval.Region.Given)
// is not available: Compute reports every row of it as not available
// (SuppressedNotAvailable), never as a value of 0.
func (d *Definition) Inputs() []string {
	var contacts, diagnoses, observations, prescriptions bool
	var followup []string // follow-up files, in the contract's order
	var cols []string
	p := &d.Population
	if p.Diagnoses != nil {
		diagnoses = true
	}
	if p.ATC != nil {
		prescriptions = true
	}
	if c := p.Contacts; c != nil {
		contacts = true
		if c.NewProblem {
			cols = append(cols, vardval.FileContacts+":new_problem")
		}
		if c.Requested {
			cols = append(cols, vardval.FileContacts+":requested")
		}
		if c.Clinician {
			cols = append(cols, vardval.FileContacts+":clinician")
		}
	}
	switch r := d.Rule.(type) {
	case *SustainedRemission, *RemissionFollowup, *LatestObservation, *LatestBloodPressure:
		observations = true
	case *Polypharmacy:
		prescriptions = true
	case *EventRate:
		if r.Event == EventPrescriptions {
			prescriptions = true
		} else {
			contacts = true
		}
	case *CareGuarantee:
		contacts = true
		if !slices.Contains(cols, vardval.FileContacts+":requested") {
			cols = append(cols, vardval.FileContacts+":requested")
		}
	case *Continuity:
		contacts = true
		if !slices.Contains(cols, vardval.FileContacts+":clinician") {
			cols = append(cols, vardval.FileContacts+":clinician")
		}
	case *OwnUnitShare:
		contacts = true
	case *ProcedureShare:
		if r.MinDrugs > 0 {
			prescriptions = true
		}
		followup = append(followup, vardval.FileProcedures)
	case *AdmissionRate:
		followup = append(followup, vardval.FileAdmissions)
	case *EmployedContacts:
		contacts = true
		if !slices.Contains(cols, vardval.FileContacts+":clinician") {
			cols = append(cols, vardval.FileContacts+":clinician")
		}
		followup = append(followup, vardval.FileClinicians)
	case *CallsSameDay:
		followup = append(followup, vardval.FileCalls)
	case *SurveyPositive:
		followup = append(followup, vardval.FileSurvey)
	}
	var out []string
	if contacts {
		out = append(out, vardval.FileContacts)
		out = append(out, cols...)
	}
	if diagnoses {
		out = append(out, vardval.FileDiagnoses)
	}
	if observations {
		out = append(out, vardval.FileObservations)
	}
	if prescriptions {
		out = append(out, vardval.FilePrescriptions)
	}
	return append(out, followup...)
}

// unavailableReport is the report of measure d when the region was not
// given its inputs notGiven: every row (the region's, then units') not
// available, with no numerator, denominator or value.
func unavailableReport(d Definition, notGiven []string, unitIDs []string) MeasureReport {
	mr := MeasureReport{Definition: d, Target: math.NaN(), NotGiven: notGiven,
		FunnelNote: "not available: " + notGivenText(notGiven)}
	for _, id := range append([]string{""}, unitIDs...) {
		row := Row{Result: Result{Measure: d.ID, UnitID: id, Suppressed: true, NotAvailable: true}}
		row.Suppression = SuppressedNotAvailable
		mr.Rows = append(mr.Rows, row)
	}
	return mr
}

// NotGiven returns the inputs of d (Inputs) that r was not given; a
// column of a file not given is not named beside its file. Not empty
// means d is not available in r.
func (d *Definition) NotGiven(r *vardval.Region) []string {
	var out []string
	for _, in := range d.Inputs() {
		if r.Given(in) {
			continue
		}
		if file, _, ok := strings.Cut(in, ":"); ok && !r.Given(file) {
			continue
		}
		out = append(out, in)
	}
	return out
}

// notGivenText is "prescriptions.csv not given" or "column requested of
// contacts.csv not given", joined with "; ".
func notGivenText(inputs []string) string {
	parts := make([]string, len(inputs))
	for i, in := range inputs {
		if file, col, ok := strings.Cut(in, ":"); ok {
			parts[i] = "column " + col + " of " + file + " not given"
		} else {
			parts[i] = in + " not given"
		}
	}
	return strings.Join(parts, "; ")
}
