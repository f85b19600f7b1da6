package synth

import (
	"math/rand/v2"
	"strconv"
)

// Unit kinds, owners, modes and professions as small integers; their
// contract names are in the gen's name tables.
const (
	kindPrimary = iota
	kindEmergency
	kindSpecialist
	kindDigital
)

// unit is one care unit with its staff pools and catchment areas.
type unit struct {
	id, name, muni string
	kind           int
	private        bool
	from           int // day number of its first day
	weight         float64
	// Staff pools: clinician numbers base+0 … base+n-1.
	docBase, docN     int
	nurseBase, nurseN int
	therBase, therN   int
	// Catchment: areas[areaLo:areaHi].
	areaLo, areaHi int
}

// area is one DeSO-like area with its CNI in ten-thousandths.
type area struct {
	id, name string
	cni      int
}

// buildRegion creates the units and areas of the region. It draws from its
// own random stream, so the units do not depend on how persons are drawn.
func (g *gen) buildRegion() {
	r := rand.New(rand.NewPCG(mix64(g.cfg.Seed^0x756e697473), mix64(g.cfg.Seed+0x61726561)))
	n := (g.cfg.Persons + g.cfg.PerUnit/2) / g.cfg.PerUnit
	n = max(n, 3)
	munis := municipalities()
	totalPop := 0
	for _, m := range munis {
		totalPop += m.pop
	}
	prefixes, suffixes := placeParts()
	usedName := map[string]int{}
	// DeSO-like codes: kommunkod + A/B/C + 4 digits, unique per (kommun, letter).
	areaSeq := map[string]int{}
	y0 := g.y0
	hv := dayNumber(2007, 1, 1) // Hälsoval Halland started 2007
	var docs, nurses, thers int
	sumW := 0.0
	for i := range n {
		// Municipality by population share, spread evenly over the units.
		pos := (2*i + 1) * totalPop / (2 * n)
		mi := 0
		for acc := munis[0].pop; acc <= pos && mi < len(munis)-1; acc += munis[mi].pop {
			mi++
		}
		m := munis[mi]
		u := unit{id: "VC" + string(appendPadded(nil, uint64(i+1), 3)), muni: m.code, kind: kindPrimary}
		u.private = r.Float64() < 0.4
		place := prefixes[r.IntN(len(prefixes))] + suffixes[r.IntN(len(suffixes))]
		var name string
		if u.private {
			name = [...]string{"Läkarhuset ", "Hälsocentralen ", "Husläkarna ", "Vårdcentralen Doktor "}[r.IntN(4)] + place
		} else {
			name = "Vårdcentralen " + place
		}
		usedName[name]++
		if k := usedName[name]; k > 1 {
			name += " " + strconv.Itoa(k)
		}
		u.name = name
		if u.private {
			u.from = min(hv+r.IntN(12*365), y0-365)
		} else {
			u.from = min(hv, y0-2*365)
		}
		// Skewed list sizes: lognormal weights, σ = 0.45.
		u.weight = dexp(0.45 * g.normal(r))
		sumW += u.weight
		u.areaLo = len(g.areas)
		nAreas := 20 + r.IntN(21)
		unitEffect := g.normal(r)
		for range nAreas {
			letter := "ABC"[min(2, r.IntN(10)/3)] // A 30 %, B 30 %, C 40 %
			key := m.code + string(letter)
			areaSeq[key]++
			id := key + string(appendPadded(nil, uint64(areaSeq[key]), 4))
			// CNI = 0.6 + lognormal (σ ≈ 1): skewed, mean ≈ 1, clamped to 0.6–2.5.
			z := float64(0.7*unitEffect) + float64(0.7*g.normal(r))
			cni := 0.6 + dexp(z-1.416)
			c := int(float64(cni*10000) + 0.5)
			c = min(max(c, 6000), 25000)
			g.areas = append(g.areas, area{id: id, name: m.name + " " + id[4:], cni: c})
		}
		u.areaHi = len(g.areas)
		g.units = append(g.units, u)
	}
	meanW := sumW / float64(n)
	g.cum = make([]float64, n)
	acc := 0.0
	for i := range g.units {
		u := &g.units[i]
		acc += u.weight
		g.cum[i] = acc
		rel := u.weight / meanW
		u.docBase, u.docN = docs+1, max(2, int(float64(6*rel)+0.5))
		u.nurseBase, u.nurseN = nurses+1, max(2, int(float64(8*rel)+0.5))
		u.therBase, u.therN = thers+1, 4
		docs += u.docN
		nurses += u.nurseN
		thers += u.therN
	}
	g.primaries = n
	hospital := munis[1] // Halmstad
	for _, s := range []struct {
		id, name   string
		kind       int
		private    bool
		doc, nurse int
		ther       int
		muni       string
	}{
		{"AKUT1", "Akutmottagningen " + hospital.name, kindEmergency, false, 25, 20, 2, hospital.code},
		{"DIGI1", "Digitalkliniken Halland", kindDigital, true, 40, 15, 6, hospital.code},
		{"SPEC1", "Specialistmottagningen " + hospital.name, kindSpecialist, false, 15, 10, 2, hospital.code},
	} {
		u := unit{id: s.id, name: s.name, kind: s.kind, private: s.private, muni: s.muni}
		u.from = min(hv, y0-2*365)
		if s.kind == kindDigital {
			u.from = y0 - 3*365
		}
		u.docBase, u.docN = docs+1, s.doc
		u.nurseBase, u.nurseN = nurses+1, s.nurse
		u.therBase, u.therN = thers+1, s.ther
		docs += s.doc
		nurses += s.nurse
		thers += s.ther
		switch s.kind {
		case kindEmergency:
			g.akut = len(g.units)
		case kindDigital:
			g.digi = len(g.units)
		case kindSpecialist:
			g.spec = len(g.units)
		}
		g.units = append(g.units, u)
	}
}

// pickPrimary draws a primary unit with probability proportional to its
// weight.
func (g *gen) pickPrimary(r *rand.Rand) int {
	x := r.Float64() * g.cum[len(g.cum)-1]
	lo, hi := 0, len(g.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if g.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// neighbour returns another primary unit near u (by number), or u when
// the region has a single primary unit.
func (g *gen) neighbour(r *rand.Rand, u int) int {
	if g.primaries < 2 {
		return u
	}
	step := 1 + r.IntN(min(5, g.primaries-1))
	if r.IntN(2) == 0 {
		return (u + step) % g.primaries
	}
	return (u - step + g.primaries) % g.primaries
}
