package calc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// loadNative loads files and parses model as `vardval run` does,
// independently of the Calculator.
func loadNative(t *testing.T, files map[string][]byte, model string) (*vardval.Region, *payment.Model) {
	t.Helper()
	rd := func(n string) io.Reader { return bytes.NewReader(files[n]) }
	r, _, err := vardval.Load(context.Background(), vardval.Files{Units: rd(vardval.FileUnits), Areas: rd(vardval.FileAreas),
		Listings: rd(vardval.FileListings), Contacts: rd(vardval.FileContacts), Diagnoses: rd(vardval.FileDiagnoses),
		Observations: rd(vardval.FileObservations), Prescriptions: rd(vardval.FilePrescriptions),
		Procedures: rd(vardval.FileProcedures), Admissions: rd(vardval.FileAdmissions), Clinicians: rd(vardval.FileClinicians),
		Calls: rd(vardval.FileCalls), Survey: rd(vardval.FileSurvey)}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	em, _ := examples.LookupModel(model)
	m, err := payment.ParseModel(bytes.NewReader(em.Data), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r, m
}

// TestVary moves parameters of the loaded region's model as the page's
// slider does and checks every unit's amount, the region total and the
// differences against payment.Price of the model with the same overrides,
// made here by hand (skane-2023's CNI share balanced by its largest other
// share, the ACG case-mix share's 0.5).
func TestVary(t *testing.T) {
	files := synthFiles(t, 2000, 5)
	ctx := context.Background()
	c := New()
	if _, err := c.Vary(ctx, VaryRequest{RegionRequest: RegionRequest{Model: "skane-2023", Year: 2024}}); !isField(err, "files") {
		t.Fatalf("before a region: got %v, want an *InputError for files", err)
	}
	rv, err := c.Region(ctx, RegionRequest{Model: "skane-2023", Year: 2024}, asFiles(files), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, m := loadNative(t, files, "skane-2023")
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	check := func(t *testing.T, req VaryRequest, v *VaryView, overrides ...payment.Override) {
		t.Helper()
		vm, err := m.With(overrides...)
		if err != nil {
			t.Fatal(err)
		}
		p := year
		if req.Month != 0 {
			p = vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: req.Month})
		}
		want, err := payment.Price(ctx, vm, r, p, payment.PriceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		base, err := payment.Price(ctx, m, r, p, payment.PriceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rd := want.Rounding
		wantUnits := []VaryUnit{}
		for i, u := range want.Units {
			b := base.Units[i].Total
			wantUnits = append(wantUnits, VaryUnit{UnitID: u.UnitID, Name: u.Name, Base: rd.Format(b), Total: rd.Format(u.Total), Diff: rd.Format(u.Total.Sub(b))})
		}
		type tot struct{ Base, Total, Diff string }
		if d := cmp.Diff(tot{rd.Format(base.Total), rd.Format(want.Total), rd.Format(want.Total.Sub(base.Total))}, tot{v.BaseTotal, v.Total, v.Diff}); d != "" {
			t.Errorf("totals (-Price +Vary):\n%s", d)
		}
		if d := cmp.Diff(wantUnits, v.Units); d != "" {
			t.Errorf("units (-Price +Vary):\n%s", d)
		}
	}

	req := VaryRequest{RegionRequest: RegionRequest{Model: "skane-2023", Year: 2024, Lang: "sv"}}
	v, err := c.Vary(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if v.BaseTotal != rv.Total || v.Total != rv.Total || v.Diff != "0.00" {
		t.Fatalf("without a key: base %s, total %s, diff %s; want the region's %s and 0.00", v.BaseTotal, v.Total, v.Diff, rv.Total)
	}
	if c.loaded.sweeper != nil {
		t.Error("the region's sums were made for the model's own values")
	}
	cni := "components[0].shares[2].share"
	i := slices.IndexFunc(v.Params, func(p VaryParam) bool { return p.Key == cni })
	if i < 0 || !v.Params[i].Share || v.Params[i].Value != "0.15" || v.Params[i].Label == cni {
		t.Fatalf("params lack the CNI share 0.15 with a label: %+v", v.Params)
	}
	if !v.Params[0].Share {
		t.Fatalf("the pool shares are not first: %+v", v.Params[0])
	}

	for _, value := range []string{"0.10", "0.2", "0.65"} {
		req.Key, req.Value = cni, value
		v, err := c.Vary(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		x := decimal.RequireFromString(value)
		acg := decimal.RequireFromString("0.65").Sub(x)
		check(t, req, v, payment.Override{Key: cni, Value: x}, payment.Override{Key: "components[0].shares[0].share", Value: acg})
		if v.Balance != "components[0].shares[0].share" || !decimal.RequireFromString(v.BalanceValue).Equal(acg) {
			t.Errorf("balance %s = %s, want the ACG share at %s", v.Balance, v.BalanceValue, acg)
		}
		if v.Index < 0 || !decimal.RequireFromString(v.Values[v.Index]).Equal(x) || v.Values[v.BaseIndex] != "0.15" {
			t.Errorf("index %d, base index %d of %v", v.Index, v.BaseIndex, v.Values)
		}
		if value == "0.10" && v.Diff == "0.00" {
			t.Error("a CNI share of 10 % changed nothing")
		}
	}
	// The slider ends where the ACG share would leave 0–1.
	req.Value = "0.65"
	if v, err = c.Vary(ctx, req); err != nil {
		t.Fatal(err)
	}
	if v.Values[0] != "0" || v.Values[len(v.Values)-1] != "0.65" || len(v.Values) != 66 {
		t.Errorf("share values %v, want 0 … 0.65 in steps of 0.01", v.Values)
	}

	// A pool size over one month, the year's sums let go.
	pool := "components[0].pool_per_listed_year"
	req = VaryRequest{RegionRequest: RegionRequest{Model: "skane-2023", Year: 2024, Month: 3}, Key: pool, Value: "3600"}
	if v, err = c.Vary(ctx, req); err != nil {
		t.Fatal(err)
	}
	check(t, req, v, payment.Override{Key: pool, Value: decimal.NewFromInt(3600)})
	if v.Balance != "" || v.Values[v.BaseIndex] != "3300" || v.Index < 0 {
		t.Errorf("pool: balance %q, values %v, index %d", v.Balance, v.Values, v.Index)
	}

	for _, tc := range []struct {
		key, value, field string
	}{
		{"acg.window_months", "12", "key"},
		{"components[9].shares[0].share", "0.1", "key"},
		{cni, "abc", "value"},
		{cni, "0.1,5", "value"},
		{cni, "0.9", "value"}, // the ACG share would be −0.25
	} {
		_, err := c.Vary(ctx, VaryRequest{RegionRequest: RegionRequest{Model: "skane-2023", Year: 2024}, Key: tc.key, Value: tc.value})
		if !isField(err, tc.field) {
			t.Errorf("%s=%s: got %v, want an *InputError for %s", tc.key, tc.value, err, tc.field)
		}
	}
}

func isField(err error, field string) bool {
	var ie *InputError
	return errors.As(err, &ie) && ie.Field == field
}

// TestVaryEveryModel moves the first parameters of every model to both
// ends of their sliders and checks each answer against payment.Price of
// the model with the overrides the answer names (the value, and the
// balancing share of a pool share), unit by unit.
func TestVaryEveryModel(t *testing.T) {
	files := synthFiles(t, 1200, 9)
	ctx := context.Background()
	c := New()
	ms, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Region(ctx, RegionRequest{Model: ms[0].Name, Year: 2024}, asFiles(files), nil); err != nil {
		t.Fatal(err)
	}
	r, _ := loadNative(t, files, ms[0].Name)
	for _, mi := range ms {
		t.Run(mi.Name, func(t *testing.T) {
			_, m := loadNative(t, files, mi.Name)
			year := 2024
			if !slices.Contains(mi.Years, year) {
				year = mi.Years[0]
			}
			req := VaryRequest{RegionRequest: RegionRequest{Model: mi.Name, Year: year, NoMeasures: true}}
			v, err := c.Vary(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Params) == 0 {
				t.Fatal("no parameters to vary")
			}
			period := vardval.Period{From: vardval.D(year, 1, 1), To: vardval.D(year, 12, 31)}
			for _, p := range v.Params[:min(3, len(v.Params))] {
				req.Key = p.Key
				req.Value = ""
				at, err := c.Vary(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if len(at.Values) < 2 || at.BaseIndex < 0 || at.Values[at.BaseIndex] != p.Value {
					t.Fatalf("%s: values %v, base index %d, want %s among them", p.Key, at.Values, at.BaseIndex, p.Value)
				}
				for _, value := range []string{at.Values[0], at.Values[len(at.Values)-1]} {
					req.Value = value
					got, err := c.Vary(ctx, req)
					if err != nil {
						t.Fatalf("%s=%s: %v", p.Key, value, err)
					}
					overrides := []payment.Override{{Key: p.Key, Value: decimal.RequireFromString(value)}}
					if got.Balance != "" {
						overrides = append(overrides, payment.Override{Key: got.Balance, Value: decimal.RequireFromString(got.BalanceValue)})
					}
					vm, err := m.With(overrides...)
					if err != nil {
						t.Fatal(err)
					}
					st, err := payment.Price(ctx, vm, r, period, payment.PriceOptions{NoMeasures: true})
					if err != nil {
						t.Fatal(err)
					}
					want := map[string]string{"": st.Rounding.Format(st.Total)}
					for _, u := range st.Units {
						want[u.UnitID] = st.Rounding.Format(u.Total)
					}
					gotUnits := map[string]string{"": got.Total}
					for _, u := range got.Units {
						gotUnits[u.UnitID] = u.Total
					}
					if d := cmp.Diff(want, gotUnits); d != "" {
						t.Errorf("%s=%s (-Price +Vary):\n%s", p.Key, value, d)
					}
				}
			}
		})
	}
}
