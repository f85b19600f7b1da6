package examples_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
)

// parserOnly are the broken files whose mistake the schema cannot see: it
// spans keys (a reference, a sum, an order, a coverage of ages) or is in the
// YAML itself (an alias). The schema must accept each of them, so that this
// list stays exact; `vardval model check` must refuse them like every other
// broken file. examples/README.md lists the same kinds of mistakes.
var parserOnly = map[string]string{
	"shares-not-one.yaml":         "the shares of a pool in force on a day sum to 1",
	"unknown-assumption.yaml":     "an assumption id refers to a declared assumption",
	"unused-assumption.yaml":      "every declared assumption is used",
	"unknown-table.yaml":          "a table id refers to a table",
	"unknown-basis-table.yaml":    "a goal's or coverage's basis is listed or a table",
	"unknown-vat-component.yaml":  "vat_compensation refers to earlier components",
	"later-limit-target.yaml":     "a limit's target is total or an earlier component",
	"duplicate-component-id.yaml": "component ids are unique",
	"duplicate-table-id.yaml":     "table ids are unique",
	"bands-gap.yaml":              "age bands cover every age 0–120 once for each sex",
	"bands-overlap.yaml":          "age bands cover every age 0–120 once for each sex",
	"values-out-of-order.yaml":    "dated values are in date order",
	"values-overlap.yaml":         "dated values do not overlap",
	"to-before-from.yaml":         "a value does not end before it starts",
	"valid-to-before-from.yaml":   "the validity does not end before it starts",
	"no-value-in-force.yaml":      "a value is in force from the model's first valid day",
	"alias.yaml":                  "anchors and aliases are not allowed (an editor resolves them)",
	"age-band-reversed.yaml":      "an age band's first age is not above its last",
	"duplicate-acg-category.yaml": "ACG category codes are unique",
}

// TestSchemaAgreesWithModelCheck: every embedded model and every file in
// testdata/valid passes both the JSON Schema and payment.Check (what
// `vardval model check` runs); every file in testdata/broken fails both,
// except the parserOnly ones, which the schema accepts and payment.Check
// refuses.
func TestSchemaAgreesWithModelCheck(t *testing.T) {
	sch := compileSchema(t)
	var good []file
	for _, m := range examples.Models() {
		good = append(good, file{m.Path, m.Data})
	}
	good = append(good, readDir(t, "valid")...)
	for _, f := range good {
		if err := schemaCheck(sch, f.data); err != nil {
			t.Errorf("%s: the schema refuses it: %v", f.name, err)
		}
		if err := payment.Check(f.name, f.data); err != nil {
			t.Errorf("%s: model check refuses it: %v", f.name, err)
		}
	}
	broken := readDir(t, "broken")
	if len(broken) < 40 {
		t.Errorf("only %d broken files", len(broken))
	}
	seen := map[string]bool{}
	for _, f := range broken {
		seen[f.name] = true
		perr := payment.Check(f.name, f.data)
		if perr == nil {
			t.Errorf("%s: model check accepts it", f.name)
		} else if want := wantLine(f.data); want == "" {
			t.Errorf("%s: no \"# parser:\" line saying what model check reports", f.name)
		} else if !strings.Contains(perr.Error(), want) {
			t.Errorf("%s: model check says %q, want %q in it", f.name, perr, want)
		}
		for _, e := range joined(perr) {
			var me *payment.ModelError
			if !errors.As(e, &me) {
				t.Errorf("%s: untyped error %T: %v", f.name, e, e)
			}
		}
		serr := schemaCheck(sch, f.data)
		_, only := parserOnly[f.name]
		switch {
		case only && serr != nil:
			t.Errorf("%s: listed as parser only, but the schema refuses it too: %v", f.name, serr)
		case !only && serr == nil:
			t.Errorf("%s: the schema accepts it (model check: %v)", f.name, perr)
		}
	}
	for name := range parserOnly {
		if !seen[name] {
			t.Errorf("parserOnly names %s, which is not in testdata/broken", name)
		}
	}
}

// TestSchemaLists: the schema's component types and measure ids are the
// parser's.
func TestSchemaLists(t *testing.T) {
	var doc struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
			AllOf []struct {
				Then struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"then"`
			} `json:"allOf"`
		} `json:"$defs"`
	}
	data, err := os.ReadFile("model.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(payment.ComponentTypes(), doc.Defs["component"].Properties["type"].Enum); diff != "" {
		t.Errorf("component types (-parser +schema):\n%s", diff)
	}
	var measureEnum []string
	for _, a := range doc.Defs["component"].AllOf {
		if raw, ok := a.Then.Properties["indicators"]; ok {
			var ind struct {
				Items struct {
					Properties struct {
						Measure struct {
							Enum []string `json:"enum"`
						} `json:"measure"`
					} `json:"properties"`
				} `json:"items"`
			}
			if err := json.Unmarshal(raw, &ind); err != nil {
				t.Fatal(err)
			}
			measureEnum = ind.Items.Properties.Measure.Enum
		}
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(measures.IDs())), measureEnum); diff != "" {
		t.Errorf("measure ids (-measures +schema):\n%s", diff)
	}
}

// TestModelFileStyle: the embedded models are in block style (no flow
// mapping), with no line over 120 bytes, and name the schema for editors.
func TestModelFileStyle(t *testing.T) {
	for _, m := range examples.Models() {
		lines := strings.Split(string(m.Data), "\n")
		if want := "# yaml-language-server: $schema=../model.schema.json"; lines[0] != want {
			t.Errorf("%s: first line %q, want %q", m.Path, lines[0], want)
		}
		for i, l := range lines {
			if len(l) > 120 {
				t.Errorf("%s:%d: %d bytes (%d characters), more than 120", m.Path, i+1, len(l), utf8.RuneCountInString(l))
			}
			if c := strings.TrimSpace(l); !strings.HasPrefix(c, "#") && strings.Contains(c, ": {") || strings.HasPrefix(c, "- {") {
				t.Errorf("%s:%d: a flow mapping: %s", m.Path, i+1, c)
			}
		}
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile("model.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("model.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("model.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// schemaCheck validates a model file against the schema. The file is read
// as the parser reads it: every scalar is text (a number or a date stays
// the string written, a null is empty text), so the schema's patterns see
// what payment.ParseModel sees. A file that is not YAML, or has a key twice
// (which editors flag too), fails before the schema.
func schemaCheck(sch *jsonschema.Schema, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	var v any
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		var err error
		if v, err = toJSON(doc.Content[0], 0); err != nil {
			return err
		}
	}
	return sch.Validate(v)
}

func toJSON(n *yaml.Node, depth int) (any, error) {
	if depth > 100 {
		return nil, errors.New("nested too deep")
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", nil
		}
		return n.Value, nil
	case yaml.AliasNode:
		return toJSON(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			v, err := toJSON(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key that is not a word", k.Line)
			}
			if _, dup := out[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q twice", k.Line, k.Value)
			}
			v, err := toJSON(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	}
	return nil, fmt.Errorf("line %d: not a YAML value", n.Line)
}

type file = struct {
	name string
	data []byte
}

func readDir(t *testing.T, dir string) []file {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files in testdata/%s: %v", dir, err)
	}
	var out []file
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, file{filepath.Base(p), data})
	}
	return out
}

// wantLine returns the text of a broken file's "# parser: ..." line: what
// model check's message must contain.
func wantLine(data []byte) string {
	for _, l := range strings.Split(string(data), "\n") {
		if s, ok := strings.CutPrefix(l, "# parser: "); ok {
			return s
		}
	}
	return ""
}

func joined(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
