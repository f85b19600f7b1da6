package measures

import (
	"math/bits"
	"slices"

	"github.com/vardval/vardval/vardval"
)

// ContinuityIndex is which continuity index a Continuity rule pools.
type ContinuityIndex string

// The continuity indices.
const (
	// COC is Bice–Boxerman's continuity of care: ordered same-doctor
	// visit pairs of all ordered visit pairs (rule continuity_coc).
	COC ContinuityIndex = "coc"
	// UPC is the usual provider of care index: visits with the most-seen
	// doctor of all visits (rule continuity_upc).
	UPC ContinuityIndex = "upc"
)

// Continuity is rules continuity_coc and continuity_upc: the index pooled
// over patients listed on the period's last day with at least
// population.contacts.min_per_person (≥ 2) selected contacts in the
// period. Kind proportion; its rows carry patients (Definition.
// PatientLevel) and min_patients applies. Keys: none of its own;
// population.listed_on period_end and population.contacts with
// min_per_person ≥ 2 required.
type Continuity struct {
	Index ContinuityIndex
}

// Name returns "continuity_coc" or "continuity_upc".
func (r *Continuity) Name() string { return "continuity_" + string(r.Index) }

// Kind returns Proportion.
func (r *Continuity) Kind() Kind { return Proportion }

func (r *Continuity) check(d *Definition, codes codeSet) []problem {
	var ps []problem
	if r.Index != COC && r.Index != UPC {
		ps = append(ps, fail("rule", "the continuity index must be coc or upc"))
	}
	if c := d.Population.Contacts; c == nil || c.MinPerPerson < 2 {
		ps = append(ps, fail("population.contacts.min_per_person", "contacts with min_per_person ≥ 2 are required"))
	}
	return append(ps, needListedOn(&d.Population, listedOnPeriodEnd)...)
}

func (r *Continuity) compile(e *engine, s *spec) {}

func (r *Continuity) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.continuity(pd, s, a.t[si*e.nUnits:(si+1)*e.nUnits], sc, r.Index == COC)
}

func (r *Continuity) clone() Rule { c := *r; return &c }

// roundDiv returns a·scale/b rounded half-even, for 0 ≤ a, 0 < b.
func roundDiv(a, b, scale int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(scale))
	q, rem := bits.Div64(hi, lo, uint64(b))
	if 2*rem > uint64(b) || (2*rem == uint64(b) && q%2 == 1) {
		q++
	}
	return int64(q)
}

func (e *engine) continuity(pd *personData, s *spec, t []tally, sc *scratch, coc bool) {
	u := e.listedAt(pd, e.period.To)
	if u == vardval.NoUnit || !e.ageOK(pd, s.def, e.period.To) {
		return
	}
	sc.clin = sc.clin[:0]
	for i := range pd.contacts {
		c := &pd.contacts[i]
		if !e.period.Contains(c.Date) || !e.contactPasses(s, c) {
			continue
		}
		if s.contacts.AtListedUnit && c.Unit != u {
			continue
		}
		sc.clin = append(sc.clin, c.Clinician)
	}
	n := int64(len(sc.clin))
	if n < int64(s.contacts.MinPerPerson) || n < 2 {
		return
	}
	slices.Sort(sc.clin)
	var sumSq, most int64
	for i := 0; i < len(sc.clin); {
		j := i
		for j < len(sc.clin) && sc.clin[j] == sc.clin[i] {
			j++
		}
		k := int64(j - i)
		sumSq += k * k
		most = max(most, k)
		i = j
	}
	x := &t[u]
	x.pat++
	if coc {
		same, pairs := sumSq-n, n*(n-1) // ordered pairs with the same doctor, all ordered pairs
		x.num += same
		x.den += pairs
		x.cluster(same, pairs)
		x.idx += roundDiv(same, pairs, nanoScale)
	} else {
		x.num += most
		x.den += n
		x.cluster(most, n)
		x.idx += roundDiv(most, n, nanoScale)
	}
}

// reads: FileContacts, FileContacts + ":clinician".
func (r *Continuity) reads() []string {
	return []string{vardval.FileContacts, vardval.FileContacts + ":clinician"}
}
