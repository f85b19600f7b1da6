package payment

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/examples"
)

// The copy With makes shares no pointer, slice or map with the original
// (decimals, immutable, excepted), but keeps the sharing within the model
// (a table components refer to is one table), and is equal to it.
func TestCloneSharesNothing(t *testing.T) {
	for _, em := range examples.Models() {
		m := loadModel(t, em.Name)
		c := m.clone()
		if !reflect.DeepEqual(m, c) {
			t.Errorf("%s: the copy differs", em.Name)
		}
		seen := map[uintptr]bool{}
		var walk func(a, b reflect.Value, path string)
		walk = func(a, b reflect.Value, path string) {
			if a.Type() == reflect.TypeFor[decimal.Decimal]() {
				return
			}
			switch a.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map:
				if a.IsNil() || (a.Kind() == reflect.Slice && a.Cap() == 0) {
					return
				}
				if a.Pointer() == b.Pointer() {
					t.Errorf("%s: %s is shared with the original", em.Name, path)
					return
				}
				if seen[b.Pointer()] && a.Kind() == reflect.Pointer {
					return // a table or spec referred to twice: walked once
				}
				seen[b.Pointer()] = true
				if a.Kind() == reflect.Pointer {
					walk(a.Elem(), b.Elem(), path)
					return
				}
				for i := 0; i < a.Len(); i++ {
					walk(a.Index(i), b.Index(i), path+"[]")
				}
			case reflect.Interface:
				if !a.IsNil() {
					walk(a.Elem(), b.Elem(), path)
				}
			case reflect.Struct:
				for i := 0; i < a.NumField(); i++ {
					walk(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
				}
			}
		}
		walk(reflect.ValueOf(m), reflect.ValueOf(c), "model")
		// A pool's active index refers to the copy's own active section.
		for _, comp := range c.Components {
			if ps, ok := comp.(*PoolSplit); ok && ps.active != nil && ps.active != c.Active {
				t.Errorf("%s: a pool's active section is not the copy's", em.Name)
			}
		}
		for i, comp := range c.Components {
			if g, ok := comp.(*Goal); ok && g.Basis != nil {
				for _, tb := range c.Tables {
					if tb.ID == g.Basis.ID && tb != g.Basis {
						t.Errorf("%s: components[%d]'s basis is not the copy's table", em.Name, i)
					}
				}
			}
		}
	}
}
