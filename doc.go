// Package source is the part of the vardval module's own source that the
// browser build (./wasm, GOOS=js GOARCH=wasm) is built from, embedded, so
// that any vardval binary can build vardval.wasm outside a clone: one
// installed with `go install` (from a clone, which gives a "(devel)"
// binary, or from a module proxy), or copied to another machine. Only
// cmd/vardval imports it (vardval web, vardval web --export).
//
// [Files] holds go.mod, go.sum and, for every package of this module that
// ./wasm imports (and ./wasm itself), its Go files and the files it
// embeds, at their paths in the module. It is read-only and safe for
// concurrent use. A test (TestFilesBuildWasm) checks that it holds every
// file `go list -deps ./wasm` names, so a new package or embed pattern
// that the browser build needs cannot be forgotten here.
package source
