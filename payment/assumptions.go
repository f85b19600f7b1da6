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
	node  map[string]*yaml.Node // the id's key, for the line of an unused id
	used  map[string]bool
	order []string // ids in file order
}

// assumptions reads the top-level "assumptions" key of o (absent: an empty
// table). It runs before any parameter is read.
func (p *parser) assumptions(o *obj) {
	w := p.w
	t := &assumptionTable{text: map[string]string{}, node: map[string]*yaml.Node{}, used: map[string]bool{}}
	w.assumptions = t
	n := o.get("assumptions")
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		w.fail("assumptions", n, "expected a mapping of assumption ids to their reasons")
		return
	}
	if len(n.Content) == 0 {
		w.fail("assumptions", n, "must not be empty (leave the key out)")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.fail("assumptions", k, "keys must be plain words")
			continue
		}
		id, path := k.Value, join("assumptions", k.Value)
		if !idPattern.MatchString(id) {
			w.fail(path, k, "an assumption id is lower-case letters, digits and underscores")
			continue
		}
		if _, dup := t.text[id]; dup {
			w.fail(path, k, "duplicate key")
			continue
		}
		s, ok := w.scalar(path, v)
		if s = strings.TrimSpace(s); ok && s == "" {
			w.fail(path, v, "must not be empty")
		}
		if s == "" {
			s = id // reported; a stand-in keeps its uses from failing again
		}
		t.text[id], t.node[id] = s, k
		t.order = append(t.order, id)
	}
}

// resolve returns the reason a dated value's "assumption" text s stands
// for: the declared text when s is an id, s itself otherwise. An id that is
// not declared is reported at path.
func (t *assumptionTable) resolve(w *walker, path string, n *yaml.Node, s string) string {
	if t == nil || !idPattern.MatchString(s) {
		return s
	}
	text, ok := t.text[s]
	if !ok {
		w.fail(path, n, "unknown assumption %q (declare it under assumptions)", s)
		return s
	}
	t.used[s] = true
	return text
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
