//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "wasm: build with GOOS=js GOARCH=wasm go build -o vardval.wasm ./wasm (or run vardval web)")
	os.Exit(2)
}
