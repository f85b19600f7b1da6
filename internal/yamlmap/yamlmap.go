package yamlmap

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Fail reports a problem with the node n at the key path path; reason is
// lower-case.
type Fail func(path string, n *yaml.Node, reason string)

// Mapping is a YAML mapping being read: its keys in file order and which of
// them a parser took.
type Mapping struct {
	keys  []string
	vals  map[string]*yaml.Node
	lines map[string]int
	used  map[string]bool
}

// Read reads the mapping n at path. A nil n is an empty mapping (a missing
// section); a node that is not a mapping, a key that is not a plain word
// and a repeated key (after its first) are reported to fail and left out.
func Read(path string, n *yaml.Node, fail Fail) *Mapping {
	m := &Mapping{vals: map[string]*yaml.Node{}, lines: map[string]int{}, used: map[string]bool{}}
	if n == nil {
		return m
	}
	if n.Kind != yaml.MappingNode {
		fail(path, n, "expected a mapping of keys to values")
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			fail(path, k, "keys must be plain words")
			continue
		}
		if _, dup := m.vals[k.Value]; dup {
			fail(Join(path, k.Value), k, "duplicate key")
			continue
		}
		m.keys = append(m.keys, k.Value)
		m.vals[k.Value] = v
		m.lines[k.Value] = k.Line
	}
	return m
}

// Keys returns the keys in file order.
func (m *Mapping) Keys() []string { return m.keys }

// KeyLine returns the line of key (0 when absent).
func (m *Mapping) KeyLine(key string) int { return m.lines[key] }

// Has reports whether key is given, without taking it.
func (m *Mapping) Has(key string) bool { return m.vals[key] != nil }

// Value returns the value of key without taking it (nil when absent).
func (m *Mapping) Value(key string) *yaml.Node { return m.vals[key] }

// Get takes key and returns its value, or nil when absent.
func (m *Mapping) Get(key string) *yaml.Node {
	m.used[key] = true
	return m.vals[key]
}

// Unused returns the keys nobody took, in file order.
func (m *Mapping) Unused() []string {
	var out []string
	for _, k := range m.keys {
		if !m.used[k] {
			out = append(out, k)
		}
	}
	return out
}

// Scalar returns the text of n when n is a single plain value ("" for
// null, the text untrimmed); an alias or a list or mapping is reported to
// fail.
func Scalar(path string, n *yaml.Node, fail Fail) (string, bool) {
	if n.Kind == yaml.AliasNode {
		fail(path, n, "anchors and aliases are not allowed")
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		fail(path, n, "expected a single value")
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// Join returns the key path of key under path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index returns the key path of item i of the list at path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
