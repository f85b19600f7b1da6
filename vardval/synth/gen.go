package synth

import (
	"bufio"
	"context"
	"io"
	"math"
	"math/rand/v2"
)

// File indexes, in the order of OutputFiles().
const (
	fUnits = iota
	fListings
	fContacts
	fDiagnoses
	fObservations
	fPrescriptions
	fAreas
	fProcedures
	fAdmissions
	fClinicians
	fCalls
	fSurvey
	nFiles
)

// Modes and professions (indexes into the name tables).
const (
	modeVisit = iota
	modeHome
	modePhone
	modeVideo
	modeChat
)

const (
	profDoctor = iota
	profNurse
	profPsychologist
	profPhysio
	profOT
	profCounsellor
	profDietitian
	profOther
)

// gen is the state of one Generate call: O(units + areas) plus one
// person's scratch space, reused for every person.
type gen struct {
	cfg      Config
	y0, yEnd int // first and last day number of the data year
	ndays    int
	dates    [][10]byte // formatted dates of the data year, by day-of-year
	norm     [512]int32

	units                []unit
	areas                []area
	cum                  []float64
	primaries            int
	akut, digi, spec     int
	pop                  []uint64 // cumulative population by cell (band*2 + sex)
	pyr                  [20][2]int
	modeNames, profNames []string
	clinPrefix           []byte
	choosers             [nKinds]chooser
	psych                [2]problem
	acg                  []struct {
		upTo  int
		codes []string
	}

	w       [nFiles]*bufio.Writer
	counted [nFiles]io.Writer
	sum     Summary
	err     error

	pcg *rand.PCG
	r   *rand.Rand
	// The follow-up files' own streams (followup.go).
	fpcg *rand.PCG
	fr   *rand.Rand

	// Per-person scratch.
	p         person
	cs        []contact
	order     []int32
	contactID uint64
}

func newGen(cfg Config, w Writers) *gen {
	g := &gen{cfg: cfg}
	g.y0 = dayNumber(cfg.Year, 1, 1)
	g.ndays = daysInYear(cfg.Year)
	g.yEnd = g.y0 + g.ndays - 1
	g.dates = make([][10]byte, g.ndays)
	for i := range g.dates {
		copy(g.dates[i][:], appendDate(nil, g.y0+i))
	}
	g.norm = normQuantiles()
	g.pyr = pyramid()
	acc := uint64(0)
	for _, band := range g.pyr {
		for _, n := range band {
			acc += uint64(n)
			g.pop = append(g.pop, acc)
		}
	}
	g.modeNames = []string{"visit", "home", "phone", "video", "chat"}
	g.profNames = []string{"doctor", "nurse", "psychologist", "physio", "occupational_therapist", "counsellor", "dietitian", "other"}
	// Clinician id prefixes: D doctors, N nurses, T other staff.
	g.clinPrefix = []byte{'D', 'N', 'T', 'T', 'T', 'T', 'T', 'T'}
	g.acg = acgCodes()
	g.buildChoosers()
	g.psych = [2]problem{{code: "F41.1"}, {code: "F43.2"}}
	g.buildRegion()
	ws := [nFiles]io.Writer{w.Units, w.Listings, w.Contacts, w.Diagnoses, w.Observations, w.Prescriptions, w.Areas,
		w.Procedures, w.Admissions, w.Clinicians, w.Calls, w.Survey}
	for i, x := range ws {
		if x != nil {
			cw := &countWriter{w: x, n: &g.sum.Bytes, file: i}
			g.counted[i] = cw
			g.w[i] = bufio.NewWriterSize(cw, 64<<10)
		}
	}
	g.pcg = rand.NewPCG(0, 0)
	g.r = rand.New(g.pcg)
	g.fpcg = rand.NewPCG(0, 0)
	g.fr = rand.New(g.fpcg)
	return g
}

// countWriter counts the bytes that reach the caller's writer and wraps
// its errors.
type countWriter struct {
	w    io.Writer
	n    *int64
	file int
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	*c.n += int64(n)
	if err != nil {
		return n, &WriteError{File: OutputFiles()[c.file], Err: err}
	}
	return n, nil
}

// mix64 is the SplitMix64 finaliser: it spreads nearby seeds over the
// whole 64-bit range.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// normal returns a standard normal deviate (clipped to ±3.1) from r,
// computed without platform-dependent math.
func (g *gen) normal(r *rand.Rand) float64 {
	u := r.Uint64()
	i := int((u >> 32) % 511)
	frac := float64(u&0xffffffff) / (1 << 32)
	a, b := float64(g.norm[i]), float64(g.norm[i+1])
	return (a + float64(frac*(b-a))) / 1e6
}

// poisson returns a Poisson deviate with mean lambda.
func (g *gen) poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		n := int(math.Floor(lambda + float64(math.Sqrt(lambda)*g.normal(r)) + 0.5))
		return max(n, 0)
	}
	l := dexp(-lambda)
	k := 0
	p := r.Float64()
	for p > l {
		k++
		p *= r.Float64()
	}
	return k
}

// line returns the buffer to append one row of file f to, or nil when the
// file is skipped.
func (g *gen) line(f int) []byte {
	if g.w[f] == nil {
		return nil
	}
	return g.w[f].AvailableBuffer()
}

// put writes the row b (without its line end) of file f.
func (g *gen) put(f int, b []byte) {
	if g.w[f] == nil || g.err != nil {
		return
	}
	b = append(b, '\n')
	if _, err := g.w[f].Write(b); err != nil {
		g.err = err
	}
}

func (g *gen) run(ctx context.Context) (Summary, error) {
	for i, h := range headers() {
		if b := g.line(i); g.w[i] != nil {
			g.put(i, append(b, h...))
		}
	}
	g.writeUnits()
	g.writeAreas()
	g.sum.Units = len(g.units)
	g.sum.Areas = len(g.areas)
	g.writeClinicians()
	if g.cfg.Persons > 0 {
		// Calls and answers come from listed persons.
		g.writeCalls()
		g.writeSurvey()
	}
	for i := range g.cfg.Persons {
		if i&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return g.sum, err
			}
		}
		if g.err != nil {
			break
		}
		g.person(i)
		g.personFollowup(i)
	}
	for _, w := range g.w {
		if w != nil && g.err == nil {
			if err := w.Flush(); err != nil {
				g.err = err
			}
		}
	}
	g.sum.Persons = g.cfg.Persons
	if g.err != nil {
		return g.sum, g.err
	}
	return g.sum, nil
}

func (g *gen) writeUnits() {
	if g.w[fUnits] == nil {
		return
	}
	kinds := []string{"primary", "emergency", "specialist", "digital"}
	for _, u := range g.units {
		b := g.line(fUnits)
		b = append(b, u.id...)
		b = append(b, ',')
		b = append(b, u.name...)
		b = append(b, ',')
		b = append(b, kinds[u.kind]...)
		b = append(b, ',')
		b = append(b, u.muni...)
		b = append(b, ',')
		if u.private {
			b = append(b, "private"...)
		} else {
			b = append(b, "public"...)
		}
		b = append(b, ',')
		b = appendDate(b, u.from)
		b = append(b, ',')
		g.put(fUnits, b)
	}
}

func (g *gen) writeAreas() {
	if g.w[fAreas] == nil {
		return
	}
	for _, a := range g.areas {
		b := g.line(fAreas)
		b = append(b, a.id...)
		b = append(b, ',')
		b = append(b, a.name...)
		b = append(b, ',')
		b = appendScaled(b, a.cni, 4)
		g.put(fAreas, b)
	}
}

// emit sorts the person's contacts by day (stable) and writes them with
// their diagnoses, prescriptions and observations. Patient fees follow
// the contact's unit kind, mode and profession; they are 0 under 20 and
// from 85 years of age and once the person has paid the high-cost
// ceiling (1,300 SEK, counted from 1 January).
func (g *gen) emit() {
	p := &g.p
	g.order = g.order[:0]
	for i := range g.cs {
		g.order = append(g.order, int32(i))
	}
	// Insertion sort: few contacts per person, stable, no allocation.
	o := g.order
	for i := 1; i < len(o); i++ {
		v := o[i]
		d := g.cs[v].day
		j := i
		for j > 0 && g.cs[o[j-1]].day > d {
			o[j] = o[j-1]
			j--
		}
		o[j] = v
	}
	paid := 0
	var cid [11]byte
	for _, k := range o {
		c := &g.cs[k]
		g.contactID++
		cid[0] = 'C'
		appendPadded(cid[1:1], g.contactID, 10)
		un := &g.units[c.unit]
		fee := g.fee(un.kind, c)
		if age := g.ageOn(c.day); age < 20 || age >= 85 || paid >= 1300 {
			fee = 0
		}
		paid += fee
		date := g.dates[c.day-g.y0][:]
		g.sum.Contacts++
		if g.w[fContacts] != nil {
			b := g.line(fContacts)
			b = append(b, cid[:]...)
			b = append(b, ',')
			b = append(b, p.id[:]...)
			b = append(b, ',')
			b = append(b, un.id...)
			b = append(b, ',')
			b = append(b, date...)
			b = append(b, ',')
			b = append(b, g.modeNames[c.mode]...)
			b = append(b, ',')
			b = append(b, g.profNames[c.prof]...)
			b = append(b, ',')
			if c.urgent {
				b = append(b, "yes,"...)
			} else {
				b = append(b, "no,"...)
			}
			b = appendInt(b, fee)
			b = append(b, ',')
			if c.newp {
				b = append(b, g.dates[c.day-c.req-g.y0][:]...)
				b = append(b, ",yes,"...)
			} else {
				b = append(b, ",no,"...)
			}
			if c.clin > 0 {
				b = append(b, g.clinPrefix[c.prof])
				b = appendPadded(b, uint64(c.clin), 4)
			}
			g.put(fContacts, b)
		}
		g.sum.Diagnoses += c.nd
		if g.w[fDiagnoses] != nil {
			for _, code := range c.diag[:c.nd] {
				b := g.line(fDiagnoses)
				b = append(b, p.id[:]...)
				b = append(b, ',')
				b = append(b, date...)
				b = append(b, ',')
				b = append(b, code...)
				b = append(b, ',')
				b = append(b, un.id...)
				b = append(b, ',')
				b = append(b, cid[:]...)
				g.put(fDiagnoses, b)
			}
		}
		g.sum.Prescriptions += c.nr
		if g.w[fPrescriptions] != nil {
			for _, x := range c.rx[:c.nr] {
				b := g.line(fPrescriptions)
				b = append(b, p.id[:]...)
				b = append(b, ',')
				b = append(b, date...)
				b = append(b, ',')
				b = append(b, x.atc...)
				b = append(b, ',')
				b = append(b, un.id...)
				b = append(b, ',')
				b = appendScaled(b, x.ddd, 2)
				g.put(fPrescriptions, b)
			}
		}
		g.sum.Observations += c.no
		if g.w[fObservations] != nil {
			for _, x := range c.obs[:c.no] {
				b := g.line(fObservations)
				b = append(b, p.id[:]...)
				b = append(b, ',')
				b = append(b, date...)
				b = append(b, ',')
				b = append(b, x.code...)
				b = append(b, ',')
				b = appendScaled(b, x.value, x.dec)
				b = append(b, ',')
				b = append(b, un.id...)
				g.put(fObservations, b)
			}
		}
	}
}

// fee returns the patient fee in SEK before age exemptions and the
// high-cost ceiling.
func (g *gen) fee(kind int, c *contact) int {
	switch kind {
	case kindEmergency:
		return 300
	case kindSpecialist:
		if c.prof == profDoctor {
			return 300
		}
		return 100
	case kindDigital:
		if c.prof == profDoctor {
			return 100
		}
		return 0
	}
	switch c.mode {
	case modePhone:
		return 0
	case modeVideo, modeChat:
		if c.prof == profDoctor {
			return 100
		}
		return 0
	case modeHome:
		if c.prof == profDoctor {
			return 300
		}
		return 100
	}
	if c.prof == profDoctor {
		return 200
	}
	return 100
}
