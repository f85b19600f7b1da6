package payment_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// amounts runs body on the example region for January 2024 and returns
// "UNIT name amount" for every period line.
func amounts(t *testing.T, body string, region *vardval.Region, opts payment.RunOptions) []string {
	t.Helper()
	m, err := payment.ParseModel(strings.NewReader(exampleHeader+body), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Run(context.Background(), m, region, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range st.Units {
		for _, l := range u.Lines {
			out = append(out, fmt.Sprintf("%s %s %s", u.UnitID, l.Name, st.Rounding.Format(l.Amount)))
		}
	}
	return out
}

func TestComponents(t *testing.T) {
	hba1c := func(v int64) payment.RunOptions {
		return payment.RunOptions{Measures: func(m, u string) (measures.Result, bool) {
			if u != "VC1" {
				return measures.Result{}, false
			}
			return measures.Result{Measure: m, UnitID: u, Numerator: decimal.NewFromInt(v), Denominator: decimal.NewFromInt(100), Value: decimal.New(v, -2)}, true
		}}
	}
	// give the listings ACG categories: p1 → C1, p2 → C2 (no weight in the
	// table, so the missing weight), p3 and p5 → C3
	catRegion := exampleRegionACG(map[string]string{"p1": "C1", "p2": "C2", "p3": "C3", "p5": "C3"})
	tests := []struct {
		name   string
		body   string
		region *vardval.Region
		opts   payment.RunOptions
		want   []string
	}{
		{"capitation per month at the previous month's end", `components:
  - {id: cap, type: capitation, name: Cap, per: month, counting: cutoff-previous-month-last,
     rates: [{ages: 0-, values: [{from: 2024-01-01, value: "100.005", source: s}]}]}
`, nil, payment.RunOptions{}, []string{"VC1 Cap 0+ 100.00", "VC2 Cap 0+ 200.01"}}, // p2 listed only from 2024-01-16; 2 × 100.005 = 200.01
		{"ACG points from a category table", `tables:
  - {id: w, weights: [{ages: 0-, values: [{from: 2024-01-01, value: "1", source: s}]}]}
acg:
  source: category
  missing_weight: [{from: 2024-01-01, value: "0.5", source: s}]
  categories:
    - {code: C1, values: [{from: 2024-01-01, value: "2", source: s}]}
    - {code: C3, values: [{from: 2024-01-01, value: "1", source: s}]}
components:
  - {id: acg, type: acg_points, name: ACG, table: w, rate: [{from: 2024-01-01, value: "90", source: s}]}
`, catRegion, payment.RunOptions{}, []string{"VC1 ACG 200.00", "VC2 ACG 160.00"}}, // means 1.25 and 1.00, region 1.125
		{"pool by actively listed, pool per listed person-year", `active:
  window_months: [{from: 2024-01-01, value: "6", source: s}]
components:
  - id: pool
    type: pool_split
    name: Pool
    pool_per_listed_year: [{from: 2024-01-01, value: "1200", source: s}]
    shares: [{id: act, name: Active, index: active, share: [{from: 2024-01-01, value: "1", source: s}]}]
`, nil, payment.RunOptions{}, []string{"VC1 Pool: Active 133.33", "VC2 Pool: Active 266.67"}}, // 400 SEK; active: p1 at VC1; p3, p5 at VC2 → 1:2; the spare öre goes to the larger remainder
		{"goal deduction at a step target, lower better, target missed", `components:
  - id: ded
    type: goal
    name: Deduction
    style: deduction
    basis: listed
    rate: [{from: 2024-01-01, value: "5", source: s}]
    indicators:
      - {measure: diabetes_hba1c_over_70, better: lower, lower: [{from: 2024-01-01, value: "0.10", source: s}], upper: [{from: 2024-01-01, value: "0.10", source: s}], points: [{from: 2024-01-01, value: "3", source: s}]}
`, nil, hba1c(12), []string{"VC1 Deduction: diabetes_hba1c_over_70 -30.00", "VC2 Deduction: diabetes_hba1c_over_70 0.00"}},
		{"goal deduction, target met", `components:
  - id: ded
    type: goal
    name: Deduction
    style: deduction
    basis: listed
    rate: [{from: 2024-01-01, value: "5", source: s}]
    indicators:
      - {measure: diabetes_hba1c_over_70, better: lower, lower: [{from: 2024-01-01, value: "0.10", source: s}], upper: [{from: 2024-01-01, value: "0.10", source: s}], points: [{from: 2024-01-01, value: "3", source: s}]}
`, nil, hba1c(10), []string{"VC1 Deduction: diabetes_hba1c_over_70 0.00", "VC2 Deduction: diabetes_hba1c_over_70 0.00"}},
		{"goal deduction, a missing result deducts in full with missing: full", `components:
  - id: ded
    type: goal
    name: Deduction
    style: deduction
    missing: full
    basis: listed
    rate: [{from: 2024-01-01, value: "5", source: s}]
    indicators:
      - {measure: diabetes_hba1c_over_70, better: lower, lower: [{from: 2024-01-01, value: "0.10", source: s}], upper: [{from: 2024-01-01, value: "0.10", source: s}], points: [{from: 2024-01-01, value: "3", source: s}]}
`, nil, hba1c(10), []string{"VC1 Deduction: diabetes_hba1c_over_70 0.00", "VC2 Deduction: diabetes_hba1c_over_70 -30.00"}}, // VC2 has no result: 2 listed × 3 points × 5 SEK
		{"coverage counting digital contacts too", `components:
  - id: cov
    type: coverage
    name: Cov
    basis: listed
    kinds: [primary, digital]
    window_months: [{from: 2024-01-01, value: "6", source: s}]
    lower: [{from: 2024-01-01, value: "0", source: s}]
    upper: [{from: 2024-01-01, value: "100", source: s}]
    rate: [{from: 2024-01-01, value: "1", source: s}]
`, nil, payment.RunOptions{}, []string{"VC1 Cov 100.00", "VC2 Cov 100.00"}}, // VC1 1/2 × 2 listed; VC2 2/4 × 2 listed
		{"cap per listed person and patient fees of own listed only", `components:
  - {id: cap, type: capitation, name: Cap, per: month, rates: [{ages: 0-, values: [{from: 2024-01-01, value: "300", source: s}]}]}
  - {id: fees, type: patient_fees, name: Fees, relation: here, share: [{from: 2024-01-01, value: "0.5", source: s}]}
  - {id: lim, type: limit, name: Limit, target: cap, per: listed, max: [{from: 2024-01-01, value: "250", source: s}]}
`, nil, payment.RunOptions{}, []string{"VC1 Cap 0+ 600.00", "VC1 Fees -100.00", "VC1 Limit (cap) -100.00", "VC2 Cap 0+ 600.00", "VC2 Limit (cap) -100.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.region
			if r == nil {
				r = exampleRegion()
			}
			if diff := cmp.Diff(tt.want, amounts(t, tt.body, r, tt.opts)); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}
