package payment

import (
	"errors"

	"github.com/vardval/vardval/vardval"
)

// Validate checks the rules a model file's values must keep, on the model
// as it is in memory (after overrides, say): every value in its
// parameter's range (no negative rate, share or pool; shares and
// percentages not above 1 and 100; windows whole months; weights with at
// most six decimals) and with at most MaxDigits significant digits; the
// validity and every dated value's From given and real dates (as
// vardval.NewDate reads them: a day that exists, in 1800–2200), each
// From a first day of a month, each To zero or a real date not before
// its From; dated values in date order without overlaps; a pool's shares summing to 1 on
// every date any of them changes; and a value in force on the first day of
// every month of the model's validity. These are the very checks
// ParseModel and Check run on a file (they call the same code), so a model
// that passes Validate is one Check would accept. Every problem is a
// *ModelError (File is m.File, Line the file's line where known, 0 for an
// overridden value), several joined with errors.Join.
func (m *Model) Validate() error {
	w := &walker{file: m.File}
	m.validate(w)
	return errors.Join(w.errs...)
}

// validate adds the problems Validate reports to w. When w comes from the
// parser, values that were not numbers are skipped (already reported) and
// problems name the line of the value in the file.
func (m *Model) validate(w *walker) {
	params := m.Params()
	// A model in memory is checked for what the parser checks as it reads
	// a file (a validity and every dated value's from given, dates real,
	// values starting on a first day and not ending before they start);
	// the parser reports these itself, at the line of the key.
	inMemory := w.valueLines == nil
	if inMemory {
		m.validateValidity(w)
	}
	for _, p := range params {
		for i, v := range p.Values {
			if inMemory {
				dateProblems(w, v)
			}
			if !w.notNumbers[v.Path] {
				if why := p.rule.check(v.Value); why != "" {
					line := v.Line
					if l, ok := w.valueLines[v.Path]; ok {
						line = l
					}
					w.failAt(join(v.Path, "value"), line, "%s", why)
				}
			}
			if i > 0 && !v.From.IsZero() {
				if why := orderProblem(p.Values[i-1], v); why != "" {
					w.failAt(join(v.Path, "from"), v.Line, "%s", why)
				}
			}
		}
	}
	// Rules across values only once every value is right.
	if len(w.errs) > 0 {
		return
	}
	for _, c := range m.Components {
		if x, ok := c.(crossChecker); ok {
			x.crossCheck(w)
		}
	}
	if len(w.errs) > 0 {
		return
	}
	// A value in force on the first day of every month of a closed
	// validity (or at least on its first day).
	first, last := m.Valid.From.YearMonth(), m.Valid.To.YearMonth()
	if m.Valid.To.IsZero() {
		last = first
	}
	for _, par := range params {
		if d, ok := par.firstGap(first, last); ok {
			line := 0
			if len(par.Values) > 0 {
				line = par.Values[0].Line
			}
			w.failAt(par.Path, line, "no value in force on %s, inside the model's validity", d)
		}
	}
}

// validateValidity adds the problems of m.Valid on a model in memory: a
// From given and a real date, a To zero or a real date not before From.
func (m *Model) validateValidity(w *walker) {
	switch {
	case m.Valid.From.IsZero():
		w.failAt("valid.from", 0, "missing: the model's first valid day")
	case !realDate(m.Valid.From):
		w.failAt("valid.from", 0, "not a real date: %s", m.Valid.From)
	}
	switch {
	case m.Valid.To.IsZero():
	case !realDate(m.Valid.To):
		w.failAt("valid.to", 0, "not a real date: %s", m.Valid.To)
	case realDate(m.Valid.From) && m.Valid.To.Before(m.Valid.From):
		w.failAt("valid.to", 0, "ends before it starts")
	}
}

// dateProblems adds the problems of v's dates on a model in memory: a
// From given, a real date and a first day of a month; a To zero or a real
// date not before From.
func dateProblems(w *walker, v Dated) {
	switch {
	case v.From.IsZero():
		w.failAt(join(v.Path, "from"), v.Line, "missing: the first day the value is in force")
	case !realDate(v.From):
		w.failAt(join(v.Path, "from"), v.Line, "not a real date: %s", v.From)
	case v.From.Day != 1:
		w.failAt(join(v.Path, "from"), v.Line, "a value must start on the first day of a month")
	}
	switch {
	case v.To.IsZero():
	case !realDate(v.To):
		w.failAt(join(v.Path, "to"), v.Line, "not a real date: %s", v.To)
	case realDate(v.From) && v.To.Before(v.From):
		w.failAt(join(v.Path, "to"), v.Line, "ends before it starts")
	}
}

// realDate reports whether d is a date vardval.NewDate accepts (a day that
// exists, in the years 1800–2200): one that is written and read back.
func realDate(d vardval.Date) bool {
	_, err := vardval.NewDate(int(d.Year), int(d.Month), int(d.Day))
	return err == nil
}

// firstGap returns the first day of the first month from first to last on
// which p has no value in force (At finds none), in time linear in p's
// values however long the months; p's values are in date order.
func (p *Param) firstGap(first, last vardval.YearMonth) (vardval.Date, bool) {
	cur := first // the first month whose first day is not known to be covered
	for i, v := range p.Values {
		if cur.Index() > last.Index() {
			return vardval.Date{}, false
		}
		if cur.First().Before(v.From) {
			return cur.First(), true
		}
		// v is in force from v.From to end (when bounded).
		end, bounded := v.To, !v.To.IsZero()
		if i+1 < len(p.Values) {
			if next := p.Values[i+1].From.AddDays(-1); !bounded || next.Before(end) {
				end, bounded = next, true
			}
		}
		if !bounded {
			return vardval.Date{}, false
		}
		if !end.Before(cur.First()) {
			cur = end.YearMonth().Add(1)
		}
	}
	if cur.Index() > last.Index() {
		return vardval.Date{}, false
	}
	return cur.First(), true
}

// crossChecker is a built-in component with rules across its values (a
// pool's shares summing to 1), checked once every value is right.
type crossChecker interface {
	crossCheck(w *walker)
}
