package vardval

import (
	"slices"
	"strconv"
	"strings"
)

// listingFitsUnit rejects a listing that cannot be paid as listed: persons
// are listed at primary-care units only (a listing at an emergency,
// specialist or digital unit would carry capitation to no statement), and
// within the unit's own open period when units.csv gives one.
func listingFitsUnit(r *row, u *Unit, per Period) bool {
	if u.Kind != KindPrimary {
		r.reject("unit_id", "unit "+safeValue(u.ID)+" is of kind "+u.Kind.String()+"; persons are listed at primary-care units only")
		return false
	}
	if !u.Active.From.IsZero() && per.From.Before(u.Active.From) {
		r.reject("from", "listing starts "+per.From.String()+", before the unit opens on "+u.Active.From.String())
		return false
	}
	if !u.Active.To.IsZero() && (per.To.IsZero() || per.To.After(u.Active.To)) {
		r.reject("to", "listing runs past the unit's last day "+u.Active.To.String()+"; close it by then")
		return false
	}
	return true
}

// containsPersonnummer reports whether free text holds a valid personnummer
// or samordningsnummer (right shape, real date, right check digit), e.g. a
// sole trader's organisationsnummer in a unit name. Phone numbers and other
// digit runs rarely pass both the date and the Luhn check.
func containsPersonnummer(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			continue
		}
		j := i
		for j < len(s) && (isDigit(s[j]) || ((s[j] == '-' || s[j] == '+') && j+1 < len(s) && isDigit(s[j+1]))) {
			j++
		}
		if cand := s[i:j]; LooksLikePersonnummer(cand) {
			if _, err := ParsePersonnummer(cand, D(2024, 12, 31)); err == nil {
				return true
			}
		}
		i = j
	}
	return false
}

// reasonHoldsPersonnummer is the rejection of a value (a unit id or name,
// an area, a clinician) that holds a run of digits shaped like a
// personnummer, valid or not: the value itself is not repeated.
func reasonHoldsPersonnummer(column string) string {
	return column + " holds a run of digits shaped like a personnummer (valid or not)"
}

// idDraft is a row of a file whose id column must be unique.
type idDraft[T any] struct {
	id   string
	v    T
	line int
}

// uniqueByID rejects every row whose id is shared with another row (naming
// the other line), so the outcome does not depend on row order, and returns
// the rest sorted by id.
func uniqueByID[T any](t *table, column string, drafts []idDraft[T]) []T {
	lines := make(map[string][]int, len(drafts))
	for _, d := range drafts {
		lines[d.id] = append(lines[d.id], d.line)
	}
	kept := make([]idDraft[T], 0, len(drafts))
	for _, d := range drafts {
		if ls := lines[d.id]; len(ls) > 1 {
			other := ls[0]
			if other == d.line {
				other = ls[1]
			}
			t.rep.reject(d.line, column, column+" is also used on line "+strconv.Itoa(other))
			continue
		}
		kept = append(kept, d)
	}
	slices.SortFunc(kept, func(a, b idDraft[T]) int { return strings.Compare(a.id, b.id) })
	out := make([]T, len(kept))
	for i, d := range kept {
		out[i] = d.v
	}
	return out
}
