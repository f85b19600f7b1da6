package payment

import (
	"math/big"
	"slices"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// Needs is what a component registers, month by month, that Run must sum
// from the region before pricing (Component.Need): Run walks the region
// once and sums only what some component needs.
type Needs struct {
	reg   *registry
	month int // index in the run's months
	ym    vardval.YearMonth
}

// Month returns the month the needs are for.
func (n *Needs) Month() vardval.YearMonth { return n.ym }

// Listed asks for the unit's listed persons counted by c (by sex and age,
// with their ACG weights and CNI), read with MonthContext.Listed,
// ListedAged and Points.
func (n *Needs) Listed(c Counting) { n.reg.snapshot(c) }

// Contacts asks for the contacts at the unit by the person's relation to
// it, mode and profession (MonthContext.Contacts).
func (n *Needs) Contacts() { n.reg.contacts = true }

// ContactsElsewhere asks for the contacts the unit's listed persons made
// at other units (MonthContext.ContactsElsewhere).
func (n *Needs) ContactsElsewhere() { n.reg.cost = true }

// PatientFees asks for the patient fees collected at the unit
// (MonthContext.PatientFees).
func (n *Needs) PatientFees() { n.reg.fees = true }

// Measures says that the component reads the results of the given
// follow-up measures (MonthContext.Measure): pricing then reads every
// file of the region, as the measures do.
func (n *Needs) Measures(ids ...string) { n.reg.measures = append(n.reg.measures, ids...) }

// MonthContext is what a component sees when pricing one month: the
// month's sums per statement unit (the primary-care units, by id, indexed
// 0..Units()-1), the parameter values in force, and the lines added so
// far. A component adds its lines with Add; each line's exact amount is
// rounded once, by the model's rounding rule, after Price returns.
type MonthContext struct {
	m     *Model
	r     *vardval.Region
	opts  *RunOptions
	reg   *registry
	month int // index in the run's months
	ym    vardval.YearMonth
	agg   []unitMonth         // by UnitIndex
	units []vardval.UnitIndex // statement units, by id
	lines [][]Line            // by statement unit
	comp  int
	notes map[string]bool
	miss  *missingUse // units using the missing ACG weight or CNI (assumed.go)
}

// Month returns the month being priced.
func (c *MonthContext) Month() vardval.YearMonth { return c.ym }

// Model returns the model being priced.
func (c *MonthContext) Model() *Model { return c.m }

// Units returns the number of statement units.
func (c *MonthContext) Units() int { return len(c.units) }

// Unit returns statement unit i (do not change it).
func (c *MonthContext) Unit(i int) *vardval.Unit { return &c.r.Units[c.units[i]] }

// Value returns p's dated value in force on the month's first day, or a
// *RunError when none is.
func (c *MonthContext) Value(p *Param) (*Dated, error) { return c.value(p) }

// Listed returns unit i's listed persons counted by cnt (Needs.Listed):
// persons on the cut-off day, or person-months when day-weighted.
func (c *MonthContext) Listed(i int, cnt Counting) *big.Rat {
	return big.NewRat(c.snap(i, cnt).n, c.den(cnt))
}

// ListedAged returns unit i's listed persons counted by cnt of sex (SexAny
// for both) aged from..to whole years (to MaxAge for no upper bound) on
// the cut-off day; persons with no known birth date are not counted.
func (c *MonthContext) ListedAged(i int, cnt Counting, sex vardval.Sex, from, to int) *big.Rat {
	s := c.snap(i, cnt)
	var n int64
	for x := range nSex {
		if sex != SexAny && vardval.Sex(x) != sex {
			continue
		}
		for age := max(from, 0); age <= min(to, MaxAge); age++ {
			n += s.hist[x][age]
		}
	}
	return big.NewRat(n, c.den(cnt))
}

// Points returns unit i's listing points under weight table t (Σ the
// weights of the listed, counted by cnt).
func (c *MonthContext) Points(i int, t *Table, cnt Counting) (*big.Rat, error) {
	return c.points(t, i, cnt)
}

// ContactKind is a kind of contact at a unit: the person's relation to
// the unit on the day ("here", "elsewhere" or "unlisted"), mode and
// profession.
type ContactKind struct {
	Relation   string
	Mode       vardval.Mode
	Profession vardval.Profession
}

// Contacts returns the number of contacts at unit i in the month whose
// kind keep accepts (Needs.Contacts).
func (c *MonthContext) Contacts(i int, keep func(ContactKind) bool) int64 {
	a := &c.agg[c.units[i]]
	var n int64
	for rel, name := range relNames() {
		for mode := range nMode {
			for prof := range nProf {
				if x := a.contacts[rel][mode][prof]; x != 0 && keep(ContactKind{name, vardval.Mode(mode), vardval.Profession(prof)}) {
					n += x
				}
			}
		}
	}
	return n
}

// ContactsElsewhere returns the number of contacts unit i's listed
// persons made in the month at other units, of the kinds keep accepts
// (Needs.ContactsElsewhere).
func (c *MonthContext) ContactsElsewhere(i int, keep func(vardval.UnitKind, vardval.Mode, vardval.Profession) bool) int64 {
	a := &c.agg[c.units[i]]
	var n int64
	for kind := range nKind {
		for mode := range nMode {
			for prof := range nProf {
				if x := a.cost[kind][mode][prof]; x != 0 && keep(vardval.UnitKind(kind), vardval.Mode(mode), vardval.Profession(prof)) {
					n += x
				}
			}
		}
	}
	return n
}

// PatientFees returns the patient fees collected at unit i in the month,
// in SEK (Needs.PatientFees).
func (c *MonthContext) PatientFees(i int) *big.Rat {
	var ore int64
	for _, f := range c.agg[c.units[i]].fees {
		ore += f
	}
	return big.NewRat(ore, 100)
}

// Measure returns the result of measure id at unit i, when the run has
// one (RunOptions.Measures).
func (c *MonthContext) Measure(id string, i int) (measures.Result, bool) {
	if c.opts.Measures == nil {
		return measures.Result{}, false
	}
	return c.opts.Measures(id, c.Unit(i).ID)
}

// Open reports whether statement unit i is open in the month: its
// units.csv from..to (Unit.Active, a zero bound unknown, so open) shares
// at least one day with the month. Supplements and other per-unit sums
// are paid only in months the unit is open (docs/semantics.md, "Open
// months").
func (c *MonthContext) Open(i int) bool {
	return c.Unit(i).Active.Overlaps(vardval.MonthPeriod(c.ym))
}

// Lines returns the lines of unit i so far in the month (the earlier
// components', rounded), for a component that adds to or limits them;
// the lines must not be changed.
func (c *MonthContext) Lines(i int) []Line { return slices.Clip(c.lines[i]) }

// Note adds a note to the statement (once, however often it is added).
func (c *MonthContext) Note(s string) { c.note(s) }

// LineSpec is a line a component adds: an exact quantity × the rate of a
// dated parameter value (× Factor), or an exact Amount that is not a
// product. The line cites the dated value (its parameter's key path,
// validity, source and assumption).
type LineSpec struct {
	Name         string   // "" = the component's name
	Key          string   // the line's key within the component, for sorting and summing months
	Quantity     *big.Rat // exact quantity
	QuantityText string   // what the quantity counts, e.g. "listed persons aged 75+"
	Rate         *Dated   // the dated value the line cites (and its rate, for a product)
	Factor       *big.Rat // nil = 1: the rate is Rate.Value × Factor
	RateText     string   // e.g. "SEK per person-month"
	Detail       string   // month-specific detail, e.g. "listed on 2024-01-31"
	Rule         string   // how the amount follows, in words
	Amount       *big.Rat // when not nil, the exact amount (a line that is not a product)
}

// Add adds a line for statement unit i. Its amount is rounded by the
// model's rule once Price returns. A spec with neither Rate nor Amount is
// a fault of the component (Run returns it as an internal error).
func (c *MonthContext) Add(i int, s LineSpec) {
	qty := s.Quantity
	if qty == nil {
		qty = new(big.Rat)
	}
	if s.Amount == nil {
		if s.Rate == nil {
			panic("payment: a LineSpec needs a Rate (the dated value it multiplies) or an Amount")
		}
		l := productLine(s.Name, s.Key, qty, s.Rate, s.QuantityText, s.RateText, s.Factor)
		l.detail, l.rule = s.Detail, s.Rule
		c.add(i, l)
		return
	}
	l := Line{Name: s.Name, Key: s.Key, exact: new(big.Rat).Set(s.Amount), exactQty: qty, rule: s.Rule}
	if s.Rate != nil {
		cite(&l, s.Rate)
	}
	if qty.Sign() != 0 {
		l.Rate = ratDecimal(quo(s.Amount, qty), 6)
	}
	c.add(i, l)
}

func (c *MonthContext) value(p *Param) (*Dated, error) {
	v, ok := p.At(c.ym.First())
	if !ok {
		return nil, &RunError{Model: c.m.Name, Month: c.ym.String(), Path: p.Path, Reason: "no value in force on " + c.ym.First().String()}
	}
	return v, nil
}

func (c *MonthContext) note(s string) { c.notes[s] = true }

// add appends a line for statement unit i, stamping the component.
func (c *MonthContext) add(i int, l Line) {
	comp := c.m.Components[c.comp].Info()
	l.Component, l.Type, l.order = comp.ID, comp.Type, c.comp
	if l.Name == "" {
		l.Name = comp.Name
	}
	c.lines[i] = append(c.lines[i], l)
}

// cite fills a line's parameter, validity and source from a dated value.
func cite(l *Line, d *Dated) {
	l.Parameter, l.ValidFrom, l.Source, l.Assumption = d.Path, d.From, d.Source, d.Assumption
}

// productLine builds a quantity × rate line.
func productLine(name, key string, qty *big.Rat, d *Dated, qtyText, rateText string, factor *big.Rat) Line {
	l := Line{Name: name, Key: key, exactQty: qty, qtyText: qtyText, rateText: rateText, product: true}
	rate := rat(d.Value)
	if factor != nil {
		rate = mul(rate, factor)
	}
	l.exact = mul(qty, rate)
	l.Rate = ratDecimal(rate, 6)
	cite(&l, d)
	return l
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

func (c *MonthContext) den(cnt Counting) int64 {
	if cnt.DayWeighted {
		return int64(c.ym.Days())
	}
	return 1
}

func (c *MonthContext) snap(i int, cnt Counting) *snap {
	return &c.agg[c.units[i]].snaps[c.reg.snapIndex(cnt)]
}

// points returns a unit's listing points under table t (exact), counted as cnt.
func (c *MonthContext) points(t *Table, i int, cnt Counting) (*big.Rat, error) {
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
func (c *MonthContext) basis(t *Table, i int, cnt Counting) (*big.Rat, string, error) {
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
