//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"syscall/js"
	"testing"

	"github.com/vardval/vardval/internal/calc"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// TestGlueUnreadableFile: a file without a required column is an error
// naming the file, with the reason in the request's language, and the
// calculator keeps working.
func TestGlueUnreadableFile(t *testing.T) {
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 600, Seed: 2, PerUnit: 200})
	if err != nil {
		t.Fatal(err)
	}
	prog := js.FuncOf(func(_ js.Value, args []js.Value) any { return nil })
	defer prog.Release()
	api := register(calc.New())
	// A good region loaded and repriced first, as in the page.
	{
		var meta []map[string]any
		arrs := js.Global().Get("Array").New()
		for _, n := range vardval.FileNames() {
			b := files[n]
			meta = append(meta, map[string]any{"name": n, "size": len(b)})
			u := js.Global().Get("Uint8Array").New(len(b))
			js.CopyBytesToJS(u, b)
			arrs.Call("push", u)
		}
		mb, _ := json.Marshal(meta)
		read := js.Global().Get("Function").New("arrs", "return (i, off, n) => arrs[i].slice(off, off + n)").Invoke(arrs)
		rb, _ := json.Marshal(calc.RegionRequest{Model: "skane-2023", Lang: "sv"})
		if r := call(t, api, "region", string(rb), string(mb), read, prog); r.Error != nil {
			t.Fatal(r.Error.Message)
		}
		rb, _ = json.Marshal(calc.RegionRequest{Model: "skane-2023", Year: 2024, Lang: "en"})
		if r := call(t, api, "reprice", string(rb), prog); r.Error != nil {
			t.Fatal(r.Error.Message)
		}
	}
	files[vardval.FileListings] = bytes.Replace(files[vardval.FileListings], []byte("person_id,"), []byte("person,"), 1)
	var meta []map[string]any
	arrs := js.Global().Get("Array").New()
	for _, n := range vardval.FileNames() {
		b := files[n]
		meta = append(meta, map[string]any{"name": n, "size": len(b)})
		u := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(u, b)
		arrs.Call("push", u)
	}
	mb, _ := json.Marshal(meta)
	read := js.Global().Get("Function").New("arrs", "return (i, off, n) => arrs[i].slice(off, off + n)").Invoke(arrs)
	rb, _ := json.Marshal(calc.RegionRequest{Model: "halland-2019", Lang: "sv"})
	v := api.Call("region", string(rb), string(mb), read, prog)
	if v.Type() != js.TypeString {
		t.Fatalf("region returned a %s", v.Type())
	}
	var r struct {
		Error *errorJSON `json:"error"`
	}
	if err := json.Unmarshal([]byte(v.String()), &r); err != nil {
		t.Fatal(err)
	}
	if r.Error == nil || r.Error.Field != "files.listings.csv" || r.Error.Reason != "kolumnen person_id: obligatorisk kolumn saknas" {
		t.Errorf("unreadable listings.csv: %+v", r.Error)
	}
	if r := call(t, api, "models"); r.Error != nil {
		t.Errorf("the calculator stopped working: %s", r.Error.Message)
	}
}

// TestGlueReadFails: a file the browser cannot read (read gives null) is
// that file's error, said in the request's language, not a crash.
func TestGlueReadFails(t *testing.T) {
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 300, Seed: 2, PerUnit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var meta []map[string]any
	arrs := js.Global().Get("Array").New()
	for _, n := range vardval.FileNames() {
		meta = append(meta, map[string]any{"name": n, "size": len(files[n])})
		u := js.Global().Get("Uint8Array").New(len(files[n]))
		js.CopyBytesToJS(u, files[n])
		arrs.Call("push", u)
	}
	mb, _ := json.Marshal(meta)
	bad := slices.Index(vardval.FileNames(), vardval.FileContacts)
	read := js.Global().Get("Function").New("arrs", "bad", "return (i, off, n) => i === bad ? null : arrs[i].slice(off, off + n)").Invoke(arrs, bad)
	api := register(calc.New())
	rb, _ := json.Marshal(calc.RegionRequest{Model: "vgr-2017", Lang: "en"})
	v := api.Call("region", string(rb), string(mb), read, js.Undefined())
	var r struct {
		Error *errorJSON `json:"error"`
	}
	if err := json.Unmarshal([]byte(v.String()), &r); err != nil {
		t.Fatal(err)
	}
	if r.Error == nil || r.Error.Field != "files.contacts.csv" || !strings.Contains(r.Error.Reason, "the browser could not read the file") {
		t.Errorf("contacts.csv unreadable: %+v", r.Error)
	}
}
