// Command wasm is the WebAssembly build of the vardval browser calculator
// (GOOS=js GOARCH=wasm): thin glue that exposes package calc to the page's
// Web Worker as globalThis.vardval. It is the only package of the module
// that imports syscall/js. Every function takes and returns JSON text (or,
// for downloads, a Uint8Array) so that no money ever passes through a
// JavaScript number:
//
//	vardval.models()                          → {"result": [ModelInfo…]}
//	vardval.warm(year)                        generates the reference region of year
//	vardval.describe(requestJSON)             → {"result": View} | {"error": {...}}
//	vardval.region(requestJSON, filesJSON, read, progress)
//	                                          → {"result": View} | {"error": {...}}
//	vardval.download(format, unitID)          → {name, type, data: Uint8Array} | {error}
//
// region reads its files through read(i, offset, n) → Uint8Array (the
// worker implements it with FileReaderSync over the user's File objects,
// so files are streamed, never uploaded) and reports progress(JSON) per
// megabytes read and per stage. Errors carry a message and, for input
// errors, the field. The logic lives in package calc, which builds and is
// tested on every platform; built for any other platform this command
// only prints how to build it.
//
// The site (HTML, CSS, JS) is in package site; `vardval web` builds this
// command with the Go toolchain and serves both.
package main
