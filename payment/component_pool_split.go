package payment

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/vardval/vardval/vardval"
)

// PoolSplit shares a monthly pool between units: the pool (a rate per
// listed person per year × the region's listed, in twelfths, or a fixed sum
// per month) is split into sub-pools by fixed shares, and each sub-pool is
// allocated in proportion to a relative index by largest remainder, so the
// units' lines sum exactly to the sub-pool (Skåne's Hälsoval).
type PoolSplit struct {
	ComponentInfo
	Counting      Counting
	PerListedYear Param // SEK per listed person per year (or)
	PerMonth      Param // SEK per month for the region
	Shares        []PoolShare

	active     *ActiveSpec
	sharesLine int // line of the shares key in the model file
}

// PoolShare is one sub-pool: its share of the pool and the index that
// distributes it.
type PoolShare struct {
	ID   string
	Name string
	// NameSV and NameEN are the name in Swedish and in English (name_sv,
	// name_en; "" when not given).
	NameSV, NameEN string
	Index          string // "listed", "age_sex", "acg", "cni" or "active"
	Table          *Table // for "age_sex"
	Share          Param  // fraction of the pool
	Path           string
}

func parsePoolSplit(d *Decoder) Component {
	p, o, info := d.p, d.o, d.info
	w := p.w
	c := &PoolSplit{ComponentInfo: info, Counting: p.counting(o), active: p.m.Active}
	c.PerListedYear = o.param("pool_per_listed_year", false, nonNegative)
	c.PerMonth = o.param("pool_per_month", false, nonNegative)
	if c.PerListedYear.IsZero() == c.PerMonth.IsZero() {
		w.fail(info.Path, o.node, "give exactly one of pool_per_listed_year and pool_per_month")
	}
	items, sp := o.seq("shares", true)
	for i, n := range items {
		ip := index(sp, i)
		so := w.obj(ip, n)
		s := PoolShare{ID: so.str("id", true), Name: so.str("name", false), NameSV: so.str("name_sv", false), NameEN: so.str("name_en", false), Index: so.str("index", true), Path: ip}
		if s.Name == "" {
			s.Name = s.ID
		}
		if s.Index != "" && so.oneOf("index", s.Index, "listed", "age_sex", "acg", "cni", "active") {
			switch s.Index {
			case "age_sex":
				s.Table = p.table(so, "table", true)
			case "acg":
				if p.m.ACG == nil {
					w.fail(join(ip, "index"), so.get("index"), "an acg index needs the model's acg section")
				}
			case "cni":
				if p.m.CNI == nil {
					w.fail(join(ip, "index"), so.get("index"), "a cni index needs the model's cni section")
				}
			case "active":
				if p.m.Active == nil {
					w.fail(join(ip, "index"), so.get("index"), "an active index needs the model's active section")
				}
			}
		}
		s.Share = so.param("share", true, fraction)
		so.done()
		c.Shares = append(c.Shares, s)
	}
	if n := o.get("shares"); n != nil {
		c.sharesLine = n.Line
	}
	return c
}

// crossCheck reports the dates on which the shares do not sum to 1.
func (c *PoolSplit) crossCheck(w *walker) {
	for _, why := range c.shareProblems() {
		w.failAt(join(c.Path, "shares"), c.sharesLine, "%s", why)
	}
}

// shareProblems returns, for every date any share changes on, why the
// shares in force then (Param.At) do not sum to 1, in time n log n in the
// number of dated values.
func (c *PoolSplit) shareProblems() []string {
	// Each dated value is in force from its From to the day before the next
	// value's From or to its To, whichever comes first: an event adds it
	// on its first day and takes it away the day after its last.
	type event struct {
		day   vardval.Date
		value decimal.Decimal
		n     int // +1 in force from day, -1 no longer
	}
	var events []event
	var dates []vardval.Date
	for _, s := range c.Shares {
		for i, v := range s.Share.Values {
			dates = append(dates, v.From)
			events = append(events, event{v.From, v.Value, 1})
			end, bounded := v.To, !v.To.IsZero()
			if i+1 < len(s.Share.Values) {
				if next := s.Share.Values[i+1].From.AddDays(-1); !bounded || next.Before(end) {
					end, bounded = next, true
				}
			}
			if bounded {
				events = append(events, event{end.AddDays(1), v.Value.Neg(), -1})
			}
		}
	}
	slices.SortFunc(dates, func(a, b vardval.Date) int { return a.Compare(b) })
	slices.SortStableFunc(events, func(a, b event) int { return a.day.Compare(b.day) })
	var out []string
	sum, inForce, e := decimal.Zero, 0, 0
	for _, d := range slices.Compact(dates) {
		for ; e < len(events) && !events[e].day.After(d); e++ {
			sum = sum.Add(events[e].value)
			inForce += events[e].n
		}
		if inForce == len(c.Shares) && !sum.Equal(decimal.NewFromInt(1)) {
			out = append(out, fmt.Sprintf("the shares in force on %s sum to %s, not 1", d, sum))
		}
	}
	return out
}

// Params returns the parameters of the PoolSplit, in file order.
func (c *PoolSplit) Params() []*Param {
	out := []*Param{}
	if !c.PerListedYear.IsZero() {
		out = append(out, &c.PerListedYear)
	}
	if !c.PerMonth.IsZero() {
		out = append(out, &c.PerMonth)
	}
	for i := range c.Shares {
		out = append(out, &c.Shares[i].Share)
	}
	return out
}

// Need asks for the listed persons counted as c.Counting says and, for an active index, the actively listed.
func (c *PoolSplit) Need(n *Needs) {
	n.Listed(c.Counting)
	for _, s := range c.Shares {
		if s.Index == "active" && c.active != nil {
			n.reg.readsContacts = true
			if v, ok := c.active.Window.At(n.ym.First()); ok {
				n.reg.activeIndex(n.month, c.activeCounting(), int(v.Value.IntPart()))
			}
		}
	}
}

// activeCounting is how the pool counts its actively listed: as it counts
// its listed (docs/semantics.md, "Actively listed"): persons on the
// cut-off day, or person-days ÷ the month's days when day-weighted.
func (c *PoolSplit) activeCounting() Counting {
	return Counting{DayWeighted: c.Counting.DayWeighted, Day: c.Counting.Day}
}

func (c *PoolSplit) activeWindow(mc *MonthContext) (int, error) {
	v, err := mc.value(&c.active.Window)
	if err != nil {
		return 0, err
	}
	return int(v.Value.IntPart()), nil
}

// Price adds the PoolSplit lines of the month for every statement unit.
func (c *PoolSplit) Price(mc *MonthContext) error {
	den := mc.den(c.Counting)
	var nR int64
	for i := range mc.units {
		nR += mc.snap(i, c.Counting).n
	}
	var pool *big.Rat
	var poolText string
	var poolVal *Dated
	if !c.PerListedYear.IsZero() {
		v, err := mc.value(&c.PerListedYear)
		if err != nil {
			return err
		}
		poolVal = v
		listed := big.NewRat(nR, den)
		pool = mul(rat(v.Value), listed, big.NewRat(1, 12))
		poolText = fmt.Sprintf("pool of %s SEK per listed person-year × listed ÷ 12 (%s)", v.Value, v.Path)
	} else {
		v, err := mc.value(&c.PerMonth)
		if err != nil {
			return err
		}
		poolVal = v
		pool = rat(v.Value)
		poolText = fmt.Sprintf("pool of %s SEK per month (%s)", v.Value, v.Path)
	}
	if poolVal.Assumption != "" {
		poolText += " (an assumption)"
	}
	for _, s := range c.Shares {
		sv, err := mc.value(&s.Share)
		if err != nil {
			return err
		}
		idx := make([]*big.Rat, len(mc.units))
		total := new(big.Rat)
		for i := range mc.units {
			sn := mc.snap(i, c.Counting)
			var x *big.Rat
			switch s.Index {
			case "listed":
				x = big.NewRat(sn.n, den)
			case "age_sex":
				x, err = mc.points(s.Table, i, c.Counting)
				if err != nil {
					return err
				}
			case "acg":
				x = big.NewRat(sn.acg, den*1_000_000)
			case "cni":
				x = big.NewRat(sn.cni, den*1_000_000)
			case "active":
				win, err := c.activeWindow(mc)
				if err != nil {
					return err
				}
				x = big.NewRat(mc.agg[mc.units[i]].active[mc.reg.activeIndex(mc.month, c.activeCounting(), win)], den)
			}
			idx[i] = x
			total.Add(total, x)
		}
		sub := mc.m.Rounding.Round(mul(pool, rat(sv.Value)))
		if total.Sign() == 0 && sub.Sign() != 0 {
			// Nothing to share by: the sub-pool would vanish from every
			// statement. Refuse rather than pay a wrong total.
			return &DataError{RunError{Model: mc.m.Name, Month: mc.ym.String(), Path: c.Path + ".shares." + s.ID,
				Reason: fmt.Sprintf("the %s index is zero for every unit (e.g. no ACG weights, no CNI, or no contacts for actively listed), so sub-pool %s SEK cannot be shared out", s.Index, mc.m.Rounding.Format(sub))}}
		}
		shares := mc.m.Rounding.Allocate(sub, idx)
		for i := range mc.units {
			if idx[i].Sign() == 0 {
				continue
			}
			l := Line{Name: c.Name + ": " + s.Name, Key: s.ID, exactQty: idx[i], Amount: shares[i], allocated: true}
			l.exact = quo(mul(rat(sub), idx[i]), total)
			l.Rate = ratDecimal(quo(rat(sub), total), 6)
			cite(&l, sv)
			l.rule = fmt.Sprintf("share %s of the %s, allocated by %s index (largest remainder)", sv.Value, poolText, s.Index)
			if l.Assumption == "" && poolVal.Assumption != "" {
				l.Assumption = "pool size: " + poolVal.Assumption
			}
			l.Explanation = fmt.Sprintf("%s index %s of the region's %s (%s %%) of sub-pool %s SEK in %s; %s",
				indexText(s), ratDecimal(idx[i], 6), ratDecimal(total, 6), ratDecimal(mul(quo(idx[i], total), ratInt(100)), 4),
				mc.m.Rounding.Format(sub), mc.ym, l.rule)
			mc.add(i, l)
		}
	}
	return nil
}

func indexText(s PoolShare) string {
	switch s.Index {
	case "listed":
		return "listed-persons"
	case "age_sex":
		return "age/sex points (" + s.Table.ID + ")"
	case "acg":
		return "ACG case-mix (Σ ACG weights = listed × unit case-mix, region mean 1.00)"
	case "cni":
		return "CNI (Σ CNI of the listed = listed × unit CNI)"
	case "active":
		return "actively-listed"
	}
	return s.Index
}

// Clone returns a deep copy of the PoolSplit for Model.With.
func (x *PoolSplit) Clone(cp *ModelCopy) Component {
	y := *x
	y.PerListedYear, y.PerMonth = x.PerListedYear.Clone(), x.PerMonth.Clone()
	y.Shares = slices.Clone(x.Shares)
	for i := range y.Shares {
		y.Shares[i].Table = cp.Table(y.Shares[i].Table)
		y.Shares[i].Share = y.Shares[i].Share.Clone()
	}
	if x.active != nil {
		if x.active == cp.from.Active {
			y.active = cp.to.Active
		} else {
			a := *x.active
			a.Window = a.Window.Clone()
			y.active = &a
		}
	}
	return &y
}
