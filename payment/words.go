package payment

// Words are the fixed words ExplainWith and WriteTableWith write around a
// statement's own texts, so that a caller may write them in another
// language (the CLI's --lang sv). Each is a format for fmt.Sprintf with the
// arguments named; EnglishWords gives the words of Explain and WriteTable.
type Words struct {
	// Model: model name, region, period, rounding rule.
	Model string
	// Total: the unit's total.
	Total string
	// Assumed: kronor resting on assumptions, Σ |amount|, percent.
	Assumed string
	// Line: line number, line name, amount.
	Line string
	// Parameter: key path, validity date.
	Parameter string
	// Source, Assumption: the line's source and assumption.
	Source, Assumption string
	// Note: one of the statement's notes (WriteTable).
	Note string
	// Month, Lines, Sum, Period, Unit, Name and Region are the words of
	// the tables' headers and last rows.
	Month, Lines, Sum, Period, Unit, Name, Region string
	// Currency is the table's title: model, region, period, rounding rule.
	Currency string
	// Money writes an amount the library wrote ("-1234.50"); nil writes it
	// as it is.
	Money func(string) string
}

// EnglishWords are the words of Explain and WriteTable.
func EnglishWords() Words {
	return Words{
		Model:      "model %s, %s, period %s, rounding %s",
		Total:      "total %s SEK",
		Assumed:    "resting on assumptions: %s SEK of %s SEK of lines (Σ |amount|), %s %%",
		Line:       "%2d. %s  %s SEK",
		Parameter:  "parameter %s, valid from %s",
		Source:     "source: %s",
		Assumption: "assumption: %s",
		Note:       "note: %s",
		Month:      "month", Lines: "lines", Sum: "total", Period: "period", Unit: "unit", Name: "name", Region: "region",
		Currency: "%s — %s, %s (SEK, %s)",
	}
}

func (w Words) money(s string) string {
	if w.Money == nil {
		return s
	}
	return w.Money(s)
}
