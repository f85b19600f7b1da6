package payment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// OverrideError reports a parameter override that cannot be applied.
type OverrideError struct {
	Key    string
	Reason string
}

// Error names the key and the reason.
func (e *OverrideError) Error() string { return fmt.Sprintf("override %s: %s", e.Key, e.Reason) }

// Override sets a parameter to value from the first day of from's month
// onward, replacing the values in force from then; earlier values are kept.
// key is a key path as printed in statements (components[0].rate) or the
// same path starting with the component id instead of components[i]
// (age_sex.rate, capitation.shares[2].share); a band or list parameter
// takes its "values" list (capitation.rates[0].values). The new value's
// source is "override" with note as its note, so statements show it as
// such. Checks that span parameters (pool shares summing to 1) are not
// repeated: the override is taken as given.
func (m *Model) Override(key string, from vardval.Date, value decimal.Decimal, note string) error {
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
	for _, q := range m.Params() {
		if q.Path == path {
			p = q
		}
	}
	if p == nil {
		return &OverrideError{Key: key, Reason: "no such parameter (use a key path as shown in a statement's parameter column, without the [n] of the dated value)"}
	}
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
	return nil
}
