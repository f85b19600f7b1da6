package calc

import (
	"context"
	"testing"
	"time"
)

func TestQuick(t *testing.T) {
	c := New()
	ms, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Logf("%s %v bands=%v measures=%v", m.Name, m.Years, m.Bands, m.Measures)
		start := time.Now()
		req := DescribeRequest{Model: m.Name, Year: m.DefaultYear, Owner: "private", MeanACG: "1.1", CNI: "1.3",
			Contacts: Contacts{OwnDoctor: 3000, OwnOther: 5000, ElsewhereDoctor: 100, UnlistedOther: 50, OutPrimaryDoctor: 200, OutEmergency: 300, OutDigital: 400}}
		for _, b := range m.Bands {
			req.Persons = append(req.Persons, BandCount{From: b.From, To: b.To, F: 300, M: 280})
		}
		for _, mi := range m.Measures {
			req.Measures = append(req.Measures, MeasureValue{ID: mi.ID, Numerator: mi.Numerator, Denominator: mi.Denominator})
		}
		v, err := c.Describe(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s total %s (%v)", m.Name, v.Total, time.Since(start))
		for _, l := range v.Units[0].Lines {
			t.Logf("   %s %s × %s = %s  %s", l.Name, l.Quantity, l.Rate, l.Amount, l.Explanation)
		}
	}
}
