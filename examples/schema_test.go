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

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
)

// parserOnly are the mistakes the schema cannot see, by the words of
// model check's message: they span keys (a reference, a sum, an order, the
// coverage of ages) or are in the YAML itself (an alias, which an editor
// resolves). A broken file the schema accepts must have only these; each
// must be the only mistake of at least one broken file, so that the list
// stays exact. examples/README.md lists the same.
var parserOnly = []string{
	"sum to",                              // the shares of a pool in force on a day sum to 1
	"unknown assumption",                  // an assumption id is declared
	"is never used",                       // every declared assumption is used
	"unknown table",                       // a table or basis refers to a table
	"unknown or later component",          // VAT compensation and limits refer to earlier components
	"duplicate component id",              // component ids are unique
	"duplicate table id",                  // table ids are unique
	"duplicate category",                  // ACG category codes are unique
	"no band covers",                      // age bands cover every age 0–120 for each sex ...
	"several bands cover",                 // ... once
	"bad age band",                        // an age band does not run backwards
	"values must be in date order",        // dated values are in date order ...
	"overlapping validity",                // ... and do not overlap
	"ends before it starts",               // a value's or the validity's to is not before its from
	"no value in force on",                // a value is in force from the model's first valid day
	"anchors and aliases are not allowed", // the parser refuses what an editor resolves
}

// TestSchemaAgreesWithModelCheck: every embedded model and every file in
// testdata/valid passes both the JSON Schema and payment.CheckModel (what
// `vardval model check` runs); every file in testdata/broken fails
// payment.CheckModel (with the words of its "# parser:" line, when it has one)
// and fails the schema too, unless all its mistakes are parserOnly ones.
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
		if err := payment.CheckModel(f.data, payment.ParseOptions{File: f.name}); err != nil {
			t.Errorf("%s: model check refuses it: %v", f.name, err)
		}
	}
	broken := readDir(t, "broken")
	if len(broken) < 40 {
		t.Errorf("only %d broken files", len(broken))
	}
	shown := map[string]bool{} // parserOnly mistakes some file has alone
	for _, f := range broken {
		perr := payment.CheckModel(f.data, payment.ParseOptions{File: f.name})
		if perr == nil {
			t.Errorf("%s: model check accepts it", f.name)
			continue
		}
		if want := wantLine(f.data); want != "" && !strings.Contains(perr.Error(), want) {
			t.Errorf("%s: model check says %q, want %q in it", f.name, perr, want)
		}
		var only []string
		for _, e := range joined(perr) {
			var me *payment.ModelError
			if !errors.As(e, &me) {
				t.Errorf("%s: untyped error %T: %v", f.name, e, e)
				continue
			}
			i := slices.IndexFunc(parserOnly, func(s string) bool { return strings.Contains(me.Reason, s) })
			if i < 0 {
				only = nil
				break
			}
			only = append(only, parserOnly[i])
		}
		if serr := schemaCheck(sch, f.data); serr == nil {
			if only == nil {
				t.Errorf("%s: the schema accepts it (model check: %v)", f.name, perr)
			}
			for _, s := range only {
				shown[s] = true
			}
		}
	}
	for _, s := range parserOnly {
		if !shown[s] {
			t.Errorf("parserOnly lists %q, but no broken file has that mistake alone and passes the schema", s)
		}
	}
}

// TestSchemaLists: the schema names every built-in component type and
// measure id (a fork adds its own beside them), and the words of judged_on.
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
	// Every built-in type and measure is in the schema; a fork's own
	// (docs/forking.md) may be there beside them.
	if missing := without(payment.ComponentTypes(), doc.Defs["component"].Properties["type"].Enum); len(missing) > 0 {
		t.Errorf("component types the schema lacks: %v", missing)
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
						JudgedOn struct {
							Enum []string `json:"enum"`
						} `json:"judged_on"`
					} `json:"properties"`
				} `json:"items"`
			}
			if err := json.Unmarshal(raw, &ind); err != nil {
				t.Fatal(err)
			}
			measureEnum = ind.Items.Properties.Measure.Enum
			judged := []string{payment.JudgedOnValue, payment.JudgedOnBenefitOfDoubt, payment.JudgedOnShrunk}
			if !slices.Equal(ind.Items.Properties.JudgedOn.Enum, judged) {
				t.Errorf("the schema's judged_on words are %v, the parser's %v", ind.Items.Properties.JudgedOn.Enum, judged)
			}
		}
	}
	if missing := without(measures.IDs(), measureEnum); len(missing) > 0 {
		t.Errorf("measure ids the schema lacks: %v", missing)
	}
	if !slices.IsSorted(measureEnum) {
		t.Errorf("the schema's measure ids are not sorted: %v", measureEnum)
	}
}

// without returns the elements of want that are not in have.
func without(want, have []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			out = append(out, w)
		}
	}
	return out
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
// as the parser reads it: every scalar is text with surrounding spaces
// trimmed (a number or a date stays the string written, a null is empty
// text), so the schema's patterns see what payment.ParseModel sees. A file that is not YAML, or has a key twice
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
		return strings.TrimSpace(n.Value), nil
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
