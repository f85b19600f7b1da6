package measures

import (
	"fmt"
	"strconv"
	"strings"
)

// DefinitionError is one problem in measure definitions: where it is (the
// file as given in DefinitionOptions.File, the 1-based line, the key path
// such as "measures[3].observation.op"), the measure id when known, and
// what is wrong. ParseDefinitions returns every problem it finds joined
// with errors.Join; use errors.As to get at them. Err, when not nil, is
// the typed cause (*UnknownKeyError, *MissingKeyError, *ScaleError,
// *UnknownCodeError, *KindMismatchError, *DefinitionDateError, *WindowError,
// *DuplicateMeasureError), reachable with errors.As too.
type DefinitionError struct {
	File   string // file name, "" when not given
	Line   int    // 1-based line, 0 when not known
	Key    string // key path, e.g. measures[3].observation.op
	ID     string // the measure id, when known
	Reason string // lower-case description of the problem
	Err    error  // the typed cause, or nil
}

// Error formats the problem as "FILE:LINE: KEY: reason" (a missing file
// name reads "measure definitions"). Text from the file has
// personnummer-shaped runs masked and control characters replaced.
func (e *DefinitionError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(clip(e.File))
	} else {
		b.WriteString("measure definitions")
	}
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(clip(e.Key) + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the typed cause, if any.
func (e *DefinitionError) Unwrap() error { return e.Err }

// clip makes text from a definitions file safe to show: at most 200
// characters, personnummer-shaped runs masked, control characters
// replaced.
func clip(s string) string {
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return safe(s)
}

// UnknownKeyError is a key that a definition does not take; Rule is set
// when the key belongs to another rule than the definition's.
type UnknownKeyError struct {
	Key  string
	Rule string
}

// Error names the key (and the rule it does not apply to).
func (e *UnknownKeyError) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("key %q does not apply to rule %s", clip(e.Key), e.Rule)
	}
	return fmt.Sprintf("unknown key %q", clip(e.Key))
}

// MissingKeyError is a key a definition needs but does not give.
type MissingKeyError struct {
	Key string
}

// Error names the missing key.
func (e *MissingKeyError) Error() string { return fmt.Sprintf("missing key %q", e.Key) }

// ScaleError is a scale that does not fit the kind: a proportion's scale
// is 1 (a share) or 100 (a percentage); a rate's is positive.
type ScaleError struct {
	Kind  Kind
	Scale int64
}

// Error says which scales the kind takes.
func (e *ScaleError) Error() string {
	if e.Kind == Rate {
		return fmt.Sprintf("a rate needs a positive scale (e.g. 1000), not %d", e.Scale)
	}
	return fmt.Sprintf("a proportion's scale must be 1 or 100, not %d", e.Scale)
}

// UnknownCodeError is an observation code that is not one of the data
// contract's (vardval.ObservationRanges) nor of
// DefinitionOptions.ObservationCodes.
type UnknownCodeError struct {
	Code  string
	Known []string
}

// Error names the code and the known ones.
func (e *UnknownCodeError) Error() string {
	return fmt.Sprintf("unknown observation code %q (known: %s)", clip(e.Code), strings.Join(e.Known, ", "))
}

// KindMismatchError is a kind that does not fit the rule: each rule
// computes one kind (Rule.Kind).
type KindMismatchError struct {
	Rule string
	Kind Kind // as given
	Want Kind // what the rule computes
}

// Error names the rule and the kind it needs.
func (e *KindMismatchError) Error() string {
	return fmt.Sprintf("rule %s computes a %s, not a %s", e.Rule, e.Want, clip(string(e.Kind)))
}

// DefinitionDateError is a date that is not a calendar date YYYY-MM-DD.
type DefinitionDateError struct {
	Value string
}

// Error quotes the text.
func (e *DefinitionDateError) Error() string {
	return fmt.Sprintf("not a date YYYY-MM-DD: %q", clip(e.Value))
}

// WindowError is a time window (or diagnosis window) that cannot be used:
// a name the rule does not know, a required window missing, from_days
// after to_days, months not positive, or an anchor (relative_to) the
// window cannot have.
type WindowError struct {
	Name   string // the window's name ("" for a diagnosis window)
	Reason string
}

// Error names the window and the problem.
func (e *WindowError) Error() string {
	if e.Name == "" {
		return e.Reason
	}
	return fmt.Sprintf("window %s: %s", clip(e.Name), e.Reason)
}

// DuplicateMeasureError is a measure id defined twice: in one file, or a
// region's definition with the id of a built-in or of another region
// definition ([Registry.Extend]). First is where the id was defined
// first.
type DuplicateMeasureError struct {
	ID    string
	First Origin
}

// Error names the id and where it was first defined.
func (e *DuplicateMeasureError) Error() string {
	s := fmt.Sprintf("duplicate measure id %q", clip(e.ID))
	if e.First.File != "" || e.First.Line > 0 {
		s += " (first defined at " + originText(e.First) + ")"
	}
	return s
}

func originText(o Origin) string {
	f := o.File
	if f == "" {
		f = "measure definitions"
	}
	if o.Line > 0 {
		f += ":" + strconv.Itoa(o.Line)
	}
	return clip(f)
}

// UnknownMeasureError reports a measure id that no definition has.
type UnknownMeasureError struct {
	ID string
}

// Error names the unknown id (personnummer-shaped runs masked, control
// characters replaced).
func (e *UnknownMeasureError) Error() string { return fmt.Sprintf("unknown measure %q", safe(e.ID)) }

// problem is a definition problem before it is located: Key is relative
// to the definition (e.g. "observation.code").
type problem struct {
	key    string
	reason string
	err    error
}

func fail(key, reason string) problem { return problem{key: key, reason: reason} }

func failErr(key string, err error) problem { return problem{key: key, reason: err.Error(), err: err} }
