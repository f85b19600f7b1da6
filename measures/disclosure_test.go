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
// denominator always, the numerator when not suppressed.
type published struct {
	num, den   decimal.Decimal
	suppressed bool
}

// attack tries to recover every suppressed numerator of one measure by
// differencing, independently of Disclosed: it lists the values the
// attacked cell can take (0 to its bound: a proportion's denominator, a
// rate's region total, or a cap when the region is hidden) for which the
// rest of the region total can be made by the other suppressed cells
// (each between 0 and its bound). It returns the rows (0 = region)
// left with exactly one value and a denominator above zero.
func attack(rows []published, rate bool) []int {
	region := rows[0]
	units := rows[1:]
	var pub int64
	for _, u := range units {
		if !u.suppressed {
			pub += u.num.IntPart()
		}
	}
	capOf := func(r published) int64 {
		if r.den.Sign() <= 0 {
			return 0
		}
		if !rate {
			return r.den.IntPart()
		}
		if !region.suppressed {
			return region.num.IntPart() - pub
		}
		return 50 // any cap > 1 leaves a hidden region undetermined
	}
	// reach returns the sums the suppressed units except skip can make:
	// every whole number from 0 to the sum of their caps.
	reach := func(skip int) (hi int64) {
		for j, u := range units {
			if u.suppressed && j != skip {
				hi += capOf(u)
			}
		}
		return hi
	}
	var out []int
	if region.suppressed {
		if reach(-1) == 0 && region.den.Sign() > 0 {
			out = append(out, 0)
		}
		return out // each unit is free while the region is hidden
	}
	S := region.num.IntPart() - pub
	for i, u := range units {
		if !u.suppressed || u.den.Sign() <= 0 {
			continue
		}
		others := reach(i)
		n := 0
		for v := int64(0); v <= capOf(u); v++ {
			if S-v >= 0 && S-v <= others {
				n++
			}
		}
		if n == 1 {
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
				rows[0] = published{decimal.NewFromInt(rn), decimal.NewFromInt(rd), region.Suppressed}
				for i, c := range units {
					rows[i+1] = published{decimal.NewFromInt(c.Numerator), decimal.NewFromInt(int64(dens[i])), c.Suppressed}
				}
			}
			toRows()
			if (len(attack(rows, rate)) > 0) != (len(Disclosed(region, units)) > 0) {
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
			return len(attack(rows, rate)) == 0 && len(Disclosed(region, units)) == 0
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
				p := published{den: r.Denominator, suppressed: r.Suppressed}
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
				if got := attack(rows, rep.Measures[i].Definition.Kind == Rate); len(got) > 0 {
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
