package source

import "embed"

// Files is the source of the browser build, at module paths (go.mod,
// vardval/intake.go, measures/definitions.yaml, ...). Test files of those
// packages come along: a pattern per package directory needs no list to
// keep in step when a file is added.
//
//go:embed go.mod go.sum
//go:embed wasm/*.go
//go:embed examples/*.go examples/*/*.yaml examples/*/README.md
//go:embed internal/calc/*.go internal/csvtext/*.go internal/i18n/*.go internal/redact/*.go internal/yamlmap/*.go
//go:embed vardval/*.go vardval/csvin/*.go vardval/synth/*.go
//go:embed vardval/internal/arena/*.go vardval/internal/chunk/*.go vardval/internal/idtable/*.go vardval/internal/intern/*.go
//go:embed measures/*.go measures/definitions.yaml
//go:embed payment/*.go
var Files embed.FS
