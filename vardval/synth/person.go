package synth

import (
	"math"
	"math/rand/v2"
)

// segment is one listing period of a person.
type segment struct {
	unit, area int
	from, to   int // day numbers; to == openEnd = still open
	d1, d2, n1 int // usual doctor, second doctor, usual nurse (clinician numbers)
}

// openEnd marks a listing that is still open.
const openEnd = math.MaxInt32

// person is the scratch state of the person being generated.
type person struct {
	id         [12]byte
	sex        int // 0 man, 1 woman
	age        int // age on 31 December of the data year
	birth      int // day number
	bdoy       int // day of the data year (0-based) on which the age increases
	start, end int // days within the data year the person is listed (inclusive)
	nseg       int
	seg        [2]segment
	frailty    float64
	dep        bool
	dm         bool
	dmType1    bool
	htn        bool
	chronic    int // number of chronic conditions
	acgCode    string
	acgW       int // ten-thousandths
}

type obs struct {
	code  string
	value int // in 10^-dec
	dec   int
}

type rx struct {
	atc string
	ddd int // hundredths
}

// contact is one generated contact with what is recorded at it.
type contact struct {
	day, unit  int
	clin       int // clinician number, 0 = none
	req        int // days from requested to day; -1 = not a new problem
	mode, prof int
	urgent     bool
	newp       bool
	nd, nr, no int
	diag       [2]string
	rx         [2]rx
	obs        [2]obs
}

// Probability helpers.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// segAt returns the listing segment covering day (the last one that
// started on or before it).
func (p *person) segAt(day int) *segment {
	if p.nseg == 2 && day >= p.seg[1].from {
		return &p.seg[1]
	}
	return &p.seg[0]
}

// ageOn returns the person's age on day (a day of the data year).
func (g *gen) ageOn(day int) int {
	if day-g.y0 >= g.p.bdoy {
		return g.p.age
	}
	return g.p.age - 1
}

func (g *gen) person(i int) {
	g.pcg.Seed(mix64(g.cfg.Seed), mix64(g.cfg.Seed^(uint64(i)+1)*0x9e3779b97f4a7c15))
	r := g.r
	p := &g.p
	*p = person{}
	copy(p.id[:], "SYN")
	appendPadded(p.id[3:3], uint64(i+1), 9)

	// Sex and age from the pyramid.
	x := r.Uint64N(g.pop[len(g.pop)-1])
	cell := 0
	for g.pop[cell] <= x {
		cell++
	}
	band := cell / 2
	p.sex = cell % 2
	if band < 19 {
		p.age = band*5 + r.IntN(5)
	} else {
		p.age = 95
		for p.age < 105 && r.IntN(10) < 7 {
			p.age++
		}
	}
	year := g.cfg.Year
	by := year - p.age
	p.birth = dayNumber(by, 1, 1) + r.IntN(daysInYear(by))
	_, bm, bd := civil(p.birth)
	if bm == 2 && bd == 29 && !isLeap(year) {
		bm, bd = 3, 1
	}
	p.bdoy = dayNumber(year, bm, bd) - g.y0

	// Listing history and the days of the year the person is listed.
	home := g.pickPrimary(r)
	p.start, p.end = g.y0, g.yEnd
	var from int
	switch {
	case p.age == 0:
		from = min(p.birth+r.IntN(15), g.yEnd)
		p.start = from
	case chance(r, 0.03): // moved into the region during the year
		from = g.y0 + r.IntN(g.ndays)
		p.start = from
	default:
		from = g.y0 - 1 - r.IntN(12*365)
		from = max(from, p.birth, g.units[home].from)
	}
	closed := false
	if chance(r, deathRisk(p.age)+moveOutRisk(p.age)) {
		p.end = p.start + r.IntN(p.end-p.start+1)
		closed = true
	}
	p.seg[0] = g.newSegment(r, home, from)
	p.nseg = 1
	if closed {
		p.seg[0].to = p.end
	} else if p.end-p.start >= 60 && chance(r, 0.05) {
		move := p.start + 20 + r.IntN(p.end-p.start-40)
		p.seg[0].to = move
		next := g.newSegment(r, g.neighbour(r, home), move+1)
		if chance(r, 0.3) {
			next.area = p.seg[0].area // changed unit without moving home
		}
		p.seg[1] = next
		p.nseg = 2
	}

	// Morbidity, care-seeking frailty and case mix.
	p.dep = chance(r, depressionRisk(p.age, p.sex))
	p.dm = chance(r, diabetesRisk(p.age, p.sex))
	if p.dm {
		p.dmType1 = p.age < 18 || (p.age < 40 && chance(r, 0.6)) || chance(r, 0.07)
	}
	p.htn = chance(r, hypertensionRisk(p.age))
	for _, b := range []bool{p.dep, p.dm, p.htn} {
		if b {
			p.chronic++
		}
	}
	z := g.normal(r)
	p.frailty = dexp(float64(0.7*z) - 0.245)
	zA := float64(0.6*z) + float64(0.8*g.normal(r))
	mu := -0.42 + float64(0.014*float64(p.age-41)) + float64(0.25*float64(p.chronic))
	if p.age < 2 {
		mu += 0.4
	}
	w := dexp(mu + float64(0.75*zA))
	p.acgW = min(max(int(float64(w*10000)+0.5), 1000), 150000)
	for _, band := range g.acg {
		if p.acgW <= band.upTo {
			p.acgCode = band.codes[r.IntN(len(band.codes))]
			break
		}
	}
	g.writeListings()

	// Contacts.
	g.cs = g.cs[:0]
	g.baseContacts(r)
	if p.dm {
		g.diabetes(r)
	}
	if p.htn {
		g.hypertension(r)
	}
	if p.dep {
		g.depression(r)
	}
	if p.sex == 1 && p.age >= 65 && chance(r, 0.04) {
		g.methenamine(r)
	}
	g.emit()
}

func (g *gen) newSegment(r *rand.Rand, u, from int) segment {
	un := &g.units[u]
	catch := un
	if chance(r, 0.1) {
		catch = &g.units[g.neighbour(r, u)]
	}
	return segment{
		unit: u,
		area: catch.areaLo + r.IntN(catch.areaHi-catch.areaLo),
		from: from,
		to:   openEnd,
		d1:   un.docBase + r.IntN(un.docN),
		d2:   un.docBase + r.IntN(un.docN),
		n1:   un.nurseBase + r.IntN(un.nurseN),
	}
}

// Yearly risks by age (and sex), rough Swedish orders of magnitude.
func deathRisk(age int) float64 {
	switch {
	case age < 50:
		return 0.001
	case age < 65:
		return 0.005
	case age < 75:
		return 0.015
	case age < 85:
		return 0.045
	case age < 95:
		return 0.14
	}
	return 0.3
}

func moveOutRisk(age int) float64 {
	if age >= 18 && age < 35 {
		return 0.03
	}
	return 0.012
}

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

// writeListings writes the person's listing rows.
func (g *gen) writeListings() {
	p := &g.p
	g.sum.Listings += p.nseg
	if g.w[fListings] == nil {
		return
	}
	for k := range p.nseg {
		s := &p.seg[k]
		b := g.line(fListings)
		b = append(b, p.id[:]...)
		b = append(b, ',')
		b = append(b, g.units[s.unit].id...)
		b = append(b, ',')
		b = appendDate(b, s.from)
		b = append(b, ',')
		if s.to != openEnd {
			b = appendDate(b, s.to)
		}
		b = append(b, ',')
		b = append(b, "MF"[p.sex])
		b = append(b, ',')
		b = appendDate(b, p.birth)
		b = append(b, ',')
		b = append(b, g.areas[s.area].id...)
		b = append(b, ',')
		b = append(b, p.acgCode...)
		b = append(b, ',')
		b = appendScaled(b, p.acgW, 4)
		g.put(fListings, b)
	}
}

// add appends a contact and returns it for filling in.
func (g *gen) add(day, u, prof, mode int) *contact {
	g.cs = append(g.cs, contact{day: day, unit: u, prof: prof, mode: mode, req: -1})
	return &g.cs[len(g.cs)-1]
}

func (c *contact) addDiag(code string) {
	if c.nd < len(c.diag) {
		c.diag[c.nd] = code
		c.nd++
	}
}

func (c *contact) addRx(d drug) {
	if c.nr < len(c.rx) {
		c.rx[c.nr] = rx{atc: d.atc, ddd: d.ddd}
		c.nr++
	}
}

func (c *contact) addObs(code string, value, dec int) {
	if c.no < len(c.obs) {
		c.obs[c.no] = obs{code: code, value: value, dec: dec}
		c.no++
	}
}

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
