//go:build js

package payment

import (
	"errors"
	"io"
)

// ErrNoXLSX is returned by the XLSX writers in the browser build, which
// leaves the Excel library out to keep the WebAssembly module small
// (11.5 MB → 7.7 MB raw); the page offers CSV and JSON instead.
var ErrNoXLSX = errors.New("xlsx output is not part of the browser build; use csv or json")

// WriteXLSX is not available in the browser build: it returns ErrNoXLSX.
func WriteXLSX(w io.Writer, s *Statement) error { return ErrNoXLSX }

// WriteComparisonXLSX is not available in the browser build: it returns ErrNoXLSX.
func WriteComparisonXLSX(w io.Writer, c Comparison) error { return ErrNoXLSX }
