package payment

import (
	"fmt"
	"math/big"
	"strings"
)

// Capitation pays a rate per listed person by age band and sex, per month
// or per year (a yearly rate is paid in twelfths), counting persons on a
// cut-off day or day-weighted.
type Capitation struct {
	ComponentInfo
	Per      string // "month" or "year"
	Counting Counting
	Rates    Bands
}

func parseCapitation(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &Capitation{ComponentInfo: info, Per: o.str("per", true), Counting: p.counting(o)}
	if c.Per != "" {
		o.oneOf("per", c.Per, "month", "year")
	}
	c.Rates = p.bands(o, "rates", nonNegative)
	return c
}

// Params returns the parameters of the Capitation, in file order.
func (c *Capitation) Params() []*Param {
	var out []*Param
	for i := range c.Rates {
		out = append(out, &c.Rates[i].Value)
	}
	return out
}

// Need asks for the listed persons by sex and age, counted as c.Counting says.
func (c *Capitation) Need(n *Needs) { n.Listed(c.Counting) }

// Price adds the Capitation lines of the month for every statement unit.
func (c *Capitation) Price(mc *MonthContext) error {
	den := mc.den(c.Counting)
	var factor *big.Rat
	if c.Per == "year" {
		factor = big.NewRat(1, 12)
	}
	for i := range mc.units {
		counts := bandCounts(c.Rates, mc.snap(i, c.Counting))
		for b := range c.Rates {
			if counts[b] == 0 {
				continue
			}
			v, err := mc.value(&c.Rates[b].Value)
			if err != nil {
				return err
			}
			band := c.Rates[b]
			qt := fmt.Sprintf("%s aged %s", personWord(c.Counting), strings.TrimSpace(band.Label))
			// a yearly rate is paid in twelfths: the line's rate is the
			// monthly rate, so that quantity × rate is the amount.
			rateText := "SEK per person-month"
			if factor != nil {
				rateText = "SEK per person-month (" + v.Value.String() + " SEK per person-year ÷ 12)"
			}
			l := productLine(c.Name+" "+band.Label, fmt.Sprintf("%03d-%03d-%s", band.AgeFrom, band.AgeTo, band.Sex), big.NewRat(counts[b], den), v, qt, rateText, factor)
			l.detail = c.Counting.describe(mc.ym)
			mc.add(i, l)
		}
		if n := counts[len(c.Rates)]; n > 0 {
			mc.add(i, Line{Name: c.Name + " (no band)", Key: "zzz-unmatched", exact: new(big.Rat), exactQty: big.NewRat(n, den),
				Parameter: c.Path + ".rates", ValidFrom: mc.m.Valid.From, Source: "model file: no rate band matches",
				rule: fmt.Sprintf("%s of unknown sex or birth date match no band and are not paid", personWord(c.Counting))})
		}
	}
	return nil
}

// Clone returns a deep copy of the Capitation for Model.With.
func (x *Capitation) Clone(cp *ModelCopy) Component {
	y := *x
	y.Rates = cloneBands(x.Rates)
	return &y
}
