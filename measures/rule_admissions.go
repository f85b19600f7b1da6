package measures

import (
	"slices"

	"github.com/vardval/vardval/vardval"
)

// AdmissionRate is rule admission_rate: hospital admissions
// (admissions.csv) admitted in the period, acute ones only when Acute,
// with a main diagnosis starting with one of MainDiagnoses, of persons
// listed at a primary-care unit on the day of admission, one per person
// and day of admission; per Scale listed person-years, optionally
// standardised by age (on the day of admission) × sex. Kind rate. Keys:
// admissions {acute, main_diagnoses} (main_diagnoses required: ICD-10
// prefixes, the dot removed); no age limits. Each person's listed days
// and admissions at a unit are one cluster (design effect, as for
// emergency visits).
type AdmissionRate struct {
	Acute         bool
	MainDiagnoses []string // ICD-10 prefixes without dot, upper-case
}

// Name returns "admission_rate".
func (r *AdmissionRate) Name() string { return RuleAdmissionRate }

// Kind returns Rate.
func (r *AdmissionRate) Kind() Kind { return Rate }

func (r *AdmissionRate) check(d *Definition, codes codeSet) []problem {
	ps := needListedOn(&d.Population, listedOnEventDate)
	if len(r.MainDiagnoses) == 0 {
		ps = append(ps, fail("admissions.main_diagnoses", "at least one ICD-10 prefix is required"))
	}
	return ps
}

func (r *AdmissionRate) compile(e *engine, s *spec) {}

func (r *AdmissionRate) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	base := si * e.nUnits * nStrata
	sc.units = sc.units[:0]
	// Each person's listed days at a unit, with the admissions then, are
	// one cluster, including persons without admissions.
	for _, l := range pd.listings {
		if l.Unit < 0 || !e.primary[l.Unit] {
			continue
		}
		if seg, ok := l.Period.Intersect(e.period); ok {
			sc.units = addTo(sc.units, l.Unit, 0, int64(seg.Days()))
		}
	}
	var last vardval.Date
	for i := range pd.adms {
		x := &pd.adms[i]
		if !e.period.Contains(x.Admitted) || (r.Acute && !x.Acute) || x.Admitted == last || !hasAnyPrefix(x.Diagnosis, r.MainDiagnoses) {
			continue
		}
		u := e.listedAt(pd, x.Admitted)
		if u == vardval.NoUnit {
			continue
		}
		last = x.Admitted
		a.t[si*e.nUnits+int(u)].num++
		a.events[base+int(u)*nStrata+stratumOf(pd, x.Admitted)]++
		sc.units = addTo(sc.units, u, 1, 0)
	}
	for _, c := range sc.units {
		a.t[si*e.nUnits+int(c.u)].cluster(c.y, c.n)
	}
}

func (r *AdmissionRate) clone() Rule {
	c := *r
	c.MainDiagnoses = slices.Clone(r.MainDiagnoses)
	return &c
}

func (w *walker) admissionRate(o *obj) Rule {
	r := &AdmissionRate{}
	if p := o.sub("admissions"); p != nil {
		r.Acute = p.boolean("acute")
		for _, c := range p.strs("main_diagnoses") {
			r.MainDiagnoses = append(r.MainDiagnoses, normaliseCode(c))
		}
		p.done()
	} else {
		o.missing("admissions")
	}
	return r
}

// reads: FileAdmissions.
func (r *AdmissionRate) reads() []string { return []string{vardval.FileAdmissions} }
