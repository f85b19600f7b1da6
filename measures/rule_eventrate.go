package measures

import (
	"fmt"

	"github.com/vardval/vardval/vardval"
)

// The events an EventRate counts.
const (
	// EventEmergencyContacts counts days with a contact passing
	// population.contacts (one per person and day).
	EventEmergencyContacts = "emergency_contacts"
	// EventPrescriptions counts dispensed prescriptions passing
	// population.atc.
	EventPrescriptions = "prescriptions"
)

// EventRate is rule event_rate: Event events in the period of persons
// listed at a primary-care unit on the event date, per Scale listed
// person-years (optionally standardised by age × sex). Kind rate. Keys:
// event (emergency_contacts, needing population.contacts, or
// prescriptions, needing population.atc); no age limits.
type EventRate struct {
	Event string
}

// Name returns "event_rate".
func (r *EventRate) Name() string { return RuleEventRate }

// Kind returns Rate.
func (r *EventRate) Kind() Kind { return Rate }

func (r *EventRate) check(d *Definition, codes codeSet) []problem {
	switch r.Event {
	case EventEmergencyContacts:
		return needContacts(&d.Population)
	case EventPrescriptions:
		if d.Population.ATC == nil {
			return []problem{failErr("population.atc", &MissingKeyError{Key: "atc"})}
		}
		return nil
	case "":
		return []problem{failErr("event", &MissingKeyError{Key: "event"})}
	}
	return []problem{fail("event", fmt.Sprintf("unknown event %q (emergency_contacts or prescriptions)", clip(r.Event)))}
}

func (r *EventRate) compile(e *engine, s *spec) {}

func (r *EventRate) tally(e *engine, pd *personData, s *spec, si int, a *accum, sc *scratch) {
	e.events(pd, s, si, a, r.Event, sc)
}

func (r *EventRate) clone() Rule { c := *r; return &c }

func (w *walker) eventRate(o *obj) Rule { return &EventRate{Event: o.str("event", true)} }

// bandOf returns the age-band index (0 = unknown age, then 0–4, 5–9, …).
func bandOf(age int) int {
	if age < 0 {
		age = 0
	}
	return min(age, topBand)/bandWidth + 1
}

// stratumOf returns the stratum index of pd on day d.
func stratumOf(pd *personData, d vardval.Date) int {
	band := 0
	if !pd.person.BirthDate.IsZero() {
		band = bandOf(pd.person.BirthDate.AgeOn(d))
	}
	return band*nSexes + int(min(pd.person.Sex, 2))
}

// exposure adds pd's listed person-days in the period, split by the age
// band they were in on each day.
func (e *engine) exposure(pd *personData, a *accum) {
	for _, l := range pd.listings {
		if l.Unit < 0 || !e.primary[l.Unit] {
			continue
		}
		seg, ok := l.Period.Intersect(e.period)
		if !ok {
			continue
		}
		base := int(l.Unit) * nStrata
		sex := int(min(pd.person.Sex, 2))
		bd := pd.person.BirthDate
		if bd.IsZero() {
			a.days[base+sex] += int64(seg.Days())
			continue
		}
		for d := seg.From; !d.After(seg.To); {
			age := bd.AgeOn(d)
			band := bandOf(age)
			end := seg.To
			if age < topBand {
				// first day of the next band: the birthday at the band's upper age
				nextAge := (max(age, 0)/bandWidth + 1) * bandWidth
				b := bd.AddMonths(12 * nextAge)
				if bd.AgeOn(b) < nextAge {
					b = b.AddDays(1)
				}
				if last := b.AddDays(-1); last.Before(end) {
					end = last
				}
			}
			a.days[base+band*nSexes+sex] += int64(d.DaysUntil(end) + 1)
			d = end.AddDays(1)
		}
	}
}

// events counts a rate spec's events for pd.
func (e *engine) events(pd *personData, s *spec, si int, a *accum, event string, sc *scratch) {
	base := si * e.nUnits * nStrata
	clustered := s.def.Clustered()
	sc.units = sc.units[:0]
	if clustered {
		// Each person's listed days at a unit, with the events then, are
		// one cluster, including persons without events.
		for _, l := range pd.listings {
			if l.Unit < 0 || !e.primary[l.Unit] {
				continue
			}
			if seg, ok := l.Period.Intersect(e.period); ok {
				sc.units = addTo(sc.units, l.Unit, 0, int64(seg.Days()))
			}
		}
		defer func() {
			for _, c := range sc.units {
				a.t[si*e.nUnits+int(c.u)].cluster(c.y, c.n)
			}
		}()
	}
	add := func(d vardval.Date) {
		u := e.listedAt(pd, d)
		if u == vardval.NoUnit {
			return
		}
		a.t[si*e.nUnits+int(u)].num++
		a.events[base+int(u)*nStrata+stratumOf(pd, d)]++
		if clustered {
			sc.units = addTo(sc.units, u, 1, 0)
		}
	}
	switch event {
	case EventEmergencyContacts:
		var last vardval.Date
		for i := range pd.contacts {
			c := &pd.contacts[i]
			if !e.period.Contains(c.Date) || !e.contactPasses(s, c) || c.Date == last {
				continue
			}
			last = c.Date
			add(c.Date)
		}
	case EventPrescriptions:
		for i := range pd.rxs {
			x := &pd.rxs[i]
			if e.class(x.ATC)&s.bit == 0 || !e.period.Contains(x.Date) {
				continue
			}
			add(x.Date)
		}
	}
}

// reads: prescriptions.csv for prescriptions, else contacts.csv.
func (r *EventRate) reads() []string {
	if r.Event == EventPrescriptions {
		return []string{vardval.FilePrescriptions}
	}
	return []string{vardval.FileContacts}
}
