package payment

import (
	"fmt"
	"math/big"
)

// CNISupplement pays socioeconomic points to units whose listed persons'
// mean CNI exceeds a threshold (Västra Götaland's särskild ersättning för
// socioekonomi): with unit CNI = Σ CNI of the listed ÷ listed (from
// areas.csv, the model's cni.missing for a listing without), on the
// source's scale Scale × unit CNI, a unit above Threshold is paid
// Rate × points per month, points = listed × (Scale × unit CNI −
// Threshold) = Scale × Σ CNI − Threshold × listed. A unit at or below the
// threshold gets no line. Scale converts the data's CNI (normalised,
// reference mean 1.00) to the scale the threshold is written on.
type CNISupplement struct {
	ComponentInfo
	Counting  Counting
	Scale     Param // the threshold's CNI scale ÷ the data's
	Threshold Param // on the scaled CNI, per listed person
	Rate      Param // SEK per point per month
}

func parseCNISupplement(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	c := &CNISupplement{ComponentInfo: info, Counting: p.counting(o)}
	if p.m.CNI == nil {
		p.w.fail(info.Path, o.node, "a cni_supplement needs the model's cni section")
	}
	c.Scale = o.param("scale", true, nonNegative)
	c.Threshold = o.param("threshold", true, nonNegative)
	c.Rate = o.param("rate", true, nonNegative)
	return c
}

// Params returns the parameters of the CNISupplement, in file order.
func (c *CNISupplement) Params() []*Param { return []*Param{&c.Scale, &c.Threshold, &c.Rate} }

// Need asks for the listed persons with their CNI, counted as c.Counting says.
func (c *CNISupplement) Need(n *Needs) { n.Listed(c.Counting) }

// Price adds the CNISupplement line of the month for every unit above the threshold.
func (c *CNISupplement) Price(mc *MonthContext) error {
	scale, err := mc.value(&c.Scale)
	if err != nil {
		return err
	}
	thr, err := mc.value(&c.Threshold)
	if err != nil {
		return err
	}
	rate, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	den := mc.den(c.Counting)
	for i := range mc.units {
		s := mc.snap(i, c.Counting)
		if s.n == 0 {
			continue
		}
		listed := big.NewRat(s.n, den)
		sumCNI := big.NewRat(s.cni, den*1_000_000)
		scaled := mul(rat(scale.Value), sumCNI)
		points := new(big.Rat).Sub(scaled, mul(rat(thr.Value), listed))
		if points.Sign() <= 0 {
			continue
		}
		unitCNI := quo(sumCNI, listed)
		l := productLine(c.Name, "points", points, rate, "socioeconomic points", "SEK per point per month", nil)
		cite(&l, rate)
		for _, d := range []*Dated{scale, thr} {
			if l.Assumption == "" && d.Assumption != "" {
				l.Assumption = d.Path + ": " + d.Assumption
			}
		}
		l.detail = fmt.Sprintf("%s; unit CNI %s (Σ CNI %s ÷ %s %s) × scale %s (%s) = %s per listed person, above the threshold %s (%s): points = %s × (%s − %s)",
			c.Counting.describe(mc.ym), ratDecimal(unitCNI, 6), ratDecimal(sumCNI, 6), ratDecimal(listed, 6), personWord(c.Counting),
			scale.Value, scale.Path, ratDecimal(mul(rat(scale.Value), unitCNI), 6), thr.Value, thr.Path,
			ratDecimal(listed, 6), ratDecimal(mul(rat(scale.Value), unitCNI), 6), thr.Value)
		mc.add(i, l)
	}
	return nil
}

// Clone returns a deep copy of the CNISupplement for Model.With.
func (x *CNISupplement) Clone(cp *ModelCopy) Component {
	y := *x
	y.Scale, y.Threshold, y.Rate = x.Scale.Clone(), x.Threshold.Clone(), x.Rate.Clone()
	return &y
}
