package payment

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/vardval/vardval/internal/yamlmap"
	"github.com/vardval/vardval/vardval"
)

// ModelError is one problem in a model file: where it is (file, key path,
// line) and what is wrong. ParseModel returns every problem it finds, joined
// with errors.Join; use errors.As to get at them.
type ModelError struct {
	File   string // file name as given in ParseOptions.File, or ""
	Path   string // key path, e.g. components[2].rates[0].values[1].from
	Line   int    // 1-based line in the file, 0 when not known
	Reason string // lower-case description of the problem
}

// Error formats the problem as "FILE:LINE: PATH: reason". File and path
// are printed with personnummer-shaped runs masked and control characters
// replaced (a key in a hostile file may hold anything).
func (e *ModelError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(clipText(e.File, 400))
		b.WriteString(":")
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(":")
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(clipText(e.Path, 400))
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// walker decodes a yaml.Node tree, collecting ModelErrors.
type walker struct {
	file string
	errs []error
	// valueLines holds the line of each dated value's "value" key, by the
	// dated value's path; notNumbers the dated values whose value was not
	// a number (already reported). Both are nil when a Model in memory is
	// validated.
	valueLines map[string]int
	notNumbers map[string]bool
	// assumptions are the model file's declared assumptions (nil when a
	// Model in memory is validated); see assumptions.go.
	assumptions *assumptionTable
}

// fail reports a problem at n (nil: no line). String arguments are text
// from the file: they are shortened and personnummer-shaped runs masked.
func (w *walker) fail(path string, n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	w.failAt(path, line, format, args...)
}

func (w *walker) failAt(path string, line int, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clipText(s, 200)
		}
	}
	w.errs = append(w.errs, &ModelError{File: w.file, Path: path, Line: line, Reason: fmt.Sprintf(format, args...)})
}

// join and index write key paths (yamlmap.Join, yamlmap.Index).
func join(path, key string) string { return yamlmap.Join(path, key) }

func index(path string, i int) string { return yamlmap.Index(path, i) }

// obj is a YAML mapping being decoded; keys not taken are reported by done.
type obj struct {
	w    *walker
	path string
	node *yaml.Node
	m    *yamlmap.Mapping
}

// problem reports a shared reading problem of yamlmap as a ModelError.
func (w *walker) problem(path string, n *yaml.Node, reason string) { w.fail(path, n, "%s", reason) }

func (w *walker) obj(path string, n *yaml.Node) *obj {
	return &obj{w: w, path: path, node: n, m: yamlmap.Read(path, n, w.problem)}
}

// get returns the value of key, or nil.
func (o *obj) get(key string) *yaml.Node { return o.m.Get(key) }

// done reports every key that nobody took.
func (o *obj) done() {
	for _, k := range o.m.Unused() {
		o.w.fail(join(o.path, k), o.m.Value(k), "unknown key %q", k)
	}
}

func (o *obj) line() int {
	if o.node == nil {
		return 0
	}
	return o.node.Line
}

// scalar checks that n is a scalar (not an alias, sequence or mapping).
func (w *walker) scalar(path string, n *yaml.Node) (string, bool) {
	return yamlmap.Scalar(path, n, w.problem)
}

// str returns a string key; required keys that are missing or empty fail.
func (o *obj) str(key string, required bool) string {
	n := o.get(key)
	p := join(o.path, key)
	if n == nil {
		if required {
			o.w.fail(p, o.node, "missing key %q", key)
		}
		return ""
	}
	s, ok := o.w.scalar(p, n)
	if ok && required && strings.TrimSpace(s) == "" {
		o.w.fail(p, n, "must not be empty")
	}
	return strings.TrimSpace(s)
}

// seq returns the items of a sequence key (nil when missing).
func (o *obj) seq(key string, required bool) ([]*yaml.Node, string) {
	n := o.get(key)
	p := join(o.path, key)
	if n == nil {
		if required {
			o.w.fail(p, o.node, "missing key %q", key)
		}
		return nil, p
	}
	if n.Kind != yaml.SequenceNode {
		o.w.fail(p, n, "expected a list")
		return nil, p
	}
	if required && len(n.Content) == 0 {
		o.w.fail(p, n, "must not be empty")
	}
	return n.Content, p
}

func (o *obj) date(key string, required bool) vardval.Date {
	s := o.str(key, required)
	if s == "" {
		return vardval.Date{}
	}
	d, err := vardval.ParseDate(s)
	if err != nil {
		o.w.fail(join(o.path, key), o.get(key), "not a date YYYY-MM-DD: %q", s)
	}
	return d
}

// Dated is one dated value of a parameter: the value from From (a first day
// of a month) until the next value's From (or To, when given).
type Dated struct {
	From       vardval.Date
	To         vardval.Date // zero: until the next value, or open
	Value      decimal.Decimal
	Source     string // document and section, or address; "assumption" when not public
	Note       string
	Assumption string // why the figure is assumed; "" when it is from the source
	// AssumptionSV is Assumption in Swedish (assumption_sv in the file, or
	// the id's text under assumptions_sv; "" when not given), and SourceSV
	// Source in Swedish (source_sv; "" when not given), for the page and
	// `--lang sv`.
	AssumptionSV, SourceSV string
	Path                   string // key path of this dated value, e.g. components[0].rate[1]
	Line                   int
}

// Param is a model parameter: its dated values in date order, none
// overlapping. The zero Param has no values.
type Param struct {
	Path   string // key path of the parameter, e.g. components[0].rate
	Values []Dated

	rule valueRule // the range its values must lie in
}

// At returns the value in force on day d.
func (p *Param) At(d vardval.Date) (*Dated, bool) {
	for i := len(p.Values) - 1; i >= 0; i-- {
		v := &p.Values[i]
		if !v.From.After(d) {
			if !v.To.IsZero() && v.To.Before(d) {
				return nil, false
			}
			return v, true
		}
	}
	return nil, false
}

// IsZero reports whether the parameter has no values (not given).
func (p *Param) IsZero() bool { return len(p.Values) == 0 }

// param reads a parameter: a list of dated values under key whose values
// must keep rule (checked by Model.validate).
func (o *obj) param(key string, required bool, rule valueRule) Param {
	n := o.get(key)
	p := join(o.path, key)
	if n == nil {
		if required {
			o.w.fail(p, o.node, "missing parameter %q", key)
		}
		return Param{Path: p, rule: rule}
	}
	return o.w.param(p, n, rule)
}

func (w *walker) param(p string, n *yaml.Node, rule valueRule) Param {
	out := Param{Path: p, rule: rule}
	if n.Kind != yaml.SequenceNode {
		w.fail(p, n, "a parameter is a list of dated values ({from, value, source})")
		return out
	}
	if len(n.Content) == 0 {
		w.fail(p, n, "a parameter needs at least one dated value")
	}
	for i, item := range n.Content {
		ip := index(p, i)
		o := w.obj(ip, item)
		v := Dated{Path: ip, Line: item.Line}
		v.From = o.date("from", true)
		if !v.From.IsZero() && v.From.Day != 1 {
			w.fail(join(ip, "from"), o.get("from"), "a value must start on the first day of a month")
		}
		v.To = o.date("to", false)
		if !v.To.IsZero() && !v.From.IsZero() && v.To.Before(v.From) {
			w.fail(join(ip, "to"), o.get("to"), "ends before it starts")
		}
		if s := o.str("value", true); s != "" {
			if w.valueLines != nil {
				w.valueLines[ip] = o.get("value").Line
			}
			d, err := ParseParameterValue(s)
			if err == nil && strings.Contains(s, ",") {
				// A model file writes '.' only: "1,000" could be a
				// thousand or one, so it is refused, not guessed.
				err = &NumberError{Value: shortText(s)}
			}
			if err != nil {
				w.fail(join(ip, "value"), o.get("value"), "%s", err.Error())
				w.notNumbers[ip] = true
			} else {
				v.Value = d
			}
		} else if w.notNumbers != nil {
			w.notNumbers[ip] = true // missing or empty: reported
		}
		v.Source = o.str("source", false)
		v.SourceSV = o.str("source_sv", false)
		if n := o.get("source_sv"); n != nil && n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "" {
			w.fail(join(ip, "source_sv"), n, "must not be empty (leave the key out)")
		} else if v.SourceSV != "" && (v.Source == "" || strings.EqualFold(v.Source, "assumption")) {
			w.fail(join(ip, "source_sv"), n, "a Swedish source needs the source it translates under \"source\" (an assumed figure's reason in Swedish is assumption_sv)")
		}
		v.Note = o.str("note", false)
		v.Assumption, v.AssumptionSV = w.assumptions.resolve(w, join(ip, "assumption"), o.get("assumption"),
			o.str("assumption", false), o.str("assumption_sv", false), o.get("assumption_sv"))
		if n := o.get("assumption_sv"); n != nil && n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "" {
			w.fail(join(ip, "assumption_sv"), n, "must not be empty (leave the key out)")
		} else if v.AssumptionSV != "" && v.Assumption == "" {
			w.fail(join(ip, "assumption_sv"), o.get("assumption_sv"), "a Swedish reason needs the English one under \"assumption\"")
		}
		if v.Source == "" {
			if v.Assumption != "" {
				v.Source = "assumption"
			} else {
				w.fail(join(ip, "source"), item, "missing source (cite a document and section or an address, or give an assumption with its reason)")
			}
		}
		if strings.EqualFold(v.Source, "assumption") && v.Assumption == "" {
			w.fail(join(ip, "assumption"), item, "an assumed figure needs its reason under \"assumption\"")
		}
		o.done()
		out.Values = append(out.Values, v)
	}
	return out
}

// valueRule is the range a parameter's values must lie in.
type valueRule uint8

const (
	anyValue    valueRule = iota // any number (thresholds, limits, supplements)
	nonNegative                  // zero or more (rates, fees, pools)
	fraction                     // 0..1 (shares)
	percent                      // 0..100
	wholeMonths                  // a whole number 1..120
	fixedOK                      // weights: not negative, at most six decimals (a vardval.Fixed)
)

// check returns why d breaks the rule, or "".
func (r valueRule) check(d decimal.Decimal) string {
	if n := significantDigits(d); n > MaxDigits {
		return (&NumberError{Digits: n}).Error()
	}
	switch r {
	case nonNegative:
		if d.IsNegative() {
			return "must not be negative"
		}
	case fraction:
		if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(1)) {
			return "must be a fraction between 0 and 1"
		}
	case percent:
		if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
			return "must be a percentage between 0 and 100"
		}
	case wholeMonths:
		if !d.IsInteger() || d.Sign() <= 0 || d.GreaterThan(decimal.NewFromInt(120)) {
			return "must be a whole number of months between 1 and 120"
		}
	case fixedOK:
		if d.IsNegative() {
			return "must not be negative"
		}
		if d.Exponent() < -6 {
			return "at most six decimals"
		}
	}
	return ""
}

// orderProblem returns why dated value v cannot follow prev in a
// parameter, or "".
func orderProblem(prev, v Dated) string {
	switch c := v.From.Compare(prev.From); {
	case c == 0:
		return fmt.Sprintf("duplicate validity: another value also starts %s", v.From)
	case c < 0:
		return fmt.Sprintf("values must be in date order (%s is before %s)", v.From, prev.From)
	case !prev.To.IsZero() && !prev.To.Before(v.From):
		return fmt.Sprintf("overlapping validity: the previous value runs to %s", prev.To)
	}
	return ""
}

// oneOf checks s against allowed words.
func (o *obj) oneOf(key string, s string, allowed ...string) bool {
	if slices.Contains(allowed, s) {
		return true
	}
	o.w.fail(join(o.path, key), o.get(key), "must be one of %s, not %q", strings.Join(allowed, ", "), s)
	return false
}
