package main

import (
	"github.com/vardval/vardval/payment"
)

// untranslated lists what of m has no Swedish text, as notes for
// `vardval model check`: the title, the notes, component and pool-share
// names, and each distinct assumption reason (at the first figure that
// gives it). Such a text is shown in English by `--lang sv` and the
// Swedish page; the model is valid all the same.
func untranslated(m *payment.Model) []string {
	var out []string
	if m.Title != "" && m.TitleSV == "" {
		out = append(out, "title: no title_sv")
	}
	if m.Notes != "" && m.NotesSV == "" {
		out = append(out, "notes: no notes_sv")
	}
	for _, c := range m.Components {
		ci := c.Info()
		if ci.Name != "" && ci.NameSV == "" {
			out = append(out, ci.Path+": no name_sv")
		}
		if ps, ok := c.(*payment.PoolSplit); ok {
			for _, s := range ps.Shares {
				if s.Name != "" && s.NameSV == "" {
					out = append(out, s.Path+": no name_sv")
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, p := range m.Params() {
		for _, d := range p.Values {
			if d.Assumption == "" || d.AssumptionSV != "" || seen[d.Assumption] {
				continue
			}
			seen[d.Assumption] = true
			out = append(out, d.Path+": an assumption without a Swedish text (assumption_sv, or assumptions_sv for a named one)")
		}
	}
	return out
}
