package measures

// Texts puts the words of WriteTableWith, WriteJSONWith and WriteCSVWith
// into a language (the CLI's --lang); nil fields keep the English of
// WriteTable, WriteJSON and WriteCSV. Keys (JSON keys, CSV and table
// headers, measure ids, methods) never change.
type Texts struct {
	// Name is a measure's name: it heads the measure's block of the table
	// after the id (nil: "NameEN (NameSV)") and is the "name" of each JSON
	// row and CSV line (nil: none).
	Name func(d *Definition) string
	// Note rewrites an English note of a table row ("suppressed (…)",
	// "below the 95 % funnel limit", "not available (…)") and the region
	// row's label "(region)".
	Note func(english string) string
}
