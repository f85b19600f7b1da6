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
// unknown key, or a changed model that breaks the rules a model file must
// keep (Err then holds the *ModelError problems, as Validate reports them).
type OverrideError struct {
	Key    string // the key as given (several keys joined with ", ")
	Reason string
	Err    error // the model's problems, or nil
}

// Error names the key and the reason.
func (e *OverrideError) Error() string {
	return fmt.Sprintf("override %s: %s", clipText(e.Key, 200), e.Reason)
}

// Unwrap returns the model's problems, so errors.As finds the *ModelError.
func (e *OverrideError) Unwrap() error { return e.Err }

// Setting is one parameter override for OverrideAll: Value from the first
// day of From's month on, with Note shown as the value's note.
type Setting struct {
	Key   string
	From  vardval.Date
	Value decimal.Decimal
	Note  string
}

// Override sets a parameter to value from the first day of from's month
// onward, replacing the values in force from then; earlier values are kept.
// key is a key path as printed in statements (components[0].rate) or the
// same path starting with the component id instead of components[i]
// (age_sex.rate, capitation.shares[2].share); a band or list parameter
// takes its "values" list (capitation.rates[0].values). The new value's
// source is "override" with note as its note, so statements show it as
// such.
//
// The changed model must keep every rule a model file keeps (Validate,
// the checks of Check): a value outside its parameter's range, a pool's
// shares not summing to 1 and the like are refused with an *OverrideError
// naming key, and m is left as it was. To change several parameters that
// are only right together (two shares of a pool), use OverrideAll.
func (m *Model) Override(key string, from vardval.Date, value decimal.Decimal, note string) error {
	return m.OverrideAll([]Setting{{Key: key, From: from, Value: value, Note: note}})
}

// OverrideAll applies every setting in order as Override does, then
// validates the changed model once (Validate): when any key is unknown or
// the result breaks a rule, it returns an *OverrideError naming the keys
// concerned and leaves m as it was.
func (m *Model) OverrideAll(sets []Setting) error {
	type change struct {
		p   *Param
		old []Dated
	}
	var changed []change
	params := m.Params()
	paths := make([]string, len(sets))
	for i, s := range sets {
		p := m.param(s.Key, params)
		if p == nil {
			for _, c := range slices.Backward(changed) {
				c.p.Values = c.old
			}
			return &OverrideError{Key: s.Key, Reason: "no such parameter (use a key path as shown in a statement's parameter column, without the [n] of the dated value)"}
		}
		paths[i] = p.Path
		changed = append(changed, change{p, p.Values})
		p.set(s.From, s.Value, s.Note)
	}
	err := m.Validate()
	if err == nil {
		return nil
	}
	for _, c := range slices.Backward(changed) {
		c.p.Values = c.old
	}
	// Name the keys whose parameter a problem is about.
	var keys, reasons []string
	for _, e := range modelProblems(err) {
		reasons = append(reasons, e.Reason)
		for i, s := range sets {
			if related(e.Path, paths[i]) && !slices.Contains(keys, s.Key) {
				keys = append(keys, s.Key)
			}
		}
	}
	if len(keys) == 0 {
		for _, s := range sets {
			keys = append(keys, s.Key)
		}
	}
	return &OverrideError{Key: strings.Join(keys, ", "), Reason: strings.Join(reasons, "; "), Err: err}
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
