package synth

import "math/rand/v2"

// Problem lists.
const (
	kInfChild = iota
	kInfTeen
	kInfAdult
	kOther
	kEmergency
	kDigital
	kSpecialist
	nKinds
)

const maxAge = 110

// chooser draws problems of one list with weights that depend on age and
// sex, precomputed as cumulative weights per (age, sex).
type chooser struct {
	problems []problem
	cum      [maxAge + 1][2][]int // [age][0 men, 1 women]
}

func (g *gen) buildChoosers() {
	lists := [nKinds][]problem{infections(0), infections(10), infections(30), others(), emergencies(), digitals(), specialties()}
	for k, ps := range lists {
		c := &g.choosers[k]
		c.problems = ps
		for age := 0; age <= maxAge; age++ {
			for sex := range 2 {
				cum := make([]int, len(ps))
				acc := 0
				for i, p := range ps {
					w := 0
					if age >= p.minAge {
						w = p.w * 100
						if sex == 1 {
							w = p.w * p.female
						}
					}
					acc += w
					cum[i] = acc
				}
				c.cum[age][sex] = cum
			}
		}
	}
}

// pick draws a problem for a person of age and sex (0 men, 1 women); nil
// when no problem of the list applies.
func (c *chooser) pick(r *rand.Rand, age, sex int) *problem {
	cum := c.cum[min(age, maxAge)][sex]
	total := cum[len(cum)-1]
	if total == 0 {
		return nil
	}
	x := r.IntN(total)
	for i, v := range cum {
		if x < v {
			return &c.problems[i]
		}
	}
	return nil
}

// pickDrug draws one of the problem's drugs by share.
func pickDrug(r *rand.Rand, ds []drug) drug {
	total := 0
	for _, d := range ds {
		total += d.share
	}
	x := r.IntN(total)
	for _, d := range ds {
		if x < d.share {
			return d
		}
		x -= d.share
	}
	return ds[len(ds)-1]
}
