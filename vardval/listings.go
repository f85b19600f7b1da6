package vardval

import (
	"cmp"
	"context"
	"strconv"
	"strings"
)

// listDraft is a listing that passed its row checks, before the checks
// across a person's rows.
type listDraft struct {
	l     Listing // l.Line is the row's line
	sex   Sex
	birth Date
}

func (w *worker) listingsFile(ctx context.Context, t *table) error {
	var drafts chunked[listDraft]
	// The persons are looked up once the file is read (resolveCells); a
	// personnummer is parsed here for its sex and birth date (once per run
	// of rows with the same cell).
	var cells cellStore
	ls := w.lsplit
	if ls != nil {
		ls.start(ctx, w.ld, t)
	}
	err := w.listingRows(ctx, t, &drafts, &cells)
	if ls != nil && !ls.merge(w, t, &drafts, &cells) {
		return nil // load reads the file again, whole
	}
	return w.listingsChecked(ctx, t, &drafts, &cells, err)
}

// listingRows checks each row of t on its own and keeps the drafts of the
// rows that pass, their person_id cells in cells (a draft's person is its
// cell's index until resolveCells). It is the part of reading the listings
// that the further workers of a split do (split_listings.go): it uses no
// state of w but its scratch, caches and code table.
func (w *worker) listingRows(ctx context.Context, t *table, drafts *chunked[listDraft], cells *cellStore) error {
	ld := w.ld
	cPerson, cUnit, cFrom, cTo := t.col("person_id"), t.col("unit_id"), t.col("from"), t.col("to")
	cSex, cBirth, cArea, cACG, cWeight := t.col("sex"), t.col("birth_date"), t.col("area"), t.col("acg"), t.col("acg_weight")
	return t.each(ctx, func(r *row) {
		p, pn, fromPNR, ok := w.personCell(r, cells, r.field(cPerson), true)
		if !ok {
			return
		}
		u, ok := w.unit(r, cUnit, true)
		if !ok {
			return
		}
		per, ok := r.period(cFrom, cTo, "from", "to", true)
		if !ok {
			return
		}
		if !listingFitsUnit(r, &ld.r.Units[u], per) {
			return
		}
		d := listDraft{l: Listing{Person: p, Unit: u, Period: per, Area: -1, ACG: -1, Line: int32(r.line)}}
		switch sx := r.field(cSex); string(sx) {
		case "":
		case "F", "K", "2":
			d.sex = Female
		case "M", "1":
			d.sex = Male
		default:
			switch strings.ToUpper(string(sx)) {
			case "F", "K":
				d.sex = Female
			case "M":
				d.sex = Male
			default:
				r.reject("sex", "sex "+safeValue(string(sx))+" is not F/K/2 (female) or M/1 (male)")
				return
			}
		}
		if d.birth, ok = r.date(cBirth, "birth_date", false); !ok {
			return
		}
		if fromPNR {
			if d.sex != SexUnknown && d.sex != pn.Sex() {
				r.reject("sex", "sex does not match the personnummer")
				return
			}
			if !d.birth.IsZero() && d.birth != pn.BirthDate() {
				r.reject("birth_date", "birth_date does not match the personnummer")
				return
			}
			d.sex, d.birth = pn.Sex(), pn.BirthDate()
		} else {
			if d.sex == SexUnknown {
				r.reject("sex", "sex is required when person_id is not a personnummer")
				return
			}
			if d.birth.IsZero() {
				r.reject("birth_date", "birth_date is required when person_id is not a personnummer")
				return
			}
		}
		if !d.birth.IsZero() && per.From.Before(d.birth) {
			r.reject("from", "listing starts before the person's birth date")
			return
		}
		if a := r.field(cArea); len(a) != 0 {
			i, ok := ld.areaIdx[string(a)]
			if !ok && len(ld.areaIdx) > 0 {
				r.reject("area", "area "+safeValue(string(a))+" is not in areas.csv")
				return
			}
			if ok {
				d.l.Area = i
			}
		}
		if a := r.field(cACG); len(a) != 0 {
			up := w.upper(a)
			if !codeShape(string(up)) {
				r.reject("acg", "acg "+safeValue(string(a))+" is not a code of letters, digits, '_' or '-'")
				return
			}
			d.l.ACG = w.codes.Intern(up)
			w.codes.Used[d.l.ACG] = true
		}
		wt, has, ok := r.fixed(cWeight, "acg_weight", 6, 0, 100*FixedScale, "0 to 100")
		if !ok {
			return
		}
		d.l.ACGWeight, d.l.HasWeight = Fixed(wt), has
		drafts.Add(d)
	})
}

// listingsChecked looks up the persons of the drafts (err is the reading's
// error, returned), checks each person's rows against each other and keeps
// the listings that pass in w.listings.
func (w *worker) listingsChecked(ctx context.Context, t *table, drafts *chunked[listDraft], cells *cellStore, err error) error {
	// Every personnummer cell kept was parsed as its row was read.
	w.pt.checked = true
	defer func() { w.pt.checked = false }()
	resolveCells(w.stopper(), &w.pt, drafts, 0, drafts.N, cells, false, t.rep,
		func(d *listDraft) *PersonIndex { return &d.l.Person }, func(i int) int { return int(drafts.At(i).l.Line) })
	// Cross-row checks per person, in canonical (content) order so that the
	// outcome does not depend on row order: a pseudonymous person's sex and
	// birth date must agree between rows; listings must not overlap.
	n := len(w.pt.drafts)
	flat, off := group(w.stopper(), drafts, n, nil, func(d *listDraft) PersonIndex { return d.l.Person }, func(d *listDraft) listDraft { return *d },
		func(d *listDraft) PersonIndex { return d.l.Person }, nil, nil)
	sortEach(w.stopper(), flat, off, func(a, b listDraft) int {
		return cmp.Or(a.l.Period.From.Compare(b.l.Period.From), cmpOpenEnd(a.l.Period.To, b.l.Period.To),
			cmp.Compare(a.l.Unit, b.l.Unit), cmp.Compare(a.l.Line, b.l.Line))
	})
	if w.stopper().now() {
		return ctx.Err()
	}
	for p := 0; p < n; p++ {
		g := flat[off[p]:off[p+1]]
		if len(g) == 0 {
			continue
		}
		first := &g[0]
		var prev *listDraft
		for k := range g {
			d := &g[k]
			switch {
			case d.sex != first.sex:
				t.rep.reject(int(d.l.Line), "sex", "sex differs from the same person's listing on line "+strconv.Itoa(int(first.l.Line)))
				continue
			case d.birth != first.birth:
				t.rep.reject(int(d.l.Line), "birth_date", "birth_date differs from the same person's listing on line "+strconv.Itoa(int(first.l.Line)))
				continue
			case prev != nil && prev.l.Period.Overlaps(d.l.Period):
				t.rep.reject(int(d.l.Line), "from", "listing overlaps the same person's listing on line "+strconv.Itoa(int(prev.l.Line)))
				continue
			}
			w.listings.Add(d.l)
			prev = d
		}
		if pd := &w.pt.drafts[p]; !pd.fromPNR {
			pd.sex, pd.birth = first.sex, first.birth
		}
	}
	return err
}

// preplaceListings groups the listings by person in order (the worker's
// persons by pseudonym) and sorts each person's listings, while the other
// worker is still reading. finish only has to fix their indexes then: the
// final order of these persons is the same, persons met only elsewhere
// being merged in, and cmpListing is decided by the line before the ACG
// code, whose index finish changes.
func (w *worker) preplaceListings(order []int32) {
	rank := make([]int32, len(order))
	for r, d := range order {
		rank[d] = int32(r)
	}
	w.listN = w.listings.N
	byRank := func(l *Listing) PersonIndex {
		if l.Person < 0 {
			return -1
		}
		return PersonIndex(rank[l.Person])
	}
	w.preList, w.preOff = group(w.stopper(), &w.listings, len(order), nil, byRank, func(l *Listing) Listing { return *l }, byRank, nil, nil)
	sortEach(w.stopper(), w.preList, w.preOff, cmpListing)
	w.pre = true
}
