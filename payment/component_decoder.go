package payment

import (
	"fmt"
	"strconv"
)

// ValueRule is the range a parameter's values must lie in, checked when
// the model is parsed and by Model.Validate.
type ValueRule uint8

// The value rules a component type may give Decoder.Param.
const (
	AnyValue    = ValueRule(anyValue)    // any number (thresholds, limits, supplements)
	NonNegative = ValueRule(nonNegative) // zero or more (rates, fees, pools)
	Fraction    = ValueRule(fraction)    // 0..1 (shares)
	Percent     = ValueRule(percent)     // 0..100
	WholeMonths = ValueRule(wholeMonths) // a whole number 1..120
	Weight      = ValueRule(fixedOK)     // not negative, at most six decimals
)

// Decoder reads one mapping of a model file for a component type's Parse
// function: the component itself, or an item of one of its lists. It is
// the parser the built-in types use, so a type's parameters have dated
// histories with sources or assumptions, and its problems are
// *ModelErrors with file, line and key path, like every other. Every key
// of the mapping must be read (or it is reported as unknown).
type Decoder struct {
	p    *parser
	o    *obj
	info ComponentInfo
}

// Info returns the component's common fields (id, type, name, path, line)
// for the component to embed.
func (d *Decoder) Info() ComponentInfo { return d.info }

// Path returns the key path of the mapping, e.g. components[3] or
// components[3].items[0].
func (d *Decoder) Path() string { return d.o.path }

// Model returns the model as parsed so far: its tables and the acg, cni
// and active sections (read before the components), and the components
// before this one.
func (d *Decoder) Model() *Model { return d.p.m }

// Has reports whether key is present.
func (d *Decoder) Has(key string) bool { return d.o.m.Has(key) }

// String reads a text value; a required key that is missing or empty is
// a problem. The text is trimmed.
func (d *Decoder) String(key string, required bool) string { return d.o.str(key, required) }

// Int reads a whole number from lo to hi (0 when the key is missing or
// the value is not one, which is reported).
func (d *Decoder) Int(key string, required bool, lo, hi int) int {
	s := d.o.str(key, required)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		d.Fail(key, "must be a whole number from %d to %d, not %q", lo, hi, s)
		return 0
	}
	return n
}

// OneOf reports whether value is one of allowed, reporting a problem at
// key when not.
func (d *Decoder) OneOf(key, value string, allowed ...string) bool {
	return d.o.oneOf(key, value, allowed...)
}

// Strings reads a list of text values.
func (d *Decoder) Strings(key string, required bool) []string {
	out, _, _ := d.p.stringList(d.o, key, required)
	return out
}

// Param reads a parameter: a list of dated values ({from, to, value,
// source, note, assumption}) under key whose values must keep rule.
func (d *Decoder) Param(key string, required bool, rule ValueRule) Param {
	return d.o.param(key, required, valueRule(rule))
}

// Counting reads the counting key (day-weighted, cutoff-last,
// cutoff-previous-month-last, cutoff-day-N; cutoff-last when absent).
func (d *Decoder) Counting() Counting { return d.p.counting(d.o) }

// Table reads a reference to one of the model's weight tables by id.
func (d *Decoder) Table(key string, required bool) *Table { return d.p.table(d.o, key, required) }

// Bands reads a list of {ages, sex, values} rows that must cover every
// age and sex exactly once, each value keeping rule.
func (d *Decoder) Bands(key string, rule ValueRule) Bands {
	return d.p.bands(d.o, key, valueRule(rule))
}

// Items reads a list of mappings under key, calling item for each with a
// Decoder of its own (its keys are checked once item returns).
func (d *Decoder) Items(key string, required bool, item func(i int, d *Decoder)) {
	items, lp := d.o.seq(key, required)
	for i, n := range items {
		io := d.p.w.obj(index(lp, i), n)
		item(i, &Decoder{p: d.p, o: io, info: d.info})
		io.done()
	}
}

// KnownMeasure reports whether id is a measure the model may refer to
// (ParseOptions.KnownMeasures).
func (d *Decoder) KnownMeasure(id string) bool { return d.p.knownMeasure(id) }

// Earlier reports whether id is the id of a component before this one.
func (d *Decoder) Earlier(id string) bool {
	_, ok := d.p.comps[id]
	return ok
}

// Fail reports a problem at key ("" for the mapping itself), with the
// key's line. Text arguments are shortened and personnummer-shaped runs
// in them masked. The message should be lower-case.
func (d *Decoder) Fail(key, format string, args ...any) {
	if key == "" {
		d.p.w.fail(d.o.path, d.o.node, format, args...)
		return
	}
	n := d.o.get(key)
	if n == nil {
		n = d.o.node
	}
	d.p.w.fail(join(d.o.path, key), n, format, args...)
}

// String returns the rule's name.
func (r ValueRule) String() string {
	names := []string{"any value", "not negative", "a fraction 0..1", "a percentage 0..100", "whole months 1..120", "a weight"}
	if int(r) < len(names) {
		return names[r]
	}
	return fmt.Sprintf("rule %d", r)
}
