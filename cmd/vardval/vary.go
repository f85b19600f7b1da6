package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// maxVariants bounds the variants of one sweep (the grid of two keys
// included): each is a statement kept in memory.
const maxVariants = 10000

// varyHelp is the --vary flag's description, also shown by compare --help.
const varyHelp = "price the model under each value of a parameter: KEY=V1,V2,... or KEY=FROM..TO/STEP " +
	"(KEY as for --set, the model file's key path, e.g. capitation.shares[2].share for skane-2023's CNI share; " +
	"values with '.' as the decimal point); twice for a grid of two keys"

// vary is one --vary: a key and its values in order.
type vary struct {
	key    string
	values []decimal.Decimal
}

// parseVary reads --vary KEY=V1,V2,… or KEY=FROM..TO/STEP (FROM, FROM+STEP,
// … up to and including TO, STEP > 0). Values are numbers as --set takes
// them, with '.' as the decimal point (a comma separates values).
func parseVary(s string) (vary, error) {
	key, val, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.TrimSpace(val) == "" {
		return vary{}, fmt.Errorf("--vary %q: want KEY=V1,V2,... or KEY=FROM..TO/STEP", clip(s))
	}
	v := vary{key: key}
	num := func(t string) (decimal.Decimal, error) {
		if strings.Contains(t, ",") {
			return decimal.Decimal{}, fmt.Errorf("--vary %s: %q: write decimals with '.', a comma separates values", clip(key), clip(t))
		}
		d, err := payment.ParseParameterValue(t)
		if err != nil {
			return d, fmt.Errorf("--vary %s: %w", clip(key), err)
		}
		return d, nil
	}
	if from, rest, ok := strings.Cut(val, ".."); ok {
		to, step, ok := strings.Cut(rest, "/")
		if !ok {
			return vary{}, fmt.Errorf("--vary %s: a range needs a step: FROM..TO/STEP", clip(key))
		}
		a, err := num(from)
		if err != nil {
			return vary{}, err
		}
		b, err := num(to)
		if err != nil {
			return vary{}, err
		}
		st, err := num(step)
		if err != nil {
			return vary{}, err
		}
		if !st.IsPositive() {
			return vary{}, fmt.Errorf("--vary %s: the step must be greater than 0", clip(key))
		}
		if b.LessThan(a) {
			return vary{}, fmt.Errorf("--vary %s: %s..%s is empty (FROM must not be greater than TO)", clip(key), a, b)
		}
		if n := b.Sub(a).Div(st).IntPart(); n >= maxVariants {
			return vary{}, fmt.Errorf("--vary %s: more than %d values", clip(key), maxVariants)
		}
		for x := a; x.LessThanOrEqual(b); x = x.Add(st) {
			v.values = append(v.values, x)
		}
		return v, nil
	}
	for _, t := range strings.Split(val, ",") {
		d, err := num(t)
		if err != nil {
			return vary{}, err
		}
		if len(v.values) >= maxVariants {
			return vary{}, fmt.Errorf("--vary %s: more than %d values", clip(key), maxVariants)
		}
		v.values = append(v.values, d)
	}
	return v, nil
}

// clip shortens text from the command line for a message, masking what
// looks like a personnummer.
func clip(s string) string {
	s = redact.Text(s)
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

// shareKey matches a pool share's key path: the component (components[i]
// or its id), then shares[j].share.
var shareKey = regexp.MustCompile(`^(.+)\.shares\[(\d+)\]\.share$`)

// canonical returns key with a component id replaced by components[i].
func canonical(m *payment.Model, key string) string {
	if strings.HasPrefix(key, "components[") {
		return key
	}
	id, rest, _ := strings.Cut(key, ".")
	for i, c := range m.Components {
		if c.Info().ID == id {
			return fmt.Sprintf("components[%d].%s", i, rest)
		}
	}
	return key
}

// balancing says which share takes up the difference when a varied key
// is a pool share: the shares of a pool must sum to 1, so the share named
// by --balance, or else the largest other share of the same pool in force
// at the period's start that is neither varied nor --set (the first on a
// tie), is set to 1 minus the others in each variant.
type balancing struct {
	key    string   // the balancing share's key path
	others []string // the pool's other shares (canonical key paths)
}

// balances returns the balancing shares the varied keys need.
func balances(m *payment.Model, varies []vary, sets []override, balanceFlag string, at vardval.Date) ([]balancing, error) {
	params := map[string]*payment.Param{}
	var order []string
	for _, p := range m.Params() {
		params[p.Path] = p
		order = append(order, p.Path)
	}
	fixed := map[string]bool{}
	for _, v := range varies {
		fixed[canonical(m, v.key)] = true
	}
	for _, s := range sets {
		if s.side == "b" {
			fixed[canonical(m, s.key)] = true
		}
	}
	var out []balancing
	pools := map[string]bool{}
	for _, v := range varies {
		g := shareKey.FindStringSubmatch(canonical(m, v.key))
		if g == nil || pools[g[1]] {
			continue
		}
		pools[g[1]] = true
		var shares []string
		for _, path := range order {
			if h := shareKey.FindStringSubmatch(path); h != nil && h[1] == g[1] {
				shares = append(shares, path)
			}
		}
		b := balancing{}
		if balanceFlag != "" {
			bk := canonical(m, balanceFlag)
			if !slices.Contains(shares, bk) || fixed[bk] {
				return nil, fmt.Errorf("--balance %s: not a share of the pool of %s that no --vary or --set names", clip(balanceFlag), clip(v.key))
			}
			b.key = bk
		}
		if b.key == "" {
			best := decimal.Decimal{}
			for _, path := range shares {
				if fixed[path] {
					continue
				}
				if d, ok := params[path].At(at); ok && (b.key == "" || d.Value.GreaterThan(best)) {
					b.key, best = path, d.Value
				}
			}
		}
		if b.key == "" {
			if balanceFlag != "" {
				return nil, fmt.Errorf("--balance %s: not a share of the pool of %s", clip(balanceFlag), clip(v.key))
			}
			continue // every share is varied or set: the user keeps the sum
		}
		for _, path := range shares {
			if path != b.key {
				b.others = append(b.others, path)
			}
		}
		// Shown as the varied key is written: by component id or index.
		if !strings.HasPrefix(v.key, "components[") {
			id, _, _ := strings.Cut(v.key, ".")
			if _, rest, ok := strings.Cut(b.key, "."); ok {
				b.key = id + "." + rest
			}
		}
		out = append(out, b)
	}
	if balanceFlag != "" && len(out) == 0 {
		return nil, fmt.Errorf("--balance %s: no --vary key is a share of its pool", clip(balanceFlag))
	}
	return out, nil
}

// variants makes the sweep's variants: every value of the first --vary
// key (times every value of the second, a grid), with the --set overrides
// of side b and the balancing shares, in force from the period's start.
func variants(m *payment.Model, varies []vary, sets []override, bal []balancing, from vardval.Date) ([]payment.Variant, error) {
	n := 1
	for _, v := range varies {
		n *= len(v.values)
		if n > maxVariants {
			return nil, fmt.Errorf("--vary: more than %d variants", maxVariants)
		}
	}
	params := map[string]*payment.Param{}
	for _, p := range m.Params() {
		params[p.Path] = p
	}
	var out []payment.Variant
	idx := make([]int, len(varies))
	for range n {
		var names []string
		var ovs []payment.Override
		value := map[string]decimal.Decimal{}
		for _, s := range sets {
			if s.side == "b" {
				ovs = append(ovs, payment.Override{Key: s.key, From: s.from, Value: s.value, Note: "--set " + s.text})
				value[canonical(m, s.key)] = s.value
			}
		}
		for k, v := range varies {
			x := v.values[idx[k]]
			names = append(names, v.key+"="+x.String())
			ovs = append(ovs, payment.Override{Key: v.key, From: from, Value: x, Note: "--vary " + v.key})
			value[canonical(m, v.key)] = x
		}
		for _, b := range bal {
			if _, set := value[canonical(m, b.key)]; set {
				continue // --set or --vary names it: the user keeps the sum
			}
			rest := decimal.NewFromInt(1)
			for _, o := range b.others {
				x, ok := value[o]
				if !ok {
					if d, in := params[o].At(from); in {
						x = d.Value
					}
				}
				rest = rest.Sub(x)
			}
			ovs = append(ovs, payment.Override{Key: b.key, From: from, Value: rest, Note: "1 minus the pool's other shares (--vary)"})
			names = append(names, b.key+"="+rest.String())
		}
		out = append(out, payment.Variant{Name: strings.Join(names, ", "), Overrides: ovs})
		for k := len(idx) - 1; k >= 0; k-- {
			if idx[k]++; idx[k] < len(varies[k].values) {
				break
			}
			idx[k] = 0
		}
	}
	return out, nil
}

// sweepCompare is compare --vary: model m (with the --set overrides of
// side a) priced under every variant, from one reading of the region.
func sweepCompare(ctx context.Context, e *env, m *payment.Model, varyTexts, sets []string, balanceFlag, data, periodText, format, out, unit string, reg *measures.Registry, lang i18n.Lang) int {
	fail := func(err error) int { fmt.Fprintf(e.stderr, "vardval: %v\n", err); return 2 }
	if len(varyTexts) > 2 {
		return fail(fmt.Errorf("--vary: one or two keys (a grid for two), not %d", len(varyTexts)))
	}
	var varies []vary
	for _, s := range varyTexts {
		v, err := parseVary(s)
		if err != nil {
			return fail(err)
		}
		for _, w := range varies {
			if canonical(m, w.key) == canonical(m, v.key) {
				return fail(fmt.Errorf("--vary %s: given twice", clip(v.key)))
			}
		}
		varies = append(varies, v)
	}
	for _, s := range sets {
		if _, err := parseOverride(s, vardval.Date{}); err != nil {
			return fail(err)
		}
	}
	switch format {
	case "table", "csv", "json":
	default:
		return fail(fmt.Errorf("unknown format %q for --vary (table, csv or json)", format))
	}
	if unit != "" && format != "table" {
		return fail(fmt.Errorf("--unit with --vary explains the unit's statements in the table format only"))
	}
	need := m.Inputs()
	r, _, ok := loadDirLang(ctx, e, data, &need, lang)
	if !ok {
		return 2
	}
	period, err := resolvePeriod(e, r, periodText, int(m.Valid.From.Year), true)
	if err != nil {
		return fail(err)
	}
	var parsed []override
	var aSide []payment.Override
	for _, s := range sets {
		o, err := parseOverride(s, period.From)
		if err != nil {
			return fail(err)
		}
		parsed = append(parsed, o)
		if o.side == "a" {
			aSide = append(aSide, payment.Override{Key: o.key, From: o.from, Value: o.value, Note: "--set " + o.text})
		}
	}
	if len(aSide) > 0 {
		if m, err = m.With(aSide...); err != nil {
			return fail(err)
		}
	}
	bal, err := balances(m, varies, parsed, balanceFlag, period.From)
	if err != nil {
		return fail(err)
	}
	vs, err := variants(m, varies, parsed, bal, period.From)
	if err != nil {
		return fail(err)
	}
	// The measures are computed once (an override changes values, never
	// which measures a model pays on).
	mrep, err := payment.MeasuresWith(ctx, r, period, measures.Options{Registry: reg, Workers: e.workers}, m)
	if err != nil {
		return fail(err)
	}
	sw, err := payment.Sweep(ctx, m, r, period, vs, payment.PriceOptions{Measures: mrep, NoMeasures: mrep == nil, Workers: e.workers})
	if err != nil {
		return fail(err)
	}
	var buf bytes.Buffer
	switch format {
	case "table":
		err = payment.WriteSweepTable(&buf, sw)
	case "csv":
		err = payment.WriteSweepCSV(&buf, sw)
	case "json":
		err = payment.WriteSweepJSON(&buf, sw)
	}
	if err != nil {
		return fail(err)
	}
	if unit != "" {
		// The unit's statement, every line explained, under the model and
		// under each variant.
		for i, st := range append([]*payment.Statement{sw.Base}, statements(sw)...) {
			title := "the model"
			if lang == i18n.Swedish {
				title = "modellen"
			}
			if i > 0 {
				title = "variant " + strconv.Itoa(i) + ": " + sw.Variants[i-1].Variant.Name
			}
			if lang != "" {
				// A variant changes values, never names: the model's names
				// serve every variant.
				st = i18n.Statement(st, m, lang)
			}
			fmt.Fprintf(&buf, "\n%s\n", title)
			if err := payment.ExplainWith(&buf, st, unit, statementWords(lang)); err != nil {
				return fail(err)
			}
		}
	}
	if err := emit(e, out, buf.Bytes(), true); err != nil {
		return fail(err)
	}
	return 0
}

// statements returns the variants' statements in order.
func statements(sw *payment.SweepResult) []*payment.Statement {
	out := make([]*payment.Statement, len(sw.Variants))
	for i, v := range sw.Variants {
		out[i] = v.Statement
	}
	return out
}
