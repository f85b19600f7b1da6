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
