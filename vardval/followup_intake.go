package vardval

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"slices"
	"sort"
	"strconv"

	"github.com/vardval/vardval/internal/redact"
)

// followupSteps are the follow-up files in reading order, with their
// columns: the first list required, the rest optional.
func followupSteps(files Files) []struct {
	name string
	rd   io.Reader
	spec []column
} {
	return []struct {
		name string
		rd   io.Reader
		spec []column
	}{
		{FileProcedures, files.Procedures, cols([]string{"person_id", "date", "unit_id", "code"}, "clinician")},
		{FileAdmissions, files.Admissions, cols([]string{"person_id", "admitted", "discharged", "main_diagnosis", "acute", "hospital"})},
		{FileClinicians, files.Clinicians, cols([]string{"clinician", "unit_id", "profession", "employment", "from"}, "to")},
		{FileCalls, files.Calls, cols([]string{"unit_id", "date", "calls", "answered_same_day"})},
		{FileSurvey, files.Survey, cols([]string{"unit_id", "period", "question", "respondents", "positive"})},
	}
}

// nMainFiles is how many files come before the follow-up files in
// [FileNames] (and in IntakeReport.Files).
const nMainFiles = 7

// followupReader reads the follow-up files once the other files are read:
// on the calling goroutine, one after the other. When link is set (Load),
// persons are looked up in the finished region by their pseudonym;
// otherwise (Check) their cells are only checked.
type followupReader struct {
	ld      *loader
	w       *worker // for unit look-ups
	link    bool
	pt      personTable // for the reasons of invalid personnummer
	mac     hash.Hash   // the keyed HMAC of the pseudonyms, as ld.pseudonyms computes them
	sum     [sha256.Size]byte
	hexKey  [20]byte
	strs    map[string]string // one copy of each code and hospital
	clins   map[string]string // one copy of each clinician id, checked
	upper   []byte
	scratch []byte
	f       *Followup
}

// readFollowup reads the follow-up files into ld.r.followup (when link)
// and their reports into reps (one per file, in followupSteps order).
func (ld *loader) readFollowup(ctx context.Context, files Files, skipped func(string) bool, reps []FileReport, link bool) error {
	fr := &followupReader{ld: ld, w: ld.newWorker(false), link: link, pt: newPersonTable(ld.opts.Reference),
		mac: hmac.New(sha256.New, pseudonymKey(ld.opts)), strs: map[string]string{}, clins: map[string]string{}, f: &Followup{}}
	fns := []func(context.Context, *table) error{fr.procedures, fr.admissions, fr.clinicians, fr.calls, fr.survey}
	for i, s := range followupSteps(files) {
		rd := s.rd
		if rd != nil && skipped(s.name) {
			rd = nil
		}
		if t := open(s.name, rd, s.spec, false, &reps[i]); t != nil {
			if err := fns[i](ctx, t); err != nil && ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	if link {
		fr.f.index(len(ld.r.Persons))
		ld.r.followup = fr.f
	}
	return nil
}

// person checks a person_id cell and, when linking, returns the region's
// person (found false for a valid id the region does not know). ok is
// false when the row was rejected.
func (fr *followupReader) person(r *row, b []byte) (p PersonIndex, found, ok bool) {
	if len(b) == 0 {
		r.reject("person_id", "person_id is empty")
		return 0, false, false
	}
	var canon []byte
	if looksLikePersonnummer(b) {
		pn, err := ParsePersonnummer(string(b), fr.pt.ref)
		if err != nil {
			fr.pt.reject(r, err)
			return 0, false, false
		}
		canon = append(fr.scratch[:0], pn.Canonical()...)
	} else {
		if !idShapeBytes(b) {
			r.reject("person_id", "person_id is not a usable pseudonym (1–64 printable characters)")
			return 0, false, false
		}
		canon = append(append(fr.scratch[:0], "p:"...), b...)
	}
	fr.scratch = canon
	if !fr.link {
		return 0, false, true
	}
	fr.mac.Reset()
	fr.mac.Write(canon)
	fr.mac.Sum(fr.sum[:0])
	hex.Encode(fr.hexKey[:], fr.sum[:10])
	// Persons are sorted by pseudonym: binary search, no index to build.
	// (Two persons sharing an 80-bit pseudonym, far less than one chance
	// in a billion for a region of Sweden's size, would be told apart by
	// identity, which is not kept: the first is taken.)
	ps := fr.ld.r.Persons
	i := sort.Search(len(ps), func(i int) bool { return ps[i].Key >= string(fr.hexKey[:]) })
	if i < len(ps) && ps[i].Key == string(fr.hexKey[:]) {
		return PersonIndex(i), true, true
	}
	return 0, false, true
}

// str returns b as a string, one copy per distinct value.
func (fr *followupReader) str(b []byte) string {
	if s, ok := fr.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	fr.strs[s] = s
	return s
}

// toUpper returns b upper-cased in a buffer reused for every call.
func (fr *followupReader) toUpper(b []byte) []byte {
	u, ok := asciiUpper(fr.upper[:0], b)
	if !ok {
		u = append(fr.upper[:0], bytes.ToUpper(b)...)
	}
	fr.upper = u
	return u
}

// clinicianID checks an optional or required clinician cell as
// contacts.csv does.
func (fr *followupReader) clinicianID(r *row, b []byte, required bool) (string, bool) {
	if len(b) == 0 {
		if required {
			r.reject("clinician", "clinician is empty")
			return "", false
		}
		return "", true
	}
	if s, ok := fr.clins[string(b)]; ok {
		return s, true // checked when first met
	}
	s := string(b)
	if !idShape(s) {
		r.reject("clinician", "clinician is not a usable id (1–64 printable characters)")
		return "", false
	}
	if redact.Contains(s) {
		r.reject("clinician", "clinician must be a pseudonymous staff id, not a personnummer")
		return "", false
	}
	fr.clins[s] = s
	return s, true
}

// kvaShape reports whether code (upper-cased) has the shape of a KVÅ code:
// five letters or digits, the first a letter (DV112, XV015, AU118, JKA20).
func kvaShape(code []byte) bool {
	if len(code) != 5 || !isUpper(code[0]) {
		return false
	}
	for _, c := range code[1:] {
		if !isUpper(c) && !isDigit(c) {
			return false
		}
	}
	return true
}

// count reads a required whole number from 0 to 10,000,000.
func (r *row) count(ci int, name string) (int64, bool) {
	s := r.field(ci)
	if len(s) == 0 {
		r.reject(name, name+" is empty")
		return 0, false
	}
	v, why := parseFixed(s, 6)
	if why != "" {
		r.reject(name, name+" "+safeValue(string(s))+": "+why)
		return 0, false
	}
	if v%FixedScale != 0 {
		r.reject(name, name+" "+safeValue(string(s))+" is not a whole number")
		return 0, false
	}
	v /= FixedScale
	if v < 0 || v > 10_000_000 {
		r.reject(name, name+" "+safeValue(string(s))+" is out of range: a whole number from 0 to 10,000,000")
		return 0, false
	}
	return v, true
}

func (fr *followupReader) procedures(ctx context.Context, t *table) error {
	cPerson, cDate, cUnit, cCode, cClin := t.col("person_id"), t.col("date"), t.col("unit_id"), t.col("code"), t.col("clinician")
	return t.each(ctx, func(r *row) {
		p, found, ok := fr.person(r, r.field(cPerson))
		if !ok {
			return
		}
		x := Procedure{Person: p}
		if x.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		if x.Unit, ok = fr.w.unit(r, cUnit, true); !ok {
			return
		}
		raw := r.field(cCode)
		code := fr.toUpper(raw)
		if !kvaShape(code) {
			r.reject("code", "code "+safeValue(string(raw))+" is not a KVÅ code (five letters or digits, the first a letter, e.g. DV112 or XV015)")
			return
		}
		x.Code = fr.str(code)
		if x.Clinician, ok = fr.clinicianID(r, r.field(cClin), false); !ok {
			return
		}
		if found {
			fr.f.Procedures = append(fr.f.Procedures, x)
		}
	})
}

func (fr *followupReader) admissions(ctx context.Context, t *table) error {
	cPerson, cIn, cOut, cDiag, cAcute, cHosp := t.col("person_id"), t.col("admitted"), t.col("discharged"), t.col("main_diagnosis"), t.col("acute"), t.col("hospital")
	return t.each(ctx, func(r *row) {
		p, found, ok := fr.person(r, r.field(cPerson))
		if !ok {
			return
		}
		x := Admission{Person: p}
		stay, ok := r.period(cIn, cOut, "admitted", "discharged", true)
		if !ok {
			return
		}
		x.Admitted, x.Discharged = stay.From, stay.To
		raw := r.field(cDiag)
		code := fr.toUpper(raw)
		if len(code) > 4 && code[3] == '.' {
			code = append(code[:3], code[4:]...)
		}
		if !icdShape(string(code)) {
			r.reject("main_diagnosis", "main_diagnosis "+safeValue(string(raw))+" is not an ICD-10 code (e.g. J44.1 or J441)")
			return
		}
		x.Diagnosis = fr.str(code)
		acute, ok := yesNo(r, cAcute, "acute")
		if !ok {
			return
		}
		if acute == NotGiven {
			r.reject("acute", "acute is empty (yes or no)")
			return
		}
		x.Acute = acute == Yes
		h := r.field(cHosp)
		switch s := string(h); {
		case len(h) == 0:
			r.reject("hospital", "hospital is empty")
			return
		case !idShape(s):
			r.reject("hospital", "hospital is not a usable id (1–64 printable characters)")
			return
		case redact.Contains(s):
			r.reject("hospital", "hospital holds a run of digits shaped like a personnummer (valid or not); use the hospital's own id")
			return
		default:
			x.Hospital = fr.str(h)
		}
		if found {
			fr.f.Admissions = append(fr.f.Admissions, x)
		}
	})
}

func (fr *followupReader) clinicians(ctx context.Context, t *table) error {
	cClin, cUnit, cProf, cEmp, cFrom, cTo := t.col("clinician"), t.col("unit_id"), t.col("profession"), t.col("employment"), t.col("from"), t.col("to")
	var rows []StaffPeriod
	var lines []int
	err := t.each(ctx, func(r *row) {
		var x StaffPeriod
		var ok bool
		if x.Clinician, ok = fr.clinicianID(r, r.field(cClin), true); !ok {
			return
		}
		if x.Unit, ok = fr.w.unit(r, cUnit, true); !ok {
			return
		}
		pr := r.field(cProf)
		if i := enumIndex(pr, professionNames[:]); i > 0 {
			x.Profession = Profession(i)
		} else {
			r.reject("profession", "profession "+safeValue(string(pr))+" is not one of doctor, nurse, psychologist, physio, occupational_therapist, counsellor, dietitian, other")
			return
		}
		em := r.field(cEmp)
		if i := enumIndex(em, employmentNames[:]); i > 0 {
			x.Employment = Employment(i)
		} else {
			r.reject("employment", "employment "+safeValue(string(em))+" is not employed or hired")
			return
		}
		if x.Period, ok = r.period(cFrom, cTo, "from", "to", true); !ok {
			return
		}
		rows = append(rows, x)
		lines = append(lines, r.line)
	})
	// A clinician's periods at one unit must not overlap: every row that
	// overlaps another is rejected, naming the first (in content order)
	// it overlaps, so the rows rejected do not depend on row order.
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return cmp.Or(cmpStaff(rows[order[a]], rows[order[b]]), cmp.Compare(lines[order[a]], lines[order[b]])) < 0
	})
	bad := make([]int, len(rows)) // 1 + the row it overlaps, 0 when none
	for a := 0; a < len(order); a++ {
		i := order[a]
		for b := a + 1; b < len(order); b++ {
			j := order[b]
			if rows[j].Clinician != rows[i].Clinician || rows[j].Unit != rows[i].Unit {
				break
			}
			if !rows[i].Period.Overlaps(rows[j].Period) {
				continue
			}
			if bad[i] == 0 {
				bad[i] = j + 1
			}
			if bad[j] == 0 {
				bad[j] = i + 1
			}
		}
	}
	for i, x := range rows {
		if bad[i] != 0 {
			t.rep.reject(lines[i], "from", "period overlaps the same clinician's period at this unit on line "+strconv.Itoa(lines[bad[i]-1]))
			continue
		}
		fr.f.Staff = append(fr.f.Staff, x)
	}
	return err
}

// rejectRepeats rejects every row whose key another row shares (keys
// compared on content): the first of them names the second, every later
// one the first. It returns which rows were rejected.
func rejectRepeats(rep *FileReport, keys []string, lines []int, column, what string) []bool {
	groups := map[string][]int{}
	for i, k := range keys {
		groups[k] = append(groups[k], i)
	}
	out := make([]bool, len(keys))
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		slices.SortFunc(g, func(a, b int) int { return cmp.Compare(lines[a], lines[b]) })
		for k, i := range g {
			other := g[0]
			if k == 0 {
				other = g[1]
			}
			out[i] = true
			rep.reject(lines[i], column, what+" also on line "+strconv.Itoa(lines[other]))
		}
	}
	return out
}

func (fr *followupReader) calls(ctx context.Context, t *table) error {
	cUnit, cDate, cCalls, cAns := t.col("unit_id"), t.col("date"), t.col("calls"), t.col("answered_same_day")
	var rows []CallDay
	var keys []string
	var lines []int
	err := t.each(ctx, func(r *row) {
		var x CallDay
		var ok bool
		if x.Unit, ok = fr.w.unit(r, cUnit, true); !ok {
			return
		}
		if x.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		if x.Calls, ok = r.count(cCalls, "calls"); !ok {
			return
		}
		if x.AnsweredSameDay, ok = r.count(cAns, "answered_same_day"); !ok {
			return
		}
		if x.AnsweredSameDay > x.Calls {
			r.reject("answered_same_day", "answered_same_day "+strconv.FormatInt(x.AnsweredSameDay, 10)+" is more than calls "+strconv.FormatInt(x.Calls, 10))
			return
		}
		rows = append(rows, x)
		keys = append(keys, strconv.Itoa(int(x.Unit))+" "+x.Date.String())
		lines = append(lines, r.line)
	})
	dup := rejectRepeats(t.rep, keys, lines, "date", "the same unit and date are")
	for i, x := range rows {
		if !dup[i] {
			fr.f.Calls = append(fr.f.Calls, x)
		}
	}
	return err
}

func (fr *followupReader) survey(ctx context.Context, t *table) error {
	cUnit, cPeriod, cQ, cResp, cPos := t.col("unit_id"), t.col("period"), t.col("question"), t.col("respondents"), t.col("positive")
	var rows []SurveyResult
	var keys []string
	var lines []int
	err := t.each(ctx, func(r *row) {
		var x SurveyResult
		var ok bool
		if x.Unit, ok = fr.w.unit(r, cUnit, true); !ok {
			return
		}
		ps := r.field(cPeriod)
		if len(ps) == 0 {
			r.reject("period", "period is empty")
			return
		}
		p, err := ParsePeriod(string(ps))
		if err != nil {
			r.reject("period", "period "+safeValue(string(ps))+" is not a period: YYYY, YYYY-MM, YYYY-MM-DD or two of them joined by ..")
			return
		}
		x.Period = p
		q := r.field(cQ)
		switch s := string(q); {
		case len(q) == 0:
			r.reject("question", "question is empty")
			return
		case !idShape(s):
			r.reject("question", "question is not a usable id (1–64 printable characters)")
			return
		case redact.Contains(s):
			r.reject("question", "question holds a run of digits shaped like a personnummer (valid or not)")
			return
		default:
			x.Question = string(bytes.ToLower(q))
		}
		if x.Respondents, ok = r.count(cResp, "respondents"); !ok {
			return
		}
		if x.Positive, ok = r.count(cPos, "positive"); !ok {
			return
		}
		if x.Positive > x.Respondents {
			r.reject("positive", "positive "+strconv.FormatInt(x.Positive, 10)+" is more than respondents "+strconv.FormatInt(x.Respondents, 10))
			return
		}
		rows = append(rows, x)
		keys = append(keys, strconv.Itoa(int(x.Unit))+" "+x.Period.String()+" "+x.Question)
		lines = append(lines, r.line)
	})
	dup := rejectRepeats(t.rep, keys, lines, "question", "the same unit, period and question are")
	for i, x := range rows {
		if !dup[i] {
			fr.f.Survey = append(fr.f.Survey, x)
		}
	}
	return err
}

// followupNames are the follow-up files in reading order.
func followupNames() []string {
	return []string{FileProcedures, FileAdmissions, FileClinicians, FileCalls, FileSurvey}
}
