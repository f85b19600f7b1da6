package synth

import (
	"math"
	"math/rand/v2"
)

func depressionRisk(age, sex int) float64 {
	switch {
	case age < 12:
		return 0
	case age < 18:
		return [2]float64{0.02, 0.045}[sex]
	case age < 65:
		return [2]float64{0.045, 0.085}[sex]
	}
	return 0.045
}

func diabetesRisk(age, sex int) float64 {
	var p float64
	switch {
	case age < 18:
		p = 0.002
	case age < 40:
		p = 0.012
	case age < 60:
		p = 0.05
	case age < 75:
		p = 0.11
	default:
		p = 0.15
	}
	return p * [2]float64{1.2, 0.8}[sex]
}

func hypertensionRisk(age int) float64 {
	switch {
	case age < 18:
		return 0
	case age < 40:
		return 0.01
	case age < 60:
		return 0.13
	case age < 75:
		return 0.27
	}
	return 0.38
}

func (g *gen) diabetes(r *rand.Rand) {
	p := &g.p
	code := "E11.9"
	mean := 52 + float64(10*g.normal(r))
	if p.dmType1 {
		code = "E10.9"
		mean = 62 + float64(9*g.normal(r))
	}
	bmi := 29 + float64(4.5*g.normal(r))
	if p.dmType1 {
		bmi = 25 + float64(3.5*g.normal(r))
	}
	metformin := !p.dmType1 && chance(r, 0.75)
	insulin := p.dmType1 || chance(r, 0.2)
	n := pickCount(r, 30, 45)
	for k := range n {
		day := g.spread(r, k, n)
		var c *contact
		if p.dmType1 && chance(r, 0.7) {
			c = g.specialistContact(r, day, code)
		} else {
			var ok bool
			if c, ok = g.followUp(r, day, [4]int{40, 100, 100, 100}); !ok {
				continue
			}
			c.addDiag(code)
		}
		v := clampInt(int(math.Floor(mean+float64(5*g.normal(r))+0.5)), 35, 110)
		c.addObs("HBA1C", v, 0)
		if k == 0 {
			c.addObs("BMI", clampInt(int(math.Floor(float64(bmi*10)+0.5)), 160, 520), 1)
		}
		if c.prof == profDoctor {
			if metformin {
				c.addRx(drug{atc: "A10BA02", ddd: 10000})
			}
			if insulin {
				c.addRx(drug{atc: "A10AE04", ddd: 10000})
			}
		}
	}
}

func (g *gen) hypertension(r *rand.Rand) {
	p := &g.p
	sysMean := 142 + float64(12*g.normal(r))
	drug1 := [3]drug{{atc: "C09AA05", ddd: 10000}, {atc: "C08CA01", ddd: 10000}, {atc: "C03AA03", ddd: 10000}}[r.IntN(3)]
	n := pickCount(r, 35, 40)
	_ = p
	for k := range n {
		c, ok := g.followUp(r, g.spread(r, k, n), [4]int{40, 100, 100, 100})
		if !ok {
			continue
		}
		c.addDiag("I10")
		sys := clampInt(int(math.Floor(sysMean+float64(8*g.normal(r))+0.5)), 95, 220)
		dia := int(math.Floor(float64(0.45*float64(sys)) + 20 + float64(6*g.normal(r)) + 0.5))
		dia = clampInt(dia, 50, min(130, sys-20))
		c.addObs("BPSYS", sys, 0)
		c.addObs("BPDIA", dia, 0)
		if c.prof == profDoctor {
			c.addRx(drug1)
		}
	}
}

// depression generates an episode: an index contact with a PHQ-9 (or
// MADRS-S) score and, by trajectory, follow-up scores. Trajectories:
// remission within three months that lasts at six months (35 %),
// remission then relapse (20 %), no remission (25 %), no follow-up (20 %).
// Scores after the person's last listed day are not generated.
func (g *gen) depression(r *rand.Rand) {
	p := &g.p
	span := g.span()
	var index int
	if chance(r, 0.5) {
		index = p.start + r.IntN(min(90, span))
	} else {
		index = p.start + r.IntN(span)
	}
	madrs := chance(r, 0.15)
	// Score ranges: [mild lo, moderate lo, moderate hi, severe hi, remission hi].
	type scale struct {
		code                        string
		mild, mod, modHi, sevHi     int
		remHi, relLo, relHi, partHi int
	}
	sc := scale{"PHQ9", 5, 10, 14, 22, 4, 5, 16, 12}
	if madrs {
		sc = scale{"MADRSS", 13, 20, 34, 44, 12, 13, 30, 26}
	}
	var score int
	switch x := r.IntN(100); {
	case x < 75:
		score = sc.mod + r.IntN(sc.modHi-sc.mod+1)
	case x < 90:
		score = sc.modHi + 1 + r.IntN(sc.sevHi-sc.modHi)
	default:
		score = sc.mild + r.IntN(sc.mod-sc.mild)
	}
	code := "F32.1"
	switch {
	case chance(r, 0.3):
		code = "F33.1"
		if score > sc.modHi {
			code = "F33.2"
		} else if score < sc.mod {
			code = "F33.0"
		}
	case score > sc.modHi:
		code = "F32.2"
	case score < sc.mod:
		code = "F32.0"
	}
	c := g.add(index, p.segAt(index).unit, profDoctor, modeVisit)
	if chance(r, 0.15) {
		c.mode = modeVideo
	}
	s := p.segAt(index)
	c.clin = g.clinician(r, s, s.unit, true, profDoctor)
	c.newp = true
	c.req = g.reqDays(r, index)
	c.addDiag(code)
	c.addObs(sc.code, score, 0)
	ssri := chance(r, 0.6)
	if ssri {
		c.addRx([3]drug{{atc: "N06AB10", ddd: 10000}, {atc: "N06AB06", ddd: 10000}, {atc: "N06AX11", ddd: 10000}}[r.IntN(3)])
	}
	cum := [4]int{40, 60, 90, 100}
	top := 27
	if madrs {
		top = 54
	}
	point := func(day, value int) bool {
		c, ok := g.followUp(r, day, cum)
		if !ok {
			return false
		}
		if chance(r, 0.85) {
			c.addDiag(code)
		}
		c.addObs(sc.code, clampInt(value, 0, top), 0)
		if ssri && c.prof == profDoctor && chance(r, 0.6) {
			c.addRx(drug{atc: "N06AB10", ddd: 10000})
		}
		return true
	}
	switch x := r.IntN(100); {
	case x < 55: // remission; lasting (35 of 55) or relapse (20 of 55)
		lasting := x < 35
		d1 := index + 21 + r.IntN(15)
		if !point(d1, max(sc.remHi+1, score-3-r.IntN(4))) {
			return
		}
		rem := index + 42 + r.IntN(49)
		if !point(rem, r.IntN(sc.remHi+1)) {
			return
		}
		later := rem + 150 + r.IntN(61)
		if lasting {
			point(later, r.IntN(sc.remHi+1))
		} else {
			point(later, sc.relLo+r.IntN(sc.relHi-sc.relLo+1))
		}
	case x < 80: // no remission
		part := func() int { return sc.relLo + r.IntN(sc.partHi-sc.relLo+1) }
		if !point(index+28+r.IntN(15), max(sc.relLo, score-1-r.IntN(4))) {
			return
		}
		if !point(index+84+r.IntN(37), part()) {
			return
		}
		point(index+170+r.IntN(31), part())
	}
}

// methenamine adds one or two prescription renewals of methenamine
// hippurate (J01XX05), urinary-tract infection prophylaxis.
func (g *gen) methenamine(r *rand.Rand) {
	n := 1 + r.IntN(2)
	for k := range n {
		c, ok := g.followUp(r, g.spread(r, k, n), [4]int{100, 100, 100, 100})
		if !ok {
			continue
		}
		c.mode = modePhone
		c.addDiag("N39.0")
		c.addRx(drug{atc: "J01XX05", ddd: 10000})
	}
}
