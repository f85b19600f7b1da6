package payment

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// TestSweeperIsPrice checks that a Sweeper, pricing variants one at a
// time as a slider asks for them, gives for each exactly Price's
// statement of the variant's model (the measures computed as Price
// computes them, the sums shared), and its base Price's for the model.
func TestSweeperIsPrice(t *testing.T) {
	r, _ := genSynth(t, 2000).load(t)
	ctx := context.Background()
	js := func(st *Statement) string {
		var b bytes.Buffer
		if err := WriteJSON(&b, st, nil); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	resummed := 0 // models with a variant that needed sums of its own
	for _, name := range BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			m := loadModel(t, name)
			period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 3, 31)}
			if !m.Valid.Contains(period.From) {
				period = quarter(m)
			}
			sw, err := NewSweeper(ctx, m, r, period, PriceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			base, err := Price(ctx, m, r, period, PriceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(js(base), js(sw.Base())); d != "" {
				t.Fatalf("base differs from Price (-Price +Sweeper):\n%s", d)
			}
			n, most := 0, 0
			for _, v := range sweepVariants(t, m, period.From) {
				if n >= 4 && !strings.Contains(v.Name, "indicators") && !strings.HasPrefix(v.Name, "acg") && !strings.HasPrefix(v.Name, "tables") {
					continue
				}
				n++
				got, err := sw.Price(ctx, v)
				if err != nil {
					t.Fatal(err)
				}
				want, err := Price(ctx, got.Model, r, period, PriceOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(js(want), js(got.Statement)); d != "" {
					t.Fatalf("%s differs from Price (-Price +Sweeper):\n%s", v.Name, d)
				}
				if len(sw.s.made) > sweeperKeep {
					t.Fatalf("after %s the sweeper keeps %d sets of sums", v.Name, len(sw.s.made))
				}
				most = max(most, len(sw.s.made))
			}
			if n == 0 {
				t.Fatal("no variants")
			}
			if most == sweeperKeep {
				resummed++
			}
		})
	}
	if resummed == 0 {
		t.Fatal("no variant needed sums of its own")
	}
}

// TestSweeperErrors checks that a variant that does not apply is a
// *SweepError wrapping the *OverrideError, and that the model's own
// request errors are Price's.
func TestSweeperErrors(t *testing.T) {
	r, _ := genSynth(t, 1000).load(t)
	m := loadModel(t, "skane-2023")
	ctx := context.Background()
	if _, err := NewSweeper(ctx, m, r, vardval.Period{From: vardval.D(2020, 1, 1), To: vardval.D(2020, 1, 31)}, PriceOptions{}); !errors.As(err, new(*RunPeriodError)) {
		t.Fatalf("got %v, want a *RunPeriodError", err)
	}
	sw, err := NewSweeper(ctx, m, r, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 1, 31)}, PriceOptions{NoMeasures: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sw.Price(ctx, Variant{Name: "cni=0.2", Overrides: []Override{{Key: "capitation.shares[2].share", Value: decimal.RequireFromString("0.2")}}})
	var se *SweepError
	if !errors.As(err, &se) || se.Variant != "cni=0.2" || !errors.As(err, new(*OverrideError)) {
		t.Fatalf("got %v, want a *SweepError wrapping an *OverrideError", err)
	}
	if sw.Model() != m {
		t.Fatal("Model is not the swept model")
	}
}
