package calc

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// ReferencePersons is the number of persons of the synthetic reference
// region a described unit joins (see the package documentation).
const ReferencePersons = 20000

// ReferencePerUnit is the mean list size of the reference region's
// vårdcentraler, so that it has five of them.
const ReferencePerUnit = 4000

// ReferenceSeed is the synth seed of the reference region.
const ReferenceSeed = 1

// yearsAhead is how many model years after the first a model with open
// validity offers.
const yearsAhead = 9

// InputError reports an unusable request: Field is the key path of the
// offending input ("persons[2].f", "mean_acg", "model"). A model name that
// is not known wraps a *payment.UnknownModelError (Err), so errors.As finds
// either.
type InputError struct {
	Field  string
	Reason string
	Err    error // the payment package's error, or nil
}

// Error names the field and the reason.
func (e *InputError) Error() string { return "calc: " + e.Field + ": " + e.Reason }

// Unwrap returns the payment package's error, or nil.
func (e *InputError) Unwrap() error { return e.Err }

// Calculator prices described units and regions under the embedded
// models and those added with AddModel. It caches parsed models,
// reference regions, the last statement (for downloads) and the last
// loaded region (for Reprice). Get one from New.
type Calculator struct {
	mu     sync.Mutex
	models map[string]*payment.Model
	added  []string // names of the models given by AddModel, in no order
	refs   map[int]*vardval.Region
	last   *payment.Statement
	intake *vardval.IntakeReport // of the last Region; nil after Describe
	focus  string                // unit shown for the last Describe, "" for a region
	// lastModel and lastLang are the model and language of the last
	// statement: a download is written in the page's language.
	lastModel *payment.Model
	lastLang  i18n.Lang
	loaded    *loadedRegion // the region of the last Region, for Reprice
}

// New returns a Calculator over the embedded models (add others with
// AddModel).
func New() *Calculator {
	return &Calculator{models: map[string]*payment.Model{}, refs: map[int]*vardval.Region{}}
}

// ModelInfo describes one model for the page's form.
type ModelInfo struct {
	Name        string          `json:"name"`
	Region      string          `json:"region"`
	Title       string          `json:"title"`
	ValidFrom   string          `json:"valid_from"`
	ValidTo     string          `json:"valid_to"` // "" when open
	Years       []int           `json:"years"`    // the whole calendar years it can price
	DefaultYear int             `json:"default_year"`
	Bands       []AgeBand       `json:"bands"`    // the age bands a described unit is entered by
	Measures    []MeasureInfo   `json:"measures"` // measures the model's goal components read
	Components  []ComponentInfo `json:"components"`
	Notes       string          `json:"notes"`
	// The title and notes in Swedish and in English (the model file's
	// title_sv, …; the plain title and notes when it gives none).
	TitleSV string `json:"title_sv"`
	TitleEN string `json:"title_en"`
	NotesSV string `json:"notes_sv"`
	NotesEN string `json:"notes_en"`
}

// AgeBand is an age band of the describe form: ages From..To inclusive
// (To = payment.MaxAge for the open top band).
type AgeBand struct {
	From  int    `json:"from"`
	To    int    `json:"to"`
	Label string `json:"label"`
}

// MeasureInfo is a measure a described unit may enter a result for.
type MeasureInfo struct {
	ID     string `json:"id"`
	NameSV string `json:"name_sv"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`  // proportion or rate
	Scale  int64  `json:"scale"` // value = numerator / denominator × scale
	Better string `json:"better"`
	// Style is the goal component's: "bonus" or "deduction". Missing is
	// what the model does when the measure has no result: "skip" (no pay
	// and no deduction for it) or "full" (attainment 0: a deduction in
	// full, no bonus). The page starts every measure empty and says this.
	Style   string `json:"style"`
	Missing string `json:"missing"`
	// Numerator and Denominator are a typical result near the middle of
	// the measure's range, for examples and tests (the page never fills
	// them in: a result nobody entered is not invented).
	Numerator   string `json:"numerator"`
	Denominator string `json:"denominator"`
}

// ComponentInfo names one component of a model.
type ComponentInfo struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	NameSV string `json:"name_sv"` // the name in Swedish (Name when the model gives none)
	NameEN string `json:"name_en"` // the name in English (Name when the model gives none)
}

// AddModel makes m one of the calculator's models under its name, in
// place of an embedded model or a model added before of the same name.
// The calculator keeps a validated copy (m itself is neither kept nor
// changed); a model that does not validate is refused with its
// *payment.ModelError problems, a nil model or one without a name with an
// *InputError for Field "model".
func (c *Calculator) AddModel(m *payment.Model) error {
	if m == nil || m.Name == "" {
		return &InputError{Field: "model", Reason: "a model with a name is needed"}
	}
	own, err := m.With()
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.models[own.Name] = own
	if !slices.Contains(c.added, own.Name) {
		c.added = append(c.added, own.Name)
	}
	return nil
}

// model returns the model name: one added with AddModel, else the parsed
// embedded model (cached). An unknown name is an *InputError wrapping a
// *payment.UnknownModelError.
func (c *Calculator) model(name string) (*payment.Model, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.models[name]; ok {
		return m, nil
	}
	em, ok := examples.LookupModel(name)
	if !ok {
		known := append(payment.BuiltinNames(), c.added...)
		slices.Sort(known)
		return nil, &InputError{Field: "model", Reason: fmt.Sprintf("no embedded model %q", name),
			Err: &payment.UnknownModelError{Name: name, Known: slices.Compact(known)}}
	}
	m, err := payment.ParseModel(bytes.NewReader(em.Data), payment.ParseOptions{File: em.Path})
	if err != nil {
		return nil, err
	}
	c.models[name] = m
	return m, nil
}

// Models returns every model, the embedded ones and those added with
// AddModel, sorted by name.
func (c *Calculator) Models() ([]ModelInfo, error) {
	names := payment.BuiltinNames()
	c.mu.Lock()
	names = append(names, c.added...)
	c.mu.Unlock()
	slices.Sort(names)
	var out []ModelInfo
	for _, name := range slices.Compact(names) {
		m, err := c.model(name)
		if err != nil {
			return nil, err
		}
		out = append(out, info(m))
	}
	return out, nil
}

func info(m *payment.Model) ModelInfo {
	mi := ModelInfo{Name: m.Name, Region: m.Region, Title: m.Title, ValidFrom: m.Valid.From.String(), Notes: m.Notes,
		TitleSV: i18n.Title(m, i18n.Swedish), TitleEN: i18n.Title(m, i18n.English),
		NotesSV: i18n.Notes(m, i18n.Swedish), NotesEN: i18n.Notes(m, i18n.English)}
	if !m.Valid.To.IsZero() {
		mi.ValidTo = m.Valid.To.String()
	}
	mi.Years = modelYears(m.Valid)
	if len(mi.Years) > 0 {
		mi.DefaultYear = mi.Years[0]
	}
	mi.Bands = modelBands(m)
	seen := map[string]bool{}
	for _, comp := range m.Components {
		ci := comp.Info()
		mi.Components = append(mi.Components, ComponentInfo{ID: ci.ID, Type: ci.Type, Name: ci.Name,
			NameSV: i18n.Swedish.Pick(ci.NameSV, "", ci.Name), NameEN: i18n.English.Pick("", ci.NameEN, ci.Name)})
		g, ok := comp.(*payment.Goal)
		if !ok {
			continue
		}
		for _, ind := range g.Indicators {
			if seen[ind.Measure] {
				continue
			}
			seen[ind.Measure] = true
			me := measureInfo(ind.Measure, ind.Better)
			me.Style, me.Missing = g.Style, g.Missing
			mi.Measures = append(mi.Measures, me)
		}
	}
	return mi
}

// measureInfo describes measure id with a default result near the
// middle of a typical range.
func measureInfo(id, better string) MeasureInfo {
	mi := MeasureInfo{ID: id, Better: better, Kind: "proportion", Scale: 1, Numerator: "70", Denominator: "100"}
	if d, err := measures.Lookup(id); err == nil {
		mi.NameSV, mi.NameEN, mi.Kind, mi.Scale = d.NameSV, d.NameEN, string(d.Kind), d.Scale
		if mi.Scale == 0 {
			mi.Scale = 1
		}
	}
	switch {
	case mi.Kind == "rate":
		mi.Numerator, mi.Denominator = "2500", "10000" // events, person-years: 250 per 1 000
	case id == "diabetes_hba1c_over_70":
		mi.Numerator, mi.Denominator = "12", "100"
	}
	return mi
}

// modelYears lists the whole calendar years inside the validity v.
func modelYears(v vardval.Period) []int {
	first := int(v.From.Year)
	if v.From.Month != 1 || v.From.Day != 1 {
		first++
	}
	last := first + yearsAhead
	if !v.To.IsZero() {
		last = int(v.To.Year)
		if v.To.Month != 12 || v.To.Day != 31 {
			last--
		}
	}
	var out []int
	for y := first; y <= last; y++ {
		out = append(out, y)
	}
	return out
}

// modelBands returns the age bands of the describe form: the union of the
// breakpoints of every age table and capitation rate of the model, so
// that every band the model prices is one band (or a union) of the form.
func modelBands(m *payment.Model) []AgeBand {
	cuts := map[int]bool{0: true}
	add := func(bs payment.Bands) {
		for _, b := range bs {
			cuts[b.AgeFrom] = true
			if b.AgeTo < payment.MaxAge {
				cuts[b.AgeTo+1] = true
			}
		}
	}
	for _, t := range m.Tables {
		add(t.Bands)
	}
	for _, comp := range m.Components {
		if cp, ok := comp.(*payment.Capitation); ok {
			add(cp.Rates)
		}
	}
	if len(cuts) == 1 {
		for a := 5; a <= 85; a += 5 {
			cuts[a] = true
		}
	}
	var starts []int
	for a := range cuts {
		if a <= payment.MaxAge {
			starts = append(starts, a)
		}
	}
	slices.Sort(starts)
	out := make([]AgeBand, len(starts))
	for i, a := range starts {
		to := payment.MaxAge
		if i+1 < len(starts) {
			to = starts[i+1] - 1
		}
		label := fmt.Sprintf("%d–%d", a, to)
		if to == payment.MaxAge {
			label = fmt.Sprintf("%d+", a)
		} else if to == a {
			label = fmt.Sprint(a)
		}
		out[i] = AgeBand{From: a, To: to, Label: label}
	}
	return out
}
