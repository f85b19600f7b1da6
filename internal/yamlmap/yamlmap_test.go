package yamlmap

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, in     string
		keys, unused []string
		problems     []string
	}{
		{"keys in file order", "b: 1\na: 2\nc: 3\n", []string{"b", "a", "c"}, []string{"a", "c"}, nil},
		{"duplicate key", "a: 1\nb: 2\na: 3\n", []string{"a", "b"}, []string{"a"}, []string{"3 root.a: duplicate key"}},
		{"key not a word", "[x]: 1\nb: 2\n", []string{"b"}, nil, []string{"1 root: keys must be plain words"}},
		{"not a mapping", "- 1\n", nil, nil, []string{"1 root: expected a mapping of keys to values"}},
	}
	for _, tt := range tests {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tt.in), &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		fail := func(path string, n *yaml.Node, reason string) {
			got = append(got, fmt.Sprintf("%d %s: %s", n.Line, path, reason))
		}
		m := Read("root", doc.Content[0], fail)
		m.Get("b")
		if diff := cmp.Diff(tt.keys, m.Keys()); diff != "" {
			t.Errorf("%s: keys (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.unused, m.Unused()); diff != "" {
			t.Errorf("%s: unused (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.problems, got); diff != "" {
			t.Errorf("%s: problems (-want +got):\n%s", tt.name, diff)
		}
	}
	if m := Read("x", nil, nil); len(m.Keys()) != 0 || m.Has("a") || m.Get("a") != nil {
		t.Error("a nil node is not an empty mapping")
	}
}

func TestScalar(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("a: &x ' v '\nb: *x\nc: [1]\nd: null\n"), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	fail := func(path string, n *yaml.Node, reason string) { got = append(got, path+": "+reason) }
	m := Read("", doc.Content[0], fail)
	var vals []string
	for _, k := range m.Keys() {
		s, ok := Scalar(k, m.Get(k), fail)
		vals = append(vals, fmt.Sprintf("%q %v", s, ok))
	}
	if diff := cmp.Diff([]string{`" v " true`, `"" false`, `"" false`, `"" true`}, vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b: anchors and aliases are not allowed", "c: expected a single value"}, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if Join("", "a") != "a" || Join("a", "b") != "a.b" || Index("a", 2) != "a[2]" {
		t.Error("key paths")
	}
}
