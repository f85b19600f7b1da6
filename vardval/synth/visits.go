package synth

import (
	"math"
	"math/rand/v2"
)

// clinician returns the clinician of a contact with profession prof at
// unit u; own tells whether u is the person's listing unit (segment s),
// where patients mostly meet their usual doctor and nurse.
func (g *gen) clinician(r *rand.Rand, s *segment, u int, own bool, prof int) int {
	un := &g.units[u]
	switch prof {
	case profDoctor:
		if own {
			x := r.IntN(100)
			if x < 65 {
				return s.d1
			}
			if x < 85 {
				return s.d2
			}
		}
		return un.docBase + r.IntN(un.docN)
	case profNurse:
		if own && chance(r, 0.5) {
			return s.n1
		}
		return un.nurseBase + r.IntN(un.nurseN)
	}
	return un.therBase + r.IntN(un.therN)
}

// reqDays draws how many days before the contact the patient first sought
// care for a new problem, at most the days since 1 January.
func (g *gen) reqDays(r *rand.Rand, day int) int {
	x := r.IntN(100)
	var d int
	switch {
	case x < 45:
		d = 0
	case x < 60:
		d = 1
	case x < 70:
		d = 2
	case x < 78:
		d = 3
	default:
		d = 4 + r.IntN(7)
	}
	return min(d, day-g.y0)
}

// Primary-care contact rates per person-year before frailty and
// morbidity (all professions), by age.
func primaryRate(age, sex int) float64 {
	var base float64
	switch {
	case age < 1:
		base = 6.5
	case age < 5:
		base = 4.0
	case age < 15:
		base = 1.9
	case age < 25:
		base = 2.1
	case age < 45:
		base = 2.4
	case age < 65:
		base = 2.9
	case age < 75:
		base = 3.7
	case age < 85:
		base = 5.2
	default:
		base = 6.8
	}
	return base * [2]float64{0.99, 1.29}[sex]
}

func infectionShare(age int) float64 {
	switch {
	case age < 5:
		return 0.6
	case age < 18:
		return 0.48
	case age < 65:
		return 0.30
	}
	return 0.24
}

func (g *gen) infectionChooser(age int) *chooser {
	switch {
	case age < 5:
		return &g.choosers[kInfChild]
	case age < 18:
		return &g.choosers[kInfTeen]
	}
	return &g.choosers[kInfAdult]
}

// rxMultiplier scales every problem's prescription share; it calibrates
// antibiotic prescriptions to about 270 per 1,000 inhabitants and year.
const rxMultiplier = 1.35

func (g *gen) profession(r *rand.Rand, age int) int {
	x := r.IntN(1000)
	switch {
	case age < 5:
		if x < 450 {
			return profDoctor
		}
		if x < 950 {
			return profNurse
		}
		return profOther
	case age >= 75:
		switch {
		case x < 400:
			return profDoctor
		case x < 850:
			return profNurse
		case x < 930:
			return profPhysio
		case x < 980:
			return profOT
		}
		return profOther
	}
	switch {
	case x < 340:
		return profDoctor
	case x < 730:
		return profNurse
	case x < 840:
		return profPhysio
	case x < 880:
		return profPsychologist
	case x < 910:
		return profCounsellor
	case x < 930:
		return profOT
	case x < 945:
		return profDietitian
	}
	return profOther
}

func mode(r *rand.Rand, prof int, infection bool, age int) int {
	x := r.IntN(100)
	switch prof {
	case profPhysio, profOT, profDietitian:
		if prof == profOT && age >= 75 && x < 30 {
			return modeHome
		}
		if x < 85 {
			return modeVisit
		}
		if x < 95 {
			return modePhone
		}
		return modeVideo
	case profPsychologist, profCounsellor:
		if x < 70 {
			return modeVisit
		}
		if x < 85 {
			return modeVideo
		}
		return modePhone
	}
	if infection {
		switch {
		case x < 55:
			return modeVisit
		case x < 85:
			return modePhone
		case x < 93:
			return modeVideo
		}
		return modeChat
	}
	home := 1
	if age >= 75 {
		home = 12
	}
	switch {
	case x < home:
		return modeHome
	case x < 64:
		return modeVisit
	case x < 88:
		return modePhone
	case x < 94:
		return modeVideo
	}
	return modeChat
}

// chronicCode returns the diagnosis code of one of the person's chronic
// conditions, or "".
func (g *gen) chronicCode(r *rand.Rand) string {
	p := &g.p
	var codes [3]string
	n := 0
	if p.dm {
		codes[n] = "E11.9"
		if p.dmType1 {
			codes[n] = "E10.9"
		}
		n++
	}
	if p.htn {
		codes[n] = "I10"
		n++
	}
	if p.dep {
		codes[n] = "F32.1"
		n++
	}
	if n == 0 {
		return ""
	}
	return codes[r.IntN(n)]
}

func (g *gen) span() int { return g.p.end - g.p.start + 1 }

func (g *gen) exposure() float64 { return float64(g.span()) / float64(g.ndays) }

// baseContacts generates everyday contacts: primary care (mostly at the
// listing unit), the emergency department, the digital provider and the
// specialist clinic.
func (g *gen) baseContacts(r *rand.Rand) {
	p := &g.p
	exp := g.exposure()
	morb := 1 + float64(0.15*float64(p.chronic))
	n := g.poisson(r, primaryRate(p.age, p.sex)*p.frailty*exp*morb)
	for range n {
		day := p.start + r.IntN(g.span())
		g.primaryContact(r, day)
	}
	sq := math.Sqrt(p.frailty)
	for range g.poisson(r, 0.25*edFactor(p.age)*sq*exp) {
		g.emergencyContact(r, p.start+r.IntN(g.span()))
	}
	for range g.poisson(r, 0.30*digitalFactor(p.age)*sq*exp) {
		g.digitalContact(r, p.start+r.IntN(g.span()))
	}
	for range g.poisson(r, 0.10*specialistFactor(p.age)*sq*exp) {
		g.specialistContact(r, p.start+r.IntN(g.span()), "")
	}
}

func edFactor(age int) float64 {
	switch {
	case age < 5:
		return 1.3
	case age < 20:
		return 0.75
	case age < 65:
		return 0.8
	case age < 80:
		return 1.4
	}
	return 2.6
}

func digitalFactor(age int) float64 {
	switch {
	case age < 5:
		return 1.6
	case age < 20:
		return 0.8
	case age < 45:
		return 1.6
	case age < 65:
		return 0.9
	}
	return 0.25
}

func specialistFactor(age int) float64 {
	switch {
	case age < 18:
		return 0.3
	case age < 45:
		return 0.5
	case age < 65:
		return 1.0
	}
	return 2.4
}

func (g *gen) primaryContact(r *rand.Rand, day int) {
	p := &g.p
	s := p.segAt(day)
	u, own := s.unit, true
	if g.primaries > 1 && chance(r, 0.10) {
		u, own = g.neighbour(r, u), false
	}
	age := g.ageOn(day)
	prof := g.profession(r, age)
	var pr *problem
	infection := false
	diagShare := 0.3
	switch prof {
	case profDoctor, profNurse:
		if chance(r, infectionShare(age)) {
			pr = g.infectionChooser(age).pick(r, age, p.sex)
			infection = true
		} else {
			pr = g.choosers[kOther].pick(r, age, p.sex)
		}
		diagShare = 0.95
		if prof == profNurse {
			diagShare = 0.6
		}
	case profPhysio:
		pr = g.choosers[kOther].pick(r, max(age, 16), p.sex)
		diagShare = 0.8
	case profPsychologist, profCounsellor:
		pr = &g.psych[r.IntN(len(g.psych))]
		diagShare = 0.7
	default:
		pr = g.choosers[kOther].pick(r, age, p.sex)
	}
	c := g.add(day, u, prof, mode(r, prof, infection, age))
	c.clin = g.clinician(r, s, u, own, prof)
	routine := pr != nil && (pr.code == "Z00.0" || pr.code == "Z76.0")
	switch {
	case routine:
	case infection:
		c.newp = chance(r, 0.9)
		c.urgent = chance(r, 0.4)
	default:
		c.newp = chance(r, 0.33)
		c.urgent = chance(r, 0.12)
	}
	if c.newp {
		c.req = g.reqDays(r, day)
	}
	if pr != nil && chance(r, diagShare) {
		c.addDiag(pr.code)
		if prof == profDoctor && pr.drugs != nil && chance(r, pr.rxShare*rxMultiplier) {
			c.addRx(pickDrug(r, pr.drugs))
		}
	}
	if prof == profDoctor && p.chronic > 0 && chance(r, 0.3) {
		c.addDiag(g.chronicCode(r))
	}
}

func (g *gen) emergencyContact(r *rand.Rand, day int) {
	p := &g.p
	age := g.ageOn(day)
	prof := profDoctor
	if chance(r, 0.15) {
		prof = profNurse
	}
	c := g.add(day, g.akut, prof, modeVisit)
	c.clin = g.clinician(r, nil, g.akut, false, prof)
	c.urgent = chance(r, 0.9)
	if chance(r, 0.85) {
		c.newp = true
		c.req = min(r.IntN(3)/2, day-g.y0)
	}
	if pr := g.choosers[kEmergency].pick(r, age, p.sex); pr != nil && chance(r, 0.95) {
		c.addDiag(pr.code)
		if prof == profDoctor && pr.drugs != nil && chance(r, pr.rxShare*rxMultiplier) {
			c.addRx(pickDrug(r, pr.drugs))
		}
	}
}

func (g *gen) digitalContact(r *rand.Rand, day int) {
	p := &g.p
	age := g.ageOn(day)
	x := r.IntN(100)
	prof := profDoctor
	if x >= 65 {
		prof = profNurse
	}
	if x >= 90 {
		prof = profPsychologist
	}
	md := modeVideo
	if chance(r, 0.45) {
		md = modeChat
	}
	c := g.add(day, g.digi, prof, md)
	c.clin = g.clinician(r, nil, g.digi, false, prof)
	c.urgent = chance(r, 0.1)
	if chance(r, 0.75) {
		c.newp = true
		c.req = min(r.IntN(2), day-g.y0)
	}
	if prof == profPsychologist {
		if chance(r, 0.7) {
			c.addDiag("F41.1")
		}
		return
	}
	if pr := g.choosers[kDigital].pick(r, age, p.sex); pr != nil && chance(r, 0.9) {
		c.addDiag(pr.code)
		if prof == profDoctor && pr.drugs != nil && chance(r, float64(0.8*pr.rxShare)*rxMultiplier) {
			c.addRx(pickDrug(r, pr.drugs))
		}
	}
}

// specialistContact adds a specialist-clinic contact; code forces its
// diagnosis (for diabetes follow-up) unless "".
func (g *gen) specialistContact(r *rand.Rand, day int, code string) *contact {
	p := &g.p
	age := g.ageOn(day)
	prof := profDoctor
	if chance(r, 0.3) {
		prof = profNurse
	}
	md := modeVisit
	if chance(r, 0.1) {
		md = modePhone
	}
	c := g.add(day, g.spec, prof, md)
	c.clin = g.clinician(r, nil, g.spec, false, prof)
	if code != "" {
		c.addDiag(code)
		return c
	}
	if chance(r, 0.3) {
		c.newp = true
		c.req = min(r.IntN(90), day-g.y0)
	}
	if pr := g.choosers[kSpecialist].pick(r, age, p.sex); pr != nil {
		c.addDiag(pr.code)
		if prof == profDoctor && pr.drugs != nil && chance(r, pr.rxShare) {
			c.addRx(pickDrug(r, pr.drugs))
		}
	} else {
		c.addDiag("Z09.8")
	}
	return c
}

// followUp adds a planned contact at the listing unit on day with a
// profession drawn from the cumulative percentages cum (doctor, nurse,
// psychologist, counsellor); ok is false when day is outside the listed
// days.
func (g *gen) followUp(r *rand.Rand, day int, cum [4]int) (*contact, bool) {
	p := &g.p
	if day < p.start || day > p.end {
		return nil, false
	}
	x := r.IntN(100)
	prof := profDoctor
	switch {
	case x < cum[0]:
	case x < cum[1]:
		prof = profNurse
	case x < cum[2]:
		prof = profPsychologist
	default:
		prof = profCounsellor
	}
	md := modeVisit
	if y := r.IntN(100); y >= 80 {
		md = modePhone
		if y >= 92 {
			md = modeVideo
		}
	}
	if md == modeVisit && g.ageOn(day) >= 85 && chance(r, 0.3) {
		md = modeHome
	}
	s := p.segAt(day)
	c := g.add(day, s.unit, prof, md)
	c.clin = g.clinician(r, s, s.unit, true, prof)
	return c, true
}

// spread returns the day of the k-th of n planned contacts spread over
// the listed days.
func (g *gen) spread(r *rand.Rand, k, n int) int {
	span := g.span()
	lo := span * k / n
	hi := span * (k + 1) / n
	return g.p.start + lo + r.IntN(max(hi-lo, 1))
}

func pickCount(r *rand.Rand, a, b int) int { // 1 with a %, 2 with b %, else 3
	x := r.IntN(100)
	if x < a {
		return 1
	}
	if x < a+b {
		return 2
	}
	return 3
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }
