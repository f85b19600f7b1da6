package payment_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/payment"
)

// elderlyTypes is the built-in registry with the example's outside type.
func elderlyTypes(t *testing.T) *payment.ComponentRegistry {
	t.Helper()
	r, err := payment.BuiltinComponents().With(payment.ComponentType{Name: "elderly_supplement", Parse: parseElderlySupplement})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const elderlyHeader = `model: town-2024
region: Exempelstaden
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
`

func TestComponentRegistryWith(t *testing.T) {
	base := payment.BuiltinComponents()
	before := base.Names()
	if diff := cmp.Diff(payment.ComponentTypes(), before); diff != "" {
		t.Errorf("ComponentTypes and BuiltinComponents().Names() differ (-types +names):\n%s", diff)
	}
	parse := func(d *payment.Decoder) payment.Component { return nil }
	for _, tc := range []struct {
		name  string
		types []payment.ComponentType
		want  *payment.ComponentTypeError
	}{
		{"duplicate of a built-in", []payment.ComponentType{{Name: "capitation", Parse: parse}},
			&payment.ComponentTypeError{Name: "capitation", Reason: "already in the registry"}},
		{"given twice", []payment.ComponentType{{Name: "own", Parse: parse}, {Name: "own", Parse: parse}},
			&payment.ComponentTypeError{Name: "own", Reason: "already in the registry"}},
		{"bad name", []payment.ComponentType{{Name: "Own-Type", Parse: parse}},
			&payment.ComponentTypeError{Name: "Own-Type", Reason: "a type name is lower-case letters, digits and underscores"}},
		{"no parse", []payment.ComponentType{{Name: "own"}},
			&payment.ComponentTypeError{Name: "own", Reason: "no parse function"}},
		{"new", []payment.ComponentType{{Name: "own", Parse: parse}, {Name: "aaa", Parse: parse}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := base.With(tc.types...)
			var te *payment.ComponentTypeError
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				want := append([]string{"aaa"}, before...)
				want = append(want, "own")
				slices.Sort(want)
				if diff := cmp.Diff(want, r.Names()); diff != "" {
					t.Errorf("names (-want +got):\n%s", diff)
				}
				if _, ok := r.Lookup("own"); !ok {
					t.Error("Lookup(own) found nothing")
				}
			} else if !errors.As(err, &te) || r != nil {
				t.Fatalf("got %v, %v; want a *ComponentTypeError", r, err)
			} else if diff := cmp.Diff(tc.want, te); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, base.Names()); diff != "" {
				t.Errorf("With changed its receiver (-before +after):\n%s", diff)
			}
		})
	}
}

// An outside type's problems are ModelErrors with file, line and key
// path like the built-in types', and a model using a type the registry
// does not have says which types it has.
func TestOutsideComponentErrors(t *testing.T) {
	types := elderlyTypes(t)
	for _, tc := range []struct {
		name  string
		body  string
		types *payment.ComponentRegistry
		want  []payment.ModelError
	}{
		{"bad age, unknown key, value without source", `  - id: elderly
    type: elderly_supplement
    from_age: old
    colour: blue
    rate:
      - {from: 2024-01-01, value: "55"}
`, types, []payment.ModelError{
			{File: "m.yaml", Path: "components[0].from_age", Line: 9, Reason: `must be a whole number from 0 to 120, not "old"`},
			{File: "m.yaml", Path: "components[0].colour", Line: 10, Reason: `unknown key "colour"`},
			{File: "m.yaml", Path: "components[0].rate[0].source", Line: 12, Reason: "missing source (cite a document and section or an address, or give an assumption with its reason)"},
		}},
		{"missing rate", `  - id: elderly
    type: elderly_supplement
    from_age: 75
`, types, []payment.ModelError{
			{File: "m.yaml", Path: "components[0].rate", Line: 7, Reason: `missing parameter "rate"`},
		}},
		{"not registered", `  - id: elderly
    type: elderly_supplement
    from_age: 75
`, nil, []payment.ModelError{
			{File: "m.yaml", Path: "components[0].type", Line: 8, Reason: `unknown component type "elderly_supplement" (known: ` +
				strings.Join(payment.ComponentTypes(), ", ") + ")"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := payment.ParseModel(strings.NewReader(elderlyHeader+tc.body), payment.ParseOptions{File: "m.yaml", Components: tc.types})
			var got []payment.ModelError
			for _, e := range unjoin(err) {
				var me *payment.ModelError
				if !errors.As(e, &me) {
					t.Fatalf("%T %v is not a *ModelError", e, e)
				}
				got = append(got, *me)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// Model.With changes an outside component's parameter on the copy only
// (the component's Clone), and one registry parses on many goroutines.
func TestOutsideComponentWithAndConcurrency(t *testing.T) {
	types := elderlyTypes(t)
	src := elderlyHeader + `  - id: elderly
    type: elderly_supplement
    from_age: 75
    rate: [{from: 2024-01-01, value: "55", source: "decision"}]
`
	var wg sync.WaitGroup
	models := make([]*payment.Model, 8)
	errs := make([]error, 8)
	for i := range models {
		wg.Go(func() {
			models[i], errs[i] = payment.ParseModel(strings.NewReader(src), payment.ParseOptions{Components: types})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	m := models[0]
	c, err := m.With(payment.Override{Key: "elderly.rate", Value: decimal.NewFromInt(70)})
	if err != nil {
		t.Fatal(err)
	}
	value := func(m *payment.Model) string {
		ps := m.Params()
		return ps[len(ps)-1].Values[len(ps[len(ps)-1].Values)-1].Value.String()
	}
	if value(m) != "55" || value(c) != "70" {
		t.Errorf("rate after With: original %s, copy %s; want 55 and 70", value(m), value(c))
	}
	if _, err := m.With(payment.Override{Key: "elderly.rate", Value: decimal.NewFromInt(-1)}); err == nil {
		t.Error("With accepted a negative rate for an outside component's NonNegative parameter")
	}
}

// A model file with an outside component type either parses, or fails
// with *ModelErrors only; one that parses validates.
func FuzzOutsideComponent(f *testing.F) {
	f.Add(`  - id: elderly
    type: elderly_supplement
    from_age: 75
    rate: [{from: 2024-01-01, value: "55", source: "decision"}]
`)
	f.Add(`  - {id: e, type: elderly_supplement, from_age: "-1", rate: [{from: 2024-02-01, value: "x"}]}
`)
	f.Add(`  - {id: e, type: elderly_supplement, from_age: 75, rate: [{from: 2024-01-01, value: "1", assumption: "a"}], extra: 1}
`)
	types, err := payment.BuiltinComponents().With(payment.ComponentType{Name: "elderly_supplement", Parse: parseElderlySupplement})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		m, err := payment.ParseModel(strings.NewReader(elderlyHeader+body), payment.ParseOptions{File: "f.yaml", Components: types})
		if err != nil {
			for _, e := range unjoin(err) {
				var me *payment.ModelError
				if !errors.As(e, &me) {
					t.Fatalf("untyped error %T: %v", e, e)
				}
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("parsed, but Validate says %v", err)
		}
	})
}
