//go:build js && wasm

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"syscall/js"

	"github.com/vardval/vardval/internal/calc"
)

// register returns the JS object of the calculator's functions.
func register(c *calc.Calculator) js.Value {
	api := js.Global().Get("Object").New()
	api.Set("models", js.FuncOf(func(js.Value, []js.Value) any {
		ms, err := c.Models()
		return answer(ms, err)
	}))
	api.Set("warm", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) == 1 && args[0].Type() == js.TypeNumber {
			_ = c.Warm(context.Background(), args[0].Int())
		}
		return nil
	}))
	api.Set("describe", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req calc.DescribeRequest
		if err := decodeArg(args, 0, &req); err != nil {
			return answer(nil, err)
		}
		v, err := c.Describe(context.Background(), req)
		return answer(v, err)
	}))
	api.Set("region", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req calc.RegionRequest
		if err := decodeArg(args, 0, &req); err != nil {
			return answer(nil, err)
		}
		var meta []struct {
			Name string `json:"name"`
			Size int64  `json:"size"`
		}
		if err := decodeArg(args, 1, &meta); err != nil {
			return answer(nil, err)
		}
		if len(args) < 4 || args[2].Type() != js.TypeFunction {
			return answer(nil, &calc.InputError{Field: "read", Reason: "a read(i, offset, n) function is required"})
		}
		read := args[2]
		files := make([]calc.File, len(meta))
		for i, m := range meta {
			files[i] = calc.File{Name: m.Name, Size: m.Size,
				Reader: bufio.NewReaderSize(&jsReader{read: read, index: i, size: m.Size}, 1<<20)}
		}
		v, err := c.Region(context.Background(), req, files, progressOf(args, 3))
		return answer(v, err)
	}))
	api.Set("reprice", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req calc.RegionRequest
		if err := decodeArg(args, 0, &req); err != nil {
			return answer(nil, err)
		}
		v, err := c.Reprice(context.Background(), req, progressOf(args, 1))
		return answer(v, err)
	}))
	api.Set("vary", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req calc.VaryRequest
		if err := decodeArg(args, 0, &req); err != nil {
			return answer(nil, err)
		}
		v, err := c.Vary(context.Background(), req)
		return answer(v, err)
	}))
	api.Set("download", js.FuncOf(func(_ js.Value, args []js.Value) any {
		format, unit := "", ""
		if len(args) > 0 && args[0].Type() == js.TypeString {
			format = args[0].String()
		}
		if len(args) > 1 && args[1].Type() == js.TypeString {
			unit = args[1].String()
		}
		d, err := c.Download(format, unit)
		out := js.Global().Get("Object").New()
		if err != nil {
			out.Set("error", errorValue(err))
			return out
		}
		data := js.Global().Get("Uint8Array").New(len(d.Data))
		js.CopyBytesToJS(data, d.Data)
		out.Set("name", d.Name)
		out.Set("type", d.Type)
		out.Set("data", data)
		return out
	}))
	return api
}

// progressOf returns a progress func that calls args[i] with each
// calc.Progress as JSON text, or nil when args[i] is not a function.
func progressOf(args []js.Value, i int) func(calc.Progress) {
	if len(args) <= i || args[i].Type() != js.TypeFunction {
		return nil
	}
	prog := args[i]
	return func(p calc.Progress) {
		b, _ := json.Marshal(p)
		prog.Invoke(string(b))
	}
}

// decodeArg decodes args[i], a JSON string, into v.
func decodeArg(args []js.Value, i int, v any) error {
	if len(args) <= i || args[i].Type() != js.TypeString {
		return &calc.InputError{Field: "arguments", Reason: "a JSON string argument is required"}
	}
	if err := json.Unmarshal([]byte(args[i].String()), v); err != nil {
		return &calc.InputError{Field: "request", Reason: "not valid JSON: " + err.Error()}
	}
	return nil
}

// errorJSON is an error for the page: Message is for logs and tests (the
// page never shows it), Field the key path the page marks, and Reason,
// for a file that cannot be read (Field "files.NAME"), why, in the
// request's language.
type errorJSON struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

func errorOf(err error) errorJSON {
	e := errorJSON{Message: err.Error()}
	var ie *calc.InputError
	if errors.As(err, &ie) {
		e.Field = ie.Field
		if strings.HasPrefix(ie.Field, "files.") {
			e.Reason = ie.Reason
		}
	}
	return e
}

func errorValue(err error) js.Value {
	e := errorOf(err)
	o := js.Global().Get("Object").New()
	o.Set("message", e.Message)
	o.Set("field", e.Field)
	return o
}

// answer encodes a result or an error as JSON text.
func answer(v any, err error) string {
	var out struct {
		Result any        `json:"result,omitempty"`
		Error  *errorJSON `json:"error,omitempty"`
	}
	if err != nil {
		e := errorOf(err)
		out.Error = &e
	} else {
		out.Result = v
	}
	b, merr := json.Marshal(out)
	if merr != nil {
		return `{"error": {"message": "cannot encode the result"}}`
	}
	return string(b)
}

// jsReader reads file index of the worker's files through read(i, off, n).
type jsReader struct {
	read  js.Value
	index int
	off   int64
	size  int64
}

func (r *jsReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if rest := r.size - r.off; n > rest {
		n = rest
	}
	chunk := r.read.Invoke(r.index, float64(r.off), float64(n))
	if chunk.Type() != js.TypeObject {
		return 0, &calc.InputError{Field: "read", Reason: calc.ReasonBrowserRead}
	}
	m := js.CopyBytesToGo(p[:n], chunk)
	if m == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	r.off += int64(m)
	return m, nil
}
