package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/payment/xlsx"
	"github.com/vardval/vardval/vardval"
)

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// override is one --set: [a:|b:]component.parameter=value[@YYYY-MM].
type override struct {
	side  string // "a", "b" or "" (both... no: "" means model B)
	key   string
	value decimal.Decimal
	from  vardval.Date
	text  string
}

// parseOverride reads --set [a:|b:]KEY=VALUE[@FROM]; without a side it
// applies to model B (the proposal), without FROM from the period's start.
func parseOverride(s string, start vardval.Date) (override, error) {
	o := override{side: "b", text: s}
	if side, rest, ok := strings.Cut(s, ":"); ok && (side == "a" || side == "b") {
		o.side, s = side, rest
	}
	key, val, ok := strings.Cut(s, "=")
	if !ok || key == "" || val == "" {
		return o, fmt.Errorf("--set %q: want component.parameter=value[@YYYY-MM]", o.text)
	}
	o.key = key
	o.from = start
	if v, from, ok := strings.Cut(val, "@"); ok {
		val = v
		d, err := vardval.ParseDate(from + "-01")
		if len(from) == 10 {
			d, err = vardval.ParseDate(from)
		}
		if err != nil || (len(from) != 7 && len(from) != 10) {
			return o, fmt.Errorf("--set %q: the date after @ must be YYYY-MM or YYYY-MM-DD", o.text)
		}
		o.from = d
	}
	d, err := payment.ParseParameterValue(val)
	if err != nil {
		return o, fmt.Errorf("--set %s: %w", o.key, err)
	}
	o.value = d
	return o, nil
}

func cmdCompare(ctx context.Context, e *env, args []string) int {
	fs := newFlags("compare", e)
	var models, sets multiFlag
	fs.Var(&models, "model", "model A, then model B (embedded name or file); once to compare a model with itself under --set")
	fs.Var(&sets, "set", "override a parameter: [a:|b:]component.parameter=value[@YYYY-MM] (default side b), repeatable")
	var varies multiFlag
	fs.Var(&varies, "vary", varyHelp)
	balance := fs.String("balance", "", "with --vary on a pool share: the share that takes up the difference (default: the pool's largest other share)")
	data, period := regionFlags(fs)
	workersFlag(fs, e)
	format := fs.String("format", "table", "table, csv, json or xlsx")
	out := fs.String("out", "", "write to this file instead of standard output")
	waterfall := fs.String("waterfall", "", "write waterfall charts (region.svg and one per unit) into this directory")
	unit := fs.String("unit", "", "also show marginal effects for this unit (first month of the period)")
	force := fs.Bool("force", false, "let --waterfall write into a directory that is not empty (replacing only the charts)")
	definitions := definitionsFlag(fs)
	langText := langFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return 2
	}
	lang, ok := parseLang(e, *langText)
	if !ok {
		return 2
	}
	if len(varies) > 0 {
		if len(models) != 1 || *data == "" || *waterfall != "" || *format == "xlsx" {
			fmt.Fprintln(e.stderr, "usage: vardval compare --model A --data DIR --vary KEY=V1,V2,...|KEY=FROM..TO/STEP [--vary KEY2=...] [--balance KEY] [--set key=value] [--period P] [--format table|csv|json] [--out FILE] [--unit U] [--lang sv|en]")
			fmt.Fprintln(e.stderr, "  e.g. vardval compare --model skane-2023 --data DIR --vary 'capitation.shares[2].share=0.10..0.20/0.01'")
			return 2
		}
		reg, ok := loadRegistry(e, *definitions)
		if !ok {
			return 2
		}
		m, err := loadModelWith(models[0], knownMeasures(reg))
		if err != nil {
			fmt.Fprintf(e.stderr, "vardval: %v\n", err)
			return 2
		}
		return sweepCompare(ctx, e, m, varies, sets, *balance, *data, *period, *format, *out, *unit, reg, lang)
	}
	if len(models) == 1 && len(sets) > 0 {
		models = append(models, models[0])
	}
	if len(models) != 2 || *data == "" {
		fmt.Fprintln(e.stderr, "usage: vardval compare --model A --model B --data DIR [--set key=value] [--period P] [--definitions FILE] [--workers N] [--format table|csv|json|xlsx] [--waterfall DIR] [--unit U] [--lang sv|en]")
		return 2
	}
	if *format == "xlsx" && *out == "" {
		fmt.Fprintln(e.stderr, "vardval: --format xlsx needs --out FILE")
		return 2
	}
	if *waterfall != "" {
		if err := outputDir(*waterfall, "--waterfall", *force); err != nil {
			fmt.Fprintf(e.stderr, "vardval: %v\n", err)
			return 2
		}
	}
	reg, ok := loadRegistry(e, *definitions)
	if !ok {
		return 2
	}
	ma, err := loadModelWith(models[0], knownMeasures(reg))
	if err == nil {
		var mb *payment.Model
		if mb, err = loadModelWith(models[1], knownMeasures(reg)); err == nil {
			return compareModels(ctx, e, ma, mb, sets, *data, *period, *format, *out, *waterfall, *unit, reg, lang)
		}
	}
	fmt.Fprintf(e.stderr, "vardval: %v\n", err)
	return 2
}

func compareModels(ctx context.Context, e *env, ma, mb *payment.Model, sets []string, data, periodText, format, out, waterfall, unit string, reg *measures.Registry, lang i18n.Lang) int {
	fail := func(err error) int { fmt.Fprintf(e.stderr, "vardval: %v\n", err); return 2 }
	// A --set that is not a number in the model's format is refused before
	// the region is read (the date it takes effect needs the period).
	for _, s := range sets {
		if _, err := parseOverride(s, vardval.Date{}); err != nil {
			return fail(err)
		}
	}
	na, nb := ma.Inputs(), mb.Inputs()
	need := payment.Inputs{Contacts: na.Contacts || nb.Contacts, Diagnoses: na.Diagnoses || nb.Diagnoses,
		Observations: na.Observations || nb.Observations, Prescriptions: na.Prescriptions || nb.Prescriptions,
		Followup: na.Followup || nb.Followup}
	r, _, ok := loadDirLang(ctx, e, data, &need, lang)
	if !ok {
		return 2
	}
	period, err := resolvePeriod(e, r, periodText, int(ma.Valid.From.Year), true)
	if err != nil {
		return fail(err)
	}
	// Every --set of a side is applied at once and the changed model is
	// validated as a model file is (two shares of a pool are only right
	// together).
	var notes []string
	overrides := map[string][]payment.Override{}
	for _, s := range sets {
		o, err := parseOverride(s, period.From)
		if err != nil {
			return fail(err)
		}
		overrides[o.side] = append(overrides[o.side], payment.Override{Key: o.key, From: o.from, Value: o.value, Note: "--set " + o.text})
		from := "from"
		if lang == i18n.Swedish {
			from = "från"
		}
		notes = append(notes, fmt.Sprintf("%s: %s = %s %s %s", strings.ToUpper(o.side), o.key, o.value, from, o.from.YearMonth()))
	}
	for _, side := range []struct {
		name string
		m    **payment.Model
	}{{"a", &ma}, {"b", &mb}} {
		if len(overrides[side.name]) == 0 {
			continue
		}
		changed, err := (*side.m).With(overrides[side.name]...)
		if err != nil {
			return fail(err)
		}
		*side.m = changed
	}
	// The measures are computed once for both models.
	mrep, err := payment.MeasuresWith(ctx, r, period, measures.Options{Registry: reg, Workers: e.workers}, ma, mb)
	if err != nil {
		return fail(err)
	}
	popts := payment.PriceOptions{Measures: mrep, Workers: e.workers, Registry: reg}
	sa, err := payment.Price(ctx, ma, r, period, popts)
	if err != nil {
		return fail(err)
	}
	sb, err := payment.Price(ctx, mb, r, period, popts)
	if err != nil {
		return fail(err)
	}
	c := payment.Compare(sa, sb)
	if ma.Name == mb.Name {
		c.ModelA, c.ModelB = ma.Name+" (A)", mb.Name+" (B)"
	}
	c.Overrides = notes
	var buf bytes.Buffer
	switch format {
	case "table":
		err = payment.WriteComparisonTable(&buf, c)
	case "csv":
		err = payment.WriteComparisonCSV(&buf, c)
	case "json":
		err = payment.WriteComparisonJSON(&buf, c)
	case "xlsx":
		err = xlsx.WriteComparison(&buf, c)
	default:
		fmt.Fprintf(e.stderr, "vardval: unknown format %q (table, csv, json or xlsx)\n", format)
		return 2
	}
	if err != nil {
		return fail(err)
	}
	if err := emit(e, out, buf.Bytes(), format != "xlsx"); err != nil {
		return fail(err)
	}
	if waterfall != "" {
		// The region's chart is region.svg; a unit's is named by its id
		// (made safe for a file name, never region.svg).
		ids := []string{"region"}
		for _, u := range c.Units {
			ids = append(ids, u.UnitID)
		}
		names := fileNames(ids, ".svg")
		for i, id := range ids {
			target := id
			if i == 0 {
				target = ""
			}
			var b bytes.Buffer
			if err := payment.WriteWaterfallSVG(&b, c, target); err != nil {
				return fail(err)
			}
			if err := e.writeFile(filepath.Join(waterfall, names[i]), b.Bytes()); err != nil {
				return fail(err)
			}
		}
	}
	if unit != "" {
		ym := period.From.YearMonth()
		for _, m := range []*payment.Model{ma, mb} {
			ro, err := popts.RunOptionsFor(ctx, m, r, vardval.MonthPeriod(ym))
			if err != nil {
				return fail(err)
			}
			ms, err := payment.Marginals(ctx, m, r, ym, unit, ro)
			if err != nil {
				return fail(err)
			}
			head := "\nmarginal effects for %s under %s, %s (SEK per month):\n"
			if lang == i18n.Swedish {
				head = "\nmarginaleffekter för %s under %s, %s (kr per månad):\n"
			}
			fmt.Fprintf(e.stdout, head, redact.Text(unit), redact.Text(m.Name), ym)
			for _, x := range ms {
				what := x.What
				if lang == i18n.Swedish {
					what = i18n.Text(what, lang)
				}
				fmt.Fprintf(e.stdout, "  %12s  %s\n", x.Amount.StringFixed(2), what)
			}
		}
	}
	return 0
}
