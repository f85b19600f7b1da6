package i18n

import (
	"slices"
	"strings"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
)

// LineName is the name of a statement line of component (an id of m) in
// l: the component's name_sv or name_en in place of its name (a pool
// share's name likewise, a goal line's measure id by the measure's
// name), and the rest of the name through Text. A component the model
// does not have leaves the name to Text.
func LineName(m *payment.Model, component, name string, l Lang) string {
	var comp payment.Component
	if m != nil {
		for _, c := range m.Components {
			if c.Info().ID == component {
				comp = c
				break
			}
		}
	}
	if comp == nil {
		return Text(name, l)
	}
	ci := comp.Info()
	rest, ok := strings.CutPrefix(name, ci.Name)
	if !ok || ci.Name == "" {
		return Text(name, l)
	}
	head := l.Pick(ci.NameSV, ci.NameEN, ci.Name)
	if ps, ok := comp.(*payment.PoolSplit); ok {
		for _, s := range ps.Shares {
			if rest == ": "+s.Name {
				return head + ": " + l.Pick(s.NameSV, s.NameEN, s.Name)
			}
		}
	}
	if id, ok := strings.CutPrefix(rest, ": "); ok {
		if d, err := measures.Lookup(id); err == nil {
			return head + ": " + l.Pick(d.NameSV, d.NameEN, id)
		}
	}
	return head + Text(rest, l)
}

// Title is the model's title in l (its title_sv or title_en, else title).
func Title(m *payment.Model, l Lang) string { return l.Pick(m.TitleSV, m.TitleEN, m.Title) }

// Notes is the model's notes in l (its notes_sv or notes_en, else notes).
func Notes(m *payment.Model, l Lang) string { return l.Pick(m.NotesSV, m.NotesEN, m.Notes) }

// Statement returns a copy of st with its title, notes, line names,
// explanations, assumptions and sources in l (st itself is not changed).
// English only writes the line names and the title the model gives in
// English (assumptions and sources stay as the model file writes them);
// amounts and parameters are never changed.
func Statement(st *payment.Statement, m *payment.Model, l Lang) *payment.Statement {
	out := *st
	out.Title = Title(m, l)
	out.Notes = make([]string, len(st.Notes))
	for i, n := range st.Notes {
		out.Notes[i] = Text(n, l)
	}
	out.Units = slices.Clone(st.Units)
	as := NewModelTexts(m, l)
	line := func(ls []payment.Line) []payment.Line {
		ls = slices.Clone(ls)
		for i := range ls {
			ls[i].Name = LineName(m, ls[i].Component, ls[i].Name, l)
			ls[i].Explanation = Text(ls[i].Explanation, l)
			ls[i].Assumption = as.Assumption(ls[i].Assumption)
			ls[i].Source = as.Source(ls[i].Source)
		}
		return ls
	}
	for i := range out.Units {
		u := &out.Units[i]
		u.Lines = line(u.Lines)
		u.Months = slices.Clone(u.Months)
		for j := range u.Months {
			u.Months[j].Lines = line(u.Months[j].Lines)
		}
	}
	return &out
}

// Words are the fixed words of payment.ExplainWith and
// payment.WriteTableWith in l, amounts written the language's way; the
// header rows of their tables are keys and stay English.
func Words(l Lang) payment.Words {
	if l != Swedish {
		return payment.EnglishWords()
	}
	return payment.Words{
		Model:      "modell %s, %s, period %s, avrundning %s",
		Total:      "totalt %s kr",
		Assumed:    "vilar på antaganden: %s kr av %s kr i raderna (Σ |belopp|), %s %%",
		Line:       "%2d. %s  %s kr",
		Parameter:  "parameter %s, gäller från %s",
		Source:     "källa: %s",
		Assumption: "antagande: %s",
		Note:       "anmärkning: %s",
		// A table's header row is keys, as in every format: it stays.
		Month: "month", Lines: "lines", Sum: "total", Unit: "unit", Name: "name",
		Period: "period", Region: "regionen",
		Currency: "%s — %s, %s (kr, %s)",
		Money:    func(s string) string { return Number(s, Swedish) },
	}
}
