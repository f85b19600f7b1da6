package payment

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// assumptionTable is a model file's top-level "assumptions" mapping: an
// assumption written once, by id, and referred to from dated values with
// "assumption: <id>". A value's assumption that is id-shaped (matches
// idPattern: no spaces) must name a declared id and is replaced by its
// text; any other string is the reason itself. A declared id that no value
// refers to is an error, so the table cannot collect stale reasons.
type assumptionTable struct {
	text  map[string]string
	sv    map[string]string     // the Swedish text of an id (assumptions_sv), when given
	node  map[string]*yaml.Node // the id's key, for the line of an unused id
	used  map[string]bool
	order []string // ids in file order
}

// assumptions reads the top-level "assumptions" key of o (absent: an empty
// table). It runs before any parameter is read.
func (p *parser) assumptions(o *obj) {
	w := p.w
	t := &assumptionTable{text: map[string]string{}, sv: map[string]string{}, node: map[string]*yaml.Node{}, used: map[string]bool{}}
	w.assumptions = t
	defer p.assumptionsSV(o, t)
	w.idTexts("assumptions", o.get("assumptions"), "reasons", t.text,
		func(id, path string, k *yaml.Node) bool {
			if !idPattern.MatchString(id) {
				w.fail(path, k, "an assumption id is lower-case letters, digits and underscores")
				return false
			}
			return true
		},
		func(id string, k *yaml.Node, s string) {
			if s == "" {
				s = id // reported; a stand-in keeps its uses from failing again
			}
			t.text[id], t.node[id] = s, k
			t.order = append(t.order, id)
		})
}

// assumptionsSV reads the top-level "assumptions_sv" key of o: the
// Swedish text of declared assumptions, by the same ids (absent, or an id
// left out: the Swedish page and `--lang sv` show the English text).
func (p *parser) assumptionsSV(o *obj, t *assumptionTable) {
	w := p.w
	w.idTexts("assumptions_sv", o.get("assumptions_sv"), "Swedish reasons", t.sv,
		func(id, path string, k *yaml.Node) bool {
			if _, ok := t.text[id]; !ok {
				w.fail(path, k, "unknown assumption %q (declare it under assumptions)", id)
				return false
			}
			return true
		},
		func(id string, _ *yaml.Node, s string) { t.sv[id] = s })
}

// idTexts reads n, the top-level key (nil: absent), as a mapping of
// assumption ids to texts (what names the texts in the error): it reports
// a node that is not a mapping, an empty mapping, a key that is not a
// plain word, an id already in seen and an empty text, and calls add with
// every id that check accepts, its key and its trimmed text ("" when
// reported). check runs before the duplicate test; an id it refuses is
// never added, so the order cannot change which error a key gets.
func (w *walker) idTexts(key string, n *yaml.Node, what string, seen map[string]string,
	check func(id, path string, k *yaml.Node) bool, add func(id string, k *yaml.Node, s string)) {
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		w.fail(key, n, "expected a mapping of assumption ids to their %s", what)
		return
	}
	if len(n.Content) == 0 {
		w.fail(key, n, "must not be empty (leave the key out)")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.fail(key, k, "keys must be plain words")
			continue
		}
		id, path := k.Value, join(key, k.Value)
		if !check(id, path, k) {
			continue
		}
		if _, dup := seen[id]; dup {
			w.fail(path, k, "duplicate key")
			continue
		}
		s, ok := w.scalar(path, v)
		if s = strings.TrimSpace(s); ok && s == "" {
			w.fail(path, v, "must not be empty")
		}
		add(id, k, s)
	}
}

// resolve returns the reason a dated value's "assumption" text s stands
// for, in English and in Swedish: the declared texts when s is an id, s
// itself and sv otherwise. An id that is not declared is reported at
// path, and so is a Swedish text beside an id (it belongs under
// assumptions_sv).
func (t *assumptionTable) resolve(w *walker, path string, n *yaml.Node, s, sv string, svNode *yaml.Node) (string, string) {
	if t == nil || !idPattern.MatchString(s) {
		return s, sv
	}
	if sv != "" {
		w.fail(path+"_sv", svNode, "the Swedish text of the named assumption %q belongs under assumptions_sv", s)
	}
	text, ok := t.text[s]
	if !ok {
		w.fail(path, n, "unknown assumption %q (declare it under assumptions)", s)
		return s, ""
	}
	t.used[s] = true
	return text, t.sv[s]
}

// unused reports every declared assumption no value refers to.
func (t *assumptionTable) unused(w *walker) {
	if t == nil {
		return
	}
	for _, id := range t.order {
		if !t.used[id] {
			w.fail(join("assumptions", id), t.node[id], "assumption %q is never used", id)
		}
	}
}
