package measures

import (
	"bytes"
	_ "embed"
	"errors"
	"slices"
	"sync"
)

//go:embed definitions.yaml
var embeddedDefinitions []byte

// builtinFile is the file name the built-in definitions are read as.
const builtinFile = "measures/definitions.yaml"

// Registry is an immutable set of measure definitions in output order:
// the built-in ones ([BuiltinRegistry]), possibly extended by a region's own
// ([Registry.Extend]). Every definition in a registry has been checked
// and ids are unique. A *Registry is safe for concurrent use; its methods
// return copies, so nothing a caller does changes it. The zero Registry
// holds no definitions.
type Registry struct {
	defs []Definition
	byID map[string]int
}

// builtin parses the embedded definitions once.
var builtin = sync.OnceValue(func() *Registry {
	defs, err := ParseDefinitions(bytes.NewReader(embeddedDefinitions), DefinitionOptions{File: builtinFile})
	if err != nil {
		// The embedded file is checked by the package tests.
		panic(err)
	}
	reg, err := NewRegistry(defs...)
	if err != nil {
		panic(err)
	}
	return reg
})

// BuiltinRegistry returns the registry of the built-in measures (the embedded
// definitions.yaml).
func BuiltinRegistry() *Registry { return builtin() }

// NewRegistry returns a registry of defs alone, in their order. Each
// definition is checked as ParseDefinitions checks one read from a file
// (a definition built in code, too); the problems are *DefinitionErrors
// located at the definition's Origin, joined with errors.Join, and a
// repeated id is a *DuplicateMeasureError naming the file and line of
// both. Most callers want [Registry.Extend] on [BuiltinRegistry] instead.
func NewRegistry(defs ...Definition) (*Registry, error) {
	return (&Registry{}).Extend(defs...)
}

// Extend returns a new registry with r's definitions followed by defs (a
// region's own measures extend the built-in ones, never replace them); r
// is unchanged. The errors are those of [NewRegistry]: an id already in r
// or repeated in defs is a *DuplicateMeasureError.
func (r *Registry) Extend(defs ...Definition) (*Registry, error) {
	out := &Registry{defs: make([]Definition, 0, r.Len()+len(defs)), byID: make(map[string]int, r.Len()+len(defs))}
	if r != nil {
		out.defs = append(out.defs, r.defs...) // checked and never changed: shared
		for id, i := range r.byID {
			out.byID[id] = i
		}
	}
	codes := newCodeSet(nil)
	var errs []error
	for _, d := range defs {
		d = d.clone()
		before := len(errs)
		for _, p := range checkDefinition(&d, codes) {
			errs = append(errs, d.problem(p))
		}
		if len(errs) > before {
			continue
		}
		if i, dup := out.byID[d.ID]; dup {
			errs = append(errs, d.problem(failErr("id", &DuplicateMeasureError{ID: d.ID, First: out.defs[i].Origin})))
			continue
		}
		out.byID[d.ID] = len(out.defs)
		out.defs = append(out.defs, d)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// problem locates p at d's origin.
func (d *Definition) problem(p problem) *DefinitionError {
	return &DefinitionError{File: d.Origin.File, Line: d.Origin.Line, Key: join(d.Origin.Key, p.key), ID: d.ID, Reason: p.reason, Err: p.err}
}

// Len returns the number of definitions.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.defs)
}

// IDs returns the measure ids in output order.
func (r *Registry) IDs() []string {
	if r == nil {
		return nil
	}
	ids := make([]string, len(r.defs))
	for i, d := range r.defs {
		ids[i] = d.ID
	}
	return ids
}

// Lookup returns (a copy of) the definition with the given id, or an
// *UnknownMeasureError.
func (r *Registry) Lookup(id string) (Definition, error) {
	if r != nil {
		if i, ok := r.byID[id]; ok {
			return r.defs[i].clone(), nil
		}
	}
	return Definition{}, &UnknownMeasureError{ID: id}
}

// Definitions returns (copies of) the definitions in output order.
func (r *Registry) Definitions() []Definition {
	if r == nil {
		return nil
	}
	return cloneAll(r.defs)
}

func cloneAll(defs []Definition) []Definition {
	out := slices.Clone(defs)
	for i := range out {
		out[i] = out[i].clone()
	}
	return out
}

// Definitions returns the built-in measure definitions in their canonical
// (output) order: BuiltinRegistry().Definitions(). Each call returns fresh copies.
func Definitions() []Definition { return BuiltinRegistry().Definitions() }

// IDs returns the ids of the built-in measures in canonical order.
func IDs() []string { return BuiltinRegistry().IDs() }

// Lookup returns the built-in definition with the given id.
func Lookup(id string) (Definition, error) { return BuiltinRegistry().Lookup(id) }
