package payment

import (
	"fmt"
	"strconv"

	"github.com/vardval/vardval/vardval"
)

// Assumptions travel with the money (docs/semantics.md, "Assumptions"): a
// line carries the assumption flag (Line.Assumption, the reason) when its
// amount rests on an assumed figure anywhere — the parameter it cites, a
// weight table it counts by, a threshold or point weight it is judged
// by, the value used for a missing ACG weight or CNI of a listing at the
// unit, the actively-listed definition, or, for a VAT compensation or a
// limit, an assumed line it is computed from. Statement.Assumed and
// UnitStatement.Assumed sum the flagged lines.

// missingUse says, per month of the run and unit, whether a listing at
// the unit in that month counts with the model's missing ACG weight or
// missing CNI, or with a CNI computed from census shares: per month, so
// that a month priced alone is flagged as it is in a longer run.
type missingUse struct{ acg, cni, census [][]bool }

func missingUses(m *Model, r *vardval.Region, months []vardval.YearMonth) *missingUse {
	// What it reads of m is what missingKey names.
	mu := &missingUse{}
	for range months {
		mu.acg = append(mu.acg, make([]bool, len(r.Units)))
		mu.cni = append(mu.cni, make([]bool, len(r.Units)))
		mu.census = append(mu.census, make([]bool, len(r.Units)))
	}
	for i := range r.Listings {
		l := &r.Listings[i]
		if int(l.Unit) < 0 || int(l.Unit) >= len(r.Units) {
			continue
		}
		var acg, cni, census bool
		if m.ACG != nil {
			if m.ACG.Source == "category" {
				acg = l.ACG < 0
			} else {
				acg = !l.HasWeight
			}
		}
		if !areaHasCNI(m, r, l.Area) {
			cni = true
		} else if !r.Areas[l.Area].HasCNI {
			census = true // CNI computed from census shares
		}
		if !acg && !cni && !census {
			continue
		}
		for mi, ym := range months {
			if !l.Period.Overlaps(vardval.MonthPeriod(ym)) {
				continue
			}
			mu.acg[mi][l.Unit] = mu.acg[mi][l.Unit] || acg
			mu.cni[mi][l.Unit] = mu.cni[mi][l.Unit] || cni
			mu.census[mi][l.Unit] = mu.census[mi][l.Unit] || census
		}
	}
	return mu
}

// missingKey names what missingUses reads of m: whether and how it takes
// ACG weights, and whether it gives areas a CNI from census shares (see
// areaHasCNI). Models with the same key have the same missingUses over the
// same region and months (a sweep computes it once per key).
func missingKey(m *Model) string {
	k := "acg:-"
	if m.ACG != nil {
		k = "acg:" + m.ACG.Source
	}
	if m.CNI != nil && len(m.CNI.Weights) == vardval.NCensus {
		k += " census"
	}
	return k
}

// assumedIn returns "path: reason" for the first of ds that is an assumption.
func assumedIn(ds ...*Dated) string {
	for _, d := range ds {
		if d != nil && d.Assumption != "" {
			return d.Path + ": " + d.Assumption
		}
	}
	return ""
}

func (c *MonthContext) dated(p *Param) *Dated {
	if p == nil || p.IsZero() {
		return nil
	}
	d, err := c.value(p)
	if err != nil {
		return nil
	}
	return d
}

// tableAssumed returns the assumption of a weight of table t that unit
// i's listed persons (counted by cnt) are counted with, or "".
func (c *MonthContext) tableAssumed(t *Table, i int, cnt Counting) string {
	if t == nil {
		return ""
	}
	counts := bandCounts(t.Bands, c.snap(i, cnt))
	for b := range t.Bands {
		if counts[b] == 0 {
			continue
		}
		if s := assumedIn(c.dated(&t.Bands[b].Value)); s != "" {
			return "weights " + t.ID + ", " + s
		}
	}
	return ""
}

func (c *MonthContext) acgAssumed(i int) string {
	if c.m.ACG == nil || c.miss == nil || !c.miss.acg[c.month][c.units[i]] {
		return ""
	}
	if s := assumedIn(c.dated(&c.m.ACG.Missing)); s != "" {
		return "a listing at the unit without an ACG weight counts with " + s
	}
	return ""
}

func (c *MonthContext) cniAssumed(i int) string {
	if c.m.CNI == nil || c.miss == nil {
		return ""
	}
	if c.miss.cni[c.month][c.units[i]] {
		if s := assumedIn(c.dated(&c.m.CNI.Missing)); s != "" {
			return "a listing at the unit without a CNI counts with " + s
		}
	}
	if c.miss.census[c.month][c.units[i]] {
		ds := []*Dated{c.dated(&c.m.CNI.Reference)}
		for k := range c.m.CNI.Weights {
			ds = append(ds, c.dated(&c.m.CNI.Weights[k]))
		}
		if s := assumedIn(ds...); s != "" {
			return "the CNI of a listing at the unit is computed from census shares with " + s
		}
	}
	return ""
}

// hiddenAssumption returns the assumption line l of component comp for
// statement unit i rests on beyond the parameter it cites, or "".
func (c *MonthContext) hiddenAssumption(comp Component, i int, l *Line) string {
	switch x := comp.(type) {
	case *ListingPoints:
		return c.tableAssumed(x.Table, i, x.Counting)
	case *ACGPoints:
		return first(c.tableAssumed(x.Table, i, x.Counting), c.acgAssumed(i))
	case *PoolSplit:
		for _, s := range x.Shares {
			if s.ID != l.Key {
				continue
			}
			switch s.Index {
			case "age_sex":
				return c.tableAssumed(s.Table, i, x.Counting)
			case "acg":
				return c.acgAssumed(i)
			case "cni":
				return c.cniAssumed(i)
			case "active":
				if x.active != nil {
					if a := assumedIn(c.dated(&x.active.Window)); a != "" {
						return "actively-listed definition, " + a
					}
				}
			}
		}
	case *Goal:
		k, err := strconv.Atoi(l.Key)
		if err != nil || k < 0 || k >= len(x.Indicators) {
			return ""
		}
		in := &x.Indicators[k]
		return first(assumedIn(c.dated(&in.Lower), c.dated(&in.Upper), c.dated(&in.Points)), c.tableAssumed(x.Basis, i, x.Counting))
	case *Coverage:
		return first(assumedIn(c.dated(&x.Window), c.dated(&x.Lower), c.dated(&x.Upper)), c.tableAssumed(x.Basis, i, x.Counting))
	case *CNISupplement:
		return c.cniAssumed(i)
	case *VATCompensation:
		return c.linesAssumed(i, func(id string) bool {
			for _, o := range x.Of {
				if o == id {
					return true
				}
			}
			return false
		})
	case *Limit:
		return c.linesAssumed(i, func(id string) bool { return x.Target == "total" || x.Target == id })
	}
	return ""
}

// linesAssumed returns why an earlier line of unit i of a component keep
// accepts rests on an assumption, or "".
func (c *MonthContext) linesAssumed(i int, keep func(id string) bool) string {
	for _, l := range c.lines[i] {
		if l.Assumption != "" && keep(l.Component) && l.Component != c.m.Components[c.comp].Info().ID {
			return fmt.Sprintf("computed from %s (%s), which rests on an assumption: %s", l.Component, l.Name, l.Assumption)
		}
	}
	return ""
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
