//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/vardval/vardval/internal/calc"
)

func main() {
	api := register(calc.New())
	js.Global().Set("vardval", api)
	select {}
}
