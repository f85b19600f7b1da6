package payment

import (
	"bytes"
	"context"
	"testing"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/vardval"
)

func TestSmoke(t *testing.T) {
	for _, em := range examples.Models() {
		m, err := ParseModel(bytes.NewReader(em.Data), ParseOptions{File: em.Path})
		if err != nil {
			t.Fatalf("%s: %v", em.Name, err)
		}
		year := int(m.Valid.From.Year)
		rw := synthRows(synthSpec{seed: 1, persons: 300, primary: 4, year: year, contacts: 2})
		st, err := Run(context.Background(), m, rw.region(), vardval.Period{From: vardval.D(year, 1, 1), To: vardval.D(year, 2, 28)}, RunOptions{})
		if err != nil {
			t.Fatalf("%s: %v", em.Name, err)
		}
		t.Logf("%s total %s", em.Name, st.Total)
		for _, u := range st.Units[:1] {
			for _, l := range u.Lines {
				t.Logf("  %s | %s | %s × %s = %s | %s %s | %s", l.Component, l.Name, l.Quantity, l.Rate, l.Amount, l.Parameter, l.ValidFrom, l.Explanation)
			}
		}
	}
}
