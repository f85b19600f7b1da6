package main

import "github.com/vardval/vardval/payment"

// componentTypes returns the component types a model file may use with
// this CLI: every command that reads a model (run, explain, compare,
// model check, models and the demo) parses with it (parseOptions).
//
// This is the one place a fork adds its own component type: write the
// type (a payment.Component and a parse function, see docs/forking.md),
// then add it to componentRegistry, e.g.
//
//	return payment.BuiltinComponents().With(
//		payment.ComponentType{Name: "elderly_supplement", Parse: parseElderlySupplement},
//	)
//
// and use it under a model file's components with type: elderly_supplement.
func componentTypes() *payment.ComponentRegistry {
	r, err := componentRegistry()
	if err != nil {
		panic(err) // unreachable: dispatch refuses to run any command when componentRegistry fails
	}
	return r
}

// componentRegistry builds the registry componentTypes returns: the
// built-in types and a fork's own. A duplicate type name is an error,
// which every command reports before it starts (exit 2).
func componentRegistry() (*payment.ComponentRegistry, error) {
	return payment.BuiltinComponents().With( /* a fork's types */ )
}

// parseOptions are the options every model the CLI reads is parsed with:
// the file's name for errors and componentTypes.
func parseOptions(file string) payment.ParseOptions { return modelOptions(file, nil) }

// modelOptions is parseOptions for a model whose goal components may name
// the measure ids known (nil: the built-in measures; --definitions adds a
// region's own).
func modelOptions(file string, known []string) payment.ParseOptions {
	return payment.ParseOptions{File: file, Components: componentTypes(), KnownMeasures: known}
}
