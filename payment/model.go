package payment

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// ParseOptions adjusts ParseModel. The zero value reads a model file with
// the built-in component types and measures, naming no file.
type ParseOptions struct {
	// File names the file in error messages ("" for none).
	File string
	// KnownMeasures are the measure ids goal components may refer to; nil
	// means the measures package's built-in ones (measures.IDs).
	KnownMeasures []string
	// Components are the component types a model file may use; nil means
	// BuiltinComponents().
	Components *ComponentRegistry
}

// Model is a parsed payment model: one region's rules for one model year.
// Its zero value is not usable; get one from ParseModel (or Builtin), and
// a changed one from Model.With. This package never changes a Model, so
// one may be used by many goroutines at once (Run, Price, With, Compare).
type Model struct {
	Name     string         // e.g. "skane-2023"
	Region   string         // region's name
	Title    string         // human title
	Valid    vardval.Period // the days the model applies to (To zero = open)
	Currency string         // always "SEK"
	Rounding Rounding
	Notes    string // free text about the model and its sources
	// TitleSV, TitleEN and NotesSV, NotesEN are the title and notes in
	// Swedish and in English (title_sv, … in the file; "" when not given),
	// for the page and `--lang sv`; Title and Notes stay what the CLI
	// writes by default.
	TitleSV, TitleEN string
	NotesSV, NotesEN string

	Tables     []*Table    // age/sex weight tables, in file order
	ACG        *ACGSpec    // how a person's ACG weight is found; nil if not used
	CNI        *CNISpec    // how a person's CNI is found; nil if not used
	Active     *ActiveSpec // what makes a listed person "active"; nil if not used
	Components []Component // in payment order
	File       string      // the file name given to the parser, or ""
}

// Table is an age/sex weight table (listing points per person).
type Table struct {
	ID    string
	Title string
	Bands Bands
	Path  string
}

// ACGSpec says where each listed person's ACG case-mix weight comes from.
type ACGSpec struct {
	// Source is "person" (the acg_weight column of listings.csv) or
	// "category" (the acg column mapped through Categories).
	Source string
	// Window is the diagnosis window of the region's ACG run, documented
	// for readers; vardval does not group diagnoses itself.
	Window Param
	// Missing is the weight of a listed person with no weight or an
	// unknown category.
	Missing Param
	// Categories maps ACG category codes to weights (Source "category").
	Categories []Category
	Path       string
}

// Category is one row of an ACG category weight table.
type Category struct {
	Code   string
	Weight Param
}

// CNISpec says how a listed person's CNI is found: from the Area of the
// listing (areas.csv); Missing is used for listings with no area or no CNI.
type CNISpec struct {
	Missing Param
	Path    string
	// Weights are the weights of the census variables (vardval.
	// CensusVariables, in that order; nil when the model gives none) and
	// Reference the weighted sum per person of the reference population:
	// an area with census shares and no cni has CNI = Σ Weights[k] ×
	// share[k] ÷ Reference, rounded half-even to 6 decimals (the reference
	// population has CNI 1.00; docs/semantics.md, "CNI from census
	// shares").
	Weights   []Param
	Reference Param
}

// CNIWeightKeys returns the keys of a model's cni.weights, in
// vardval.CensusVariables order.
func CNIWeightKeys() []string {
	return []string{"elderly_alone", "born_outside_europe", "unemployed", "single_parent", "moved_in", "under_5", "low_education"}
}

// ActiveSpec defines an actively listed person: one with at least one
// contact at the unit they are listed at within the last Window months.
type ActiveSpec struct {
	Window Param
	Path   string
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// CheckModel parses data as a model file and reports every problem, or
// nil: ParseModel's checks, which end with the ones Validate runs on a
// model in memory. data longer than MaxModelSize is refused unread.
func CheckModel(data []byte, opts ParseOptions) error {
	if len(data) > MaxModelSize {
		return &ModelError{File: opts.File, Reason: ErrModelTooLarge.Error()}
	}
	_, err := ParseModel(bytes.NewReader(data), opts)
	return err
}

// MaxModelSize is the largest model file the parser reads, in bytes
// (16 MiB): a longer file or stream is refused after reading one byte more.
const MaxModelSize = 16 << 20

// ErrModelTooLarge is what the *ModelError of a model file larger than
// MaxModelSize matches with errors.Is; its message is the error's reason.
var ErrModelTooLarge = errors.New("model file larger than 16 MiB")

// Is reports whether target is ErrModelTooLarge and e is that problem.
func (e *ModelError) Is(target error) bool {
	return target == ErrModelTooLarge && e.Path == "" && e.Reason == ErrModelTooLarge.Error()
}

// ParseModel reads a model file with the component types and measures
// opts gives (the built-in ones by default), naming opts.File in errors.
// Every problem is reported as a *ModelError; several are joined with
// errors.Join. It reads at most MaxModelSize+1 bytes of r: a longer input
// is a *ModelError matching ErrModelTooLarge ("model file larger than 16
// MiB").
func ParseModel(r io.Reader, opts ParseOptions) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxModelSize+1))
	if err != nil {
		return nil, &ModelError{File: opts.File, Reason: "cannot read: " + err.Error()}
	}
	if len(data) > MaxModelSize {
		return nil, &ModelError{File: opts.File, Reason: ErrModelTooLarge.Error()}
	}
	w := &walker{file: opts.File, valueLines: map[string]int{}, notNumbers: map[string]bool{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			// yaml.v3 puts "yaml: line N:" in its messages.
			msg := err.Error()
			if _, rest, ok := strings.Cut(msg, "line "); ok {
				if n, _, ok := strings.Cut(rest, ":"); ok {
					line, _ = strconv.Atoi(n)
				}
			}
		}
		return nil, &ModelError{File: opts.File, Line: line, Reason: "not valid yaml: " + clipText(strings.TrimPrefix(err.Error(), "yaml: "), 400)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &ModelError{File: opts.File, Reason: "empty model file"}
	}
	known := opts.KnownMeasures
	if known == nil {
		known = measures.IDs()
	}
	types := opts.Components
	if types == nil {
		types = BuiltinComponents()
	}
	p := &parser{w: w, types: types, known: known}
	m := p.model(doc.Content[0])
	m.File = opts.File
	// The rules on values are the ones Validate runs on a model in memory.
	m.validate(w)
	if len(w.errs) > 0 {
		slices.SortStableFunc(w.errs, func(a, b error) int { return a.(*ModelError).Line - b.(*ModelError).Line })
		return nil, errors.Join(w.errs...)
	}
	return m, nil
}

type parser struct {
	w      *walker
	types  *ComponentRegistry
	known  []string
	m      *Model
	tables map[string]*Table
	comps  map[string]int
}

func (p *parser) model(root *yaml.Node) *Model {
	w := p.w
	m := &Model{}
	p.m = m
	o := w.obj("", root)
	p.assumptions(o) // before any parameter refers to one
	m.Name = o.str("model", true)
	if m.Name != "" && !regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`).MatchString(m.Name) {
		w.fail("model", o.get("model"), "a model name is lower-case letters, digits and dashes, e.g. skane-2023")
	}
	m.Region = o.str("region", true)
	m.Title = o.str("title", false)
	m.TitleSV, m.TitleEN = o.str("title_sv", false), o.str("title_en", false)
	m.Notes = o.str("notes", false)
	m.NotesSV, m.NotesEN = o.str("notes_sv", false), o.str("notes_en", false)
	if n := o.get("valid"); n != nil {
		vo := w.obj("valid", n)
		m.Valid.From = vo.date("from", true)
		m.Valid.To = vo.date("to", false)
		if !m.Valid.To.IsZero() && m.Valid.To.Before(m.Valid.From) {
			w.fail("valid.to", vo.get("to"), "ends before it starts")
		}
		vo.done()
	} else {
		w.fail("valid", root, "missing key \"valid\" ({from, to})")
	}
	m.Currency = o.str("currency", true)
	if m.Currency != "" && m.Currency != "SEK" {
		w.fail("currency", o.get("currency"), "only SEK is supported, not %q", m.Currency)
	}
	if rn := o.str("rounding", true); rn != "" {
		r, ok := roundingRule(rn)
		if !ok {
			w.fail("rounding", o.get("rounding"), "unknown rounding rule %q (known: %s)", rn, strings.Join(RoundingRules(), ", "))
		}
		m.Rounding = r
	}
	p.tables = map[string]*Table{}
	items, tp := o.seq("tables", false)
	for i, n := range items {
		ip := index(tp, i)
		to := w.obj(ip, n)
		t := &Table{ID: to.str("id", true), Title: to.str("title", false), Path: ip}
		if t.ID != "" && !idPattern.MatchString(t.ID) {
			w.fail(join(ip, "id"), to.get("id"), "an id is lower-case letters, digits and underscores")
		}
		if _, dup := p.tables[t.ID]; dup {
			w.fail(join(ip, "id"), to.get("id"), "duplicate table id %q", t.ID)
		}
		p.tables[t.ID] = t
		t.Bands = p.bands(to, "weights", fixedOK)
		to.done()
		m.Tables = append(m.Tables, t)
	}
	if n := o.get("acg"); n != nil {
		ao := w.obj("acg", n)
		a := &ACGSpec{Path: "acg", Source: ao.str("source", true)}
		if a.Source != "" {
			ao.oneOf("source", a.Source, "person", "category")
		}
		a.Window = ao.param("window_months", false, wholeMonths)
		a.Missing = ao.param("missing_weight", true, fixedOK)
		cats, cp := ao.seq("categories", a.Source == "category")
		seen := map[string]bool{}
		for i, c := range cats {
			ip := index(cp, i)
			co := w.obj(ip, c)
			cat := Category{Code: co.str("code", true), Weight: co.param("values", true, fixedOK)}
			if seen[cat.Code] {
				w.fail(join(ip, "code"), co.get("code"), "duplicate category %q", cat.Code)
			}
			seen[cat.Code] = true
			co.done()
			a.Categories = append(a.Categories, cat)
		}
		if a.Source == "person" && len(cats) > 0 {
			w.fail(cp, ao.get("categories"), "categories are only used with source: category")
		}
		ao.done()
		m.ACG = a
	}
	if n := o.get("cni"); n != nil {
		co := w.obj("cni", n)
		m.CNI = &CNISpec{Path: "cni", Missing: co.param("missing", true, fixedOK)}
		if wn := co.get("weights"); wn != nil {
			wo := w.obj("cni.weights", wn)
			for _, k := range CNIWeightKeys() {
				m.CNI.Weights = append(m.CNI.Weights, wo.param(k, true, nonNegative))
			}
			wo.done()
			m.CNI.Reference = co.param("reference", true, nonNegative)
		}
		co.done()
	}
	if n := o.get("active"); n != nil {
		ao := w.obj("active", n)
		m.Active = &ActiveSpec{Path: "active", Window: ao.param("window_months", true, wholeMonths)}
		ao.done()
	}
	p.comps = map[string]int{}
	comps, cp := o.seq("components", true)
	for i, n := range comps {
		c := p.component(index(cp, i), n)
		if c != nil {
			m.Components = append(m.Components, c)
		}
	}
	if len(w.errs) == 0 {
		// Only then: a part not read for an error might hold the use.
		w.assumptions.unused(w)
	}
	o.done()
	return m
}

// Params returns every parameter of the model, in file order.
func (m *Model) Params() []*Param {
	var out []*Param
	for _, t := range m.Tables {
		for i := range t.Bands {
			out = append(out, &t.Bands[i].Value)
		}
	}
	if m.ACG != nil {
		if !m.ACG.Window.IsZero() {
			out = append(out, &m.ACG.Window)
		}
		out = append(out, &m.ACG.Missing)
		for i := range m.ACG.Categories {
			out = append(out, &m.ACG.Categories[i].Weight)
		}
	}
	if m.CNI != nil {
		out = append(out, &m.CNI.Missing)
		for i := range m.CNI.Weights {
			out = append(out, &m.CNI.Weights[i])
		}
		if !m.CNI.Reference.IsZero() {
			out = append(out, &m.CNI.Reference)
		}
	}
	if m.Active != nil {
		out = append(out, &m.Active.Window)
	}
	for _, c := range m.Components {
		out = append(out, c.Params()...)
	}
	return out
}

// Band is one age band × sex row of a rate or weight table.
type Band struct {
	AgeFrom int         // first age in whole years
	AgeTo   int         // last age; MaxAge when open-ended ("85-")
	Sex     vardval.Sex // SexUnknown = both sexes
	Label   string      // "0–4 F"
	Value   Param
}

// Bands is a table of age bands by sex that covers every age 0..MaxAge
// exactly once for each sex.
type Bands []Band

// MaxAge is the oldest age class; older persons count as MaxAge.
const MaxAge = 120

// find returns the band index for sex and age, or -1.
func (bs Bands) find(sex vardval.Sex, age int) int {
	for i, b := range bs {
		if (b.Sex == SexAny || b.Sex == sex) && age >= b.AgeFrom && age <= b.AgeTo {
			return i
		}
	}
	return -1
}

// SexAny marks a band that applies to both sexes.
const SexAny = vardval.SexUnknown

var agesPattern = regexp.MustCompile(`^([0-9]{1,3})\s*-\s*([0-9]{1,3})?$|^([0-9]{1,3})$`)

// bands reads a list of {ages, sex, values} rows under key.
func (p *parser) bands(o *obj, key string, rule valueRule) Bands {
	w := p.w
	items, bp := o.seq(key, true)
	var out Bands
	for i, n := range items {
		ip := index(bp, i)
		bo := w.obj(ip, n)
		b := Band{}
		ages := bo.str("ages", true)
		if mm := agesPattern.FindStringSubmatch(ages); mm != nil {
			if mm[3] != "" {
				b.AgeFrom, _ = strconv.Atoi(mm[3])
				b.AgeTo = b.AgeFrom
			} else {
				b.AgeFrom, _ = strconv.Atoi(mm[1])
				b.AgeTo = MaxAge
				if mm[2] != "" {
					b.AgeTo, _ = strconv.Atoi(mm[2])
				}
			}
			if b.AgeTo < b.AgeFrom || b.AgeFrom > MaxAge || b.AgeTo > MaxAge {
				w.fail(join(ip, "ages"), bo.get("ages"), "bad age band %q", ages)
			}
		} else if ages != "" {
			w.fail(join(ip, "ages"), bo.get("ages"), "an age band is like 0-4, 85- or 7, not %q", ages)
		}
		sex := bo.str("sex", false)
		switch sex {
		case "", "any":
			b.Sex = SexAny
		case "F", "K":
			b.Sex = vardval.Female
		case "M":
			b.Sex = vardval.Male
		default:
			w.fail(join(ip, "sex"), bo.get("sex"), "sex is F, M or any, not %q", sex)
		}
		b.Label = bandLabel(b)
		b.Value = bo.param("values", true, rule)
		bo.done()
		out = append(out, b)
	}
	if len(w.errs) == 0 && len(out) > 0 {
		for _, sex := range []vardval.Sex{vardval.Female, vardval.Male} {
			for age := 0; age <= MaxAge; age++ {
				n := 0
				for _, b := range out {
					if (b.Sex == SexAny || b.Sex == sex) && age >= b.AgeFrom && age <= b.AgeTo {
						n++
					}
				}
				if n != 1 {
					what := "no band covers"
					if n > 1 {
						what = "several bands cover"
					}
					w.fail(bp, o.get(key), "%s age %d for sex %s", what, age, sex)
					return out
				}
			}
		}
	}
	return out
}

func bandLabel(b Band) string {
	var s string
	switch {
	case b.AgeFrom == b.AgeTo:
		s = strconv.Itoa(b.AgeFrom)
	case b.AgeTo == MaxAge:
		s = strconv.Itoa(b.AgeFrom) + "+"
	default:
		s = fmt.Sprintf("%d–%d", b.AgeFrom, b.AgeTo)
	}
	if b.Sex != SexAny {
		s += " " + b.Sex.String()
	}
	return s
}

// table resolves a table id key.
func (p *parser) table(o *obj, key string, required bool) *Table {
	id := o.str(key, required)
	if id == "" {
		return nil
	}
	t, ok := p.tables[id]
	if !ok {
		p.w.fail(join(o.path, key), o.get(key), "unknown table %q (define it under tables)", id)
	}
	return t
}

// Counting is how listed persons are counted in a month.
type Counting struct {
	// DayWeighted counts listed person-days divided by the days of the
	// month; otherwise persons listed on the cut-off day are counted.
	DayWeighted bool
	// Day is the cut-off: 0 = last day of the month, -1 = last day of the
	// previous month, 1..28 = that day of the month.
	Day int
}

// String returns the model-file spelling of c.
func (c Counting) String() string {
	switch {
	case c.DayWeighted:
		return "day-weighted"
	case c.Day == 0:
		return "cutoff-last"
	case c.Day == -1:
		return "cutoff-previous-month-last"
	}
	return "cutoff-day-" + strconv.Itoa(c.Day)
}

// Cutoff returns the cut-off day for month m (the last day of m when day
// weighted).
func (c Counting) Cutoff(m vardval.YearMonth) vardval.Date {
	switch {
	case c.DayWeighted || c.Day == 0:
		return m.Last()
	case c.Day == -1:
		return m.Add(-1).Last()
	}
	return vardval.D(m.Year, m.Month, c.Day)
}

func (c Counting) describe(m vardval.YearMonth) string {
	if c.DayWeighted {
		return "day-weighted over " + m.String()
	}
	return "listed on " + c.Cutoff(m).String()
}

func (p *parser) counting(o *obj) Counting {
	s := o.str("counting", false)
	switch {
	case s == "" || s == "cutoff-last":
		return Counting{}
	case s == "day-weighted":
		return Counting{DayWeighted: true}
	case s == "cutoff-previous-month-last":
		return Counting{Day: -1}
	case strings.HasPrefix(s, "cutoff-day-"):
		d, err := strconv.Atoi(strings.TrimPrefix(s, "cutoff-day-"))
		if err == nil && d >= 1 && d <= 28 {
			return Counting{Day: d}
		}
	}
	p.w.fail(join(o.path, "counting"), o.get("counting"),
		"counting is day-weighted, cutoff-last, cutoff-previous-month-last or cutoff-day-N (1–28), not %q", s)
	return Counting{}
}

// basis reads a goal/coverage basis: "listed" or a table id.
func (p *parser) basis(o *obj) *Table {
	s := o.str("basis", true)
	if s == "listed" || s == "" {
		return nil
	}
	return p.table(o, "basis", true)
}

// componentRef checks a reference to an earlier component.
func (p *parser) componentRef(o *obj, key, path string, n *yaml.Node, id string) {
	if _, ok := p.comps[id]; !ok {
		p.w.fail(path, n, "unknown or later component %q (only earlier components can be referred to)", id)
	}
}

// stringList reads a list of plain strings.
func (p *parser) stringList(o *obj, key string, required bool) ([]string, []*yaml.Node, string) {
	items, lp := o.seq(key, required)
	var out []string
	for i, n := range items {
		s, ok := p.w.scalar(index(lp, i), n)
		if ok {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out, items, lp
}

func (p *parser) knownMeasure(id string) bool { return slices.Contains(p.known, id) }

// needs returns what m's components register for the first month of its
// validity (the parser makes sure every parameter has a value then).
func (m *Model) needs() *registry {
	reg := newRegistry(1)
	n := &Needs{reg: reg, ym: m.Valid.From.YearMonth()}
	for _, c := range m.Components {
		c.Need(n)
	}
	return reg
}

// MeasureIDs returns the measure ids the model's components read
// (Needs.Measures), sorted and without duplicates (empty when the model
// has no goal-related pay, so callers can skip computing measures).
func (m *Model) MeasureIDs() []string {
	out := slices.Clone(m.needs().measures)
	slices.Sort(out)
	return slices.Compact(out)
}

// Inputs tells which optional files of a region a model's pricing reads,
// so that a caller may skip the others. Units, areas and listings are
// always read.
type Inputs struct {
	Contacts, Diagnoses, Observations, Prescriptions bool
	// Followup: the follow-up files (procedures, admissions, clinicians,
	// calls, survey), which only measures read.
	Followup bool
}

// Inputs returns what pricing m reads, from what its components need
// (Component.Need): contacts for contacts, contacts elsewhere, patient
// fees, coverage and actively listed persons, and every file when a
// component reads follow-up measures.
func (m *Model) Inputs() Inputs {
	reg := m.needs()
	if len(reg.measures) > 0 {
		return Inputs{Contacts: true, Diagnoses: true, Observations: true, Prescriptions: true, Followup: true}
	}
	return Inputs{Contacts: m.Active != nil || reg.contacts || reg.cost || reg.fees || reg.readsContacts}
}
