package payment

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// Marginal is what one more of something adds to one unit's pay in one
// month: the difference of the unit's month total with and without it.
type Marginal struct {
	What   string          // e.g. "one more listed person: F aged 30–44 (age 37)"
	Amount decimal.Decimal // may be negative (cost responsibility, deductions)
}

// Marginals prices month ym for the unit as the data stand and once per
// change, each alone: one more listed person per age band (of the model's
// first capitation or weight table) and sex; one more doctor visit at the
// unit by a person listed there, by one listed elsewhere and by an
// unlisted person; one more doctor visit elsewhere by a person listed at
// the unit; and, for every measure of the model's goal pay with a result
// for the unit, one more point on it (0.01 on a share, 1 on a rate per
// 1 000). Pool-based pay reacts through the region's totals, as it would.
// Every change re-prices the month on a copy of the region, so this is
// meant for one unit at a time.
func Marginals(ctx context.Context, m *Model, r *vardval.Region, ym vardval.YearMonth, unitID string, opts RunOptions) ([]Marginal, error) {
	u, ok := r.UnitByID(unitID)
	if !ok || r.Units[u].Kind != vardval.KindPrimary {
		return nil, &UnknownUnitError{UnitID: unitID}
	}
	period := vardval.MonthPeriod(ym)
	total := func(reg *vardval.Region, o RunOptions) (decimal.Decimal, error) {
		st, err := Run(ctx, m, reg, period, o)
		if err != nil {
			return decimal.Zero, err
		}
		us, _ := st.Unit(unitID)
		return us.Total, nil
	}
	base, err := total(r, opts)
	if err != nil {
		return nil, err
	}
	var out []Marginal
	try := func(what string, reg *vardval.Region, o RunOptions) error {
		t, err := total(reg, o)
		if err != nil {
			return err
		}
		out = append(out, Marginal{What: what, Amount: t.Sub(base)})
		return nil
	}
	listedFrom := ym.Add(-1).First()
	newPerson := func(sex vardval.Sex, age int) vardval.Person {
		return vardval.Person{Key: "\uffff marginal", Sex: sex, BirthDate: vardval.D(ym.Year-age, 1, 1)}
	}
	for _, b := range marginalBands(m) {
		age := b.AgeFrom + (min(b.AgeTo, b.AgeFrom+10)-b.AgeFrom)/2
		for _, sex := range []vardval.Sex{vardval.Female, vardval.Male} {
			if b.Sex != SexAny && b.Sex != sex {
				continue
			}
			reg, err := withExtra(r, []vardval.Person{newPerson(sex, age)}, func(p vardval.PersonIndex) ([]vardval.Listing, []vardval.Contact) {
				return []vardval.Listing{{Person: p, Unit: u, Period: vardval.Period{From: listedFrom}, Area: -1, ACG: -1}}, nil
			})
			if err != nil {
				return nil, err
			}
			if err := try(fmt.Sprintf("one more listed person: %s aged %s (age %d)", sex, bandLabel(Band{AgeFrom: b.AgeFrom, AgeTo: b.AgeTo}), age), reg, opts); err != nil {
				return nil, err
			}
		}
	}
	visit := func(p vardval.PersonIndex, at vardval.UnitIndex) vardval.Contact {
		return vardval.Contact{Person: p, Unit: at, Date: vardval.D(ym.Year, ym.Month, 15), Clinician: -1, Fee: -1, Mode: vardval.ModeVisit, Profession: vardval.Doctor}
	}
	other := vardval.NoUnit
	for i, x := range r.Units {
		if x.Kind == vardval.KindPrimary && vardval.UnitIndex(i) != u {
			other = vardval.UnitIndex(i)
			break
		}
	}
	type visitCase struct {
		what         string
		listedAt, at vardval.UnitIndex
	}
	cases := []visitCase{{"one more doctor visit at the unit by a person listed there", u, u}}
	if other != vardval.NoUnit {
		cases = append(cases, visitCase{"one more doctor visit at the unit by a person listed elsewhere", other, u},
			visitCase{"one more doctor visit at another vårdcentral by a person listed at the unit", u, other})
	}
	cases = append(cases, visitCase{"one more doctor visit at the unit by an unlisted person", vardval.NoUnit, u})
	for _, vc := range cases {
		// the visitor is a new person; their listing alone is priced first so
		// that only the visit's effect remains.
		mk := func(withVisit bool) (*vardval.Region, error) {
			return withExtra(r, []vardval.Person{newPerson(vardval.Female, 40)}, func(p vardval.PersonIndex) ([]vardval.Listing, []vardval.Contact) {
				var ls []vardval.Listing
				if vc.listedAt != vardval.NoUnit {
					ls = []vardval.Listing{{Person: p, Unit: vc.listedAt, Period: vardval.Period{From: listedFrom}, Area: -1, ACG: -1}}
				}
				var cs []vardval.Contact
				if withVisit {
					cs = []vardval.Contact{visit(p, vc.at)}
				}
				return ls, cs
			})
		}
		// Each region is a copy of r's records (Extend copies them): one is
		// priced and dropped before the other is made, so that no more
		// than one copy is alive at a time.
		priced := func(withVisit bool) (decimal.Decimal, error) {
			reg, err := mk(withVisit)
			if err != nil {
				return decimal.Decimal{}, err
			}
			return total(reg, opts)
		}
		without, err := priced(false)
		if err != nil {
			return nil, err
		}
		with, err := priced(true)
		if err != nil {
			return nil, err
		}
		out = append(out, Marginal{What: vc.what, Amount: with.Sub(without)})
	}
	if opts.Measures != nil || opts.MeasuresOver != nil {
		windows := m.MeasureWindows(vardval.MonthPeriod(ym))
		reported := func(id string) bool {
			if opts.MeasuresOver != nil {
				for _, w := range windows {
					if res, ok := opts.MeasuresOver(w, id, unitID); ok && !res.Suppressed {
						return true
					}
				}
				return false
			}
			res, ok := opts.Measures(id, unitID)
			return ok && !res.Suppressed
		}
		for _, id := range m.MeasureIDs() {
			if !reported(id) {
				continue
			}
			step := decimal.New(1, -2)
			if strings.HasSuffix(id, "_per_1000") {
				step = decimal.NewFromInt(1)
			}
			o := opts
			if opts.Measures != nil {
				o.Measures = func(measure, unit string) (measures.Result, bool) {
					x, ok := opts.Measures(measure, unit)
					if ok && measure == id && unit == unitID {
						x.Value = x.Value.Add(step)
					}
					return x, ok
				}
			}
			if opts.MeasuresOver != nil {
				o.MeasuresOver = func(w vardval.Period, measure, unit string) (measures.Result, bool) {
					x, ok := opts.MeasuresOver(w, measure, unit)
					if ok && measure == id && unit == unitID {
						x.Value = x.Value.Add(step)
					}
					return x, ok
				}
			}
			if err := try(fmt.Sprintf("one more point on %s (+%s)", id, step), r, o); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// marginalBands are the age bands of the model's first capitation, or of
// its first weight table, or five broad bands.
func marginalBands(m *Model) Bands {
	for _, c := range m.Components {
		if cp, ok := c.(*Capitation); ok {
			return cp.Rates
		}
	}
	if len(m.Tables) > 0 {
		return m.Tables[0].Bands
	}
	return Bands{{AgeFrom: 0, AgeTo: 4}, {AgeFrom: 5, AgeTo: 19}, {AgeFrom: 20, AgeTo: 64}, {AgeFrom: 65, AgeTo: 79}, {AgeFrom: 80, AgeTo: MaxAge}}
}

// withExtra returns a copy of r with extra persons (sorted after every
// existing one) and their records, through vardval's Region.Extend, which
// checks them.
func withExtra(r *vardval.Region, extra []vardval.Person, records func(vardval.PersonIndex) ([]vardval.Listing, []vardval.Contact)) (*vardval.Region, error) {
	x := vardval.Extension{Persons: extra}
	for i := range extra {
		ls, cs := records(vardval.PersonIndex(len(r.Persons) + i))
		x.Listings = append(x.Listings, ls...)
		x.Contacts = append(x.Contacts, cs...)
	}
	return r.Extend(x)
}
