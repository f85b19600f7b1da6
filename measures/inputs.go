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
	given := map[string]bool{}
	var cols []string // "file:column", in the order first named
	add := func(in string) {
		file, _, isCol := strings.Cut(in, ":")
		given[file] = true
		if isCol && !slices.Contains(cols, in) {
			cols = append(cols, in)
		}
	}
	p := &d.Population
	if c := p.Contacts; c != nil {
		add(vardval.FileContacts)
		if c.NewProblem {
			add(vardval.FileContacts + ":new_problem")
		}
		if c.Requested {
			add(vardval.FileContacts + ":requested")
		}
		if c.Clinician {
			add(vardval.FileContacts + ":clinician")
		}
	}
	if p.Diagnoses != nil {
		add(vardval.FileDiagnoses)
	}
	if p.ATC != nil {
		add(vardval.FilePrescriptions)
	}
	for _, in := range d.Rule.reads() {
		add(in)
	}
	// The optional files a measure can read, in the data contract's order.
	optional := [...]string{vardval.FileContacts, vardval.FileDiagnoses, vardval.FileObservations, vardval.FilePrescriptions,
		vardval.FileProcedures, vardval.FileAdmissions, vardval.FileClinicians, vardval.FileCalls, vardval.FileSurvey}
	var out []string
	for _, file := range optional {
		if !given[file] {
			continue
		}
		out = append(out, file)
		for _, c := range cols {
			if strings.HasPrefix(c, file+":") {
				out = append(out, c)
			}
		}
	}
	return out
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
