package synth

import (
	"math/rand/v2"
)

// The follow-up files (issue 22) are drawn from random streams of their
// own, so that the other files are the same whether or not they are
// written. Rates are rough Swedish orders of magnitude; where no source
// gives one it is an assumption, said so here.
//
//   - procedures.csv: advisory talks on lifestyle (KVÅ DV112, DV113,
//     DV122, DV123, DV132, DV133, DV142, DV143) for about 30 % a year of
//     adults with diabetes or hypertension and 2 % of other adults, simple
//     advice on tobacco (DV111, not an advisory talk) for 5 % of adults;
//     a medication review (XV015 enkel, XV016 fördjupad) for about 35 % a
//     year of persons 75 or over; an influenza vaccination (DT016) in
//     October–December for about 55 % of persons 65 or over
//     (Folkhälsomyndigheten reports 50–60 % coverage among persons 65+ in
//     the seasons 2019/20–2021/22). Assumptions apart from the vaccination.
//   - admissions.csv: admissions at about 4 % a year under 18, 6 % at
//     18–64, 15 % at 65–74, 30 % at 75–84 and 50 % from 85, half as much
//     again per chronic condition: about 120 per 1,000 persons a year, the
//     order of Sweden's somatic inpatient care (Socialstyrelsen's patient
//     register statistics, about 1.4 million episodes a year; not re-read);
//     about one in twelve with a main diagnosis on Socialstyrelsen's list
//     of avoidable hospital care for chronic conditions, some 6 per 1,000
//     persons a year; 10 % planned (acute no). Assumptions apart from the
//     orders of magnitude.
//   - clinicians.csv: every unit's staff pool, about 10 % of primary-care
//     doctors hired (hyrläkare; an assumption of the order SKR reports for
//     hired doctors' share of primary-care doctor costs), hired doctors
//     for part of the year.
//   - calls.csv: each primary-care unit's calls on weekdays, about 1.4 a
//     day per 100 listed (Poisson), 80–95 % answered the same day by unit
//     (assumption; the national telephone-accessibility follow-up on
//     vantetider.se reports shares of this order).
//   - survey.csv: per primary-care unit two questions of a Nationell
//     patientenkät-like survey in October of the data year, delaktighet
//     (participation in decisions about one's care) about 75 % positive
//     and helhetsintryck (overall impression) about 82 % positive
//     (assumptions; NPE 2015 reported 80 % positive overall impression
//     nationally), about one respondent per 80 listed (at most 140).

// KVÅ codes the generator writes.
var (
	adviceCodes = [...]string{"DV112", "DV113", "DV122", "DV123", "DV132", "DV133", "DV142", "DV143"}
	reviewCodes = [...]string{"XV015", "XV016"}
)

// Main diagnoses of generated admissions: on the avoidable list (by
// condition) and others.
var (
	avoidableDM    = [...]string{"E11.6", "E11.9", "E10.1", "E11.0"}
	avoidableHTN   = [...]string{"I10", "I50.0", "I50.9", "I11.0"}
	avoidableOther = [...]string{"J44.1", "J44.0", "J45.9", "I20.9", "D50.9", "J81"}
	otherAdmission = [...]string{"S72.0", "I21.9", "J18.9", "N39.0", "K80.2", "R07.4", "I63.9", "A41.9", "S06.0", "K35.8"}
)

// followupRand seeds g.fr for stream k of item i (a person, or a unit).
func (g *gen) followupRand(k, i uint64) *rand.Rand {
	g.fpcg.Seed(mix64(g.cfg.Seed^0x5eed0f011040), mix64(g.cfg.Seed^(k<<40)^(i+1)*0x9e3779b97f4a7c15))
	return g.fr
}

// personFollowup writes person i's procedures and admissions.
func (g *gen) personFollowup(i int) {
	p := &g.p
	if p.start > p.end {
		return
	}
	r := g.followupRand(1, uint64(i))
	span := p.end - p.start + 1
	day := func() int { return p.start + r.IntN(span) }
	type proc struct {
		day  int
		code string
		doc  bool
	}
	var procs [6]proc
	n := 0
	adult := p.age >= 18
	if adult && (p.dm || p.htn) && chance(r, 0.30) || adult && !p.dm && !p.htn && chance(r, 0.02) {
		procs[n] = proc{day(), adviceCodes[r.IntN(len(adviceCodes))], chance(r, 0.3)}
		n++
		if chance(r, 0.25) {
			procs[n] = proc{day(), adviceCodes[r.IntN(len(adviceCodes))], false}
			n++
		}
	}
	if adult && chance(r, 0.05) {
		procs[n] = proc{day(), "DV111", chance(r, 0.5)}
		n++
	}
	if p.age >= 75 && chance(r, 0.35) {
		code := reviewCodes[0]
		if chance(r, 0.15) {
			code = reviewCodes[1]
		}
		procs[n] = proc{day(), code, true}
		n++
	}
	if p.age >= 65 && chance(r, 0.55) {
		// October to December of the data year, within the listing.
		lo := max(p.start, g.y0+g.ndays-92)
		if lo <= p.end {
			procs[n] = proc{lo + r.IntN(p.end-lo+1), "DT016", false}
			n++
		}
	}
	// In date order.
	for a := 1; a < n; a++ {
		for b := a; b > 0 && procs[b-1].day > procs[b].day; b-- {
			procs[b-1], procs[b] = procs[b], procs[b-1]
		}
	}
	g.sum.Procedures += n
	if g.w[fProcedures] != nil {
		for _, x := range procs[:n] {
			s := p.segAt(x.day)
			b := g.line(fProcedures)
			b = append(b, p.id[:]...)
			b = append(b, ',')
			b = appendDate(b, x.day)
			b = append(b, ',')
			b = append(b, g.units[s.unit].id...)
			b = append(b, ',')
			b = append(b, x.code...)
			b = append(b, ',')
			if x.doc {
				b = append(b, 'D')
				b = appendPadded(b, uint64(s.d1), 4)
			} else {
				b = append(b, 'N')
				b = appendPadded(b, uint64(s.n1), 4)
			}
			g.put(fProcedures, b)
		}
	}

	// Admissions: per mille a year by age, half as much again per chronic condition.
	rate := 60
	switch {
	case p.age >= 85:
		rate = 500
	case p.age >= 75:
		rate = 300
	case p.age >= 65:
		rate = 150
	case p.age < 18:
		rate = 40
	}
	rate += rate * p.chronic / 2
	k := g.poisson(r, float64(rate*span)/float64(1000*g.ndays))
	for range min(k, 6) {
		in := day()
		out := in + r.IntN(10)
		acute := chance(r, 0.9)
		var code string
		switch {
		case !acute:
			code = otherAdmission[r.IntN(len(otherAdmission))]
		case p.dm && chance(r, 0.06):
			code = avoidableDM[r.IntN(len(avoidableDM))]
		case p.htn && chance(r, 0.06):
			code = avoidableHTN[r.IntN(len(avoidableHTN))]
		case chance(r, 0.04):
			code = avoidableOther[r.IntN(len(avoidableOther))]
		default:
			code = otherAdmission[r.IntN(len(otherAdmission))]
		}
		g.sum.Admissions++
		if g.w[fAdmissions] == nil {
			continue
		}
		b := g.line(fAdmissions)
		b = append(b, p.id[:]...)
		b = append(b, ',')
		b = appendDate(b, in)
		b = append(b, ',')
		if out <= g.yEnd || chance(r, 0.5) {
			b = appendDate(b, out)
		}
		b = append(b, ',')
		b = append(b, code...)
		b = append(b, ',')
		if acute {
			b = append(b, "yes"...)
		} else {
			b = append(b, "no"...)
		}
		b = append(b, ",SJH"...)
		b = appendInt(b, 1+r.IntN(3))
		g.put(fAdmissions, b)
	}
}

// writeClinicians writes every unit's staff pool.
func (g *gen) writeClinicians() {
	r := g.followupRand(2, 0)
	for ui := range g.units {
		u := &g.units[ui]
		pools := []struct {
			prefix     byte
			base, n    int
			profession string
		}{{'D', u.docBase, u.docN, "doctor"}, {'N', u.nurseBase, u.nurseN, "nurse"}, {'T', u.therBase, u.therN, "other"}}
		for _, pl := range pools {
			for c := pl.base; c < pl.base+pl.n; c++ {
				from, to := u.from, -1
				employment := "employed"
				if pl.prefix == 'D' && u.kind == kindPrimary && chance(r, 0.10) {
					employment = "hired"
					from = g.y0 + r.IntN(g.ndays/2)
					to = from + 30 + r.IntN(150)
				}
				g.sum.Clinicians++
				if g.w[fClinicians] == nil {
					continue
				}
				b := g.line(fClinicians)
				b = append(b, pl.prefix)
				b = appendPadded(b, uint64(c), 4)
				b = append(b, ',')
				b = append(b, u.id...)
				b = append(b, ',')
				b = append(b, pl.profession...)
				b = append(b, ',')
				b = append(b, employment...)
				b = append(b, ',')
				b = appendDate(b, from)
				b = append(b, ',')
				if to >= 0 {
					b = appendDate(b, to)
				}
				g.put(fClinicians, b)
			}
		}
	}
}

// expectedListed returns primary-care unit u's expected number of listed
// persons (its share of the list weights).
func (g *gen) expectedListed(u int) int {
	w := g.cum[u]
	if u > 0 {
		w -= g.cum[u-1]
	}
	return int(float64(w/g.cum[len(g.cum)-1]) * float64(g.cfg.Persons))
}

// writeCalls writes the primary-care units' calls on weekdays.
func (g *gen) writeCalls() {
	for ui := range g.units {
		u := &g.units[ui]
		if u.kind != kindPrimary {
			continue
		}
		r := g.followupRand(3, uint64(ui))
		perDay := float64(g.expectedListed(ui)) / 70
		answered := 800 + r.IntN(151) // per mille answered the same day
		for d := g.y0; d <= g.yEnd; d++ {
			if wd := (d%7 + 7 + 3) % 7; wd >= 5 { // day 0 (1970-01-01) was a Thursday
				continue
			}
			calls := g.poisson(r, perDay)
			same := 0
			for range calls {
				if r.IntN(1000) < answered {
					same++
				}
			}
			g.sum.Calls++
			if g.w[fCalls] == nil {
				continue
			}
			b := g.line(fCalls)
			b = append(b, u.id...)
			b = append(b, ',')
			b = appendDate(b, d)
			b = append(b, ',')
			b = appendInt(b, calls)
			b = append(b, ',')
			b = appendInt(b, same)
			g.put(fCalls, b)
		}
	}
}

// writeSurvey writes two survey questions per primary-care unit.
func (g *gen) writeSurvey() {
	for ui := range g.units {
		u := &g.units[ui]
		if u.kind != kindPrimary {
			continue
		}
		r := g.followupRand(4, uint64(ui))
		resp := min(g.poisson(r, float64(g.expectedListed(ui))/80), 140)
		for _, q := range []struct {
			id       string
			perMille int
		}{{"delaktighet", 690 + r.IntN(121)}, {"helhetsintryck", 760 + r.IntN(121)}} {
			pos := 0
			for range resp {
				if r.IntN(1000) < q.perMille {
					pos++
				}
			}
			g.sum.Survey++
			if g.w[fSurvey] == nil {
				continue
			}
			b := g.line(fSurvey)
			b = append(b, u.id...)
			b = append(b, ',')
			b = appendInt(b, g.cfg.Year)
			b = append(b, "-10,"...)
			b = append(b, q.id...)
			b = append(b, ',')
			b = appendInt(b, resp)
			b = append(b, ',')
			b = appendInt(b, pos)
			g.put(fSurvey, b)
		}
	}
}
