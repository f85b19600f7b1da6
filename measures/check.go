package measures

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// codeSet is the observation codes a definition may name.
type codeSet struct {
	known map[string]bool
	list  []string // sorted, for messages
}

// newCodeSet returns the data contract's observation codes plus extra.
func newCodeSet(extra []string) codeSet {
	cs := codeSet{known: map[string]bool{}}
	for _, r := range vardval.ObservationRanges() {
		cs.known[r.Code] = true
	}
	for _, c := range extra {
		cs.known[strings.ToUpper(strings.TrimSpace(c))] = true
	}
	for c := range cs.known {
		cs.list = append(cs.list, c)
	}
	slices.Sort(cs.list)
	return cs
}

// code returns a problem at key when code is not known.
func (cs codeSet) code(key, code string) []problem {
	if code == "" {
		return []problem{failErr(key, &MissingKeyError{Key: lastKey(key)})}
	}
	if !cs.known[code] {
		return []problem{failErr(key, &UnknownCodeError{Code: code, Known: cs.list})}
	}
	return nil
}

func lastKey(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// sixDecimals returns a problem at key when d has more than six decimals
// (observation values are compared as vardval.Fixed).
func sixDecimals(key string, d decimal.Decimal) []problem {
	if _, ok := toFixed(d); !ok {
		return []problem{fail(key, "at most six decimals")}
	}
	return nil
}

// checkDefinition returns every problem of d, with keys relative to the
// definition: the common fields, the population and the rule's own
// parameters. ParseDefinitions and the registry constructors use it, so a
// definition built in code is held to the same rules as one read from a
// file.
func checkDefinition(d *Definition, codes codeSet) []problem {
	var ps []problem
	if d.ID == "" || strings.ContainsAny(d.ID, " \t\r\n,\"") {
		ps = append(ps, fail("id", "missing or not a plain identifier"))
	}
	if d.NameSV == "" {
		ps = append(ps, failErr("name_sv", &MissingKeyError{Key: "name_sv"}))
	}
	if d.NameEN == "" {
		ps = append(ps, failErr("name_en", &MissingKeyError{Key: "name_en"}))
	}
	if d.Rule != nil && (d.Kind == Proportion || d.Kind == Rate) && d.Kind != d.Rule.Kind() {
		ps = append(ps, failErr("kind", &KindMismatchError{Rule: d.Rule.Name(), Kind: d.Kind, Want: d.Rule.Kind()}))
	}
	switch d.Kind {
	case Proportion:
		if d.Scale != 1 && d.Scale != 100 {
			ps = append(ps, failErr("scale", &ScaleError{Kind: d.Kind, Scale: d.Scale}))
		}
	case Rate:
		if d.Scale <= 0 {
			ps = append(ps, failErr("scale", &ScaleError{Kind: d.Kind, Scale: d.Scale}))
		}
		if d.Population.AgeMin != 0 || d.Population.AgeMax != 0 {
			ps = append(ps, fail("population.age_min", "age limits are not supported for rates (the person-years would need them too)"))
		}
	default:
		ps = append(ps, fail("kind", fmt.Sprintf("unknown kind %q (proportion or rate)", clip(string(d.Kind)))))
	}
	if d.Standardise && d.Kind != Rate {
		ps = append(ps, fail("standardise", "only rates are standardised"))
	}
	if d.Direction != HigherIsBetter && d.Direction != LowerIsBetter {
		ps = append(ps, fail("direction", fmt.Sprintf("unknown direction %q (higher or lower)", clip(string(d.Direction)))))
	}
	if d.MinDenominator.Sign() < 0 {
		ps = append(ps, fail("min_denominator", "must not be negative"))
	}
	if d.MinPatients < 0 {
		ps = append(ps, fail("min_patients", "must not be negative"))
	}
	if d.MinPatients > 0 && !d.PatientLevel() {
		ps = append(ps, fail("min_patients", "only the continuity rules count patients"))
	}
	if len(d.Sources) == 0 {
		ps = append(ps, fail("sources", "at least one dated source is required"))
	}
	for j, s := range d.Sources {
		if s.From.IsZero() {
			ps = append(ps, failErr(fmt.Sprintf("sources[%d].from", j), &MissingKeyError{Key: "from"}))
		}
		if strings.TrimSpace(s.Source) == "" {
			ps = append(ps, failErr(fmt.Sprintf("sources[%d].source", j), &MissingKeyError{Key: "source"}))
		}
	}
	ps = append(ps, checkPopulation(&d.Population)...)
	if d.Rule == nil {
		return append(ps, failErr("rule", &MissingKeyError{Key: "rule"}))
	}
	return append(ps, d.Rule.check(d, codes)...)
}

func checkPopulation(p *Population) []problem {
	var ps []problem
	switch p.ListedOn {
	case listedOnIndexDate, listedOnPeriodEnd, listedOnContactDate, listedOnEventDate, listedOnNone:
	default:
		ps = append(ps, fail("population.listed_on", fmt.Sprintf("unknown value %q (index_date, period_end, contact_date, event_date or none)", clip(p.ListedOn))))
	}
	if p.AgeMin < 0 || p.AgeMax < 0 || (p.AgeMax > 0 && p.AgeMax < p.AgeMin) {
		ps = append(ps, fail("population.age_min", "age limits must satisfy 0 ≤ age_min ≤ age_max"))
	}
	if dg := p.Diagnoses; dg != nil {
		if len(dg.Prefixes) == 0 {
			ps = append(ps, fail("population.diagnoses.prefixes", "at least one code prefix is required"))
		}
		switch {
		case dg.RelativeTo != relativeToIndexDate && dg.RelativeTo != relativeToPeriod:
			ps = append(ps, failErr("population.diagnoses.relative_to", &WindowError{Reason: "relative_to must be index_date or period"}))
		case dg.FromDays > dg.ToDays && dg.RelativeTo == relativeToIndexDate:
			ps = append(ps, failErr("population.diagnoses.from_days", &WindowError{Reason: "from_days after to_days"}))
		}
	}
	if c := p.Contacts; c != nil && c.MinPerPerson < 0 {
		ps = append(ps, fail("population.contacts.min_per_person", "must not be negative"))
	}
	if a := p.ATC; a != nil && len(a.Include) == 0 {
		ps = append(ps, fail("population.atc.include", "at least one ATC prefix is required"))
	}
	return ps
}

// needListedOn returns a problem when p is not listed on want.
func needListedOn(p *Population, want string) []problem {
	if p.ListedOn != want {
		return []problem{fail("population.listed_on", "must be "+want+" for this rule")}
	}
	return nil
}

// needContacts returns a problem when p has no contact filter.
func needContacts(p *Population) []problem {
	if p.Contacts == nil {
		return []problem{failErr("population.contacts", &MissingKeyError{Key: "contacts"})}
	}
	return nil
}

// checkDays checks a day window: the name it must have, from ≤ to, no
// months, and its anchor.
func checkDays(key string, w Window, name string, anchors ...string) []problem {
	var ps []problem
	if w.Name != name {
		ps = append(ps, failErr(key+".name", &WindowError{Name: w.Name, Reason: "must be named " + name}))
	}
	if w.Months != 0 {
		ps = append(ps, failErr(key+".months", &WindowError{Name: name, Reason: "a day window takes from_days and to_days, not months"}))
	}
	if w.FromDays > w.ToDays {
		ps = append(ps, failErr(key+".from_days", &WindowError{Name: name, Reason: "from_days after to_days"}))
	}
	if !slices.Contains(anchors, w.RelativeTo) {
		ps = append(ps, failErr(key+".relative_to", &WindowError{Name: name, Reason: "relative_to must be " + strings.Join(anchors, " or ")}))
	}
	return ps
}

// checkMonths checks a "last months" window.
func checkMonths(key string, w Window) []problem {
	var ps []problem
	if w.Name != windowLastMonths {
		ps = append(ps, failErr(key+".name", &WindowError{Name: w.Name, Reason: "must be named " + windowLastMonths}))
	}
	if w.Months <= 0 || w.Months > 1200 {
		ps = append(ps, failErr(key+".months", &WindowError{Name: windowLastMonths, Reason: "months must be between 1 and 1200"}))
	}
	if w.FromDays != 0 || w.ToDays != 0 {
		ps = append(ps, failErr(key+".from_days", &WindowError{Name: windowLastMonths, Reason: "a months window takes no from_days or to_days"}))
	}
	if w.RelativeTo != relativeToPeriodEnd {
		ps = append(ps, failErr(key+".relative_to", &WindowError{Name: windowLastMonths, Reason: "relative_to must be period_end"}))
	}
	return ps
}

// The window names a definitions file uses.
const (
	windowFirstRemission     = "first_remission"
	windowSustainedRemission = "sustained_remission"
	windowFollowup           = "followup"
	windowLastMonths         = "last_months"
)
