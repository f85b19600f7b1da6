// Package site holds the static files of the vardval browser calculator
// (index.html, style.css, app.js, slider.js, worker.js), embedded in the binary, and
// the HTTP handler that serves them with the WebAssembly module.
//
// Privacy is by construction: every response carries the [CSP]
// Content-Security-Policy (index.html repeats it in a meta tag for static
// hosts), which forbids any connection beyond the page's own origin, any
// inline script or style and any plug-in; the page has no analytics, no
// CDN and no outside font. The user's files are read by the Web Worker in
// the browser and never sent.
//
// The .wasm and wasm_exec.js are not embedded here: the command builds the
// module with the Go toolchain (GOOS=js GOARCH=wasm of ./wasm) and passes
// the bytes to [Handler] or [Contents]. An exported site carries a gzip copy
// of every file ([WithGzip]); [Handler] serves those copies with
// Content-Encoding: gzip to a browser that accepts them. The package has no state; a zero
// [Assets] serves the static files and 404 for the missing module.
package site
