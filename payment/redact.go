package payment

import "github.com/vardval/vardval/internal/redact"

// The writers pass every text that came from the region's data or from a
// model file (unit ids and names, model name, region, title, notes,
// component ids and names, parameters, sources, assumptions, override
// notes) through safe where it is written, so that no personnummer-shaped
// run and no control character reaches an output, whatever the Statement
// holds. Numbers the engine computed are written as they are.

// safe is redact.Text: personnummer-shaped runs masked whole, control
// characters (tab and line feed included) replaced. It returns s itself
// when s is clean.
func safe(s string) string { return redact.Text(s) }

// safeProse is safe for a sentence the engine composed around text from
// the model (an explanation, an override's description): a decimal amount
// such as "2887500000.00" is not taken for a personnummer.
func safeProse(s string) string { return redact.Prose(s) }

// safeAll is safe for every element of ss (a new slice when any changes).
func safeAll(ss []string) []string {
	var out []string
	for i, s := range ss {
		if t := safe(s); t != s || out != nil {
			if out == nil {
				out = append(make([]string, 0, len(ss)), ss[:i]...)
			}
			out = append(out, t)
		}
	}
	if out == nil {
		return ss
	}
	return out
}

// safeProseAll is safeProse for every element of ss.
func safeProseAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = safeProse(s)
	}
	return out
}
