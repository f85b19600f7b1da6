package measures

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// published is one row as an attacker reads it from an output: the
// denominator always, the numerator when not suppressed, and the
// published reason for a suppression.
type published struct {
	num, den   decimal.Decimal
	suppressed bool
	reason     string
}

// span is a closed range of whole numbers; a set is a union of spans.
type span struct{ lo, hi int64 }

// spanAdd is the Minkowski sum of two sets, merged.
func spanAdd(a, b []span) []span {
	var out []span
	for _, x := range a {
		for _, y := range b {
			out = append(out, span{x.lo + y.lo, x.hi + y.hi})
		}
	}
	return spanMerge(out)
}

// spanMerge sorts and merges overlapping or adjacent spans.
func spanMerge(s []span) []span {
	s = append([]span(nil), s...)
	for i := 1; i < len(s); i++ { // insertion sort: the sets are small
		for j := i; j > 0 && s[j].lo < s[j-1].lo; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	var out []span
	for _, x := range s {
		if x.lo > x.hi {
			continue
		}
		if n := len(out); n > 0 && x.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, x.hi)
			continue
		}
		out = append(out, x)
	}
	return out
}

// spanMeet is the intersection of two sets.
func spanMeet(a, b []span) []span {
	var out []span
	for _, x := range a {
		for _, y := range b {
			out = append(out, span{max(x.lo, y.lo), min(x.hi, y.hi)})
		}
	}
	return spanMerge(out)
}

// spanShift is {c − v : v ∈ a} (neg) or {v + c : v ∈ a}.
func spanShift(a []span, c int64, neg bool) []span {
	out := make([]span, len(a))
	for i, x := range a {
		if neg {
			out[i] = span{c - x.hi, c - x.lo}
		} else {
			out[i] = span{x.lo + c, x.hi + c}
		}
	}
	return spanMerge(out)
}

// spanSize counts the whole numbers in a set.
func spanSize(a []span) (n int64) {
	for _, x := range a {
		n += x.hi - x.lo + 1
	}
	return n
}

// attack tries to recover every suppressed numerator of one measure by
// differencing, independently of Disclosed, knowing what each published
// suppression reason implies: "small_count" a numerator (or, for
// proportions, denominator − numerator) in 1..k, "complementary" one that
// is not (0 or k+1 … den−k−1, else the row would be small_count), any
// other reason 0 to the bound (a proportion's denominator, a rate's
// unbounded count). The region's numerator is the published units' sum
// plus the suppressed units'. It returns the rows (0 = region) with a
// denominator above zero left with exactly one feasible value.
func attack(rows []published, rate bool, k int64) []int {
	const huge = int64(1) << 40
	set := func(r published) []span {
		if r.den.Sign() <= 0 {
			return []span{{0, 0}}
		}
		b := huge
		if !rate {
			b = r.den.IntPart()
		}
		switch r.reason {
		case string(SuppressedSmallCount):
			s := []span{{1, min(k, b)}}
			if !rate {
				s = append(s, span{max(1, b-k), b - 1})
			}
			return spanMeet(spanMerge(s), []span{{0, b}})
		case string(SuppressedComplementary):
			if rate {
				return []span{{0, 0}, {k + 1, b}}
			}
			return spanMerge([]span{{0, 0}, {k + 1, b - k - 1}, {b, b}})
		}
		return []span{{0, b}}
	}
	units := rows[1:]
	var pub int64
	for _, u := range units {
		if !u.suppressed {
			pub += u.num.IntPart()
		}
	}
	reach := func(skip int) []span {
		r := []span{{0, 0}}
		for j, u := range units {
			if u.suppressed && j != skip {
				r = spanAdd(r, set(u))
			}
		}
		return r
	}
	var region []span // the region numerator's feasible values
	if rows[0].suppressed {
		region = spanMeet(set(rows[0]), spanShift(reach(-1), pub, false))
	} else {
		region = []span{{rows[0].num.IntPart(), rows[0].num.IntPart()}}
	}
	var out []int
	if rows[0].suppressed && rows[0].den.Sign() > 0 && spanSize(region) == 1 {
		out = append(out, 0)
	}
	for i, u := range units {
		if !u.suppressed || u.den.Sign() <= 0 {
			continue
		}
		// v is feasible when region − pub − v is a sum of the others.
		var feas []span
		for _, r := range region {
			for _, o := range reach(i) {
				feas = append(feas, span{r.lo - pub - o.hi, r.hi - pub - o.lo})
			}
		}
		if spanSize(spanMeet(set(u), spanMerge(feas))) == 1 {
			out = append(out, i+1)
		}
	}
	return out
}

// TestComplementProperty: for random small tables with primary
// suppression (denominator below a minimum, or a small count), after
// Complement no suppressed cell can be recovered by the independent
// attack, and Disclosed agrees with the attack before complementing.
func TestComplementProperty(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 400
	params.Rng.Seed(19)
	props := gopter.NewProperties(params)
	props.Property("no suppressed cell is recovered by differencing", prop.ForAll(
		func(dens, fracs []int, rate bool, minDen int) bool {
			n := min(len(dens), len(fracs))
			units := make([]DisclosureCell, n)
			rows := make([]published, n+1)
			var rn, rd int64
			for i := range n {
				den := int64(dens[i])
				num := den * int64(fracs[i]) / 10
				if rate {
					num = int64(fracs[i]) * int64(dens[i]) / 3
				}
				c := DisclosureCell{Numerator: num, Bound: den}
				if rate {
					c.Bound = -1
					if den == 0 {
						c.Bound, num, c.Numerator = 0, 0, 0
					}
				}
				c.Suppressed = den == 0 || den < int64(minDen) || isSmallCount(num, den, 4, !rate)
				units[i] = c
				rn += num
				rd += den
			}
			region := DisclosureCell{Numerator: rn, Bound: rd}
			if rate {
				region.Bound = -1
				if rd == 0 {
					region.Bound = 0
				}
			}
			region.Suppressed = rd == 0 || rd < int64(minDen) || isSmallCount(rn, rd, 4, !rate)
			toRows := func() {
				rows[0] = published{decimal.NewFromInt(rn), decimal.NewFromInt(rd), region.Suppressed, ""}
				for i, c := range units {
					rows[i+1] = published{decimal.NewFromInt(c.Numerator), decimal.NewFromInt(int64(dens[i])), c.Suppressed, ""}
				}
			}
			toRows()
			if (len(attack(rows, rate, 4)) > 0) != (len(Disclosed(region, units)) > 0) {
				return false
			}
			extra, regionToo := Complement(region, units)
			for _, i := range extra {
				if units[i].Suppressed {
					return false // only published cells are added
				}
				units[i].Suppressed = true
			}
			region.Suppressed = region.Suppressed || regionToo
			toRows()
			return len(attack(rows, rate, 4)) == 0 && len(Disclosed(region, units)) == 0
		},
		gen.SliceOfN(5, gen.IntRange(0, 12)), gen.SliceOfN(5, gen.IntRange(0, 10)), gen.Bool(), gen.IntRange(0, 8),
	))
	props.TestingRun(t)
}

// TestReportNotDisclosive computes random synthetic regions with the
// built-in definitions and attacks every measure's JSON and CSV rows by
// differencing: no suppressed numerator may be recovered, the two
// formats must publish the same cells, and the region row of a measure
// whose region is suppressed draws no funnel.
func TestReportNotDisclosive(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 10
	params.Rng.Seed(1919)
	props := gopter.NewProperties(params)
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	props.Property("every suppressed cell resists differencing in every format", prop.ForAll(
		func(n int, seed uint64) string {
			rep, err := Compute(context.Background(), synthRegion(n, seed), period, Options{})
			if err != nil {
				return err.Error()
			}
			var jb, cb bytes.Buffer
			if err := WriteJSON(&jb, rep); err != nil {
				return err.Error()
			}
			if err := WriteCSV(&cb, rep); err != nil {
				return err.Error()
			}
			var doc struct {
				Measures []struct {
					Measure     string           `json:"measure"`
					Numerator   *decimal.Decimal `json:"numerator"`
					Denominator decimal.Decimal  `json:"denominator"`
					Suppressed  bool             `json:"suppressed"`
					Suppression string           `json:"suppression"`
					Kind        string           `json:"kind"`
				} `json:"measures"`
			}
			if err := json.Unmarshal(jb.Bytes(), &doc); err != nil {
				return err.Error()
			}
			recs, err := csv.NewReader(&cb).ReadAll()
			if err != nil {
				return err.Error()
			}
			if len(recs)-1 != len(doc.Measures) {
				return "CSV and JSON differ in rows"
			}
			byMeasure := map[string][]published{}
			var order []string
			for i, r := range doc.Measures {
				p := published{den: r.Denominator, suppressed: r.Suppressed, reason: r.Suppression}
				if recs[i+1][14] != r.Suppression {
					return r.Measure + ": formats disagree on a suppression reason"
				}
				if r.Numerator != nil {
					p.num = *r.Numerator
				}
				if r.Suppressed != (r.Numerator == nil) || (recs[i+1][2] == "") != r.Suppressed {
					return r.Measure + ": formats disagree on a suppressed numerator"
				}
				if _, ok := byMeasure[r.Measure]; !ok {
					order = append(order, r.Measure)
				}
				byMeasure[r.Measure] = append(byMeasure[r.Measure], p)
			}
			for i, id := range order {
				rows := byMeasure[id]
				d := &rep.Measures[i].Definition
				if got := attack(rows, d.Kind == Rate, d.SmallCountThreshold()); len(got) > 0 {
					return id + ": suppressed rows recovered by differencing"
				}
				m := rep.Measures[i]
				if m.Rows[0].Suppressed {
					for _, row := range m.Rows[1:] {
						if row.Funnel != nil || row.Standardised != nil {
							return id + ": funnel or standardisation around a suppressed region value"
						}
					}
				}
			}
			return ""
		},
		gen.IntRange(800, 6000), gen.UInt64(),
	))
	props.TestingRun(t)
}

func TestSmallCountParameter(t *testing.T) {
	src := []byte(`measures:
  - id: x
    name_sv: x
    name_en: x
    kind: proportion
    rule: polypharmacy
    min_drugs: 10
    windows: [{name: last_months, months: 3, relative_to: period_end}]
    population: {listed_on: period_end, age_min: 75}
    min_denominator: 0
    small_count: -1
    direction: lower
    sources: [{from: 2020-01-01, source: s}]
`)
	_, err := ParseDefinitions(bytes.NewReader(src), DefinitionOptions{File: "x.yaml"})
	var de *DefinitionError
	if !errors.As(err, &de) {
		t.Fatalf("small_count -1: %v, want a *DefinitionError", err)
	}
	defs, err := ParseDefinitions(bytes.NewReader(bytes.Replace(src, []byte("small_count: -1"), []byte("small_count: 0"), 1)), DefinitionOptions{File: "x.yaml"})
	if err != nil || defs[0].SmallCountThreshold() != 0 {
		t.Fatalf("small_count 0: %v, threshold %d", err, defs[0].SmallCountThreshold())
	}
	defs, err = ParseDefinitions(bytes.NewReader(bytes.Replace(src, []byte("    small_count: -1\n"), nil, 1)), DefinitionOptions{File: "x.yaml"})
	if err != nil || defs[0].SmallCountThreshold() != DefaultSmallCount {
		t.Fatalf("no small_count: %v", err)
	}
}

// TestPublishedReasonsDoNotDisclose is the case found by review
// (diabetes_hba1c_over_70 on synth --persons 5050 --seed 17): region 15,
// one unit 7 published, two units of 4 suppressed as small counts. With
// the reasons published as "small_count" both are pinned at 4 (each is at
// most 4 and they sum to 8); published as "disclosure" neither is, in the
// JSON and the CSV.
func TestPublishedReasonsDoNotDisclose(t *testing.T) {
	d := Definition{ID: "x", Kind: Proportion, Scale: 100, MinDenominator: decimal.NewFromInt(10)}
	row := func(unit string, num, den int64, r SuppressionReason) Row {
		row := Row{Result: Result{Measure: "x", UnitID: unit, Numerator: decimal.NewFromInt(num), Denominator: decimal.NewFromInt(den)}}
		if r != "" {
			row.hide(r)
		} else {
			row.Value = row.Numerator.Mul(decimal.NewFromInt(100)).DivRound(row.Denominator, 6)
		}
		return row
	}
	rep := &Report{Level: 0.95, Measures: []MeasureReport{{Definition: d, Rows: []Row{
		row("", 15, 120, ""), row("VC001", 4, 40, SuppressedSmallCount),
		row("VC002", 4, 40, SuppressedSmallCount), row("VC003", 7, 40, "")}}}}
	var jb, cb bytes.Buffer
	if err := WriteJSON(&jb, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&cb, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Measures []struct {
			Numerator   *decimal.Decimal `json:"numerator"`
			Denominator decimal.Decimal  `json:"denominator"`
			Suppressed  bool             `json:"suppressed"`
			Suppression string           `json:"suppression"`
		} `json:"measures"`
	}
	if err := json.Unmarshal(jb.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromCSV []published
	for i, r := range doc.Measures {
		p := published{den: r.Denominator, suppressed: r.Suppressed, reason: r.Suppression}
		if r.Numerator != nil {
			p.num = *r.Numerator
		}
		fromJSON = append(fromJSON, p)
		p.reason = recs[i+1][14]
		fromCSV = append(fromCSV, p)
	}
	for name, rows := range map[string][]published{"JSON": fromJSON, "CSV": fromCSV} {
		if got := attack(rows, false, 4); len(got) > 0 {
			t.Errorf("%s: rows %v recovered from the published reasons", name, got)
		}
	}
	// The attacker is strong enough: with the detailed reasons both fall.
	fromJSON[1].reason, fromJSON[2].reason = "small_count", "small_count"
	if got := attack(fromJSON, false, 4); len(got) != 2 {
		t.Errorf("attack with detailed reasons recovered %v, want rows 1 and 2", got)
	}
}
