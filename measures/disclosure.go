package measures

// Disclosure control: primary suppression of small cells and
// complementary suppression so that no suppressed numerator can be
// recomputed from what is published for the same measure and period.
//
// What is published for one measure: every row's denominator (suppressed
// rows too, since it explains the suppression) and the numerator of every
// row that is not suppressed; the region row's numerator is the sum of
// the units' numerators. An attacker knows this equation and that each
// numerator lies in [0, denominator] (proportions) or [0, ∞) (rates). A
// suppressed cell is disclosed when these facts leave it one possible
// value; Disclosed computes exactly that, and complementary suppression
// adds cells until nothing is disclosed. The attacker learns nothing
// more from the published reasons: small-count and complementary rows
// are published with the one reason SuppressedDisclosure (Published),
// whose implied range is the whole [0, denominator]; the other reasons
// depend only on published figures.

// SuppressionReason says why a row is suppressed ("" when it is not).
type SuppressionReason string

// The reasons for suppression, in the order they are tested.
const (
	// SuppressedDenominator: the denominator is zero or below the
	// definition's min_denominator.
	SuppressedDenominator SuppressionReason = "denominator"
	// SuppressedPatients: fewer patients than min_patients (continuity).
	SuppressedPatients SuppressionReason = "patients"
	// SuppressedSmallCount: the numerator, or for proportions the
	// denominator minus the numerator, is between 1 and the definition's
	// small-count threshold (small_count, default 4).
	SuppressedSmallCount SuppressionReason = "small_count"
	// SuppressedComplementary: the row passes every rule but is hidden so
	// that another suppressed row cannot be recomputed by differencing.
	SuppressedComplementary SuppressionReason = "complementary"
	// SuppressedDisclosure is what the outputs publish for both
	// SuppressedSmallCount and SuppressedComplementary (Published): each
	// of those reasons implies a range for the hidden numerator (1…k or
	// den−k…den−1; 0 or k+1…den−k−1) that, with differencing, can pin it
	// down, while the union of the two implies nothing.
	SuppressedDisclosure SuppressionReason = "disclosure"
	// SuppressedNotAvailable: the measure is not available, because the
	// region was not given an input file or column it reads
	// (Definition.Inputs, MeasureReport.NotGiven). Not a value of 0.
	SuppressedNotAvailable SuppressionReason = "not_available"
)

// Published is the reason as the outputs (JSON, CSV, table) show it:
// SuppressedDisclosure for SuppressedSmallCount and
// SuppressedComplementary, r otherwise. SuppressedDenominator and
// SuppressedPatients stay distinct because the denominator and the
// patient count they are decided on are published anyway, so they imply
// nothing about the numerator.
func (r SuppressionReason) Published() SuppressionReason {
	if r == SuppressedSmallCount || r == SuppressedComplementary {
		return SuppressedDisclosure
	}
	return r
}

// isSmallCount reports whether num (and den − num for proportions) is a
// small count: 1 ≤ num ≤ k, or 1 ≤ den − num ≤ k.
func isSmallCount(num, den, k int64, proportion bool) bool {
	if num >= 1 && num <= k {
		return true
	}
	return proportion && den-num >= 1 && den-num <= k
}

// DisclosureCell is one row of a measure as seen by disclosure control:
// its true numerator, the upper bound an attacker knows for it (the
// denominator of a proportion; -1 for a rate, unbounded) and whether it
// is suppressed.
type DisclosureCell struct {
	Numerator  int64
	Bound      int64 // -1: no upper bound
	Suppressed bool
}

// known reports whether a suppressed cell is known without any
// differencing: a bound of 0 (an empty denominator) leaves only 0.
func (c DisclosureCell) known() bool { return c.Bound == 0 }

// Disclosed returns the suppressed cells whose numerator the published
// figures determine exactly: the region's numerator is the sum of the
// units', every published numerator is known, and each numerator lies in
// [0, Bound]. Index -1 is the region, i ≥ 0 unit i. Cells with Bound 0
// (an empty denominator: the numerator is 0 and nothing is hidden) are
// never reported. The feasible range of a suppressed unit i when the
// region is published is
//
//	[max(0, S − Σ_{j∈U, j≠i} Bound_j), min(Bound_i, S)],
//
// S being the region numerator minus the published unit numerators and U
// the suppressed units; when the region is suppressed every suppressed
// unit ranges over [0, Bound_i] and the region over
// [P, P + Σ_{j∈U} Bound_j], P the published units' sum. A cell is
// disclosed when its range is a single value.
func Disclosed(region DisclosureCell, units []DisclosureCell) []int {
	var out []int
	var pub int64 // sum of the published units' numerators
	var supp []int
	for i, c := range units {
		if !c.Suppressed {
			pub += c.Numerator
			continue
		}
		if c.known() {
			continue
		}
		supp = append(supp, i)
	}
	if region.Suppressed {
		if !region.known() && len(supp) == 0 {
			out = append(out, -1)
		}
		return out
	}
	s := region.Numerator - pub
	for _, i := range supp {
		c := units[i]
		lo := int64(0)
		othersUnbounded := false
		var others int64
		for _, j := range supp {
			if j == i {
				continue
			}
			if units[j].Bound < 0 {
				othersUnbounded = true
			} else {
				others += units[j].Bound
			}
		}
		if !othersUnbounded {
			lo = max(0, s-others)
		}
		hi := s
		if c.Bound >= 0 {
			hi = min(c.Bound, s)
		}
		if lo == hi {
			out = append(out, i)
		}
	}
	return out
}

// Complement returns the units (and whether the region) to suppress in
// addition to the suppressed cells so that Disclosed finds nothing. It
// repeats: while some cell is disclosed, suppress one more published
// unit with a non-empty denominator, preferring units whose numerator is
// strictly inside (0, Bound) (only they can hide a sum of 0 or of every
// bound), then the smallest Bound (rates: the smallest numerator), then
// the lowest index; when no unit is left, suppress the region. The
// choice depends only on the cells, so it is deterministic.
func Complement(region DisclosureCell, units []DisclosureCell) (extra []int, regionToo bool) {
	units = append([]DisclosureCell(nil), units...)
	for len(Disclosed(region, units)) > 0 {
		best := -1
		better := func(i, j int) bool { // is unit i a better complement than unit j?
			a, b := units[i], units[j]
			ai, bi := inside(a), inside(b)
			if ai != bi {
				return ai
			}
			ka, kb := a.Bound, b.Bound
			if a.Bound < 0 {
				ka, kb = a.Numerator, b.Numerator
			}
			if ka != kb {
				return ka < kb
			}
			return i < j
		}
		for i, c := range units {
			if c.Suppressed || c.Bound == 0 {
				continue
			}
			if best < 0 || better(i, best) {
				best = i
			}
		}
		if best < 0 {
			if region.Suppressed {
				break // nothing left to hide (every denominator empty)
			}
			region.Suppressed, regionToo = true, true
			continue
		}
		units[best].Suppressed = true
		extra = append(extra, best)
	}
	return extra, regionToo
}

// inside reports whether c's numerator is strictly between 0 and its bound.
func inside(c DisclosureCell) bool {
	return c.Numerator > 0 && (c.Bound < 0 || c.Numerator < c.Bound)
}
