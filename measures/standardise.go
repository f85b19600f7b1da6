package measures

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/vardval/vardval/vardval"
)

// Stratum is one cell of the age band × sex table used for indirect
// standardisation. AgeBand is the lower bound of the band in whole years
// (e.g. 0, 5, 10, … for five-year bands, or 85 for "85+"); the caller
// chooses the bands and must use the same ones for the unit and the
// reference. The zero value is the band starting at 0 with unknown sex,
// which is a valid stratum of its own.
type Stratum struct {
	AgeBand int
	Sex     vardval.Sex
}

func (s Stratum) String() string {
	sex := s.Sex.String()
	if sex == "" {
		sex = "unknown"
	}
	return fmt.Sprintf("age %d, sex %s", s.AgeBand, sex)
}

func compareStratum(a, b Stratum) int {
	if c := cmp.Compare(a.AgeBand, b.AgeBand); c != 0 {
		return c
	}
	return cmp.Compare(a.Sex, b.Sex)
}

// StratumCount is a unit's observed events and population at risk in one
// stratum. Exposure is persons for proportions or person-years for rates.
type StratumCount struct {
	Stratum  Stratum
	Events   int64
	Exposure float64
}

// StratumRate is the reference population (normally the whole region) in
// one stratum; its stratum-specific rate is Events/Exposure.
type StratumRate struct {
	Stratum  Stratum
	Events   int64
	Exposure float64
}

// Rate is Events/Exposure, or NaN when Exposure is not positive.
func (r StratumRate) Rate() float64 {
	if !(r.Exposure > 0) {
		return math.NaN()
	}
	return float64(r.Events) / r.Exposure
}

// SMR is the result of indirect standardisation of one unit against a
// reference.
//
// Ratio = Observed/Expected is the standardised (morbidity or mortality)
// ratio, 1 meaning "as expected from the reference rates given this
// unit's age and sex mix". RatioCI is the exact Poisson (Garwood) interval
// for Observed divided by Expected, Expected being treated as fixed.
// ReferenceRate is the crude reference rate ΣEvents/ΣExposure over all
// reference strata, and Rate = Ratio × ReferenceRate is the indirectly
// standardised rate (per unit of exposure; multiply by 1,000 for "per
// 1,000"), with RateCI = RatioCI × ReferenceRate.
//
// When Expected is zero (the unit has no exposure in any stratum with a
// non-zero reference rate) Ratio, Rate and both intervals are NaN.
type SMR struct {
	Observed      int64
	Expected      float64
	Ratio         float64
	RatioCI       Interval
	ReferenceRate float64
	Rate          float64
	RateCI        Interval
	Level         float64
}

// StratumError reports an unusable stratum in the input to Standardise.
// Input is "observed" or "reference", Index the position in that slice.
type StratumError struct {
	Input   string
	Index   int
	Stratum Stratum
	Reason  string
}

func (e *StratumError) Error() string {
	return fmt.Sprintf("%s[%d] (%s): %s", e.Input, e.Index, e.Stratum, e.Reason)
}

// ParameterError reports an argument outside its domain.
type ParameterError struct {
	Name   string
	Value  float64
	Reason string
}

func (e *ParameterError) Error() string {
	return fmt.Sprintf("parameter %s = %g: %s", e.Name, e.Value, e.Reason)
}

type indexedCount struct {
	i int
	StratumCount
}

type indexedRate struct {
	i int
	StratumRate
}

// Standardise computes the indirectly standardised ratio and rate of a
// unit by age band × sex: Expected = Σ_s Exposure_unit(s) × Rate_ref(s),
// Observed = Σ_s Events_unit(s).
//
// Every observed stratum with events or exposure must be present in the
// reference with positive exposure; strata may not repeat within either
// slice; counts and exposures must be finite and non-negative; level must
// be in (0, 1). Violations return a *StratumError or *ParameterError.
// Reference strata the unit lacks contribute nothing to Expected but count
// towards the crude ReferenceRate. Sums are taken in stratum order, so the
// result does not depend on the order of the input slices.
func Standardise(observed []StratumCount, reference []StratumRate, level float64) (SMR, error) {
	if !validLevel(level) {
		return SMR{}, &ParameterError{Name: "level", Value: level, Reason: "must be between 0 and 1 (exclusive)"}
	}
	ref := make([]indexedRate, len(reference))
	for i, r := range reference {
		ref[i] = indexedRate{i, r}
	}
	slices.SortStableFunc(ref, func(a, b indexedRate) int { return compareStratum(a.Stratum, b.Stratum) })
	var refEvents int64
	var refExposure float64
	for k, r := range ref {
		if k > 0 && ref[k-1].Stratum == r.Stratum {
			return SMR{}, &StratumError{Input: "reference", Index: r.i, Stratum: r.Stratum, Reason: "duplicate stratum"}
		}
		if r.Events < 0 || !(r.Exposure >= 0) || math.IsInf(r.Exposure, 0) {
			return SMR{}, &StratumError{Input: "reference", Index: r.i, Stratum: r.Stratum, Reason: "events and exposure must be finite and not negative"}
		}
		refEvents += r.Events
		refExposure += r.Exposure
	}

	obs := make([]indexedCount, len(observed))
	for i, o := range observed {
		obs[i] = indexedCount{i, o}
	}
	slices.SortStableFunc(obs, func(a, b indexedCount) int { return compareStratum(a.Stratum, b.Stratum) })
	var observedEvents int64
	expected := 0.0
	for k, o := range obs {
		if k > 0 && obs[k-1].Stratum == o.Stratum {
			return SMR{}, &StratumError{Input: "observed", Index: o.i, Stratum: o.Stratum, Reason: "duplicate stratum"}
		}
		if o.Events < 0 || !(o.Exposure >= 0) || math.IsInf(o.Exposure, 0) {
			return SMR{}, &StratumError{Input: "observed", Index: o.i, Stratum: o.Stratum, Reason: "events and exposure must be finite and not negative"}
		}
		if o.Events == 0 && o.Exposure == 0 {
			continue
		}
		j, found := slices.BinarySearchFunc(ref, o.Stratum, func(r indexedRate, s Stratum) int { return compareStratum(r.Stratum, s) })
		if !found || !(ref[j].Exposure > 0) {
			return SMR{}, &StratumError{Input: "observed", Index: o.i, Stratum: o.Stratum, Reason: "stratum has no reference population"}
		}
		observedEvents += o.Events
		expected += o.Exposure * ref[j].Rate()
	}

	s := SMR{Observed: observedEvents, Expected: expected, Level: level}
	s.ReferenceRate = math.NaN()
	if refExposure > 0 {
		s.ReferenceRate = float64(refEvents) / refExposure
	}
	if !(expected > 0) {
		s.Ratio, s.Rate = math.NaN(), math.NaN()
		s.RatioCI, s.RateCI = nanInterval(), nanInterval()
		return s, nil
	}
	s.Ratio = float64(observedEvents) / expected
	s.RatioCI = ExactPoisson(observedEvents, level).Scale(1 / expected)
	s.Rate = s.Ratio * s.ReferenceRate
	s.RateCI = s.RatioCI.Scale(s.ReferenceRate)
	return s, nil
}
