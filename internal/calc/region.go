package calc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// RegionRequest asks for a region's statements under one of the
// calculator's models (embedded, or added with AddModel).
type RegionRequest struct {
	Model string `json:"model"`
	// Year is the calendar year to price; 0 means the latest year with
	// contacts in the data that the model covers (the model's first year
	// when there are no contacts).
	Year int `json:"year"`
	// Month, 1–12, prices that month of Year only (as a region pays
	// monthly); 0 means the whole year. The measures feeding goal-related
	// pay are then computed over that month, as `vardval run --period`
	// does.
	Month int `json:"month"`
	// NoMeasures skips the follow-up measures (goal-related pay then gives
	// zero lines saying there is no result).
	NoMeasures bool `json:"no_measures"`
	// Lang is the language of the view's texts: "sv" or "en" ("" is
	// English, as the CLI writes).
	Lang string `json:"lang"`
}

// ReasonBrowserRead is the reason of the *InputError (Field "read") a
// File's Reader gives when the browser could not read the file; Region
// then names the file with a reason a person understands.
const ReasonBrowserRead = "the browser could not read the file"

// File is one input file of a region: its contract name ("units.csv"),
// its content and its size in bytes (for progress; 0 if unknown).
type File struct {
	Name   string
	Reader io.Reader
	Size   int64
}

// Progress reports how far Region or Reprice has come: Stage is "read"
// (Region only: File and Done/Total bytes of that file), "measures",
// "payment", "funnels" or "done".
type Progress struct {
	Stage string `json:"stage"`
	File  string `json:"file,omitempty"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}

// progressStep is how many bytes a file reader reads between progress
// reports.
const progressStep = 4 << 20

type countingReader struct {
	r          io.Reader
	file       string
	done, size int64
	next       int64
	report     func(Progress)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	if c.done >= c.next || err == io.EOF {
		c.next = c.done + progressStep
		c.report(Progress{Stage: "read", File: c.file, Done: c.done, Total: c.size})
	}
	return n, err
}

// Region loads a region's files, prices every primary-care unit under
// req.Model and computes the measures with their funnel plots. It returns
// *InputError for a file name that is not of the contract or given twice,
// and intake's error for a file that cannot be read at all (rejected rows
// are not errors: they are listed in View.Intake). progress may be nil;
// it is called one call at a time, though the files are read on two
// goroutines. The Calculator keeps the region (in place of the one loaded
// before) for Reprice.
func (c *Calculator) Region(ctx context.Context, req RegionRequest, files []File, progress func(Progress)) (*View, error) {
	if progress == nil {
		progress = func(Progress) {}
	} else {
		var mu sync.Mutex
		report := progress
		progress = func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			report(p)
		}
	}
	m, err := c.model(req.Model)
	if err != nil {
		return nil, err
	}
	if _, err := pricePeriod(m, nil, req); err != nil {
		return nil, err // before reading gigabytes
	}
	var in vardval.Files
	slots := map[string]*io.Reader{
		vardval.FileUnits: &in.Units, vardval.FileAreas: &in.Areas, vardval.FileListings: &in.Listings,
		vardval.FileContacts: &in.Contacts, vardval.FileDiagnoses: &in.Diagnoses,
		vardval.FileObservations: &in.Observations, vardval.FilePrescriptions: &in.Prescriptions,
		vardval.FileProcedures: &in.Procedures, vardval.FileAdmissions: &in.Admissions,
		vardval.FileClinicians: &in.Clinicians, vardval.FileCalls: &in.Calls, vardval.FileSurvey: &in.Survey,
	}
	for i, f := range files {
		slot, ok := slots[f.Name]
		if !ok {
			// The name is the user's: a personnummer or control characters
			// in it are masked before it is shown.
			return nil, &InputError{Field: fmt.Sprintf("files[%d]", i), Reason: fmt.Sprintf("%q is not a file of the data contract (%v)", redact.Text(f.Name), vardval.FileNames())}
		}
		if *slot != nil {
			return nil, &InputError{Field: fmt.Sprintf("files[%d]", i), Reason: fmt.Sprintf("%s given twice", f.Name)}
		}
		*slot = &countingReader{r: f.Reader, file: f.Name, size: f.Size, report: progress}
	}
	// The region loaded before is let go first: two at once may not fit.
	c.mu.Lock()
	c.loaded = nil
	c.mu.Unlock()
	r, rep, err := vardval.Load(ctx, in, vardval.LoadOptions{})
	// A given file that could not be read would silently price without
	// it. Field "files.NAME" names the file; Reason says why, in the
	// request's language, for the page to show.
	if rep != nil {
		lang := viewLang(req.Lang)
		for _, f := range rep.Files {
			if fe := f.Fatal(); fe != nil {
				reason := i18n.PageFileReason(fe, lang)
				if ie := (*InputError)(nil); errors.As(fe, &ie) && ie.Field == "read" {
					reason = lang.Pick("webbläsaren kunde inte läsa filen (har den ändrats eller flyttats sedan den valdes?)",
						"the browser could not read the file (was it changed or moved after it was chosen?)", "")
				}
				if fe.Column != "" {
					reason = lang.Pick("kolumnen ", "column ", "") + fe.Column + ": " + reason
				}
				return nil, &InputError{Field: "files." + f.File, Reason: redact.Text(reason), Err: cmp.Or(err, rep.Err())}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if err := rep.Err(); err != nil {
		return nil, err
	}
	l := &loadedRegion{r: r, intake: rep}
	c.mu.Lock()
	c.loaded = l
	c.mu.Unlock()
	return c.price(ctx, m, l, req, progress)
}

// Reprice prices the region kept by the last Region whose files were read
// (even if its pricing then failed) again, under another model, year or
// month, without reading its files again: what makes a region's months
// feel instant in the page. It returns an *InputError for Field "files"
// when no region is kept (none read yet, or the last Region's files could
// not be read). progress (may be nil) gets the stages after "read".
func (c *Calculator) Reprice(ctx context.Context, req RegionRequest, progress func(Progress)) (*View, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	m, err := c.model(req.Model)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	l := c.loaded
	c.mu.Unlock()
	if l == nil {
		return nil, &InputError{Field: "files", Reason: "no region is loaded: open the region's files first"}
	}
	return c.price(ctx, m, l, req, progress)
}

// loadedRegion is a region Region loaded, kept for Reprice with the
// measures of the last period they were computed for.
type loadedRegion struct {
	r      *vardval.Region
	intake *vardval.IntakeReport

	mu       sync.Mutex
	measured vardval.Period
	measures *measures.Report

	// The sums of the last model and period Vary priced (one at a time).
	swMu         sync.Mutex
	sweeper      *payment.Sweeper
	swPeriod     vardval.Period
	swNoMeasures bool
	// The statement price made last, for Vary at the model's own values
	// (the slider shown at once, its sums made on the first move).
	priced priceKey
	last   *payment.Statement
}

// priceKey is what a statement of a loaded region was priced for.
type priceKey struct {
	m          *payment.Model
	period     vardval.Period
	noMeasures bool
}

// measuresFor returns the measures of period, computed once per period in
// a row (a model or month switch back and forth recomputes).
func (l *loadedRegion) measuresFor(ctx context.Context, period vardval.Period) (*measures.Report, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.measures != nil && l.measured == period {
		return l.measures, nil
	}
	rep, err := measures.Compute(ctx, l.r, period, measures.Options{})
	if err != nil {
		return nil, err
	}
	l.measured, l.measures = period, rep
	return rep, nil
}

// pricePeriod is the period req asks m to price over r (nil r: only the
// request is checked, Year 0 then standing for any year the model covers).
func pricePeriod(m *payment.Model, r *vardval.Region, req RegionRequest) (vardval.Period, error) {
	years := modelYears(m.Valid)
	if req.Year != 0 && !slices.Contains(years, req.Year) {
		return vardval.Period{}, &InputError{Field: "year", Reason: fmt.Sprintf("model %s does not cover the whole year %d", m.Name, req.Year)}
	}
	if req.Month < 0 || req.Month > 12 {
		return vardval.Period{}, &InputError{Field: "month", Reason: fmt.Sprintf("month %d is not 1–12, or 0 for the whole year", req.Month)}
	}
	year := req.Year
	if year == 0 {
		if r == nil {
			return vardval.Period{}, nil
		}
		year = dataYear(r, years)
	}
	if req.Month == 0 {
		return vardval.Period{From: vardval.D(year, 1, 1), To: vardval.D(year, 12, 31)}, nil
	}
	return vardval.MonthPeriod(vardval.YearMonth{Year: year, Month: req.Month}), nil
}

// price prices l under m for the period of req and makes the view.
func (c *Calculator) price(ctx context.Context, m *payment.Model, l *loadedRegion, req RegionRequest, progress func(Progress)) (*View, error) {
	r := l.r
	period, err := pricePeriod(m, r, req)
	if err != nil {
		return nil, err
	}
	// The measures are computed (once per period) whether or not the
	// model pays on them: the view shows them.
	var mrep *measures.Report
	if !req.NoMeasures {
		progress(Progress{Stage: "measures"})
		mrep, err = l.measuresFor(ctx, period)
		if err != nil {
			return nil, err
		}
	}
	progress(Progress{Stage: "payment"})
	st, err := payment.Price(ctx, m, r, period, payment.PriceOptions{Measures: mrep, NoMeasures: req.NoMeasures})
	if err != nil {
		return nil, err
	}
	l.swMu.Lock()
	l.priced, l.last = priceKey{m, period, req.NoMeasures}, st
	l.swMu.Unlock()
	c.mu.Lock()
	lang := viewLang(req.Lang)
	c.last, c.focus, c.intake = st, "", l.intake
	c.lastModel, c.lastLang = m, lang
	c.mu.Unlock()
	v := translated(statementView(st, ""), m, lang)
	v.Intake = intakeView(l.intake, lang)
	v.Persons, v.Listings, v.Contacts = len(r.Persons), len(r.Listings), len(r.Contacts)
	for _, cm := range r.ContactMonths() {
		if y := cm.Month.Year; !slices.Contains(v.DataYears, y) {
			v.DataYears = append(v.DataYears, y)
		}
	}
	slices.Sort(v.DataYears)
	if mrep != nil {
		progress(Progress{Stage: "funnels"})
		v.Measures = measuresView(mrep)
		names := map[string]string{}
		for _, u := range v.Units {
			names[u.UnitID] = u.Name
		}
		funnels(mrep, v.Measures, string(lang), names)
	}
	progress(Progress{Stage: "done"})
	return v, nil
}

// dataYear is vardval.DefaultYear among the years the model covers: the
// one with the most contacts (the later on a tie), else the model's first
// year.
func dataYear(r *vardval.Region, years []int) int {
	fallback := 0
	if len(years) > 0 {
		fallback = years[0]
	}
	return vardval.DefaultYear(r, years, fallback)
}

// viewLang is the language of a request's Lang: Swedish for "sv",
// English otherwise.
func viewLang(lang string) i18n.Lang {
	if lang == string(i18n.Swedish) {
		return i18n.Swedish
	}
	return i18n.English
}
