package vardval

import "slices"

// notGiven returns the optional inputs of rep's files that were not
// given: a file's name when the file was absent or could not be read (a
// file skipped on the caller's request, LoadOptions.Skip, was given), else "file:column" for each optional column its header
// lacked; specs are the files' columns, in rep.Files' order.
func notGiven(rep *IntakeReport, specs [][]column) []string {
	var out []string
	for i := range rep.Files {
		f := &rep.Files[i]
		if i >= len(specs) {
			break
		}
		if f.Skipped {
			continue // given, and left unread because the caller reads nothing of it
		}
		if !f.Present || f.NotRead() || f.header == nil {
			if f.File != FileUnits && f.File != FileListings { // required: no region without them
				out = append(out, f.File)
			}
			continue
		}
		for _, c := range specs[i] {
			if !c.required && !slices.Contains(f.header, c.name) {
				out = append(out, f.File+":"+c.name)
			}
		}
	}
	return out
}

// NotGiven returns the optional inputs the region was loaded without, in
// the contract's file order: a file's name ("prescriptions.csv") when the
// file was not given (or could not be read), and
// "file:column" ("contacts.csv:requested") for an optional column missing
// from a given file's header. A measure that reads such an input is not
// available rather than zero (measures.Definition.Inputs), and a
// statement's notes name the files. A Region from a Builder was given
// everything: NotGiven returns nil.
func (r *Region) NotGiven() []string { return slices.Clone(r.notGiven) }

// Given reports whether the region was given input: a file name
// ("prescriptions.csv") or "file:column" ("contacts.csv:clinician"). A
// column of a file not given is not given.
func (r *Region) Given(input string) bool {
	for _, x := range r.notGiven {
		if x == input || len(input) > len(x) && input[:len(x)] == x && input[len(x)] == ':' {
			return false
		}
	}
	return true
}
