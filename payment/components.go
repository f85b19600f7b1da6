package payment

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/vardval"
)

// Component is one typed part of a payment model. Each type prices every
// statement unit for one month from the month's integer aggregates and adds
// exact lines; Run rounds them. The method set is sealed: the types are the
// ones in this package.
type Component interface {
	// Info returns the component's id, type, name and key path.
	Info() ComponentInfo
	params() []*Param
	need(reg *registry, month int, ym vardval.YearMonth)
	price(c *monthCtx) error
}

// ComponentInfo is what every component has in common.
type ComponentInfo struct {
	ID   string // unique within the model, e.g. "capitation"
	Type string // the model file's type name, e.g. "capitation"
	Name string // human name, e.g. "Age-weighted capitation"
	Path string // key path, e.g. components[0]
	Line int
}

// Info returns the common fields.
func (b ComponentInfo) Info() ComponentInfo { return b }

// ComponentTypes lists the component type names a model file may use.
func ComponentTypes() []string {
	return []string{"acg_points", "capitation", "cost_responsibility", "coverage", "goal", "limit",
		"listing_points", "patient_fees", "pool_split", "supplement", "vat_compensation", "visit_fee"}
}

func (p *parser) component(path string, n *yaml.Node) Component {
	w := p.w
	o := w.obj(path, n)
	info := ComponentInfo{ID: o.str("id", true), Type: o.str("type", true), Name: o.str("name", false), Path: path, Line: o.line()}
	if info.ID != "" && !idPattern.MatchString(info.ID) {
		w.fail(join(path, "id"), o.get("id"), "an id is lower-case letters, digits and underscores")
	}
	if _, dup := p.comps[info.ID]; dup && info.ID != "" {
		w.fail(join(path, "id"), o.get("id"), "duplicate component id %q", info.ID)
	}
	if info.Name == "" {
		info.Name = info.ID
	}
	var c Component
	switch info.Type {
	case "capitation":
		c = p.capitation(o, info)
	case "listing_points":
		c = &ListingPoints{ComponentInfo: info, Counting: p.counting(o), Table: p.table(o, "table", true),
			Rate: o.param("rate", true, nonNegative)}
	case "acg_points":
		if p.m.ACG == nil {
			w.fail(path, n, "acg_points needs the model's acg section")
		}
		c = &ACGPoints{ComponentInfo: info, Counting: p.counting(o), Table: p.table(o, "table", true),
			Rate: o.param("rate", true, nonNegative)}
	case "pool_split":
		c = p.poolSplit(o, info)
	case "visit_fee":
		c = p.visitFee(o, info)
	case "goal":
		c = p.goal(o, info)
	case "coverage":
		c = p.coverage(o, info)
	case "supplement":
		c = p.supplement(o, info)
	case "vat_compensation":
		c = p.vat(o, info)
	case "cost_responsibility":
		c = p.costResp(o, info)
	case "patient_fees":
		pf := &PatientFees{ComponentInfo: info, Relation: -1, Share: o.param("share", true, fraction)}
		if s := o.str("relation", false); s != "" && s != "any" {
			pf.Relation = p.relation(o, "relation", s)
		}
		c = pf
	case "limit":
		c = p.limit(o, info)
	case "":
	default:
		w.fail(join(path, "type"), o.get("type"), "unknown component type %q (known: %s)", info.Type, strings.Join(ComponentTypes(), ", "))
	}
	o.done()
	if c != nil {
		p.comps[info.ID] = len(p.comps)
	}
	return c
}

// counts per band of a snapshot; the last element counts persons in no band.
func bandCounts(bs Bands, s *snap) []int64 {
	out := make([]int64, len(bs)+1)
	for sex := 0; sex < nSex; sex++ {
		for age := 0; age < nAge; age++ {
			v := s.hist[sex][age]
			if v == 0 {
				continue
			}
			b := -1
			if age != ageUnk {
				b = bs.find(vardval.Sex(sex), age)
			}
			if b < 0 {
				out[len(bs)] += v
			} else {
				out[b] += v
			}
		}
	}
	return out
}

func (c *monthCtx) den(cnt Counting) int64 {
	if cnt.DayWeighted {
		return int64(c.ym.Days())
	}
	return 1
}

func (c *monthCtx) snap(i int, cnt Counting) *snap {
	return &c.agg[c.units[i]].snaps[c.reg.snapshot(cnt)]
}

// points returns a unit's listing points under table t (exact), counted as cnt.
func (c *monthCtx) points(t *Table, i int, cnt Counting) (*big.Rat, error) {
	counts := bandCounts(t.Bands, c.snap(i, cnt))
	sum := new(big.Rat)
	for b := range t.Bands {
		if counts[b] == 0 {
			continue
		}
		v, err := c.value(&t.Bands[b].Value)
		if err != nil {
			return nil, err
		}
		sum.Add(sum, mul(ratInt(counts[b]), rat(v.Value)))
	}
	return sum.Quo(sum, ratInt(c.den(cnt))), nil
}

// basis returns the quantity goal-related and coverage pay is scaled by:
// listing points under t, or listed persons when t is nil.
func (c *monthCtx) basis(t *Table, i int, cnt Counting) (*big.Rat, string, error) {
	if t == nil {
		s := c.snap(i, cnt)
		return big.NewRat(s.n, c.den(cnt)), "listed persons", nil
	}
	p, err := c.points(t, i, cnt)
	return p, "listing points (" + t.ID + ")", err
}

func personWord(cnt Counting) string {
	if cnt.DayWeighted {
		return "listed person-months"
	}
	return "listed persons"
}

// ---------------------------------------------------------------- capitation

// Capitation pays a rate per listed person by age band and sex, per month
// or per year (a yearly rate is paid in twelfths), counting persons on a
// cut-off day or day-weighted.
type Capitation struct {
	ComponentInfo
	Per      string // "month" or "year"
	Counting Counting
	Rates    Bands
}

func (p *parser) capitation(o *obj, info ComponentInfo) Component {
	c := &Capitation{ComponentInfo: info, Per: o.str("per", true), Counting: p.counting(o)}
	if c.Per != "" {
		o.oneOf("per", c.Per, "month", "year")
	}
	c.Rates = p.bands(o, "rates", nonNegative)
	return c
}

func (c *Capitation) params() []*Param {
	var out []*Param
	for i := range c.Rates {
		out = append(out, &c.Rates[i].Value)
	}
	return out
}

func (c *Capitation) need(reg *registry, _ int, _ vardval.YearMonth) { reg.snapshot(c.Counting) }

func (c *Capitation) price(mc *monthCtx) error {
	den := mc.den(c.Counting)
	var factor *big.Rat
	if c.Per == "year" {
		factor = big.NewRat(1, 12)
	}
	for i := range mc.units {
		counts := bandCounts(c.Rates, mc.snap(i, c.Counting))
		for b := range c.Rates {
			if counts[b] == 0 {
				continue
			}
			v, err := mc.value(&c.Rates[b].Value)
			if err != nil {
				return err
			}
			band := c.Rates[b]
			qt := fmt.Sprintf("%s aged %s", personWord(c.Counting), strings.TrimSpace(band.Label))
			// a yearly rate is paid in twelfths: the line's rate is the
			// monthly rate, so that quantity × rate is the amount.
			rateText := "SEK per person-month"
			if factor != nil {
				rateText = "SEK per person-month (" + v.Value.String() + " SEK per person-year ÷ 12)"
			}
			l := productLine(c.Name+" "+band.Label, fmt.Sprintf("%03d-%03d-%s", band.AgeFrom, band.AgeTo, band.Sex), big.NewRat(counts[b], den), v, qt, rateText, factor)
			l.detail = c.Counting.describe(mc.ym)
			mc.add(i, l)
		}
		if n := counts[len(c.Rates)]; n > 0 {
			mc.add(i, Line{Name: c.Name + " (no band)", Key: "zzz-unmatched", exact: new(big.Rat), exactQty: big.NewRat(n, den),
				Parameter: c.Path + ".rates", ValidFrom: mc.m.Valid.From, Source: "model file: no rate band matches",
				rule: fmt.Sprintf("%s of unknown sex or birth date match no band and are not paid", personWord(c.Counting))})
		}
	}
	return nil
}

// ------------------------------------------------------------ listing points

// ListingPoints pays listing points (Σ age/sex weights of the listed) × a
// rate per point per month (Västra Götaland's age/sex part).
type ListingPoints struct {
	ComponentInfo
	Counting Counting
	Table    *Table
	Rate     Param
}

func (c *ListingPoints) params() []*Param                               { return []*Param{&c.Rate} }
func (c *ListingPoints) need(reg *registry, _ int, _ vardval.YearMonth) { reg.snapshot(c.Counting) }

func (c *ListingPoints) price(mc *monthCtx) error {
	v, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	for i := range mc.units {
		pts, err := mc.points(c.Table, i, c.Counting)
		if err != nil {
			return err
		}
		if pts.Sign() == 0 {
			continue
		}
		l := productLine(c.Name, "points", pts, v, "listing points (weights "+c.Table.ID+")", "SEK per point per month", nil)
		l.detail = c.Counting.describe(mc.ym)
		mc.add(i, l)
	}
	return nil
}

// ---------------------------------------------------------------- ACG points

// ACGPoints pays listing points × the unit's relative ACG case-mix (its
// listed persons' mean ACG weight over the region's mean, so the region's
// mean is 1.00) × a rate per point per month (Västra Götaland's vårdtyngd).
type ACGPoints struct {
	ComponentInfo
	Counting Counting
	Table    *Table
	Rate     Param
}

func (c *ACGPoints) params() []*Param                               { return []*Param{&c.Rate} }
func (c *ACGPoints) need(reg *registry, _ int, _ vardval.YearMonth) { reg.snapshot(c.Counting) }

func (c *ACGPoints) price(mc *monthCtx) error {
	v, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	var acgR, nR int64
	for i := range mc.units {
		s := mc.snap(i, c.Counting)
		acgR += s.acg
		nR += s.n
	}
	if acgR == 0 || nR == 0 {
		return nil
	}
	regionMean := big.NewRat(acgR, nR*1_000_000)
	for i := range mc.units {
		s := mc.snap(i, c.Counting)
		if s.n == 0 {
			continue
		}
		pts, err := mc.points(c.Table, i, c.Counting)
		if err != nil {
			return err
		}
		cmi := quo(big.NewRat(s.acg, s.n*1_000_000), regionMean)
		l := productLine(c.Name, "acg", mul(pts, cmi), v, "ACG points", "SEK per point per month", nil)
		l.rule = fmt.Sprintf("ACG points = %s listing points (%s) × case-mix %s (unit mean ACG weight %s ÷ region mean %s)",
			ratDecimal(pts, 6), c.Table.ID, ratDecimal(cmi, 4), ratDecimal(big.NewRat(s.acg, s.n*1_000_000), 4), ratDecimal(regionMean, 4))
		mc.add(i, l)
	}
	return nil
}

// ---------------------------------------------------------------- pool split

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
	ID    string
	Name  string
	Index string // "listed", "age_sex", "acg", "cni" or "active"
	Table *Table // for "age_sex"
	Share Param  // fraction of the pool
	Path  string
}

func (p *parser) poolSplit(o *obj, info ComponentInfo) Component {
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
		s := PoolShare{ID: so.str("id", true), Name: so.str("name", false), Index: so.str("index", true), Path: ip}
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

func (c *PoolSplit) params() []*Param {
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

func (c *PoolSplit) need(reg *registry, month int, ym vardval.YearMonth) {
	reg.snapshot(c.Counting)
	for _, s := range c.Shares {
		if s.Index == "active" && c.active != nil {
			if v, ok := c.active.Window.At(ym.First()); ok {
				reg.activeIndex(month, Counting{Day: c.Counting.Day}, int(v.Value.IntPart()))
			}
		}
	}
}

func (c *PoolSplit) activeWindow(mc *monthCtx) (int, error) {
	v, err := mc.value(&c.active.Window)
	if err != nil {
		return 0, err
	}
	return int(v.Value.IntPart()), nil
}

func (c *PoolSplit) price(mc *monthCtx) error {
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
				x = ratInt(mc.agg[mc.units[i]].active[mc.reg.activeIndex(mc.month, Counting{Day: c.Counting.Day}, win)])
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

// ----------------------------------------------------------------- visit fee

// VisitFee pays a fee per contact at the unit, by mode × profession ×
// listing relation (here, elsewhere, unlisted). The first matching rule
// prices a contact; contacts no rule matches are not paid.
type VisitFee struct {
	ComponentInfo
	Fees []ContactRule
}

// ContactRule matches contacts: Relation (or Kind for cost
// responsibility), Mode and Profession; -1 / 0 mean any.
type ContactRule struct {
	Relation   int                // relHere.., -1 any
	Kind       vardval.UnitKind   // for cost responsibility; 0 = any
	Mode       vardval.Mode       // 0 = any
	Profession vardval.Profession // 0 = any
	Label      string
	Value      Param
}

func (p *parser) relation(o *obj, key, s string) int {
	for i, n := range relNames() {
		if n == s {
			return i
		}
	}
	o.oneOf(key, s, "here", "elsewhere", "unlisted", "any")
	return -1
}

func (p *parser) contactRule(o *obj, kindKey bool) ContactRule {
	r := ContactRule{Relation: -1}
	var parts []string
	if kindKey {
		k := o.str("kind", true)
		if k != "any" && k != "" {
			if o.oneOf("kind", k, "primary", "emergency", "specialist", "digital", "any") {
				for i := vardval.KindPrimary; i <= vardval.KindDigital; i++ {
					if i.String() == k {
						r.Kind = i
					}
				}
			}
		}
		parts = append(parts, k)
	} else {
		s := o.str("relation", true)
		if s != "any" && s != "" {
			r.Relation = p.relation(o, "relation", s)
		}
		parts = append(parts, s)
	}
	m := o.str("mode", false)
	if m != "" && m != "any" {
		if o.oneOf("mode", m, "visit", "home", "phone", "video", "chat", "any") {
			for i := vardval.ModeVisit; i <= vardval.ModeChat; i++ {
				if i.String() == m {
					r.Mode = i
				}
			}
		}
		parts = append(parts, m)
	}
	pr := o.str("profession", false)
	if pr != "" && pr != "any" {
		ok := false
		for i := vardval.Doctor; i <= vardval.OtherProfession; i++ {
			if i.String() == pr {
				r.Profession, ok = i, true
			}
		}
		if !ok {
			o.w.fail(join(o.path, "profession"), o.get("profession"), "unknown profession %q", pr)
		}
		parts = append(parts, pr)
	}
	r.Label = strings.Join(parts, " ")
	r.Value = o.param("values", true, nonNegative)
	return r
}

func (r *ContactRule) matches(rel int, kind vardval.UnitKind, mode vardval.Mode, prof vardval.Profession) bool {
	return (r.Relation < 0 || r.Relation == rel) && (r.Kind == 0 || r.Kind == kind) &&
		(r.Mode == 0 || r.Mode == mode) && (r.Profession == 0 || r.Profession == prof)
}

func (p *parser) visitFee(o *obj, info ComponentInfo) Component {
	c := &VisitFee{ComponentInfo: info}
	items, fp := o.seq("fees", true)
	for i, n := range items {
		fo := p.w.obj(index(fp, i), n)
		c.Fees = append(c.Fees, p.contactRule(fo, false))
		fo.done()
	}
	return c
}

func (c *VisitFee) params() []*Param {
	var out []*Param
	for i := range c.Fees {
		out = append(out, &c.Fees[i].Value)
	}
	return out
}

func (c *VisitFee) need(reg *registry, _ int, _ vardval.YearMonth) { reg.contacts = true }

func (c *VisitFee) price(mc *monthCtx) error {
	for i, u := range mc.units {
		a := &mc.agg[u]
		counts := make([]int64, len(c.Fees))
		for rel := 0; rel < nRel; rel++ {
			for mode := 0; mode < nMode; mode++ {
				for prof := 0; prof < nProf; prof++ {
					n := a.contacts[rel][mode][prof]
					if n == 0 {
						continue
					}
					for k := range c.Fees {
						if c.Fees[k].matches(rel, 0, vardval.Mode(mode), vardval.Profession(prof)) {
							counts[k] += n
							break
						}
					}
				}
			}
		}
		for k, r := range c.Fees {
			if counts[k] == 0 {
				continue
			}
			v, err := mc.value(&r.Value)
			if err != nil {
				return err
			}
			mc.add(i, productLine(c.Name+" ("+r.Label+")", fmt.Sprintf("%03d", k), ratInt(counts[k]), v,
				"contacts ("+r.Label+")", "SEK per contact", nil))
		}
	}
	return nil
}

// --------------------------------------------------------------------- goal

// Goal is goal-related pay (målrelaterad ersättning) from measure results.
// Thresholds are on the measure's own scale: shares 0–1 for proportions,
// events per 1 000 person-years for rates. Each indicator's attainment is 0 at or beyond the lower threshold, 1 at
// or beyond the upper, linear between (for "better: lower" the thresholds
// swap roles; equal thresholds make a step at the target). A bonus pays
// attainment × points × rate × basis; a deduction takes (1 − attainment) ×
// points × rate × basis. The basis is listed persons or listing points.
// Results come from RunOptions.Measures, one per measure and unit for the
// whole run (typically computed over the run period), and price every
// month of it; a missing or suppressed result gives a zero line saying so.
type Goal struct {
	ComponentInfo
	Style      string // "bonus" or "deduction"
	Basis      *Table // nil = listed persons
	Counting   Counting
	Rate       Param // SEK per point per basis unit per month
	Indicators []Indicator
	// Missing says what a missing or suppressed result does: "skip" (the
	// default: no pay and no deduction) or "full" (attainment 0, so a
	// deduction applies in full and a bonus is not paid), so that not
	// reporting can never avoid a deduction.
	Missing string
}

// Indicator is one measure in a goal component.
type Indicator struct {
	Measure string
	Better  string // "higher" or "lower"
	Lower   Param
	Upper   Param
	Points  Param
	Path    string
}

func (p *parser) goal(o *obj, info ComponentInfo) Component {
	w := p.w
	c := &Goal{ComponentInfo: info, Style: o.str("style", true), Counting: p.counting(o), Missing: o.str("missing", false)}
	if c.Style != "" {
		o.oneOf("style", c.Style, "bonus", "deduction")
	}
	if c.Missing == "" {
		c.Missing = "skip"
	} else {
		o.oneOf("missing", c.Missing, "skip", "full")
	}
	c.Basis = p.basis(o)
	c.Rate = o.param("rate", true, nonNegative)
	items, ip := o.seq("indicators", true)
	for i, n := range items {
		path := index(ip, i)
		io := w.obj(path, n)
		ind := Indicator{Measure: io.str("measure", true), Better: io.str("better", true), Path: path}
		if ind.Measure != "" && !p.knownMeasure(ind.Measure) {
			w.fail(join(path, "measure"), io.get("measure"), "unknown measure %q", ind.Measure)
		}
		if ind.Better != "" {
			io.oneOf("better", ind.Better, "higher", "lower")
		}
		ind.Lower = io.param("lower", true, anyValue)
		ind.Upper = io.param("upper", true, anyValue)
		ind.Points = io.param("points", true, nonNegative)
		io.done()
		c.Indicators = append(c.Indicators, ind)
	}
	return c
}

func (c *Goal) params() []*Param {
	out := []*Param{&c.Rate}
	for i := range c.Indicators {
		in := &c.Indicators[i]
		out = append(out, &in.Lower, &in.Upper, &in.Points)
	}
	return out
}

func (c *Goal) need(reg *registry, _ int, _ vardval.YearMonth) { reg.snapshot(c.Counting) }

// attainment returns the exact attainment 0..1 of value v.
func attainment(v, lower, upper decimal.Decimal, better string) *big.Rat {
	if better == "lower" {
		v, lower, upper = v.Neg(), upper.Neg(), lower.Neg()
	}
	if !upper.GreaterThan(lower) {
		if v.GreaterThanOrEqual(upper) {
			return big.NewRat(1, 1)
		}
		return new(big.Rat)
	}
	a := quo(rat(v.Sub(lower)), rat(upper.Sub(lower)))
	if a.Sign() < 0 {
		return new(big.Rat)
	}
	if a.Cmp(big.NewRat(1, 1)) > 0 {
		return big.NewRat(1, 1)
	}
	return a
}

func (c *Goal) price(mc *monthCtx) error {
	rv, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	for i, u := range mc.units {
		unitID := mc.r.Units[u].ID
		basis, basisText, err := mc.basis(c.Basis, i, c.Counting)
		if err != nil {
			return err
		}
		for k, ind := range c.Indicators {
			lo, err := mc.value(&ind.Lower)
			if err != nil {
				return err
			}
			up, err := mc.value(&ind.Upper)
			if err != nil {
				return err
			}
			pts, err := mc.value(&ind.Points)
			if err != nil {
				return err
			}
			key := fmt.Sprintf("%03d", k)
			name := c.Name + ": " + ind.Measure
			var res *resultView
			if mc.opts.Measures != nil {
				if r, ok := mc.opts.Measures(ind.Measure, unitID); ok && !r.Suppressed {
					res = &resultView{r.Value, r.Numerator, r.Denominator, r.CILow, r.CIHigh, r.Method}
				}
			}
			if res == nil && c.Missing == "full" && c.Style == "deduction" {
				l := productLine(name, key, basis, rv, basisText, "", mul(big.NewRat(-1, 1), rat(pts.Value)))
				cite(&l, rv)
				l.rateText = "SEK per basis unit"
				l.rule = fmt.Sprintf("no reportable result for measure %s at this unit (missing or suppressed); the model deducts in full when a result is missing (missing: full): %s points × %s SEK per point (%s)",
					ind.Measure, pts.Value, rv.Value, pts.Path)
				mc.add(i, l)
				continue
			}
			if res == nil {
				l := Line{Name: name, Key: key, exact: new(big.Rat), exactQty: basis}
				cite(&l, pts)
				l.rule = fmt.Sprintf("no reportable result for measure %s at this unit, so the %s is not applied", ind.Measure, c.Style)
				mc.add(i, l)
				continue
			}
			a := attainment(res.value, lo.Value, up.Value, ind.Better)
			f := a
			sign := big.NewRat(1, 1)
			if c.Style == "deduction" {
				f = new(big.Rat).Sub(big.NewRat(1, 1), a)
				sign = big.NewRat(-1, 1)
			}
			// effective rate per basis unit = ±f × points × rate
			l := productLine(name, key, basis, rv, basisText, "", mul(sign, f, rat(pts.Value)))
			cite(&l, rv)
			l.rateText = "SEK per basis unit"
			l.rule = fmt.Sprintf("measure %s = %s (%s/%s, interval %s–%s %s), thresholds %s–%s (%s better), attainment %s; %s %s points × %s SEK per point (%s)",
				ind.Measure, res.value, res.num, res.den, displayBound(res.lo), displayBound(res.hi), res.method, lo.Value, up.Value,
				ind.Better, ratDecimal(a, 4), c.Style, pts.Value, rv.Value, pts.Path)
			mc.add(i, l)
		}
	}
	return nil
}

// ------------------------------------------------------------------ coverage

// Coverage (täckningsgrad) pays for the share of the listed persons'
// contacts over the last months that were made at their own unit: a rate
// per percentage point above the lower threshold, up to the upper, per
// basis unit per month. Contacts count in the denominator when their unit's
// kind is in Kinds (primary care by default).
type Coverage struct {
	ComponentInfo
	Basis    *Table
	Counting Counting
	Kinds    []vardval.UnitKind
	Window   Param
	Lower    Param // per cent
	Upper    Param // per cent
	Rate     Param // SEK per percentage point per basis unit per month
}

func (p *parser) coverage(o *obj, info ComponentInfo) Component {
	c := &Coverage{ComponentInfo: info, Counting: p.counting(o)}
	if c.Counting.DayWeighted {
		p.w.fail(join(info.Path, "counting"), o.get("counting"), "coverage counts persons on a cut-off day")
	}
	c.Basis = p.basis(o)
	kinds, _, kp := p.stringList(o, "kinds", false)
	if len(kinds) == 0 {
		kinds = []string{"primary"}
	}
	for _, k := range kinds {
		found := false
		for i := vardval.KindPrimary; i <= vardval.KindDigital; i++ {
			if i.String() == k {
				c.Kinds = append(c.Kinds, i)
				found = true
			}
		}
		if !found {
			p.w.fail(kp, o.get("kinds"), "unknown unit kind %q", k)
		}
	}
	c.Window = o.param("window_months", true, wholeMonths)
	c.Lower = o.param("lower", true, percent)
	c.Upper = o.param("upper", true, percent)
	c.Rate = o.param("rate", true, nonNegative)
	return c
}

func (c *Coverage) params() []*Param { return []*Param{&c.Window, &c.Lower, &c.Upper, &c.Rate} }

func (c *Coverage) mask() uint8 {
	var m uint8
	for _, k := range c.Kinds {
		m |= 1 << k
	}
	return m
}

func (c *Coverage) need(reg *registry, month int, ym vardval.YearMonth) {
	reg.snapshot(c.Counting)
	if v, ok := c.Window.At(ym.First()); ok {
		reg.coverageIndex(month, c.Counting, int(v.Value.IntPart()), c.mask())
	}
}

func (c *Coverage) price(mc *monthCtx) error {
	win, err := mc.value(&c.Window)
	if err != nil {
		return err
	}
	lo, err := mc.value(&c.Lower)
	if err != nil {
		return err
	}
	up, err := mc.value(&c.Upper)
	if err != nil {
		return err
	}
	rv, err := mc.value(&c.Rate)
	if err != nil {
		return err
	}
	ki := mc.reg.coverageIndex(mc.month, c.Counting, int(win.Value.IntPart()), c.mask())
	for i, u := range mc.units {
		cv := mc.agg[u].cov[ki]
		basis, basisText, err := mc.basis(c.Basis, i, c.Counting)
		if err != nil {
			return err
		}
		if basis.Sign() == 0 {
			continue
		}
		pp := new(big.Rat)
		var pct *big.Rat
		if cv[1] > 0 {
			pct = big.NewRat(cv[0]*100, cv[1])
			pp = new(big.Rat).Sub(pct, rat(lo.Value))
			if pp.Sign() < 0 {
				pp = new(big.Rat)
			}
			if max := rat(decimal.Max(up.Value.Sub(lo.Value), decimal.Zero)); pp.Cmp(max) > 0 {
				pp = max
			}
		}
		l := productLine(c.Name, "coverage", basis, rv, basisText, "", pp)
		l.rateText = "SEK per basis unit"
		pctText := "no contacts"
		if pct != nil {
			pctText = ratDecimal(pct, 2).String() + " %"
		}
		l.rule = fmt.Sprintf("coverage %s (%d of %d contacts in the last %s months at the own unit), %s percentage points above %s %% (capped at %s %%) × %s SEK per point (%s)",
			pctText, cv[0], cv[1], win.Value, ratDecimal(pp, 4), lo.Value, up.Value, rv.Value, rv.Path)
		mc.add(i, l)
	}
	return nil
}

// ---------------------------------------------------------------- supplement

// Supplement pays fixed sums per month to named units (special
// assignments, rural units and the like); unit "all" pays every unit.
type Supplement struct {
	ComponentInfo
	Items []SupplementItem
}

// SupplementItem is one fixed monthly sum.
type SupplementItem struct {
	Unit  string // unit id, or "all"
	Name  string
	Value Param // SEK per month
}

func (p *parser) supplement(o *obj, info ComponentInfo) Component {
	c := &Supplement{ComponentInfo: info}
	items, ip := o.seq("items", true)
	for i, n := range items {
		so := p.w.obj(index(ip, i), n)
		c.Items = append(c.Items, SupplementItem{Unit: so.str("unit", true), Name: so.str("name", true), Value: so.param("values", true, anyValue)})
		so.done()
	}
	return c
}

func (c *Supplement) params() []*Param {
	var out []*Param
	for i := range c.Items {
		out = append(out, &c.Items[i].Value)
	}
	return out
}

func (c *Supplement) need(*registry, int, vardval.YearMonth) {}

func (c *Supplement) price(mc *monthCtx) error {
	for k, it := range c.Items {
		v, err := mc.value(&it.Value)
		if err != nil {
			return err
		}
		found := false
		for i, u := range mc.units {
			if it.Unit != "all" && mc.r.Units[u].ID != it.Unit {
				continue
			}
			found = true
			l := productLine(c.Name+": "+it.Name, fmt.Sprintf("%03d", k), big.NewRat(1, 1), v, "month", "SEK per month", nil)
			mc.add(i, l)
		}
		if !found {
			mc.note(fmt.Sprintf("%s: supplement %q is for unit %q, which is not a primary-care unit in the data", it.Value.Path, it.Name, it.Unit))
		}
	}
	return nil
}

// ----------------------------------------------------------------------- VAT

// VATCompensation adds a percentage of the named earlier components'
// (rounded) amounts for privately owned units, so that public and private
// units compete on equal terms.
type VATCompensation struct {
	ComponentInfo
	Of      []string
	Percent Param
}

func (p *parser) vat(o *obj, info ComponentInfo) Component {
	c := &VATCompensation{ComponentInfo: info, Percent: o.param("percent", true, percent)}
	ids, nodes, lp := p.stringList(o, "of", true)
	for i, id := range ids {
		p.componentRef(o, "of", index(lp, i), nodes[i], id)
	}
	c.Of = ids
	return c
}

func (c *VATCompensation) params() []*Param                       { return []*Param{&c.Percent} }
func (c *VATCompensation) need(*registry, int, vardval.YearMonth) {}

func (c *VATCompensation) price(mc *monthCtx) error {
	v, err := mc.value(&c.Percent)
	if err != nil {
		return err
	}
	for i, u := range mc.units {
		if mc.r.Units[u].Owner != vardval.OwnerPrivate {
			continue
		}
		base := decimal.Zero
		for _, l := range mc.lines[i] {
			if slices.Contains(c.Of, l.Component) {
				base = base.Add(l.Amount)
			}
		}
		if base.IsZero() {
			continue
		}
		l := productLine(c.Name, "vat", rat(base), v, "SEK of "+strings.Join(c.Of, ", "), "("+v.Value.String()+" %)", big.NewRat(1, 100))
		l.rule = "paid to privately owned units only"
		mc.add(i, l)
	}
	return nil
}

// -------------------------------------------------------- cost responsibility

// CostResponsibility deducts a price per contact that the unit's listed
// persons made at other units, by the other unit's kind (primary,
// emergency, digital, specialist), mode and profession; the first matching
// rule prices a contact.
type CostResponsibility struct {
	ComponentInfo
	Prices []ContactRule
}

func (p *parser) costResp(o *obj, info ComponentInfo) Component {
	c := &CostResponsibility{ComponentInfo: info}
	items, ip := o.seq("prices", true)
	for i, n := range items {
		fo := p.w.obj(index(ip, i), n)
		c.Prices = append(c.Prices, p.contactRule(fo, true))
		fo.done()
	}
	return c
}

func (c *CostResponsibility) params() []*Param {
	var out []*Param
	for i := range c.Prices {
		out = append(out, &c.Prices[i].Value)
	}
	return out
}

func (c *CostResponsibility) need(reg *registry, _ int, _ vardval.YearMonth) { reg.cost = true }

func (c *CostResponsibility) price(mc *monthCtx) error {
	for i, u := range mc.units {
		a := &mc.agg[u]
		counts := make([]int64, len(c.Prices))
		for kind := 0; kind < nKind; kind++ {
			for mode := 0; mode < nMode; mode++ {
				for prof := 0; prof < nProf; prof++ {
					n := a.cost[kind][mode][prof]
					if n == 0 {
						continue
					}
					for k := range c.Prices {
						if c.Prices[k].matches(relElsewhere, vardval.UnitKind(kind), vardval.Mode(mode), vardval.Profession(prof)) {
							counts[k] += n
							break
						}
					}
				}
			}
		}
		for k, r := range c.Prices {
			if counts[k] == 0 {
				continue
			}
			v, err := mc.value(&r.Value)
			if err != nil {
				return err
			}
			l := productLine(c.Name+" ("+r.Label+")", fmt.Sprintf("%03d", k), ratInt(counts[k]), v,
				"contacts by listed persons at other units ("+r.Label+")", "SEK per contact", big.NewRat(-1, 1))
			l.Rate = v.Value.Neg()
			mc.add(i, l)
		}
	}
	return nil
}

// -------------------------------------------------------------- patient fees

// PatientFees deducts a share of the patient fees collected at the unit
// (where the region nets the fees against its payment).
type PatientFees struct {
	ComponentInfo
	Relation int // -1 any, else only contacts with that relation
	Share    Param
}

func (c *PatientFees) params() []*Param                               { return []*Param{&c.Share} }
func (c *PatientFees) need(reg *registry, _ int, _ vardval.YearMonth) { reg.fees = true }

func (c *PatientFees) price(mc *monthCtx) error {
	v, err := mc.value(&c.Share)
	if err != nil {
		return err
	}
	for i, u := range mc.units {
		var ore int64
		for rel := 0; rel < nRel; rel++ {
			if c.Relation < 0 || c.Relation == rel {
				ore += mc.agg[u].fees[rel]
			}
		}
		if ore == 0 {
			continue
		}
		l := productLine(c.Name, "fees", big.NewRat(ore, 100), v, "SEK patient fees collected", "share", big.NewRat(-1, 1))
		l.Rate = v.Value.Neg()
		mc.add(i, l)
	}
	return nil
}

// --------------------------------------------------------------------- limit

// Limit caps and/or floors the unit-month total (Target "total", all lines
// so far) or one earlier component, in SEK per unit-month or per listed
// person; it adds the adjusting line.
type Limit struct {
	ComponentInfo
	Target   string // "total" or a component id
	Per      string // "unit" or "listed"
	Counting Counting
	Min      Param
	Max      Param
}

func (p *parser) limit(o *obj, info ComponentInfo) Component {
	c := &Limit{ComponentInfo: info, Target: o.str("target", true), Per: o.str("per", true), Counting: p.counting(o)}
	if c.Target != "" && c.Target != "total" {
		p.componentRef(o, "target", join(info.Path, "target"), o.get("target"), c.Target)
	}
	if c.Per != "" {
		o.oneOf("per", c.Per, "unit", "listed")
	}
	c.Min = o.param("min", false, anyValue)
	c.Max = o.param("max", false, anyValue)
	if c.Min.IsZero() && c.Max.IsZero() {
		p.w.fail(info.Path, o.node, "a limit needs min, max or both")
	}
	return c
}

func (c *Limit) params() []*Param {
	var out []*Param
	if !c.Min.IsZero() {
		out = append(out, &c.Min)
	}
	if !c.Max.IsZero() {
		out = append(out, &c.Max)
	}
	return out
}

func (c *Limit) need(reg *registry, _ int, _ vardval.YearMonth) {
	if c.Per == "listed" {
		reg.snapshot(c.Counting)
	}
}

func (c *Limit) price(mc *monthCtx) error {
	for i := range mc.units {
		sum := decimal.Zero
		for _, l := range mc.lines[i] {
			if c.Target == "total" || l.Component == c.Target {
				sum = sum.Add(l.Amount)
			}
		}
		scale := big.NewRat(1, 1)
		scaleText := "per unit and month"
		if c.Per == "listed" {
			s := mc.snap(i, c.Counting)
			scale = big.NewRat(s.n, mc.den(c.Counting))
			scaleText = fmt.Sprintf("per listed person × %s listed", ratDecimal(scale, 6))
		}
		for _, b := range []struct {
			p   *Param
			min bool
		}{{&c.Min, true}, {&c.Max, false}} {
			if b.p.IsZero() {
				continue
			}
			v, err := mc.value(b.p)
			if err != nil {
				return err
			}
			bound := mul(rat(v.Value), scale)
			diff := new(big.Rat).Sub(bound, rat(sum))
			if (b.min && diff.Sign() <= 0) || (!b.min && diff.Sign() >= 0) {
				continue
			}
			what := "cap"
			if b.min {
				what = "floor"
			}
			l := Line{Name: c.Name + " (" + what + ")", Key: what, exact: diff, exactQty: big.NewRat(1, 1), Rate: ratDecimal(diff, 6)}
			cite(&l, v)
			l.rule = fmt.Sprintf("%s of %s SEK %s on %s brings %s SEK to %s SEK", what, v.Value, scaleText, c.Target,
				mc.m.Rounding.Format(sum), mc.m.Rounding.Format(ratDecimal(bound, 6)))
			mc.add(i, l)
			sum = sum.Add(mc.m.Rounding.Round(diff))
		}
	}
	return nil
}

// resultView is what a goal line cites from a measure result.
type resultView struct {
	value, num, den decimal.Decimal
	lo, hi          float64
	method          string
}
