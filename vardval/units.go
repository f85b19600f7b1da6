package vardval

import (
	"context"
	"strings"

	"github.com/vardval/vardval/internal/redact"
	"github.com/vardval/vardval/vardval/internal/intern"
)

func (w *worker) units(ctx context.Context, t *table) error {
	ld := w.ld
	var drafts []idDraft[Unit]
	err := t.each(ctx, func(r *row) {
		u := Unit{ID: r.get("unit_id"), Name: r.get("name")}
		if !idShape(u.ID) {
			r.reject("unit_id", "unit_id is empty or not a usable id")
			return
		}
		if LooksLikePersonnummer(u.ID) {
			// A sole trader's organisationsnummer is their personnummer;
			// unit ids are printed in every statement.
			r.reject("unit_id", "unit_id is shaped like a personnummer (a sole trader's organisationsnummer is one); use another id, it is printed in every statement")
			return
		}
		if redact.Contains(u.ID) {
			// An HSA-id (SE + organisationsnummer + suffix) holds one too.
			r.reject("unit_id", reasonHoldsPersonnummer("unit_id")+"; use another id, it is printed in every statement")
			return
		}
		if u.Name == "" {
			r.reject("name", "name is empty")
			return
		}
		if containsPersonnummer(u.Name) {
			r.reject("name", "name contains a personnummer; unit names are printed in every statement")
			return
		}
		if redact.Contains(u.Name) {
			r.reject("name", reasonHoldsPersonnummer("name")+"; unit names are printed in every statement")
			return
		}
		switch strings.ToLower(r.get("kind")) {
		case "primary":
			u.Kind = KindPrimary
		case "emergency":
			u.Kind = KindEmergency
		case "specialist":
			u.Kind = KindSpecialist
		case "digital":
			u.Kind = KindDigital
		default:
			r.reject("kind", "kind "+safeValue(r.get("kind"))+" is not one of primary, emergency, specialist, digital")
			return
		}
		if m := r.get("municipality"); m != "" {
			if len(m) != 4 || !isDigit(m[0]) || !isDigit(m[1]) || !isDigit(m[2]) || !isDigit(m[3]) {
				r.reject("municipality", "municipality must be a 4-digit kommunkod")
				return
			}
			u.Municipality = m
		}
		switch strings.ToLower(r.get("owner")) {
		case "":
		case "public":
			u.Owner = OwnerPublic
		case "private":
			u.Owner = OwnerPrivate
		default:
			r.reject("owner", "owner "+safeValue(r.get("owner"))+" is not public or private")
			return
		}
		p, ok := r.period(t.col("from"), t.col("to"), "from", "to", false)
		if !ok {
			return
		}
		u.Active = p
		drafts = append(drafts, idDraft[Unit]{u.ID, u, r.line})
	})
	ld.r.Units = uniqueByID(t, "unit_id", drafts)
	ld.r.unitByID = make(map[string]UnitIndex, len(ld.r.Units))
	for i, u := range ld.r.Units {
		ld.r.unitByID[u.ID] = UnitIndex(i)
	}
	return err
}

func (w *worker) areas(ctx context.Context, t *table) error {
	ld := w.ld
	var drafts []idDraft[Area]
	err := t.each(ctx, func(r *row) {
		a := Area{ID: r.get("area"), Name: r.get("name")}
		if !idShape(a.ID) {
			r.reject("area", "area is empty or not a usable id")
			return
		}
		if LooksLikePersonnummer(a.ID) {
			r.reject("area", "area is shaped like a personnummer; use the DeSO code or the region's own area id")
			return
		}
		if redact.Contains(a.ID) {
			r.reject("area", reasonHoldsPersonnummer("area")+"; use the DeSO code or the region's own area id")
			return
		}
		if redact.Contains(a.Name) {
			r.reject("name", reasonHoldsPersonnummer("name"))
			return
		}
		if s := r.get("cni"); s != "" {
			v, why := parseFixed(s, 6)
			switch {
			case why != "":
				r.reject("cni", "cni "+safeValue(s)+": "+why)
				return
			case v <= 0 || v > 10*FixedScale:
				r.reject("cni", "cni must be above 0 and at most 10")
				return
			}
			a.CNI, a.HasCNI = Fixed(v), true
		}
		if !censusShares(r, &a) {
			return
		}
		drafts = append(drafts, idDraft[Area]{a.ID, a, r.line})
	})
	ld.r.Areas = uniqueByID(t, "area", drafts)
	for i, a := range ld.r.Areas {
		ld.areaIdx[a.ID] = int32(i)
	}
	return err
}

// unit resolves an optional or required unit_id column (position ci) of r.
func (w *worker) unit(r *row, ci int, required bool) (UnitIndex, bool) {
	s := r.field(ci)
	if len(s) == 0 {
		if required {
			r.reject("unit_id", "unit_id is empty")
			return NoUnit, false
		}
		return NoUnit, true
	}
	k := intern.Pack(s)
	if k != 0 {
		if u, ok := w.unitCache.Get(k); ok {
			return UnitIndex(u), true
		}
	}
	u, ok := w.ld.r.unitByID[string(s)]
	if ok {
		w.unitCache.Put(k, int32(u))
	}
	if !ok {
		r.reject("unit_id", "unit_id "+safeValue(string(s))+" is not in units.csv")
		return NoUnit, false
	}
	return u, true
}

// censusShares reads an areas.csv row's census shares into a: all seven
// or none, each a number 0..1; it rejects the row and returns false
// otherwise.
func censusShares(r *row, a *Area) bool {
	names := CensusVariables()
	given := 0
	for _, c := range names {
		if r.get(c) != "" {
			given++
		}
	}
	if given == 0 {
		return true
	}
	for k, c := range names {
		s := r.get(c)
		if s == "" {
			r.reject(c, "census shares are given all seven or none: "+c+" is missing")
			return false
		}
		v, why := parseFixed(s, 6)
		switch {
		case why != "":
			r.reject(c, c+" "+safeValue(s)+": "+why)
			return false
		case v < 0 || v > FixedScale:
			r.reject(c, c+" must be a share from 0 to 1")
			return false
		}
		a.Census[k] = Fixed(v)
	}
	a.HasCensus = true
	return true
}
