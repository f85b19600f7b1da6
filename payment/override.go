package payment

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// OverrideError reports a parameter override that cannot be applied: an
// unknown key, a From that is not a real date (Err then holds the
// *vardval.DateError), or a changed model that breaks the rules a model
// file must keep (Err then holds the *ModelError problems, as Validate
// reports them).
type OverrideError struct {
	Key    string // the key as given (several keys joined with ", ")
	Reason string
	Err    error // the date's or the model's problems, or nil
}

// Error names the key and the reason.
func (e *OverrideError) Error() string {
	return fmt.Sprintf("override %s: %s", clipText(e.Key, 200), e.Reason)
}

// Unwrap returns the model's problems, so errors.As finds the *ModelError.
func (e *OverrideError) Unwrap() error { return e.Err }

// Override is one parameter override for Model.With: Value in force from
// the first day of From's month on, with Note shown as the value's note.
// A zero From means the model's first valid day (Model.Valid.From); any
// other From must be a real date (as vardval.NewDate reads one: a day
// that exists, in the years 1800–2200), or With refuses the override.
//
// Key is a key path as printed in statements (components[0].rate) or the
// same path starting with the component id instead of components[i]
// (age_sex.rate, capitation.shares[2].share); a band or list parameter
// takes its "values" list (capitation.rates[0].values). The values in
// force before From are kept; the new value's source is "override", so
// statements show it as such.
type Override struct {
	Key   string
	From  vardval.Date
	Value decimal.Decimal
	Note  string
}

// With returns a new model: a deep copy of m (sharing no mutable state
// with it) with every override applied in order, validated once as a
// model file is (Validate). m itself is never changed, so With may be
// called on a model other goroutines are pricing with.
//
// When a key is unknown, an override's From is neither zero nor a real
// date, or the changed model breaks a rule a model file
// keeps (a value outside its parameter's range, a pool's shares not
// summing to 1 and the like), With returns nil and an *OverrideError
// naming the keys concerned (its Err holds the *ModelError problems).
// Changes that are only right together (two shares of a pool) are given in
// one call. With no overrides, With returns a validated copy of m.
func (m *Model) With(overrides ...Override) (*Model, error) {
	c := m.clone()
	params := c.Params()
	paths := make([]string, len(overrides))
	for i, o := range overrides {
		p := c.param(o.Key, params)
		if p == nil {
			return nil, &OverrideError{Key: o.Key, Reason: "no such parameter (use a key path as shown in a statement's parameter column, without the [n] of the dated value)"}
		}
		from := o.From
		if from.IsZero() {
			from = c.Valid.From
		} else if _, err := vardval.NewDate(int(from.Year), int(from.Month), int(from.Day)); err != nil {
			return nil, &OverrideError{Key: o.Key, Reason: "from is not a real date: " + err.Error(), Err: err}
		}
		paths[i] = p.Path
		p.set(from, o.Value, o.Note)
	}
	err := c.Validate()
	if err == nil {
		return c, nil
	}
	// Name the keys whose parameter a problem is about.
	var keys, reasons []string
	for _, e := range modelProblems(err) {
		reasons = append(reasons, e.Reason)
		for i, o := range overrides {
			if related(e.Path, paths[i]) && !slices.Contains(keys, o.Key) {
				keys = append(keys, o.Key)
			}
		}
	}
	if len(keys) == 0 {
		for _, o := range overrides {
			keys = append(keys, o.Key)
		}
	}
	if len(keys) == 0 {
		return nil, err // the model was not valid to begin with
	}
	return nil, &OverrideError{Key: strings.Join(keys, ", "), Reason: strings.Join(reasons, "; "), Err: err}
}

// param returns the parameter key names, or nil.
func (m *Model) param(key string, params []*Param) *Param {
	path := key
	if !strings.HasPrefix(key, "components[") {
		id, rest, _ := strings.Cut(key, ".")
		for i, c := range m.Components {
			if c.Info().ID == id {
				path = fmt.Sprintf("components[%d]", i)
				if rest != "" {
					path += "." + rest
				}
			}
		}
	}
	var p *Param
	for _, q := range params {
		if q.Path == path {
			p = q
		}
	}
	return p
}

// set puts value in force from the first day of from's month, keeping the
// values before it (in a new slice: the old one is not changed).
func (p *Param) set(from vardval.Date, value decimal.Decimal, note string) {
	from = vardval.D(int(from.Year), int(from.Month), 1)
	var keep []Dated
	for _, v := range p.Values {
		if v.From.Before(from) {
			if v.To.IsZero() || !v.To.Before(from) {
				v.To = from.AddDays(-1)
			}
			keep = append(keep, v)
		}
	}
	p.Values = append(slices.Clip(keep), Dated{From: from, Value: value, Source: "override", Note: note,
		Path: fmt.Sprintf("%s[%d]", p.Path, len(keep))})
}

// related reports whether a problem at key path problem concerns the
// parameter at path: one is the other or holds it.
func related(problem, path string) bool {
	return problem == path || within(problem, path) || within(path, problem)
}

// within reports whether path a lies inside path b (b[…] or b.…).
func within(a, b string) bool {
	return len(a) > len(b) && strings.HasPrefix(a, b) && (a[len(b)] == '[' || a[len(b)] == '.')
}

// modelProblems returns the *ModelError values in err (joined or not).
func modelProblems(err error) []*ModelError {
	var out []*ModelError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var me *ModelError
		if errors.As(e, &me) {
			out = append(out, me)
		}
	}
	walk(err)
	return out
}
