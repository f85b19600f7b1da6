package calc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// A model the caller parsed (here: a proposal made from an embedded one
// with With) is offered and priced like an embedded one; the calculator
// keeps its own copy.
func TestAddModel(t *testing.T) {
	ctx := context.Background()
	base, err := payment.Builtin("skane-2023")
	if err != nil {
		t.Fatal(err)
	}
	prop, err := base.With(
		payment.Override{Key: "capitation.shares[2].share", From: vardval.D(2024, 1, 1), Value: decimal.RequireFromString("0.20")},
		payment.Override{Key: "capitation.shares[0].share", From: vardval.D(2024, 1, 1), Value: decimal.RequireFromString("0.45")},
	)
	if err != nil {
		t.Fatal(err)
	}
	prop.Name, prop.Title = "skane-proposal", "Skåne with CNI 20 %"
	c := New()
	if err := c.AddModel(prop); err != nil {
		t.Fatal(err)
	}
	prop.Name = "renamed after adding" // the calculator's copy keeps its name
	ms, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	want := []string{"halland-2019", "skane-2023", "skane-proposal", "vgr-2017"}
	if len(names) != len(want) {
		t.Fatalf("models %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("models %v, want %v", names, want)
		}
	}

	files := synthFiles(t, 1500, 5)
	v, err := c.Region(ctx, RegionRequest{Model: "skane-proposal", Year: 2024}, asFiles(files), nil)
	if err != nil {
		t.Fatal(err)
	}
	rd := func(n string) io.Reader { return bytes.NewReader(files[n]) }
	r, _, err := vardval.Load(ctx, vardval.Files{Units: rd(vardval.FileUnits), Areas: rd(vardval.FileAreas),
		Listings: rd(vardval.FileListings), Contacts: rd(vardval.FileContacts), Diagnoses: rd(vardval.FileDiagnoses),
		Observations: rd(vardval.FileObservations), Prescriptions: rd(vardval.FilePrescriptions)}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	prop.Name = "skane-proposal"
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	st, err := payment.Price(ctx, prop, r, year, payment.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := totalsDiff(t, st, v); d != "" {
		t.Errorf("the added model priced differently (-native +calc):\n%s", d)
	}
	orig, err := c.Reprice(ctx, RegionRequest{Model: "skane-2023", Year: 2024}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if orig.Total == v.Total {
		t.Error("the proposal pays what the embedded model pays")
	}

	// A model of an embedded name takes its place.
	if err := c.AddModel(prop); err != nil {
		t.Fatal(err)
	}
	prop.Name = "skane-2023"
	if err := c.AddModel(prop); err != nil {
		t.Fatal(err)
	}
	if replaced, err := c.Reprice(ctx, RegionRequest{Model: "skane-2023", Year: 2024}, nil); err != nil || replaced.Total != v.Total {
		t.Errorf("skane-2023 replaced: %v, total %v, want %s", err, replaced, v.Total)
	}
}

// Unknown or unusable models are typed errors.
func TestAddModelErrors(t *testing.T) {
	c := New()
	var ie *InputError
	if err := c.AddModel(nil); !errors.As(err, &ie) || ie.Field != "model" {
		t.Errorf("nil model: %v", err)
	}
	m, err := payment.Builtin("vgr-2017")
	if err != nil {
		t.Fatal(err)
	}
	m.Params()[0].Values[0].Value = decimal.RequireFromString("-1") // breaks a rule
	var me *payment.ModelError
	if err := c.AddModel(m); !errors.As(err, &me) {
		t.Errorf("invalid model: %v", err)
	}
	_, err = c.Reprice(context.Background(), RegionRequest{Model: "nope-2024"}, nil)
	var ume *payment.UnknownModelError
	if !errors.As(err, &ie) || ie.Field != "model" || !errors.As(err, &ume) || ume.Name != "nope-2024" {
		t.Errorf("unknown model: %v", err)
	}
	if err.Error() != `calc: model: no embedded model "nope-2024"` {
		t.Errorf("message %q", err)
	}
}
