package vardval

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/vardval/vardval/vardval/csvin"
)

// Files holds the readers of one region's input files; a nil reader means
// the file is not given. Units and Listings are required.
type Files struct {
	Units, Areas, Listings, Contacts, Diagnoses, Observations, Prescriptions io.Reader
}

// LoadOptions tunes [Load]. The zero value is ready to use.
type LoadOptions struct {
	// Reference is the day the century rule of 10-digit personnummer is
	// applied on ('-': under 100 years old that day, '+': 100 or older).
	// Zero means 2024-12-31, so that results never depend on the clock.
	Reference Date
	// PseudonymKey keys the HMAC that turns person ids into the pseudonyms
	// kept in Person.Key. Empty means a fixed public key: fine for
	// reproducibility, not for publishing keys outside the region.
	PseudonymKey []byte
}

// ObservationRange is the accepted value range of a known observation code.
type ObservationRange struct {
	Code     string
	Min, Max Fixed
	Integer  bool   // only whole numbers
	Unit     string // e.g. "mmol/mol", "mmHg", "points"
}

// ObservationRanges returns the value ranges intake enforces for the
// observation codes of the contract. Other codes matching [A-Z0-9_-]{1,20}
// are accepted without a range check.
func ObservationRanges() []ObservationRange {
	f := func(n int64) Fixed { return Fixed(n * FixedScale) }
	return []ObservationRange{
		{"BMI", f(10), f(80), false, "kg/m²"},
		{"BPDIA", f(20), f(200), false, "mmHg"},
		{"BPSYS", f(50), f(300), false, "mmHg"},
		{"HBA1C", f(10), f(200), false, "mmol/mol"},
		{"MADRSS", f(0), f(54), true, "points"},
		{"PHQ9", f(0), f(27), true, "points"},
		{"SMOKING", f(0), f(1), true, "0 = no, 1 = yes"},
	}
}

type column struct {
	name     string
	required bool
}

func cols(required []string, optional ...string) []column {
	var out []column
	for _, n := range required {
		out = append(out, column{n, true})
	}
	for _, n := range optional {
		out = append(out, column{n, false})
	}
	return out
}

var _ = errors.New // keep errors imported for future typed checks

// table is one open input file with its column positions.
type table struct {
	rep  *FileReport
	rd   *csvin.Reader
	idx  map[string]int
	head []string
}

// row is the current record of a table, with helpers that reject it at most once.
type row struct {
	t        *table
	line     int
	fields   [][]byte
	rejected bool
}

func (r *row) get(name string) string {
	i, ok := r.t.idx[name]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(string(r.fields[i]))
}

func (r *row) reject(column, reason string) {
	if r.rejected {
		return
	}
	r.rejected = true
	r.t.rep.reject(r.line, column, reason)
}

// open reads the header of one file and checks its columns. It returns nil
// when the file is absent or unreadable (recorded in rep).
func open(name string, rd io.Reader, spec []column, required bool, rep *FileReport) *table {
	rep.File = name
	if rd == nil {
		if required {
			rep.fatal = &FileError{File: name, Reason: "required file is missing"}
			rep.Error = rep.fatal.Error()
		}
		return nil
	}
	rep.Present = true
	cr, err := csvin.NewReader(rd)
	if err != nil {
		rep.fatal = &FileError{File: name, Reason: "cannot read header: " + err.Error()}
		rep.Error = rep.fatal.Error()
		return nil
	}
	rep.Encoding = cr.Encoding()
	rep.Delimiter = string(cr.Delimiter())
	t := &table{rep: rep, rd: cr, idx: map[string]int{}, head: cr.Header()}
	known := map[string]bool{}
	for _, c := range spec {
		known[c.name] = true
	}
	for i, h := range t.head {
		if _, dup := t.idx[h]; dup {
			rep.fatal = &FileError{File: name, Column: h, Reason: "column appears twice in the header"}
			rep.Error = rep.fatal.Error()
			return nil
		}
		t.idx[h] = i
		if !known[h] {
			rep.Ignored = append(rep.Ignored, h)
		}
	}
	for _, c := range spec {
		if _, ok := t.idx[c.name]; c.required && !ok {
			rep.fatal = &FileError{File: name, Column: c.name, Reason: "required column is missing"}
			rep.Error = rep.fatal.Error()
			return nil
		}
	}
	return t
}

// each calls fn for every record, counting reads and rejecting malformed
// records and records with the wrong number of fields. It stops early only
// on I/O errors (recorded as fatal) or cancellation.
func (t *table) each(ctx context.Context, fn func(*row)) error {
	n := 0
	for {
		rec, err := t.rd.Next()
		if err == io.EOF {
			return nil
		}
		var re *csvin.RecordError
		if errors.As(err, &re) {
			t.rep.Read++
			col := ""
			if re.Field >= 0 && re.Field < len(t.head) {
				col = t.head[re.Field]
			}
			t.rep.reject(re.Line, col, re.Reason)
			continue
		}
		if err != nil {
			t.rep.fatal = &FileError{File: t.rep.File, Reason: "read error: " + err.Error()}
			t.rep.Error = t.rep.fatal.Error()
			return err
		}
		t.rep.Read++
		r := row{t: t, line: rec.Line, fields: rec.Fields}
		if len(rec.Fields) != len(t.head) {
			r.reject("", "row has "+strconv.Itoa(len(rec.Fields))+" fields, the header has "+strconv.Itoa(len(t.head)))
			continue
		}
		fn(&r)
		if n++; n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// personDraft is a person while loading: the canonical identity (never
// output), derived facts and whether they came from a personnummer.
type personDraft struct {
	canon   string
	sex     Sex
	birth   Date
	fromPNR bool
}

type loader struct {
	opts      LoadOptions
	r         *Region
	persons   []personDraft
	personIdx map[string]PersonIndex
	areaIdx   map[string]int32
	clinIdx   map[string]int32
	listLines []int32
	contactID map[uint64]int32 // FNV-1a 64 of contact_id → index in r.Contacts, -1 once duplicated
}

// Load reads and validates one region's files. It streams every file once,
// accounts for every row in the report (read = accepted + rejected), and
// returns a Region built only from accepted rows. The report is always
// returned; the error is non-nil when a required file could not be read or
// ctx was cancelled, and then the Region is nil.
func Load(ctx context.Context, files Files, opts LoadOptions) (*Region, *IntakeReport, error) {
	if opts.Reference.IsZero() {
		opts.Reference = D(2024, 12, 31)
	}
	ld := &loader{
		opts: opts, r: &Region{},
		personIdx: map[string]PersonIndex{}, areaIdx: map[string]int32{},
		clinIdx: map[string]int32{}, contactID: map[uint64]int32{},
	}
	rep := &IntakeReport{Files: make([]FileReport, 7)}
	steps := []struct {
		name     string
		rd       io.Reader
		spec     []column
		required bool
		fn       func(context.Context, *table) error
	}{
		{FileUnits, files.Units, cols([]string{"unit_id", "name", "kind"}, "municipality", "owner", "from", "to"), true, ld.units},
		{FileAreas, files.Areas, cols([]string{"area"}, "name", "cni"), false, ld.areas},
		{FileListings, files.Listings, cols([]string{"person_id", "unit_id", "from"}, "to", "sex", "birth_date", "area", "acg", "acg_weight"), true, ld.listings},
		{FileContacts, files.Contacts, cols([]string{"contact_id", "person_id", "unit_id", "date", "mode", "profession"}, "urgent", "fee", "requested", "new_problem", "clinician"), false, ld.contacts},
		{FileDiagnoses, files.Diagnoses, cols([]string{"person_id", "date", "code"}, "unit_id", "contact_id"), false, ld.diagnoses},
		{FileObservations, files.Observations, cols([]string{"person_id", "date", "code", "value"}, "unit_id"), false, ld.observations},
		{FilePrescriptions, files.Prescriptions, cols([]string{"person_id", "date", "atc"}, "unit_id", "ddd"), false, ld.prescriptions},
	}
	var fatal error
	for i, s := range steps {
		fr := &rep.Files[i]
		fr.File = s.name
		if fatal != nil {
			// A required file failed: later files cannot be checked against it.
			if s.rd != nil {
				fr.Present = true
			}
			fr.finish()
			continue
		}
		t := open(s.name, s.rd, s.spec, s.required, fr)
		if t != nil {
			if err := s.fn(ctx, t); err != nil && ctx.Err() != nil {
				return nil, rep, ctx.Err()
			}
		}
		fr.finish()
		if fr.fatal != nil && s.required {
			fatal = fr.fatal
		}
	}
	if fatal != nil {
		return nil, rep, fatal
	}
	ld.finish()
	return ld.r, rep, nil
}

func (ld *loader) units(ctx context.Context, t *table) error {
	type draft struct {
		u    Unit
		line int
	}
	var drafts []draft
	lines := map[string][]int{}
	err := t.each(ctx, func(r *row) {
		u := Unit{ID: r.get("unit_id"), Name: r.get("name")}
		if !idShape(u.ID) {
			r.reject("unit_id", "unit_id is empty or not a usable id")
			return
		}
		if u.Name == "" {
			r.reject("name", "name is empty")
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
		p, ok := r.period("from", "to", false)
		if !ok {
			return
		}
		u.Active = p
		drafts = append(drafts, draft{u, r.line})
		lines[u.ID] = append(lines[u.ID], r.line)
	})
	// Duplicate ids: every row sharing an id is rejected, so the outcome does
	// not depend on row order.
	for _, d := range drafts {
		if ls := lines[d.u.ID]; len(ls) > 1 {
			other := ls[0]
			if other == d.line {
				other = ls[1]
			}
			t.rep.reject(d.line, "unit_id", "unit_id is also used on line "+strconv.Itoa(other))
			continue
		}
		ld.r.Units = append(ld.r.Units, d.u)
	}
	slices.SortFunc(ld.r.Units, func(a, b Unit) int { return strings.Compare(a.ID, b.ID) })
	ld.r.unitByID = make(map[string]UnitIndex, len(ld.r.Units))
	for i, u := range ld.r.Units {
		ld.r.unitByID[u.ID] = UnitIndex(i)
	}
	return err
}

func (ld *loader) areas(ctx context.Context, t *table) error {
	type draft struct {
		a    Area
		line int
	}
	var drafts []draft
	lines := map[string][]int{}
	err := t.each(ctx, func(r *row) {
		a := Area{ID: r.get("area"), Name: r.get("name")}
		if !idShape(a.ID) {
			r.reject("area", "area is empty or not a usable id")
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
		drafts = append(drafts, draft{a, r.line})
		lines[a.ID] = append(lines[a.ID], r.line)
	})
	for _, d := range drafts {
		if ls := lines[d.a.ID]; len(ls) > 1 {
			other := ls[0]
			if other == d.line {
				other = ls[1]
			}
			t.rep.reject(d.line, "area", "area is also used on line "+strconv.Itoa(other))
			continue
		}
		ld.r.Areas = append(ld.r.Areas, d.a)
	}
	slices.SortFunc(ld.r.Areas, func(a, b Area) int { return strings.Compare(a.ID, b.ID) })
	for i, a := range ld.r.Areas {
		ld.areaIdx[a.ID] = int32(i)
	}
	return err
}

// date reads a required or optional date column; ok is false when the row was rejected.
func (r *row) date(name string, required bool) (Date, bool) {
	s := r.get(name)
	if s == "" {
		if required {
			r.reject(name, name+" is empty")
			return Date{}, false
		}
		return Date{}, true
	}
	d, err := ParseDate(s)
	if err != nil {
		var de *DateError
		errors.As(err, &de)
		r.reject(name, name+" "+safeValue(s)+" is not a real date: "+de.Reason)
		return Date{}, false
	}
	return d, true
}

// period reads a from/to pair; to may be empty (open).
func (r *row) period(from, to string, fromRequired bool) (Period, bool) {
	f, ok := r.date(from, fromRequired)
	if !ok {
		return Period{}, false
	}
	t, ok := r.date(to, false)
	if !ok {
		return Period{}, false
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		r.reject(to, to+" "+t.String()+" is before "+from+" "+f.String())
		return Period{}, false
	}
	return Period{From: f, To: t}, true
}

// unit resolves an optional or required unit_id column.
func (r *row) unit(ld *loader, required bool) (UnitIndex, bool) {
	s := r.get("unit_id")
	if s == "" {
		if required {
			r.reject("unit_id", "unit_id is empty")
			return NoUnit, false
		}
		return NoUnit, true
	}
	u, ok := ld.r.unitByID[s]
	if !ok {
		r.reject("unit_id", "unit_id "+safeValue(s)+" is not in units.csv")
		return NoUnit, false
	}
	return u, true
}

// person resolves the person_id column to a draft person, creating it when
// new. It never puts the id into a reason.
func (r *row) person(ld *loader) (PersonIndex, bool) {
	s := r.get("person_id")
	if s == "" {
		r.reject("person_id", "person_id is empty")
		return 0, false
	}
	var d personDraft
	if LooksLikePersonnummer(s) {
		pn, err := ParsePersonnummer(s, ld.opts.Reference)
		if err != nil {
			var pe *PersonnummerError
			reason := "person_id is shaped like a personnummer but is not valid"
			if errors.As(err, &pe) {
				reason += ": " + pe.Reason
			}
			r.reject("person_id", reason)
			return 0, false
		}
		d = personDraft{canon: pn.Canonical(), sex: pn.Sex(), birth: pn.BirthDate(), fromPNR: true}
	} else {
		if !idShape(s) {
			r.reject("person_id", "person_id is not a usable pseudonym (1–64 printable characters)")
			return 0, false
		}
		d = personDraft{canon: "p:" + s}
	}
	if p, ok := ld.personIdx[d.canon]; ok {
		return p, true
	}
	p := PersonIndex(len(ld.persons))
	ld.persons = append(ld.persons, d)
	ld.personIdx[d.canon] = p
	return p, true
}

func (r *row) fixed(name string, scale int, min, max int64, what string) (int64, bool, bool) {
	s := r.get(name)
	if s == "" {
		return 0, false, true
	}
	v, why := parseFixed(s, scale)
	if why != "" {
		r.reject(name, name+" "+safeValue(s)+": "+why)
		return 0, false, false
	}
	if v < min || v > max {
		r.reject(name, name+" "+safeValue(s)+" is out of range: "+what)
		return 0, false, false
	}
	return v, true, true
}

func (ld *loader) listings(ctx context.Context, t *table) error {
	type draft struct {
		l     Listing
		sex   Sex
		birth Date
		line  int
	}
	var drafts []draft
	err := t.each(ctx, func(r *row) {
		p, ok := r.person(ld)
		if !ok {
			return
		}
		u, ok := r.unit(ld, true)
		if !ok {
			return
		}
		per, ok := r.period("from", "to", true)
		if !ok {
			return
		}
		d := draft{l: Listing{Person: p, Unit: u, Period: per, Area: -1, ACG: -1, Line: int32(r.line)}, line: r.line}
		switch strings.ToUpper(r.get("sex")) {
		case "":
		case "F", "K", "2":
			d.sex = Female
		case "M", "1":
			d.sex = Male
		default:
			r.reject("sex", "sex "+safeValue(r.get("sex"))+" is not F/K/2 (female) or M/1 (male)")
			return
		}
		if d.birth, ok = r.date("birth_date", false); !ok {
			return
		}
		pd := ld.persons[p]
		if pd.fromPNR {
			if d.sex != SexUnknown && d.sex != pd.sex {
				r.reject("sex", "sex does not match the personnummer")
				return
			}
			if !d.birth.IsZero() && d.birth != pd.birth {
				r.reject("birth_date", "birth_date does not match the personnummer")
				return
			}
			d.sex, d.birth = pd.sex, pd.birth
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
		if a := r.get("area"); a != "" {
			i, ok := ld.areaIdx[a]
			if !ok && len(ld.areaIdx) > 0 {
				r.reject("area", "area "+safeValue(a)+" is not in areas.csv")
				return
			}
			if ok {
				d.l.Area = i
			}
		}
		if a := r.get("acg"); a != "" {
			if !codeShape(strings.ToUpper(a)) {
				r.reject("acg", "acg "+safeValue(a)+" is not a code of letters, digits, '_' or '-'")
				return
			}
			d.l.ACG = ld.r.Intern(strings.ToUpper(a))
		}
		w, has, ok := r.fixed("acg_weight", 6, 0, 100*FixedScale, "0 to 100")
		if !ok {
			return
		}
		d.l.ACGWeight, d.l.HasWeight = Fixed(w), has
		drafts = append(drafts, d)
	})
	// Cross-row checks per person, in canonical (content) order so that the
	// outcome does not depend on row order: a pseudonymous person's sex and
	// birth date must agree between rows; listings must not overlap.
	slices.SortFunc(drafts, func(a, b draft) int {
		if c := int(a.l.Person) - int(b.l.Person); c != 0 {
			return c
		}
		if c := a.l.Period.From.Compare(b.l.Period.From); c != 0 {
			return c
		}
		if c := cmpOpenEnd(a.l.Period.To, b.l.Period.To); c != 0 {
			return c
		}
		if c := int(a.l.Unit) - int(b.l.Unit); c != 0 {
			return c
		}
		return a.line - b.line
	})
	for i := 0; i < len(drafts); {
		j := i
		for j < len(drafts) && drafts[j].l.Person == drafts[i].l.Person {
			j++
		}
		first := drafts[i]
		var prev *draft
		for k := i; k < j; k++ {
			d := &drafts[k]
			switch {
			case d.sex != first.sex:
				t.rep.reject(d.line, "sex", "sex differs from the same person's listing on line "+strconv.Itoa(first.line))
				continue
			case d.birth != first.birth:
				t.rep.reject(d.line, "birth_date", "birth_date differs from the same person's listing on line "+strconv.Itoa(first.line))
				continue
			case prev != nil && prev.l.Period.Overlaps(d.l.Period):
				t.rep.reject(d.line, "from", "listing overlaps the same person's listing on line "+strconv.Itoa(prev.line))
				continue
			}
			ld.r.Listings = append(ld.r.Listings, d.l)
			prev = d
		}
		p := &ld.persons[first.l.Person]
		if !p.fromPNR {
			p.sex, p.birth = first.sex, first.birth
		}
		i = j
	}
	return err
}

func contactHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func yesNo(r *row, name string) (YesNo, bool) {
	switch strings.ToLower(r.get(name)) {
	case "":
		return NotGiven, true
	case "yes", "ja", "y", "j", "1":
		return Yes, true
	case "no", "nej", "n", "0":
		return No, true
	}
	r.reject(name, name+" "+safeValue(r.get(name))+" is not yes or no")
	return NotGiven, false
}

func (ld *loader) contacts(ctx context.Context, t *table) error {
	var lines []int32
	dupLines := map[int32]int32{} // index of a duplicated contact → line of another row with its id
	err := t.each(ctx, func(r *row) {
		id := r.get("contact_id")
		if !idShape(id) {
			r.reject("contact_id", "contact_id is empty or not a usable id")
			return
		}
		p, ok := r.person(ld)
		if !ok {
			return
		}
		u, ok := r.unit(ld, true)
		if !ok {
			return
		}
		c := Contact{Person: p, Unit: u, Clinician: -1, Fee: -1}
		if c.Date, ok = r.date("date", true); !ok {
			return
		}
		switch strings.ToLower(r.get("mode")) {
		case "visit":
			c.Mode = ModeVisit
		case "home":
			c.Mode = ModeHome
		case "phone":
			c.Mode = ModePhone
		case "video":
			c.Mode = ModeVideo
		case "chat":
			c.Mode = ModeChat
		default:
			r.reject("mode", "mode "+safeValue(r.get("mode"))+" is not one of visit, home, phone, video, chat")
			return
		}
		prof := strings.ToLower(r.get("profession"))
		for i, n := range professionNames {
			if i > 0 && n == prof {
				c.Profession = Profession(i)
			}
		}
		if c.Profession == ProfessionUnknown {
			r.reject("profession", "profession "+safeValue(r.get("profession"))+" is not one of doctor, nurse, psychologist, physio, occupational_therapist, counsellor, dietitian, other")
			return
		}
		if c.Urgent, ok = yesNo(r, "urgent"); !ok {
			return
		}
		fee, has, ok := r.fixed("fee", 2, 0, 1_000_000*100, "a fee is not negative and at most 1,000,000 SEK")
		if !ok {
			return
		}
		if has {
			c.Fee = fee
		}
		if c.Requested, ok = r.date("requested", false); !ok {
			return
		}
		if !c.Requested.IsZero() && c.Requested.After(c.Date) {
			r.reject("requested", "requested "+c.Requested.String()+" is after the contact date "+c.Date.String())
			return
		}
		if c.NewProblem, ok = yesNo(r, "new_problem"); !ok {
			return
		}
		if cl := r.get("clinician"); cl != "" {
			if !idShape(cl) || LooksLikePersonnummer(cl) {
				r.reject("clinician", "clinician must be a pseudonymous staff id, not a personnummer")
				return
			}
			i, ok := ld.clinIdx[cl]
			if !ok {
				i = int32(len(ld.r.Clinicians))
				ld.r.Clinicians = append(ld.r.Clinicians, cl)
				ld.clinIdx[cl] = i
			}
			c.Clinician = i
		}
		h := contactHash(id)
		idx := int32(len(ld.r.Contacts))
		if prev, dup := ld.contactID[h]; dup {
			// Every row sharing a contact_id is rejected, whatever the order.
			if prev >= 0 {
				dupLines[prev] = int32(r.line)
				ld.contactID[h] = -1 - prev
			} else {
				prev = -1 - prev
			}
			r.reject("contact_id", "contact_id is also used on line "+strconv.Itoa(int(lines[prev])))
			return
		}
		ld.contactID[h] = idx
		ld.r.Contacts = append(ld.r.Contacts, c)
		lines = append(lines, int32(r.line))
	})
	if len(dupLines) > 0 {
		keep := ld.r.Contacts[:0]
		for i, c := range ld.r.Contacts {
			if other, dup := dupLines[int32(i)]; dup {
				t.rep.reject(int(lines[i]), "contact_id", "contact_id is also used on line "+strconv.Itoa(int(other)))
				continue
			}
			keep = append(keep, c)
		}
		ld.r.Contacts = keep
	}
	return err
}

func (ld *loader) diagnoses(ctx context.Context, t *table) error {
	return t.each(ctx, func(r *row) {
		p, ok := r.person(ld)
		if !ok {
			return
		}
		d := Diagnosis{Person: p}
		if d.Date, ok = r.date("date", true); !ok {
			return
		}
		code := normaliseICD(r.get("code"))
		if !icdShape(code) {
			r.reject("code", "code "+safeValue(r.get("code"))+" is not an ICD-10 code (e.g. F32.1 or F321)")
			return
		}
		if d.Unit, ok = r.unit(ld, false); !ok {
			return
		}
		if cid := r.get("contact_id"); cid != "" {
			if i, ok := ld.contactID[contactHash(cid)]; !ok || i < 0 {
				r.reject("contact_id", "contact_id is not an accepted contact in contacts.csv")
				return
			}
		}
		d.Code = ld.r.Intern(code)
		ld.r.Diagnoses = append(ld.r.Diagnoses, d)
	})
}

func (ld *loader) observations(ctx context.Context, t *table) error {
	ranges := map[string]ObservationRange{}
	for _, o := range ObservationRanges() {
		ranges[o.Code] = o
	}
	return t.each(ctx, func(r *row) {
		p, ok := r.person(ld)
		if !ok {
			return
		}
		o := Observation{Person: p}
		if o.Date, ok = r.date("date", true); !ok {
			return
		}
		code := strings.ToUpper(r.get("code"))
		code = strings.ReplaceAll(code, "-", "")
		if !codeShape(code) {
			r.reject("code", "code "+safeValue(r.get("code"))+" is not an observation code")
			return
		}
		s := r.get("value")
		if s == "" {
			r.reject("value", "value is empty")
			return
		}
		v, why := parseFixed(s, 6)
		if why != "" {
			r.reject("value", "value "+safeValue(s)+": "+why)
			return
		}
		if rg, known := ranges[code]; known {
			if v < int64(rg.Min) || v > int64(rg.Max) {
				r.reject("value", code+" value "+safeValue(s)+" is outside "+rg.Min.String()+"–"+rg.Max.String()+" "+rg.Unit)
				return
			}
			if rg.Integer && v%FixedScale != 0 {
				r.reject("value", code+" value "+safeValue(s)+" must be a whole number")
				return
			}
		}
		o.Value = Fixed(v)
		if o.Unit, ok = r.unit(ld, false); !ok {
			return
		}
		o.Code = ld.r.Intern(code)
		ld.r.Observations = append(ld.r.Observations, o)
	})
}

func (ld *loader) prescriptions(ctx context.Context, t *table) error {
	return t.each(ctx, func(r *row) {
		p, ok := r.person(ld)
		if !ok {
			return
		}
		x := Prescription{Person: p}
		if x.Date, ok = r.date("date", true); !ok {
			return
		}
		atc := strings.ToUpper(r.get("atc"))
		if !atcShape(atc) {
			r.reject("atc", "atc "+safeValue(r.get("atc"))+" is not a 7-character ATC code (e.g. J01CA04)")
			return
		}
		if x.Unit, ok = r.unit(ld, false); !ok {
			return
		}
		ddd, has, ok := r.fixed("ddd", 6, 0, 100000*FixedScale, "0 to 100,000")
		if !ok {
			return
		}
		x.DDD, x.HasDDD = Fixed(ddd), has
		x.ATC = ld.r.Intern(atc)
		ld.r.Prescriptions = append(ld.r.Prescriptions, x)
	})
}

// finish pseudonymises persons, puts persons, codes and clinicians into a
// canonical order (independent of row order), remaps every record and builds
// the indexes.
func (ld *loader) finish() {
	key := ld.opts.PseudonymKey
	if len(key) == 0 {
		key = []byte("vardval public pseudonym key")
	}
	n := len(ld.persons)
	keys := make([]string, n)
	order := make([]int32, n)
	for i, p := range ld.persons {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(p.canon))
		keys[i] = hex.EncodeToString(m.Sum(nil)[:10])
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := strings.Compare(keys[a], keys[b]); c != 0 {
			return c
		}
		return strings.Compare(ld.persons[a].canon, ld.persons[b].canon)
	})
	newIdx := make([]PersonIndex, n)
	ld.r.Persons = make([]Person, n)
	for to, from := range order {
		newIdx[from] = PersonIndex(to)
		p := ld.persons[from]
		ld.r.Persons[to] = Person{Key: keys[from], Sex: p.sex, BirthDate: p.birth}
	}
	ld.persons, ld.personIdx = nil, nil

	// Codes and clinicians sorted, so indexes do not depend on row order.
	codeMap := sortedRemap(&ld.r.Codes)
	clinMap := sortedRemap(&ld.r.Clinicians)
	for i := range ld.r.Listings {
		l := &ld.r.Listings[i]
		l.Person = newIdx[l.Person]
		if l.ACG >= 0 {
			l.ACG = codeMap[l.ACG]
		}
	}
	for i := range ld.r.Contacts {
		c := &ld.r.Contacts[i]
		c.Person = newIdx[c.Person]
		if c.Clinician >= 0 {
			c.Clinician = clinMap[c.Clinician]
		}
	}
	for i := range ld.r.Diagnoses {
		d := &ld.r.Diagnoses[i]
		d.Person, d.Code = newIdx[d.Person], codeMap[d.Code]
	}
	for i := range ld.r.Observations {
		o := &ld.r.Observations[i]
		o.Person, o.Code = newIdx[o.Person], codeMap[o.Code]
	}
	for i := range ld.r.Prescriptions {
		x := &ld.r.Prescriptions[i]
		x.Person, x.ATC = newIdx[x.Person], codeMap[x.ATC]
	}
	ld.r.codeIndex = nil
	ld.r.Reindex()
}

// sortedRemap sorts *s and returns old index → new index.
func sortedRemap(s *[]string) []int32 {
	old := *s
	order := make([]int32, len(old))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(old[a], old[b]) })
	remap := make([]int32, len(old))
	sorted := make([]string, len(old))
	for to, from := range order {
		remap[from] = int32(to)
		sorted[to] = old[from]
	}
	*s = sorted
	return remap
}
