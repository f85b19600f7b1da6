package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/payment/xlsx"
	"github.com/vardval/vardval/vardval"
)

// loadModel resolves --model: an embedded model name, or a file path.
func loadModel(name string) (*payment.Model, error) { return loadModelWith(name, nil) }

// loadModelWith is loadModel for a model whose goal components may name
// the measures known (nil: the built-in ones).
func loadModelWith(name string, known []string) (*payment.Model, error) {
	if m, ok := examples.LookupModel(name); ok {
		return payment.ParseModel(bytes.NewReader(m.Data), modelOptions(m.Path, known))
	}
	if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
		return nil, &unknownModel{payment.UnknownModelError{Name: name, Known: payment.BuiltinNames()}}
	}
	data, err := readInput(name, "model", maxModelBytes)
	if err != nil {
		return nil, err
	}
	return payment.ParseModel(bytes.NewReader(data), modelOptions(filepath.Base(name), known))
}

// maxDefinitionsBytes bounds what is read of a --definitions file.
const maxDefinitionsBytes = 16 << 20

// definitionsFlag declares --definitions, which measures, run, explain and
// compare take.
func definitionsFlag(fs *flag.FlagSet) *string {
	return fs.String("definitions", "", "YAML file of the region's own measure definitions, extending the built-in ones")
}

// loadRegistry reads a --definitions file into the built-in measures
// extended by the file's: nil (the built-ins) for "". Every problem of
// the file is printed as FILE:LINE: KEY: reason; false means exit 2.
func loadRegistry(e *env, name string) (*measures.Registry, bool) {
	if name == "" {
		return nil, true
	}
	data, err := readInput(name, "definitions file", maxDefinitionsBytes)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return nil, false
	}
	defs, err := measures.ParseDefinitions(bytes.NewReader(data), measures.DefinitionOptions{File: filepath.Base(name)})
	var reg *measures.Registry
	if err == nil {
		reg, err = measures.BuiltinRegistry().Extend(defs...)
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(e.stderr, "vardval: %s\n", line)
		}
		return nil, false
	}
	return reg, true
}

// knownMeasureIDs reports whether every id --measures names is a measure
// of reg (nil: the built-ins), saying which is not before any data is read.
func knownMeasureIDs(e *env, reg *measures.Registry, ids []string) bool {
	known := measures.IDs()
	if reg != nil {
		known = reg.IDs()
	}
	for _, id := range ids {
		if !slices.Contains(known, id) {
			fmt.Fprintf(e.stderr, "vardval: --measures: unknown measure %q (known: %s; a region's own come with --definitions FILE)\n", redact.Text(id), strings.Join(known, ", "))
			return false
		}
	}
	return true
}

// splitIDs splits a comma-separated --measures list, trimming spaces.
func splitIDs(s string) []string {
	ids := strings.Split(s, ",")
	for i := range ids {
		ids[i] = strings.TrimSpace(ids[i])
	}
	return ids
}

// knownMeasures returns the ids goal components may name under reg: nil
// (the built-ins) for a nil reg.
func knownMeasures(reg *measures.Registry) []string {
	if reg == nil {
		return nil
	}
	return reg.IDs()
}

// unknownModel is a --model that is neither an embedded model nor a file:
// a *payment.UnknownModelError, said the CLI's way.
type unknownModel struct {
	payment.UnknownModelError
}

func (e *unknownModel) Error() string {
	return fmt.Sprintf("model %q is neither an embedded model (see vardval models) nor a file", e.Name)
}

func (e *unknownModel) Unwrap() error { return &e.UnknownModelError }

// resolvePeriod turns --period into the period priced or measured. Without
// text it is the calendar year with the most contacts in the data (so one
// mistyped date cannot move it), or fallbackYear when there are none. With
// wholeMonths (payment prices whole months) a period is widened to whole
// months, and the widening is said on stderr. A period with no contacts
// while the data has some is warned about.
func resolvePeriod(e *env, r *vardval.Region, text string, fallbackYear int, wholeMonths bool) (vardval.Period, error) {
	var p vardval.Period
	if text == "" {
		p = dataYear(r, fallbackYear)
	} else {
		var err error
		if p, err = vardval.ParsePeriod(text); err != nil {
			return p, err
		}
	}
	if wholeMonths {
		w := vardval.Period{From: p.From.YearMonth().First(), To: p.To.YearMonth().Last()}
		if w != p {
			fmt.Fprintf(e.stderr, "vardval: note: payment is monthly; period %s widened to %s\n", text, w.Label())
			p = w
		}
	}
	if months := r.ContactMonths(); len(months) > 0 {
		n := 0
		for _, m := range months {
			// Counted by month: a period that touches a month with
			// contacts is not warned about.
			if p.Overlaps(vardval.Period{From: m.Month.First(), To: m.Month.Last()}) {
				n += m.Contacts
			}
		}
		if n == 0 {
			fmt.Fprintf(e.stderr, "vardval: warning: no contacts in %s; contact-based lines and measures will be empty\n", p.Label())
		}
	}
	return p, nil
}

// price runs a model over a region through payment.Price (measures
// computed when the model pays on them). A non-empty resultsFile (CSV or
// JSON, as `vardval measures` writes it) replaces the computed measures.
func price(ctx context.Context, e *env, m *payment.Model, r *vardval.Region, periodText, resultsFile string, reg *measures.Registry) (*payment.Statement, error) {
	period, err := resolvePeriod(e, r, periodText, int(m.Valid.From.Year), true)
	if err != nil {
		return nil, err
	}
	opts := payment.PriceOptions{Workers: e.workers}
	if resultsFile != "" {
		b, err := readInput(resultsFile, "results file", maxResultsBytes)
		if err != nil {
			return nil, err
		}
		if opts.Results, err = payment.ReadResults(bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", resultsFile, err)
		}
	} else {
		// The region's own measures beside the built-in ones: Price
		// computes them over each goal indicator's window.
		opts.Registry = reg
	}
	return payment.Price(ctx, m, r, period, opts)
}

// regionFlags declares --data and --period, which every command that
// reads a region takes.
func regionFlags(fs *flag.FlagSet) (data, period *string) {
	data = fs.String("data", "", "directory with the region's CSV files")
	period = fs.String("period", "", "2024, 2024-03 or 2024-01..2024-06 (default: the year with the most contacts, the later on a tie)")
	return data, period
}

// pricingFlags declares what run and explain share: --model, --data,
// --period, --results and --definitions.
func pricingFlags(fs *flag.FlagSet) (model, data, period, results, definitions *string) {
	model = fs.String("model", "", "embedded model name (see vardval models) or model file")
	data, period = regionFlags(fs)
	results = fs.String("results", "", "measure results file (CSV or JSON) for goal-related pay instead of computing the measures")
	definitions = definitionsFlag(fs)
	return model, data, period, results, definitions
}

func cmdRun(ctx context.Context, e *env, args []string) int {
	fs := newFlags("run", e)
	model, data, period, results, definitions := pricingFlags(fs)
	workersFlag(fs, e)
	langText := langFlag(fs)
	format := fs.String("format", "table", "table, csv, json or xlsx")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return 2
	}
	if *model == "" || *data == "" {
		fmt.Fprintln(e.stderr, "usage: vardval run --model NAME|FILE --data DIR [--period P] [--definitions FILE] [--workers N] [--format table|csv|json|xlsx] [--out FILE] [--lang sv|en]")
		return 2
	}
	lang, ok := parseLang(e, *langText)
	if !ok {
		return 2
	}
	switch *format {
	case "table", "csv", "json", "xlsx":
	default:
		fmt.Fprintf(e.stderr, "vardval: unknown format %q (table, csv, json or xlsx)\n", *format)
		return 2
	}
	if *format == "xlsx" && *out == "" {
		fmt.Fprintln(e.stderr, "vardval: --format xlsx needs --out FILE")
		return 2
	}
	st, rep, ok := statement(ctx, e, *model, *data, *period, *results, *definitions, lang)
	if !ok {
		return 2
	}
	var err error
	var buf bytes.Buffer
	switch *format {
	case "table":
		err = payment.WriteTableWith(&buf, st, statementWords(lang))
	case "csv":
		err = payment.WriteCSV(&buf, st)
	case "json":
		err = payment.WriteJSON(&buf, st, rep)
	case "xlsx":
		err = xlsx.WriteStatement(&buf, st)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	if err := emit(e, *out, buf.Bytes(), *format != "xlsx"); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	return 0
}

// statement loads a model and the files of a region that it needs and
// prices the period, printing any error; run and explain share it.
// A lang other than "" gives the statement's title, line names,
// explanations and notes in that language (i18n.Statement).
func statement(ctx context.Context, e *env, model, data, period, results, definitions string, lang i18n.Lang) (*payment.Statement, *vardval.IntakeReport, bool) {
	reg, ok := loadRegistry(e, definitions)
	if !ok {
		return nil, nil, false
	}
	m, err := loadModelWith(model, knownMeasures(reg))
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return nil, nil, false
	}
	need := m.Inputs()
	r, rep, ok := loadDirLang(ctx, e, data, &need, lang)
	if !ok {
		return nil, nil, false
	}
	bar := newProgress(e.tty, "pricing", 0)
	st, err := price(ctx, e, m, r, period, results, reg)
	bar.finish()
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return nil, nil, false
	}
	if lang != "" {
		st = i18n.Statement(st, m, lang)
	}
	return st, rep, true
}

// statementWords are the fixed words of the statement's table and
// explanation in lang: without --lang (""), the English of before.
func statementWords(lang i18n.Lang) payment.Words {
	if lang == "" {
		return payment.EnglishWords()
	}
	return i18n.Words(lang)
}

// langFlag is --lang: the language of statement texts (English by
// default, as before the flag).
func langFlag(fs *flag.FlagSet) *string {
	return fs.String("lang", "", "language of line names, explanations and notes: sv or en (default: the model's names, English texts)")
}

// parseLang reads --lang ("" stays "": the statement as priced).
func parseLang(e *env, s string) (i18n.Lang, bool) {
	if s == "" {
		return "", true
	}
	l, err := i18n.Parse(s)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: --lang: %v\n", err)
		return "", false
	}
	return l, true
}

// maxResultsBytes bounds what is read of a --results file.
const maxResultsBytes = 256 << 20

// emit writes b to the named file (atomically, see writeFile), or to
// standard output when name is "".
// Text (every format but xlsx) has personnummer shapes masked and control
// characters replaced in the file as on a terminal.
func emit(e *env, name string, b []byte, text bool) error {
	if name == "" {
		_, err := e.stdout.Write(b)
		return err
	}
	if text {
		b = redact.Terminal(b)
	}
	return e.writeFile(name, b)
}

func cmdExplain(ctx context.Context, e *env, args []string) int {
	fs := newFlags("explain", e)
	model, data, period, results, definitions := pricingFlags(fs)
	workersFlag(fs, e)
	unit := fs.String("unit", "", "unit id")
	out := fs.String("out", "", "write to this file instead of standard output")
	langText := langFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return 2
	}
	if *model == "" || *data == "" || *unit == "" {
		fmt.Fprintln(e.stderr, "usage: vardval explain --model M --data DIR --unit U [--period P] [--definitions FILE] [--workers N] [--out FILE] [--lang sv|en]")
		return 2
	}
	lang, ok := parseLang(e, *langText)
	if !ok {
		return 2
	}
	st, _, ok := statement(ctx, e, *model, *data, *period, *results, *definitions, lang)
	if !ok {
		return 2
	}
	var buf bytes.Buffer
	if err := payment.ExplainWith(&buf, st, *unit, statementWords(lang)); err != nil {
		var ue *payment.UnknownUnitError
		if lang == i18n.Swedish && errors.As(err, &ue) {
			id := []rune(ue.UnitID)
			id = id[:min(len(id), 200)]
			fmt.Fprintf(e.stderr, "vardval: ingen specifikation för enheten %q (bara vårdcentraler får specifikationer)\n", redact.Text(string(id)))
			return 2
		}
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	if err := emit(e, *out, buf.Bytes(), true); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	return 0
}

func cmdModels(ctx context.Context, e *env, args []string) int {
	if len(args) != 0 {
		fmt.Fprintln(e.stderr, "usage: vardval models")
		return 2
	}
	for _, em := range examples.Models() {
		m, err := payment.ParseModel(bytes.NewReader(em.Data), parseOptions(em.Path))
		if err != nil {
			fmt.Fprintf(e.stdout, "%s\t(invalid: %v)\n", em.Name, err)
			continue
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\tfrom %s\n", em.Name, m.Region, m.Title, m.Valid.From)
	}
	return 0
}

func cmdModel(ctx context.Context, e *env, args []string) int {
	fs := newFlags("model", e)
	definitions := definitionsFlag(fs)
	args, err := parseArgs(fs, args, 2)
	if err != nil || len(args) != 2 || args[0] != "check" {
		fmt.Fprintln(e.stderr, "usage: vardval model check FILE [--definitions FILE]")
		return 2
	}
	reg, ok := loadRegistry(e, *definitions)
	if !ok {
		return 2
	}
	var data []byte
	name := args[1]
	if em, ok := examples.LookupModel(name); ok {
		data, name = em.Data, em.Path
	} else if data, err = readInput(name, "model", maxModelBytes); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	opts := modelOptions(filepath.Base(name), knownMeasures(reg))
	if err := payment.CheckModel(data, opts); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(e.stderr, line)
		}
		return 1
	}
	fmt.Fprintf(e.stdout, "%s: ok\n", name)
	// What Swedish output shows in English: notes, not errors.
	m, err := payment.ParseModel(bytes.NewReader(data), opts)
	if err != nil {
		return 1 // CheckModel accepted it
	}
	for _, n := range untranslated(m) {
		fmt.Fprintf(e.stdout, "%s: note: %s\n", name, redact.Text(n))
	}
	return 0
}

func cmdMeasures(ctx context.Context, e *env, args []string) int {
	fs := newFlags("measures", e)
	data, period := regionFlags(fs)
	ids := fs.String("measures", "", "comma-separated measure ids (default: all)")
	workersFlag(fs, e)
	format := fs.String("format", "table", "table, csv or json")
	plot := fs.String("plot", "", "write one funnel plot per measure as SVG into this directory (in the --lang language, else Swedish and English)")
	overdispersion := fs.Bool("overdispersion", false, "widen funnel limits for overdispersion (DerSimonian–Laird)")
	force := fs.Bool("force", false, "let --plot write into a directory that is not empty (replacing only the plots)")
	out := fs.String("out", "", "write to this file instead of standard output")
	definitions := definitionsFlag(fs)
	langText := langFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return 2
	}
	if *data == "" {
		fmt.Fprintln(e.stderr, "usage: vardval measures --data DIR [--measures ids] [--definitions FILE] [--period P] [--workers N] [--format table|csv|json] [--out FILE] [--plot DIR [--force]] [--lang sv|en]")
		return 2
	}
	lang, ok := parseLang(e, *langText)
	if !ok {
		return 2
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(e.stderr, "vardval: unknown format %q (table, csv or json)\n", *format)
		return 2
	}
	if *plot != "" {
		if err := outputDir(*plot, "--plot", *force); err != nil {
			fmt.Fprintf(e.stderr, "vardval: %v\n", err)
			return 2
		}
	}
	reg, ok := loadRegistry(e, *definitions)
	if !ok {
		return 2
	}
	if *ids != "" && !knownMeasureIDs(e, reg, splitIDs(*ids)) {
		return 2
	}
	r, _, ok := loadDirLang(ctx, e, *data, nil, lang)
	if !ok {
		return 2
	}
	p, err := resolvePeriod(e, r, *period, 2024, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	opts := measures.Options{Overdispersion: *overdispersion, Registry: reg, Workers: e.workers}
	if *ids != "" {
		opts.Measures = splitIDs(*ids)
	}
	bar := newProgress(e.tty, "computing the measures", 0)
	rep, err := measures.Compute(ctx, r, p, opts)
	bar.finish()
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	var write func(io.Writer, *measures.Report, measures.Texts) error
	switch *format {
	case "table":
		write = measures.WriteTableWith
	case "csv":
		write = measures.WriteCSVWith
	case "json":
		write = measures.WriteJSONWith
	default:
		fmt.Fprintf(e.stderr, "vardval: unknown format %q (table, csv or json)\n", *format)
		return 2
	}
	var buf bytes.Buffer
	if err := write(&buf, rep, measureTexts(lang)); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	if err := emit(e, *out, buf.Bytes(), true); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	if *plot != "" {
		ids := make([]string, len(rep.Measures))
		for i, mr := range rep.Measures {
			ids[i] = mr.Definition.ID
		}
		names := fileNames(ids, ".svg")
		for i, id := range ids {
			var b bytes.Buffer
			// With --lang the plot's texts and numbers are in that language
			// alone; without it Swedish and English side by side, as before.
			if err := measures.WriteFunnelSVGWith(&b, rep, id, measures.FunnelSVGOptions{Lang: string(lang)}); err != nil {
				fmt.Fprintf(e.stderr, "vardval: %v\n", err)
				return 2
			}
			if err := e.writeFile(filepath.Join(*plot, names[i]), b.Bytes()); err != nil {
				fmt.Fprintf(e.stderr, "vardval: %v\n", err)
				return 2
			}
		}
	}
	return 0
}

// dataYear is the calendar year with the most contacts (the later year on
// a tie), or the fallback year when there are no contacts.
func dataYear(r *vardval.Region, fallback int) vardval.Period {
	y := vardval.DefaultYear(r, nil, fallback)
	return vardval.Period{From: vardval.D(y, 1, 1), To: vardval.D(y, 12, 31)}
}
