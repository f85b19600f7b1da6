package payment

import (
	"bytes"
	"fmt"

	"github.com/vardval/vardval/examples"
)

// UnknownModelError reports a model name that is not embedded.
type UnknownModelError struct {
	Name  string
	Known []string
}

// Error describes the unknown model and lists the known ones.
func (e *UnknownModelError) Error() string {
	return fmt.Sprintf("no embedded model %q (known: %v)", e.Name, e.Known)
}

// BuiltinNames returns the names of the embedded models, sorted.
func BuiltinNames() []string {
	var out []string
	for _, m := range examples.Models() {
		out = append(out, m.Name)
	}
	return out
}

// Builtin parses the embedded model with the given name (e.g.
// "skane-2023"), with the built-in component types and measures.
func Builtin(name string) (*Model, error) {
	em, ok := examples.LookupModel(name)
	if !ok {
		return nil, &UnknownModelError{Name: name, Known: BuiltinNames()}
	}
	return ParseModel(bytes.NewReader(em.Data), ParseOptions{File: em.Path})
}
