//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/internal/calc"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// These tests run under Node (go_js_wasm_exec): they call the functions
// the worker calls, through syscall/js, and compare with package calc
// called directly in the same program.

type reply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

func call(t *testing.T, api js.Value, name string, args ...any) reply {
	t.Helper()
	v := api.Call(name, args...)
	if v.Type() != js.TypeString {
		t.Fatalf("%s returned a %s, not JSON text", name, v.Type())
	}
	var r reply
	if err := json.Unmarshal([]byte(v.String()), &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

func TestGlueModels(t *testing.T) {
	api := register(calc.New())
	r := call(t, api, "models")
	if r.Error != nil {
		t.Fatal(r.Error.Message)
	}
	var got []calc.ModelInfo
	if err := json.Unmarshal(r.Result, &got); err != nil {
		t.Fatal(err)
	}
	want, err := calc.New().Models()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("models (-calc +glue):\n%s", diff)
	}
}

func TestGlueDescribe(t *testing.T) {
	api := register(calc.New())
	ms, _ := calc.New().Models()
	m := ms[len(ms)-1]
	req := calc.DescribeRequest{Model: m.Name, Year: m.DefaultYear, Owner: "private", MeanACG: "1,2", CNI: "0.9",
		Contacts: calc.Contacts{OwnDoctor: 500, ElsewhereDoctor: 20, OutEmergency: 30}}
	for _, b := range m.Bands {
		req.Persons = append(req.Persons, calc.BandCount{From: b.From, To: b.To, F: 40, M: 35})
	}
	for _, mi := range m.Measures {
		req.Measures = append(req.Measures, calc.MeasureValue{ID: mi.ID, Numerator: mi.Numerator, Denominator: mi.Denominator})
	}
	b, _ := json.Marshal(req)
	r := call(t, api, "describe", string(b))
	if r.Error != nil {
		t.Fatal(r.Error.Message)
	}
	want, err := calc.New().Describe(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	if !bytes.Equal(wb, r.Result) {
		t.Errorf("glue view differs from calc's:\n%s\n%s", r.Result, wb)
	}
	// Download through the glue: a Uint8Array of payment's CSV.
	d := api.Call("download", "csv", "")
	if e := d.Get("error"); !e.IsUndefined() {
		t.Fatal(e.Get("message").String())
	}
	data := make([]byte, d.Get("data").Get("length").Int())
	js.CopyBytesToGo(data, d.Get("data"))
	if !strings.HasPrefix(string(data), "unit_id,") || !strings.HasSuffix(d.Get("name").String(), ".csv") {
		t.Errorf("download %q starts %q", d.Get("name").String(), data[:min(40, len(data))])
	}
	// Errors come back as JSON with the field.
	for _, tc := range []struct{ arg, field string }{{"{", "request"}, {`{"model": "nowhere"}`, "model"}, {`{"model": "` + m.Name + `", "year": 1800}`, "year"}} {
		r := call(t, api, "describe", tc.arg)
		if r.Error == nil || r.Error.Field != tc.field {
			t.Errorf("describe(%s): error %+v, want field %s", tc.arg, r.Error, tc.field)
		}
	}
	if r := call(t, api, "describe"); r.Error == nil || r.Error.Field != "arguments" {
		t.Errorf("describe(): %+v", r.Error)
	}
}

func TestGlueRegion(t *testing.T) {
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 600, Seed: 2, PerUnit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var meta []map[string]any
	arrs := js.Global().Get("Array").New()
	var native []calc.File
	for _, n := range vardval.FileNames() {
		b := files[n]
		meta = append(meta, map[string]any{"name": n, "size": len(b)})
		u := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(u, b)
		arrs.Call("push", u)
		native = append(native, calc.File{Name: n, Reader: bytes.NewReader(b), Size: int64(len(b))})
	}
	mb, _ := json.Marshal(meta)
	// read(i, off, n) as the worker's FileReaderSync gives it: a Uint8Array.
	read := js.Global().Get("Function").New("arrs", "return (i, off, n) => arrs[i].slice(off, off + n)").Invoke(arrs)
	var stages []string
	prog := js.FuncOf(func(_ js.Value, args []js.Value) any {
		var p calc.Progress
		if err := json.Unmarshal([]byte(args[0].String()), &p); err != nil {
			t.Error(err)
		}
		if p.Stage != "read" {
			stages = append(stages, p.Stage)
		}
		return nil
	})
	defer prog.Release()
	api := register(calc.New())
	req := calc.RegionRequest{Model: "halland-2019"}
	rb, _ := json.Marshal(req)
	r := call(t, api, "region", string(rb), string(mb), read, prog)
	if r.Error != nil {
		t.Fatal(r.Error.Message)
	}
	want, err := calc.New().Region(context.Background(), req, native, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got calc.View
	if err := json.Unmarshal(r.Result, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*want, got); diff != "" {
		t.Errorf("region through the glue (-calc +glue):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"measures", "payment", "funnels", "done"}, stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	if r := call(t, api, "region", string(rb), string(mb)); r.Error == nil || r.Error.Field != "read" {
		t.Errorf("region without read: %+v", r.Error)
	}
	// The region stays loaded: March under another model, without files,
	// as calc gives it from a fresh load.
	req = calc.RegionRequest{Model: "skane-2023", Year: 2024, Month: 3}
	rb, _ = json.Marshal(req)
	stages = nil
	r = call(t, api, "reprice", string(rb), prog)
	if r.Error != nil {
		t.Fatal(r.Error.Message)
	}
	for i := range native {
		native[i].Reader = bytes.NewReader(files[native[i].Name])
	}
	want, err = calc.New().Region(context.Background(), req, native, nil)
	if err != nil {
		t.Fatal(err)
	}
	got = calc.View{}
	if err := json.Unmarshal(r.Result, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*want, got); diff != "" {
		t.Errorf("reprice through the glue (-calc +glue):\n%s", diff)
	}
	if got.Period.From != "2024-03-01" {
		t.Errorf("repriced period %+v, want March 2024", got.Period)
	}
	if diff := cmp.Diff([]string{"measures", "payment", "funnels", "done"}, stages); diff != "" {
		t.Errorf("reprice stages (-want +got):\n%s", diff)
	}
	if r := call(t, register(calc.New()), "reprice", string(rb)); r.Error == nil || r.Error.Field != "files" {
		t.Errorf("reprice with nothing loaded: %+v", r.Error)
	}
	// The slider: the loaded region with skane-2023's CNI share at 0.10,
	// as calc gives it from the same region.
	vreq := calc.VaryRequest{RegionRequest: req, Key: "components[0].shares[2].share", Value: "0.10"}
	vb, _ := json.Marshal(vreq)
	r = call(t, api, "vary", string(vb))
	if r.Error != nil {
		t.Fatal(r.Error.Message)
	}
	c := calc.New()
	for i := range native {
		native[i].Reader = bytes.NewReader(files[native[i].Name])
	}
	if _, err := c.Region(context.Background(), req, native, nil); err != nil {
		t.Fatal(err)
	}
	wantVary, err := c.Vary(context.Background(), vreq)
	if err != nil {
		t.Fatal(err)
	}
	var gotVary calc.VaryView
	if err := json.Unmarshal(r.Result, &gotVary); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*wantVary, gotVary); diff != "" || gotVary.Diff == "0.00" {
		t.Errorf("vary through the glue (-calc +glue), diff %s:\n%s", gotVary.Diff, diff)
	}
	vb, _ = json.Marshal(calc.VaryRequest{RegionRequest: req, Key: "nope"})
	if r := call(t, api, "vary", string(vb)); r.Error == nil || r.Error.Field != "key" {
		t.Errorf("vary of an unknown key: %+v", r.Error)
	}
}
