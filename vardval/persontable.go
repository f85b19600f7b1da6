package vardval

import (
	"errors"

	"github.com/vardval/vardval/vardval/internal/arena"
	"github.com/vardval/vardval/vardval/internal/idtable"
)

// personDraft is a person while loading: derived facts and whether they
// came from a personnummer. Its identity is kept in the person table. It
// holds no pointers, so that a million of them cost the garbage collector
// nothing.
type personDraft struct {
	pnr     uint64 // the 12-digit number YYYYMMDDNNNC when fromPNR
	sex     Sex
	birth   Date
	fromPNR bool
}

// canon appends the canonical identity that keys the pseudonym: the 12
// digits of a personnummer, or "p:" and the pseudonym (id, as written).
func (d *personDraft) canon(dst []byte, id []byte) []byte {
	if d.fromPNR {
		var b [12]byte
		n := d.pnr
		for i := 11; i >= 0; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
		return append(dst, b[:]...)
	}
	return append(append(dst, "p:"...), id...)
}

// personTable resolves person_id cells to dense local person indexes.
type personTable struct {
	ref    Date
	ids    idtable.Table // pseudonym, or the 12 digits of a personnummer → person
	drafts []personDraft
	follow findState // resolve's memory of the previous row: files are often grouped by person
	key    []byte    // scratch for a personnummer's 12 digits
	// checked: every personnummer cell resolve is given was parsed and
	// found valid as its row was read (the listings'), so add takes the
	// sex and birth date from the key's digits instead of parsing again.
	checked bool
}

func newPersonTable(ref Date) personTable {
	return personTable{ref: ref, follow: findState{lastP: -1}}
}

// resolve returns the person of cell b, creating it when new. It never puts
// the id into a reason.
func (pt *personTable) resolve(r *row, b []byte) (PersonIndex, bool) {
	if len(b) == 0 {
		r.reject("person_id", "person_id is empty")
		return 0, false
	}
	if st := &pt.follow; st.lastP >= 0 && string(b) == string(st.last) {
		return PersonIndex(st.lastP), true
	}
	key, pn, parsed, err := pt.keyOf(b, &pt.key)
	if err != nil {
		pt.reject(r, err)
		return 0, false
	}
	if k, ok := pt.next(b, key, &pt.follow); ok {
		return PersonIndex(k), true
	}
	p, slot, h, ok := int32(0), -1, uint32(0), false
	if !pt.ids.Beyond(key) {
		p, slot, h, ok = pt.ids.Get(key)
	}
	if !ok {
		if p, ok = pt.add(r, b, key, pn, parsed, slot, h); !ok {
			return 0, false
		}
	}
	pt.follow.last = append(pt.follow.last[:0], b...)
	pt.follow.lastP = p
	return PersonIndex(p), true
}

// keyOf returns the table key of cell b: a personnummer's 12 digits (in
// scratch when b is not already them), else b. A spelling with the
// century and no separator or '-' is valid exactly when its number is, and
// one without the century is keyed by centuryKey, so both are keyed
// without parsing (a key found in the table is valid); other personnummer
// spellings are parsed (pn, parsed), and an error says why one is not
// valid.
func (pt *personTable) keyOf(b []byte, scratch *[]byte) (key []byte, pn Personnummer, parsed bool, err error) {
	if !looksLikePersonnummer(b) {
		return b, pn, false, nil
	}
	switch {
	case len(b) == 12:
		return b, pn, false, nil
	case len(b) == 13 && b[8] == '-':
		*scratch = append(append((*scratch)[:0], b[:8]...), b[9:]...)
		return *scratch, pn, false, nil
	case len(b) <= 11:
		if key := centuryKey(b, pt.ref, scratch); key != nil {
			return key, pn, false, nil
		}
	}
	if pn, err = ParsePersonnummer(string(b), pt.ref); err != nil {
		return nil, pn, false, err
	}
	*scratch = append((*scratch)[:0], pn.Canonical()...)
	return *scratch, pn, true, nil
}

// centuryKey returns, in scratch, the 12 digits that a personnummer written
// without its century (10 digits, or 6, '-' or '+' and 4) stands for on day
// ref, by ParsePersonnummer's century rule but without checking the number:
// for a valid cell they are its canonical digits, for an invalid one digits
// that are not a valid personnummer either (the same check digit, month and
// day), so a key found in the table, whose keys are all valid, proves the
// cell valid. It returns nil (parse instead) when b is not such a spelling,
// ref is zero or the year it gives is not four digits.
func centuryKey(b []byte, ref Date, scratch *[]byte) []byte {
	if ref.IsZero() || !looksLikePersonnummer(b) || len(b) < 10 {
		return nil
	}
	sep := byte('-')
	if len(b) == 11 {
		sep = b[6]
	}
	// YYMMDD come before the separator.
	two := func(i int) int { return int(b[i]-'0')*10 + int(b[i+1]-'0') }
	yy, month, day := two(0), two(2), two(4)
	if day > 60 {
		day -= 60
	}
	year := centuryYear(yy, month, day, sep == '+', ref)
	if year < 1000 || year > 9999 {
		return nil
	}
	k := append((*scratch)[:0], byte('0'+year/1000), byte('0'+year/100%10))
	if len(b) == 10 {
		k = append(k, b...)
	} else {
		k = append(append(k, b[:6]...), b[7:]...)
	}
	*scratch = k
	return k
}

// parse parses a personnummer-shaped cell, rejecting the row when it is not
// a valid one.
func (pt *personTable) parse(r *row, b []byte) (Personnummer, bool) {
	pn, err := ParsePersonnummer(string(b), pt.ref)
	if err != nil {
		pt.reject(r, err)
		return Personnummer{}, false
	}
	return pn, true
}

// reject rejects row r for a personnummer that is not valid, saying why
// without the number.
func (pt *personTable) reject(r *row, err error) {
	var pe *PersonnummerError
	reason := "person_id is shaped like a personnummer but is not valid"
	if errors.As(err, &pe) {
		reason += ": " + pe.Reason
	}
	r.reject("person_id", reason)
}

// predictAhead is how many persons after the last one resolve tries before
// hashing.
const predictAhead = 8

// predictor tells whether guessing from file order is worth trying: after
// 32 failures in a row it is tried only once in 256 calls until it works.
type predictor struct {
	misses, calls uint32
}

func (p *predictor) try() bool {
	p.calls++
	return p.misses < 32 || p.calls%256 == 0
}

func (p *predictor) hit() { p.misses = 0 }

func (p *predictor) miss() { p.misses++ }

// add creates the person of cell b, whose key (b, or a personnummer's 12
// digits) is not in the table; get returned slot and h for it (slot < 0:
// key is beyond every key in the table). pn is b parsed when parsed.
func (pt *personTable) add(r *row, b, key []byte, pn Personnummer, parsed bool, slot int, h uint32) (int32, bool) {
	p := int32(len(pt.drafts))
	if looksLikePersonnummer(b) {
		var num uint64
		for _, c := range key {
			num = num*10 + uint64(c-'0')
		}
		switch {
		case parsed:
		case pt.checked:
			pn = Personnummer{v: num ^ pnrMask} // key is the valid number's 12 digits
		default:
			var ok bool
			if pn, ok = pt.parse(r, b); !ok {
				return 0, false
			}
		}
		pt.drafts = append(pt.drafts, personDraft{pnr: num, sex: pn.Sex(), birth: pn.BirthDate(), fromPNR: true})
		pt.ids.Put(key, slot, h)
		return p, true
	}
	if !idShapeBytes(b) {
		r.reject("person_id", "person_id is not a usable pseudonym (1–64 printable characters)")
		return 0, false
	}
	pt.drafts = append(pt.drafts, personDraft{})
	pt.ids.Put(b, slot, h)
	return p, true
}

// personCell checks a person_id cell as a row is read (empty, a pseudonym
// that is not 1–64 printable characters: the row is rejected) and keeps it
// in cells; it returns the cell's index, and with needPN the personnummer
// when the cell is one (parsed once per run of rows with the same cell,
// the row rejected when it is not valid). Without needPN a personnummer is
// checked later: by the lookup of its person (resolveCells), or by reject
// when another column rejects the row first. The person itself is looked
// up later.
func (w *worker) personCell(r *row, cells *cellStore, b []byte, needPN bool) (PersonIndex, Personnummer, bool, bool) {
	if len(b) == 0 {
		r.reject("person_id", "person_id is empty")
		return 0, Personnummer{}, false, false
	}
	if looksLikePersonnummer(b) {
		if !needPN {
			// Checked when its person is looked up (resolveCells): a cell
			// found in the table is valid, one that is not is parsed
			// there, once per distinct cell instead of once per row. Should
			// another column reject the row first, reject checks the cell.
			r.pnCell, r.pt = b, &w.pt
			return cells.intern(b), Personnummer{}, true, true
		}
		if !w.pnOK || string(b) != string(w.pnCell) {
			pn, ok := w.pt.parse(r, b)
			if !ok {
				w.pnOK = false
				return 0, Personnummer{}, false, false
			}
			w.pnCell, w.pn, w.pnOK = append(w.pnCell[:0], b...), pn, true
		}
		return cells.intern(b), w.pn, true, true
	}
	if !idShapeBytes(b) {
		r.reject("person_id", "person_id is not a usable pseudonym (1–64 printable characters)")
		return 0, Personnummer{}, false, false
	}
	return cells.intern(b), Personnummer{}, false, true
}

// cellStore keeps the person_id cells of a file's rows until their
// persons are looked up: each run of rows with the same cell once (files
// grouped by person store one cell per person), inline when it has at most
// 15 bytes, else in large arena chunks. A row's record holds the index of
// its cell (intern) in its person field meanwhile.
type cellStore struct {
	keys  chunked[arena.Key]
	arena arena.Arena
	lines chunked[int32] // the line of every row, when kept with addLine
	found []int32        // resolveCells' scratch: the person of each cell
}

// reset empties c for the next window of rows, keeping its first chunks
// (a window fills about one) so that windows make no garbage.
func (c *cellStore) reset() {
	c.keys.Reset()
	c.lines.Reset()
	c.arena = nil
}

// intern returns the index of cell b: the last cell's when b repeats it.
func (c *cellStore) intern(b []byte) PersonIndex {
	if n := c.keys.N; n > 0 {
		if k, ok := c.keys.At(n - 1).Short(); ok && string(k) == string(b) {
			return PersonIndex(n - 1)
		}
	}
	c.add(b)
	return PersonIndex(c.keys.N - 1)
}

// addLine keeps the line of the next row (record base+i has line(i)).
func (c *cellStore) addLine(line int) { c.lines.Add(int32(line)) }

// line returns the line kept for row i.
func (c *cellStore) line(i int) int { return int(*c.lines.At(i)) }

func (c *cellStore) add(b []byte) {
	// personCell lets only cells of 1–64 bytes through (keyOf keeps 8 bits
	// of length).
	c.keys.Add(c.arena.Store(b))
}

// cell returns cell i.
func (c *cellStore) cell(i int) []byte {
	return c.arena.Bytes(c.keys.At(i))
}

// findState is one goroutine's memory of the last person found, for files
// grouped by person, and its batch of cells waiting for a hashed lookup.
type findState struct {
	last    []byte
	lastP   int32
	predict predictor
	key     []byte
	batch   lookupBatch
}

// quick finds cell b the cheap ways: the same cell as the last one, or one
// of the persons first seen just after it (files sorted by person). When
// that fails it returns the key to look up (the cell, or a personnummer's 12
// digits, in st.key until the next call), or nil for a cell only resolve can
// decide (a personnummer keyOf parsed and found not valid).
func (pt *personTable) quick(b []byte, st *findState) (int32, bool, []byte) {
	if st.lastP >= 0 && string(b) == string(st.last) {
		return st.lastP, true, nil
	}
	key, _, _, err := pt.keyOf(b, &st.key)
	if err != nil {
		return 0, false, nil
	}
	if k, ok := pt.next(b, key, st); ok {
		return k, true, nil
	}
	return 0, false, key
}

// next tries the persons first seen just after st's last one for cell b
// (key: its table key) before hashing: files sorted by person name their
// persons in the same order. It keeps trying as long as that works, and
// now and then when it has stopped working.
func (pt *personTable) next(b, key []byte, st *findState) (int32, bool) {
	if !st.predict.try() {
		return 0, false
	}
	for k := st.lastP + 1; k < int32(len(pt.drafts)) && k <= st.lastP+predictAhead; k++ {
		if string(pt.ids.Key(k)) == string(key) {
			st.last = append(st.last[:0], b...)
			st.lastP = k
			st.predict.hit()
			return k, true
		}
	}
	st.predict.miss()
	return 0, false
}

// lookupBatch holds up to idtable.BatchSize keys for idtable.Table.GetBatch.
type lookupBatch struct {
	n    int
	at   [idtable.BatchSize]int32 // the contact each key is for
	key  [idtable.BatchSize][]byte
	cell [idtable.BatchSize][]byte
	buf  []byte // copies of keys that lived in scratch space
}
