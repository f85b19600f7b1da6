package i18n

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vardval/vardval/payment"
)

// ModelTexts translates the texts a model file gives its figures, as its
// lines carry them: the assumption (payment.Line.Assumption) and the
// source (payment.Line.Source). The zero value and one made for English
// leave a text as it is. A ModelTexts is not changed after it is made, so
// one may be used by many goroutines at once.
type ModelTexts struct {
	m    *payment.Model
	lang Lang
	// pairs are the model's English reasons with their Swedish texts,
	// longest English first.
	pairs [][2]string
	// sources are the model's sources with their Swedish texts.
	sources map[string]string
}

// NewModelTexts collects the Swedish texts of m's figures
// (Dated.AssumptionSV and Dated.SourceSV, from assumption_sv,
// assumptions_sv and source_sv in the model file) for translating its
// lines' assumptions and sources into l.
func NewModelTexts(m *payment.Model, l Lang) *ModelTexts {
	a := &ModelTexts{m: m, lang: l}
	if m == nil || l != Swedish {
		return a
	}
	seen := map[string]bool{}
	a.sources = map[string]string{}
	for _, p := range m.Params() {
		for _, d := range p.Values {
			if d.Source != "" && d.SourceSV != "" {
				if _, ok := a.sources[d.Source]; !ok {
					a.sources[d.Source] = d.SourceSV
				}
			}
			if d.Assumption == "" || d.AssumptionSV == "" || seen[d.Assumption] {
				continue
			}
			seen[d.Assumption] = true
			a.pairs = append(a.pairs, [2]string{d.Assumption, d.AssumptionSV})
		}
	}
	slices.SortStableFunc(a.pairs, func(x, y [2]string) int { return cmp.Compare(len(y[0]), len(x[0])) })
	return a
}

// Source is a line's source in the language: in Swedish the source_sv the
// model file gives beside it, else the source as written.
func (a *ModelTexts) Source(s string) string {
	if a == nil || a.lang != Swedish {
		return s
	}
	if sv, ok := a.sources[s]; ok {
		return sv
	}
	return s
}

// computedFrom begins the assumption of a line computed from an assumed
// line (a VAT compensation, a limit): "computed from ID (NAME), which
// rests on an assumption: TEXT".
const (
	computedFrom = "computed from "
	whichRests   = "), which rests on an assumption: "
)

// Assumption is a line's assumption in the language: in Swedish the reason the
// model file gives in Swedish (the English one when it gives none), after
// the words the payment package puts before it (the key path of the
// assumed figure, "pool size: ", "weights TABLE, ", …) in Swedish. Key
// paths, ids and the figures inside a reason are kept as they are.
func (a *ModelTexts) Assumption(s string) string {
	if a == nil || a.lang != Swedish || s == "" {
		return s
	}
	if rest, ok := strings.CutPrefix(s, computedFrom); ok {
		if head, inner, ok := strings.Cut(rest, whichRests); ok {
			if id, name, ok := strings.Cut(head, " ("); ok {
				return "beräknad från " + id + " (" + LineName(a.m, id, name, Swedish) + "), som vilar på ett antagande: " + a.Assumption(inner)
			}
		}
	}
	for _, p := range a.pairs {
		if prefix, ok := strings.CutSuffix(s, p[0]); ok {
			return frame(prefix) + p[1]
		}
	}
	return frame(s) // no Swedish text: the reason as written
}

// frame puts the words the payment package writes before an assumption's
// reason (payment/assumed.go, component_pool_split.go) into Swedish; the
// rest of s (key paths, a table id, the reason) is kept.
func frame(s string) string {
	for _, f := range assumptionFrames {
		if rest, ok := strings.CutPrefix(s, f[0]); ok {
			return f[1] + rest
		}
	}
	return s
}

var assumptionFrames = [][2]string{
	{"pool size: ", "pottens storlek: "},
	{"weights ", "vikterna "},
	{"a listing at the unit without an ACG weight counts with ", "en listning vid enheten utan ACG-vikt räknas med "},
	{"a listing at the unit without a CNI counts with ", "en listning vid enheten utan CNI räknas med "},
	{"the CNI of a listing at the unit is computed from census shares with ", "CNI för en listning vid enheten beräknas ur befolkningsandelar med "},
	{"actively-listed definition, ", "definitionen av aktivt listad, "},
}
