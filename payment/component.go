package payment

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Component is one typed part of a payment model. Its type's Parse
// function reads it from the model file (through a [Decoder]); Run asks
// every component what it needs summed from the region for each month
// (Need) and then lets it price each month (Price), where it adds exact
// lines through the [MonthContext]; Run rounds each line once with the
// model's rounding rule. A component type outside this package implements
// these methods and is added to a [ComponentRegistry] with
// [ComponentRegistry.With]; see the package documentation and
// docs/forking.md.
//
// A Component is never changed once parsed, except by Model.With on its
// own copy (Clone), so Need and Price must only read it.
type Component interface {
	// Info returns the component's id, type, name and key path
	// (embed ComponentInfo to have it).
	Info() ComponentInfo
	// Params returns pointers to every parameter of the component, in
	// file order: Model.Params, Validate and Model.With reach them here.
	Params() []*Param
	// Need registers what the component reads from the region in the
	// month n.Month(): listed persons by a counting rule, contacts,
	// patient fees, measure results.
	Need(n *Needs)
	// Price adds the component's lines for every statement unit of the
	// month c.Month().
	Price(c *MonthContext) error
	// Clone returns a deep copy for Model.With: parameters copied with
	// Param.Clone (so that changing the copy's values never changes the
	// original) and tables mapped with cp.Table.
	Clone(cp *ModelCopy) Component
}

// ComponentInfo is what every component has in common. A component type
// embeds it, which gives it the Info method.
type ComponentInfo struct {
	ID   string // unique within the model, e.g. "capitation"
	Type string // the model file's type name, e.g. "capitation"
	Name string // human name, e.g. "Age-weighted capitation"
	// NameSV and NameEN are the name in Swedish and in English (name_sv,
	// name_en; "" when not given), for the page and `--lang sv`.
	NameSV, NameEN string
	Path           string // key path, e.g. components[0]
	Line           int
}

// Info returns the common fields.
func (b ComponentInfo) Info() ComponentInfo { return b }

// ComponentType is one kind of component a model file may name under
// type: its name and the function that reads a component of that type.
type ComponentType struct {
	// Name is the model file's type name: lower-case letters, digits and
	// underscores, e.g. "capitation".
	Name string
	// Parse reads one component from d (the keys besides id, type and
	// name) and returns it with d.Info() embedded. Problems are reported
	// with d.Fail (or the Decoder's readers, which report their own); the
	// component returned is then discarded. Keys Parse does not read are
	// reported as unknown.
	Parse func(d *Decoder) Component
}

// ComponentRegistry is an immutable set of component types, from which
// the model parser, the list of type names and the inputs a model reads
// are derived. Get one from BuiltinComponents and extend it with With; a
// registry is safe for concurrent use.
type ComponentRegistry struct {
	types []ComponentType // sorted by name
}

// ComponentTypeError is a component type that cannot be added to a
// registry: a duplicate or badly formed name, or no Parse function.
type ComponentTypeError struct {
	Name   string
	Reason string
}

// Error describes the problem with the type's name.
func (e *ComponentTypeError) Error() string {
	return fmt.Sprintf("component type %q: %s", e.Name, e.Reason)
}

// BuiltinComponents returns a new registry of this package's component
// types: acg_points, capitation, cni_supplement, cost_responsibility, coverage, goal,
// limit, listing_points, patient_fees, pool_split, supplement,
// vat_compensation and visit_fee.
func BuiltinComponents() *ComponentRegistry {
	r, err := (&ComponentRegistry{}).With(
		ComponentType{Name: "acg_points", Parse: parseACGPoints},
		ComponentType{Name: "capitation", Parse: parseCapitation},
		ComponentType{Name: "cni_supplement", Parse: parseCNISupplement},
		ComponentType{Name: "cost_responsibility", Parse: parseCostResponsibility},
		ComponentType{Name: "coverage", Parse: parseCoverage},
		ComponentType{Name: "goal", Parse: parseGoal},
		ComponentType{Name: "limit", Parse: parseLimit},
		ComponentType{Name: "listing_points", Parse: parseListingPoints},
		ComponentType{Name: "patient_fees", Parse: parsePatientFees},
		ComponentType{Name: "pool_split", Parse: parsePoolSplit},
		ComponentType{Name: "supplement", Parse: parseSupplement},
		ComponentType{Name: "vat_compensation", Parse: parseVATCompensation},
		ComponentType{Name: "visit_fee", Parse: parseVisitFee},
	)
	if err != nil {
		panic(err) // the built-in names are distinct and well formed
	}
	return r
}

// With returns a new registry with r's types and the given ones; r is not
// changed. A name already in r or given twice, a name that is not
// lower-case letters, digits and underscores, or a nil Parse is a
// *ComponentTypeError.
func (r *ComponentRegistry) With(types ...ComponentType) (*ComponentRegistry, error) {
	out := &ComponentRegistry{types: slices.Clone(r.types)}
	for _, t := range types {
		switch {
		case !idPattern.MatchString(t.Name):
			return nil, &ComponentTypeError{Name: t.Name, Reason: "a type name is lower-case letters, digits and underscores"}
		case t.Parse == nil:
			return nil, &ComponentTypeError{Name: t.Name, Reason: "no parse function"}
		}
		if _, dup := out.Lookup(t.Name); dup {
			return nil, &ComponentTypeError{Name: t.Name, Reason: "already in the registry"}
		}
		i, _ := slices.BinarySearchFunc(out.types, t.Name, func(x ComponentType, n string) int { return strings.Compare(x.Name, n) })
		out.types = slices.Insert(out.types, i, t)
	}
	return out, nil
}

// Lookup returns the type with the given name.
func (r *ComponentRegistry) Lookup(name string) (ComponentType, bool) {
	i, ok := slices.BinarySearchFunc(r.types, name, func(x ComponentType, n string) int { return strings.Compare(x.Name, n) })
	if !ok {
		return ComponentType{}, false
	}
	return r.types[i], true
}

// Names returns the type names of r, sorted.
func (r *ComponentRegistry) Names() []string {
	out := make([]string, len(r.types))
	for i, t := range r.types {
		out[i] = t.Name
	}
	return out
}

// ComponentTypes lists the built-in component type names, sorted
// (BuiltinComponents().Names()).
func ComponentTypes() []string { return BuiltinComponents().Names() }

// ModelCopy maps a model's shared parts to their copies while Model.With
// copies a model: a component's Clone maps its tables through it.
type ModelCopy struct {
	from, to *Model
	tables   map[*Table]*Table
}

// Model returns the new model being made (its specs ACG, CNI and Active
// are already copies).
func (cp *ModelCopy) Model() *Model { return cp.to }

// Table returns the copy of table t of the original model (nil for nil).
func (cp *ModelCopy) Table(t *Table) *Table {
	if t == nil {
		return nil
	}
	if c, ok := cp.tables[t]; ok {
		return c
	}
	c := *t
	c.Bands = cloneBands(t.Bands)
	cp.tables[t] = &c
	return &c
}

// component reads the component at path with the parser's registry.
func (p *parser) component(path string, n *yaml.Node) Component {
	w := p.w
	o := w.obj(path, n)
	info := ComponentInfo{ID: o.str("id", true), Type: o.str("type", true), Name: o.str("name", false),
		NameSV: o.str("name_sv", false), NameEN: o.str("name_en", false), Path: path, Line: o.line()}
	if info.ID != "" && !idPattern.MatchString(info.ID) {
		w.fail(join(path, "id"), o.get("id"), "an id is lower-case letters, digits and underscores")
	}
	if _, dup := p.comps[info.ID]; dup && info.ID != "" {
		w.fail(join(path, "id"), o.get("id"), "duplicate component id %q", info.ID)
	}
	if info.Name == "" {
		info.Name = info.ID
	}
	var c Component
	t, known := p.types.Lookup(info.Type)
	if known {
		c = t.Parse(&Decoder{p: p, o: o, info: info})
		// Keys are unknown only to a known type: without one, every key
		// would be reported beside the one problem, the type.
		o.done()
	} else if info.Type != "" {
		w.fail(join(path, "type"), o.get("type"), "unknown component type %q (known: %s)", info.Type, strings.Join(p.types.Names(), ", "))
	}
	if c != nil {
		p.comps[info.ID] = len(p.comps)
	}
	return c
}
