package vardval

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/vardval/vardval/internal/redact"
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
	// PersonsHint is about how many distinct persons the files name (the
	// CLI guesses it from the size of listings.csv). It only sizes the
	// person table ahead, sparing its growth; zero means unknown. A wrong
	// guess costs only time or memory (at most 16 M persons are reserved).
	PersonsHint int
	// Skip names optional files of [FileNames] that the caller's
	// computation does not read (a payment model that uses no diagnoses):
	// a file named here that is given is not read, and its report is
	// marked [FileReport.Skipped] ("not read"). [LoadFS] and [CheckFS] do
	// not open it. Names of required files are ignored.
	Skip []string
	// Reclaim, when set, is called on the calling goroutine at the points
	// of [Load] where most of what was read has become garbage and the
	// final copies of the records are about to be made: once with need,
	// about how many bytes those copies allocate, and once more with need
	// 0 after the contacts (the largest) are copied. It is called only
	// for regions of more than about a million records, and never by
	// [Check]. The library itself never runs the garbage collector,
	// returns memory to the operating system or reads or sets the memory
	// limit: that is the program's business, and this hook is where a
	// program with a memory target does it (the vardval command collects
	// when need would pass its memory limit, or hands memory back to the
	// system when it has none). Nil does nothing.
	Reclaim func(need int64)
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

// table is one open input file with its column positions.
type table struct {
	rep  *FileReport
	rd   *csvin.Reader
	idx  map[string]int
	head []string
	row  row // the current record, reused for every record
}

// row is the current record of a table, with helpers that reject it at most once.
type row struct {
	t        *table
	line     int
	fields   [][]byte
	rejected bool
	// pnCell is a personnummer-shaped person_id cell of this row whose
	// check was left to the lookup of its person (personCell); pt parses it
	// when another column rejects the row first, so that the row is
	// rejected for its person_id as when cells were checked as read.
	pnCell []byte
	pt     *personTable
}

// col returns the position of the named column, or -1 when the file has none.
func (t *table) col(name string) int {
	if i, ok := t.idx[name]; ok {
		return i
	}
	return -1
}

// field returns the trimmed bytes of column i (nil when i < 0). They point
// into the reader's buffer: copy what you keep.
func (r *row) field(i int) []byte {
	if i < 0 || i >= len(r.fields) {
		return nil
	}
	return trimSpace(r.fields[i])
}

func (r *row) get(name string) string { return string(r.field(r.t.col(name))) }

func (r *row) reject(column, reason string) {
	if r.rejected {
		return
	}
	if c := r.pnCell; c != nil {
		r.pnCell = nil
		if _, err := ParsePersonnummer(string(c), r.pt.ref); err != nil {
			r.pt.reject(r, err)
			return
		}
	}
	r.rejected = true
	r.t.rep.reject(r.line, column, reason)
}

// open reads the header of one file and checks its columns. It returns nil
// when the file is absent or unreadable (recorded in rep).
func open(name string, rd io.Reader, spec []column, required bool, rep *FileReport) *table {
	rep.File = name
	if of, ok := rd.(openFailed); ok {
		// LoadFS could not open it: given, but unreadable.
		rep.Present = true
		rep.setFatal(of.err)
		return nil
	}
	if rd == nil {
		if required {
			rep.setFatal(&FileError{File: name, Reason: "required file is missing"})
		}
		return nil
	}
	rep.Present = true
	cr, err := csvin.NewReader(rd)
	if err != nil {
		rep.setFatal(readerError(name, err))
		return nil
	}
	rep.Encoding = cr.Encoding()
	rep.Delimiter = string(cr.Delimiter())
	if cr.CROnly() {
		rep.LineEnds = "cr"
	}
	t := &table{rep: rep, rd: cr, idx: map[string]int{}, head: cr.Header()}
	known := map[string]bool{}
	for _, c := range spec {
		known[c.name] = true
	}
	// A first line without a required column that holds data (a row whose
	// header line is missing) is not echoed: it may hold a personnummer.
	missing := slices.ContainsFunc(spec, func(c column) bool { return c.required && !slices.Contains(t.head, c.name) })
	if data, named := headerLooksLikeData(t.head, known); missing && (data || !named) {
		why := "the header line is missing: the first line holds data, not the column names ("
		if !data {
			why = "the header line is missing or names none of the columns ("
		}
		rep.setFatal(&FileError{File: name, Reason: why + requiredNames(spec) + ")", Err: &csvin.HeaderError{Reason: csvin.ReasonNoHeader}})
		return nil
	}
	for i, h := range t.head {
		if _, dup := t.idx[h]; dup {
			rep.setFatal(&FileError{File: name, Column: redact.Text(h), Reason: "column appears twice in the header"})
			return nil
		}
		t.idx[h] = i
		if !known[h] {
			rep.Ignored = append(rep.Ignored, redact.Text(h))
		}
	}
	for _, c := range spec {
		if _, ok := t.idx[c.name]; c.required && !ok {
			rep.setFatal(&FileError{File: name, Column: c.name, Reason: "required column is missing"})
			return nil
		}
	}
	return t
}

// setFatal records that the file could not be read.
func (f *FileReport) setFatal(e *FileError) {
	f.fatal = e
	f.Error = e.Error()
}

// readerError turns an error of the CSV reader into the file's error,
// without repeating what the reader's own text says and with any text from
// the file masked.
func readerError(name string, err error) *FileError {
	var he *csvin.HeaderError
	var re *csvin.RecordError
	var rde *csvin.ReadError
	switch {
	case errors.As(err, &he):
		return &FileError{File: name, Reason: he.Reason, Err: err}
	case errors.As(err, &re):
		return &FileError{File: name, Reason: "the header (line " + strconv.Itoa(re.Line) + "): " + re.Reason, Err: err}
	case errors.As(err, &rde):
		return &FileError{File: name, Reason: redact.Text(rde.Error()), Err: err}
	}
	return &FileError{File: name, Reason: redact.Text(err.Error()), Err: err}
}

// requiredNames lists the required columns of spec, comma-separated.
func requiredNames(spec []column) string {
	var b strings.Builder
	for _, c := range spec {
		if c.required {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.name)
		}
	}
	return b.String()
}

// headerLooksLikeData tells of a header line that misses a required column
// whether it is rather a row of data (a cell holds a personnummer-shaped
// run, a date or a number) and whether any cell names a column of the file.
func headerLooksLikeData(head []string, known map[string]bool) (data, named bool) {
	for _, h := range head {
		if known[h] {
			named = true
		}
		if redact.Contains(h) || dateIn(h) || numberShaped(h) {
			data = true
		}
	}
	return data, named
}

// dateIn reports whether s holds a YYYY-MM-DD date shape.
func dateIn(s string) bool {
	for i := 0; i+10 <= len(s); i++ {
		if isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) && s[i+4] == '-' &&
			isDigit(s[i+5]) && isDigit(s[i+6]) && s[i+7] == '-' && isDigit(s[i+8]) && isDigit(s[i+9]) {
			return true
		}
	}
	return false
}

// numberShaped reports whether s is a number: digits with at most one '.'
// or ',' and an optional sign.
func numberShaped(s string) bool {
	_, why := parseFixed(s, 18)
	return s != "" && why == ""
}

// each calls fn for every record, counting reads and rejecting malformed
// records and records with the wrong number of fields. It stops early only
// on I/O errors (recorded as fatal) or cancellation. The *row passed to fn
// is reused for the next record.
func (t *table) each(ctx context.Context, fn func(*row)) error {
	n := 0
	r := &t.row
	for {
		rec, err := t.rd.Next()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			var re *csvin.RecordError
			if errors.As(err, &re) {
				t.rep.Read++
				col := ""
				if re.Field >= 0 && re.Field < len(t.head) {
					col = redact.Text(t.head[re.Field])
				}
				t.rep.reject(re.Line, col, re.Reason)
				continue
			}
			t.rep.setFatal(readerError(t.rep.File, err))
			return err
		}
		t.rep.Read++
		*r = row{t: t, line: rec.Line, fields: rec.Fields}
		if len(rec.Fields) != len(t.head) {
			r.reject("", "row has "+strconv.Itoa(len(rec.Fields))+" fields, the header has "+strconv.Itoa(len(t.head)))
			continue
		}
		fn(r)
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// chunked is an append-only sequence stored in fixed-size chunks, so that
// growing it never copies and never leaves large garbage behind.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

const chunkBits = 15

func (c *chunked[T]) add(x T) {
	k := len(c.chunks)
	if k == 0 || len(c.chunks[k-1]) == cap(c.chunks[k-1]) {
		c.chunks = append(c.chunks, make([]T, 0, 1<<chunkBits))
		k++
	}
	c.chunks[k-1] = append(c.chunks[k-1], x)
	c.n++
}

// reset empties c, keeping its first chunk for reuse.
func (c *chunked[T]) reset() {
	if len(c.chunks) > 0 {
		c.chunks = c.chunks[:1]
		c.chunks[0] = c.chunks[0][:0]
	}
	c.n = 0
}

func (c *chunked[T]) at(i int) *T { return &c.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

// group moves the elements of src into one slice grouped by person (0..n-1;
// elements with a negative person are dropped), in input order within a
// person, and releases src. It returns the slice and the per-person offsets
// (len n+1). When stop stops it, the result is partial (the slice may be
// nil) and src may be kept: the caller then returns. fix, when not nil, is applied to every element first (it may
// change its person). The work is split between two goroutines: src's
// chunks in two halves, the first half's elements going first within a
// person. tperson is person for a converted element. Files sorted by
// person go through the same bucket scatter: copying their runs in order
// was slower (a cache miss a run on the writes, against the scatter's
// sequential streams).
func group[S, T any](stop stopper, src *chunked[S], n int, fix func(*S), person func(*S) PersonIndex, conv func(*S) T, tperson func(*T) PersonIndex) ([]T, []int32) {
	off := make([]int32, n+1)
	if src.n == 0 {
		*src = chunked[S]{}
		return nil, off
	}
	// One pass per half fixes and counts each person's elements.
	var counts [2][]int32
	half := len(src.chunks) / 2
	count := func(k, lo, hi int) {
		cnt := make([]int32, n)
		writeEachPage(cnt)
		for ci := lo; ci < hi; ci++ {
			if stop.now() {
				break
			}
			ch := src.chunks[ci]
			for i := range ch {
				x := &ch[i]
				if fix != nil {
					fix(x)
				}
				if p := person(x); p >= 0 {
					cnt[p]++
				}
			}
		}
		counts[k] = cnt
	}
	if half > 0 {
		var wg sync.WaitGroup
		wg.Go(func() { count(0, 0, half) })
		count(1, half, len(src.chunks))
		wg.Wait()
	} else {
		count(0, 0, 0)
		count(1, 0, len(src.chunks))
	}
	c0, c1 := counts[0], counts[1]
	for p := range n {
		if stop.stop(p) {
			return nil, off
		}
		off[p+1] = off[p] + c0[p] + c1[p]
	}
	var out []T
	if live := int(off[n]); live > 0 {
		out = make([]T, live)
	}
	scatter(stop, src, n, half, off, c0, out, person, conv, tperson)
	*src = chunked[S]{}
	return out, off
}

// scatter moves the elements of src (in any person order) to their places
// in out, given the per-person offsets and the first half's per-person
// counts (the halves being src's chunks [0, half) and [half, len)), in input
// order within a person. A direct scatter would write all over out (a
// cache and TLB miss per element); instead the first pass sorts them into
// at most 512 buckets of consecutive persons (each bucket one range of
// out, written in 256 sequential streams), and the second places each
// bucket, small enough to stay in the cache, from a copy. Both passes run
// on two goroutines: the first by halves of src (the first half's elements
// going first in each bucket), the second by halves of the buckets.
//
// When stop stops it, out is left partly filled (the caller then returns).
func scatter[S, T any](stop stopper, src *chunked[S], n, half int, off, first []int32, out []T, person func(*S) PersonIndex, conv func(*S) T, tperson func(*T) PersonIndex) {
	shift := uint(0)
	for (n-1)>>shift >= 512 {
		shift++
	}
	// Bucket b holds persons [b<<shift, (b+1)<<shift).
	nb := (n-1)>>shift + 1
	var cur [2][]int32
	for k := range cur {
		cur[k] = make([]int32, nb)
	}
	for b := range nb {
		p0, p1 := b<<shift, min((b+1)<<shift, n)
		start := off[p0]
		cur[0][b] = start
		for _, c := range first[p0:p1] {
			start += c
		}
		cur[1][b] = start
	}
	fill := func(k, lo, hi int) {
		c := cur[k]
		for _, ch := range src.chunks[lo:hi] {
			if stop.now() {
				return
			}
			for i := range ch {
				if p := person(&ch[i]); p >= 0 {
					b := p >> shift
					out[c[b]] = conv(&ch[i])
					c[b]++
				}
			}
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { fill(0, 0, half) })
	fill(1, half, len(src.chunks))
	wg.Wait()
	halves(nb, 2, func(lo, hi int) {
		var tmp []T
		var next []int32
		for b := lo; b < hi; b++ {
			if stop.now() {
				return
			}
			p0, p1 := b<<shift, min((b+1)<<shift, n)
			seg := out[off[p0]:off[p1]]
			tmp = append(tmp[:0], seg...)
			next = append(next[:0], off[p0:p1]...)
			for i := range tmp {
				p := int(tperson(&tmp[i])) - p0
				out[next[p]] = tmp[i]
				next[p]++
			}
		}
	})
}

// writeEachPage writes a zero byte into every 4 KiB of s, which must be
// zero (fresh from make). A table that is read before it is written (hash
// slots probed, counts incremented, or pointers stored while the collector
// runs, whose write barrier reads the old value) otherwise faults twice on
// each fresh page: the read maps the shared zero page, then the write
// copies it and flushes the page from the TLB of every core the program
// has run on, which takes an interrupt to each (costly in a virtual
// machine). Written first, a page faults once. The byte is written through
// unsafe so that no write barrier reads the page first; a zero byte in
// zeroed memory changes nothing.
func writeEachPage[T any](s []T) {
	if len(s) == 0 {
		return
	}
	var zero T
	n := uintptr(len(s)) * unsafe.Sizeof(zero)
	p := unsafe.Pointer(unsafe.SliceData(s))
	for off := uintptr(0); off < n; off += 4096 {
		*(*byte)(unsafe.Add(p, off)) = 0
	}
}

// halves runs fn on [0, n/2) and [n/2, n), the first half on a second
// goroutine when n is at least min.
func halves(n, min int, fn func(lo, hi int)) {
	if n < min {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	wg.Go(func() { fn(0, n/2) })
	fn(n/2, n)
	wg.Wait()
}

// shortCache is a direct-mapped cache of short ids (at most 7 bytes, packed
// with their length into a uint64) to an index, in front of a map: unit
// ids, codes and clinicians are looked up on nearly every row.
type shortCache struct {
	keys [1 << shortBits]uint64 // 0 = empty
	vals [1 << shortBits]int32
}

const shortBits = 14

// pack returns b packed with its length, or 0 when b is longer than 7 bytes.
func pack(b []byte) uint64 {
	if len(b) > 7 {
		return 0
	}
	k := uint64(len(b)) << 56
	for i, c := range b {
		k |= uint64(c) << (8 * i)
	}
	return k
}

func (c *shortCache) slot(k uint64) int { return int((k * 0x9e3779b97f4a7c15) >> (64 - shortBits)) }

// get returns the index cached for packed id k (k != 0).
func (c *shortCache) get(k uint64) (int32, bool) {
	i := c.slot(k)
	return c.vals[i], c.keys[i] == k
}

// put caches index v for packed id k, when k != 0.
func (c *shortCache) put(k uint64, v int32) {
	if k != 0 {
		i := c.slot(k)
		c.keys[i], c.vals[i] = k, v
	}
}

// interner gives each distinct string a dense index in first-seen order.
type interner struct {
	cache *shortCache
	idx   map[string]int32
	strs  []string
	used  []bool // the string belongs to an accepted record
}

func (in *interner) intern(b []byte) int32 {
	i, ok := in.lookup(b)
	if ok {
		return i
	}
	if in.idx == nil {
		in.idx = map[string]int32{}
	}
	s := string(b)
	i = int32(len(in.strs))
	in.strs = append(in.strs, s)
	in.used = append(in.used, false)
	in.idx[s] = i
	in.cache.put(pack(b), i)
	return i
}

// lookup returns the index of b, if it has one.
func (in *interner) lookup(b []byte) (int32, bool) {
	if in.cache == nil {
		in.cache = new(shortCache)
	}
	k := pack(b)
	if k != 0 {
		if i, ok := in.cache.get(k); ok {
			return i, true
		}
	}
	i, ok := in.idx[string(b)]
	if ok {
		in.cache.put(k, i)
	}
	return i, ok
}

// mergeInterners returns the sorted union of the used strings of ins and,
// per interner, old index → index in that union (-1 when unused).
func mergeInterners(ins ...*interner) ([]string, [][]int32) {
	seen := map[string]bool{}
	var all []string
	for _, in := range ins {
		for i, s := range in.strs {
			if in.used[i] && !seen[s] {
				seen[s] = true
				all = append(all, s)
			}
		}
	}
	slices.Sort(all)
	pos := make(map[string]int32, len(all))
	for i, s := range all {
		pos[s] = int32(i)
	}
	maps := make([][]int32, len(ins))
	for k, in := range ins {
		m := make([]int32, len(in.strs))
		for i, s := range in.strs {
			m[i] = -1
			if in.used[i] {
				m[i] = pos[s]
			}
		}
		maps[k] = m
	}
	if all == nil {
		all = []string{}
	}
	return all, maps
}

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

// idTable maps person ids as written (at most 255 bytes) to dense person
// indexes, with open addressing. The ids are kept per person (inline, or in
// large arena chunks) and the slots hold no pointers, so the garbage
// collector never looks inside it.
// A person has one key in the table: the pseudonym as written, or the 12
// digits of the personnummer.
//
// Files are often sorted by person: an id beyond the greatest so far is new
// without a lookup, and such ids are only put into the slots in one batch
// when a lookup needs them (a tight loop whose cache misses overlap).
type idTable struct {
	seed    maphash.Seed
	arena   keyArena  // ids longer than 15 bytes
	refs    [][]idKey // person p → its id, in chunks of refChunk (no copying as it grows)
	n       int       // persons in refs
	slots   []idSlot  // len is zero or a power of two
	pending int       // the last pending persons of refs are not in slots yet
	maxP1   int32     // 1 + the person with the greatest id; 0 when empty
}

type idSlot struct {
	hash uint32
	val  int32 // person + 1; 0 = empty slot
}

const arenaChunk = 1 << 20

// refBits sets the size of the chunks of idTable.refs.
const refBits = 16

// keyArena holds the ids too long to sit inline in an idKey, in large
// chunks; idTable and cellStore keep theirs in one each.
type keyArena [][]byte

// keyOf returns b as an idKey: inline when it has at most 15 bytes, else
// a reference to a copy of it in a (b has at most 255 bytes: the reference
// keeps 8 bits of length).
func (a *keyArena) keyOf(b []byte) idKey {
	var key idKey
	if len(b) <= len(key.b) {
		key.n = uint8(copy(key.b[:], b))
		return key
	}
	k := len(*a)
	if k == 0 || len((*a)[k-1])+len(b) > arenaChunk {
		*a = append(*a, make([]byte, 0, max(arenaChunk, len(b))))
		k++
	}
	off := len((*a)[k-1])
	(*a)[k-1] = append((*a)[k-1], b...)
	binary.LittleEndian.PutUint64(key.b[:8], uint64(k-1)<<32|uint64(off)<<8|uint64(len(b)))
	key.n = 255
	return key
}

// bytes returns the id k holds (inline, or in a).
func (a keyArena) bytes(k *idKey) []byte {
	if k.n != 255 {
		return k.b[:k.n]
	}
	ref := binary.LittleEndian.Uint64(k.b[:8])
	c, off, l := ref>>32, (ref>>8)&0xffffff, ref&0xff
	return a[c][off : off+l]
}

// idKey is a person's id: inline when it has at most 15 bytes (n is its
// length), else (n = 255) a reference chunk<<32 | offset<<8 | length into
// the arena in the first 8 bytes. Inline ids cost a lookup one cache miss
// less.
type idKey struct {
	b [15]byte
	n uint8
}

// key returns the id of person p.
func (t *idTable) key(p int32) []byte {
	return t.arena.bytes(&t.refs[p>>refBits][p&(1<<refBits-1)])
}

// beyond reports whether b sorts after every id in the table, which
// therefore does not hold it.
func (t *idTable) beyond(b []byte) bool {
	return t.maxP1 == 0 || bytes.Compare(b, t.key(t.maxP1-1)) > 0
}

// get returns the person of id b, or the slot where b would go.
func (t *idTable) get(b []byte) (p int32, slot int, hash uint32, ok bool) {
	if t.pending > 0 || len(t.slots) == 0 {
		t.flush()
	}
	h := uint32(maphash.Bytes(t.seed, b))
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.val == 0 {
			return 0, int(i), h, false
		}
		if s.hash == h && string(t.key(s.val-1)) == string(b) {
			return s.val - 1, int(i), h, true
		}
	}
}

// reserve sizes the slots for n ids; the table must be empty.
func (t *idTable) reserve(n int) {
	t.seed = maphash.MakeSeed()
	size := 1024
	for size < 2*n+2 {
		size *= 2
	}
	t.slots = make([]idSlot, size)
	writeEachPage(t.slots)
}

// flush puts the pending ids into the slots, growing them to stay at most
// half full.
func (t *idTable) flush() {
	if len(t.slots) == 0 {
		t.seed = maphash.MakeSeed()
	}
	size := max(1024, len(t.slots))
	for size < 2*t.n+2 {
		size *= 2
	}
	if size != len(t.slots) {
		old := t.slots
		t.slots = make([]idSlot, size)
		writeEachPage(t.slots)
		for _, s := range old {
			if s.val != 0 {
				t.insert(s)
			}
		}
	}
	for p := t.n - t.pending; p < t.n; p++ {
		t.insert(idSlot{hash: uint32(maphash.Bytes(t.seed, t.key(int32(p)))), val: int32(p + 1)})
	}
	t.pending = 0
}

func (t *idTable) insert(s idSlot) {
	mask := uint32(len(t.slots) - 1)
	i := s.hash & mask
	for t.slots[i].val != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// put stores id b for the new person t.n: at the slot and with the
// hash that get just returned for b, or pending when slot < 0 (b must then
// be beyond every id in the table).
func (t *idTable) put(b []byte, slot int, hash uint32) {
	key := t.arena.keyOf(b)
	if t.n&(1<<refBits-1) == 0 {
		t.refs = append(t.refs, make([]idKey, 0, 1<<refBits))
	}
	t.refs[len(t.refs)-1] = append(t.refs[len(t.refs)-1], key)
	t.n++
	p := int32(t.n)
	if t.beyond(b) {
		t.maxP1 = p
	}
	if slot < 0 {
		t.pending++
		return
	}
	t.slots[slot] = idSlot{hash: hash, val: p}
	if 2*t.n > len(t.slots) {
		t.flush()
	}
}

// add stores id b for the new person t.n; b must not be in the table.
func (t *idTable) add(b []byte) {
	_, slot, h, _ := t.get(b)
	t.put(b, slot, h)
}

// personTable resolves person_id cells to dense local person indexes.
type personTable struct {
	ref    Date
	ids    idTable // pseudonym, or the 12 digits of a personnummer → person
	drafts []personDraft
	follow findState // resolve's memory of the previous row: files are often grouped by person
	key    []byte    // scratch for a personnummer's 12 digits
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
	if !pt.ids.beyond(key) {
		p, slot, h, ok = pt.ids.get(key)
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

func (p *predictor) hit()  { p.misses = 0 }
func (p *predictor) miss() { p.misses++ }

// add creates the person of cell b, whose key (b, or a personnummer's 12
// digits) is not in the table; get returned slot and h for it (slot < 0:
// key is beyond every key in the table). pn is b parsed when parsed.
func (pt *personTable) add(r *row, b, key []byte, pn Personnummer, parsed bool, slot int, h uint32) (int32, bool) {
	p := int32(len(pt.drafts))
	if looksLikePersonnummer(b) {
		if !parsed {
			var ok bool
			if pn, ok = pt.parse(r, b); !ok {
				return 0, false
			}
		}
		var num uint64
		for _, c := range key {
			num = num*10 + uint64(c-'0')
		}
		pt.drafts = append(pt.drafts, personDraft{pnr: num, sex: pn.Sex(), birth: pn.BirthDate(), fromPNR: true})
		pt.ids.put(key, slot, h)
		return p, true
	}
	if !idShapeBytes(b) {
		r.reject("person_id", "person_id is not a usable pseudonym (1–64 printable characters)")
		return 0, false
	}
	pt.drafts = append(pt.drafts, personDraft{})
	pt.ids.put(b, slot, h)
	return p, true
}

// listDraft is a listing that passed its row checks, before the checks
// across a person's rows.
type listDraft struct {
	l     Listing // l.Line is the row's line
	sex   Sex
	birth Date
}

// contactRec is a Contact while loading: 32 bytes instead of 40, with the
// line it came from.
type contactRec struct {
	person     PersonIndex // -1 once rejected as a duplicate
	unit       UnitIndex
	date, req  Date
	clinician  int32
	fee        int32 // öre (at most 10^8), -1 when not given
	line       int32
	mode       Mode
	profession Profession
	urgent     YesNo
	newProblem YesNo
}

func (c *contactRec) contact() Contact {
	return Contact{Person: c.person, Unit: c.unit, Date: c.date, Requested: c.req, Clinician: c.clinician,
		Fee: int64(c.fee), Mode: c.mode, Profession: c.profession, Urgent: c.urgent, NewProblem: c.newProblem}
}

// contactRef is an accepted diagnosis that names a contact_id, checked
// against the accepted contacts once both files are read.
type contactRef struct {
	hash uint64
	diag int32 // index in the worker's diagnoses
	line int32
}

// worker reads some of the files with its own person, code and clinician
// tables; Load runs two in parallel and merges them deterministically.
type worker struct {
	ld      *loader
	pt      personTable
	codes   interner
	clins   interner
	scratch []byte

	unitCache shortCache

	listings       chunked[Listing]
	contacts       chunked[contactRec]
	cHash          chunked[uint64] // FNV-1a of contact_id, per contact
	cells          cellStore       // person_id cell, per contact, until resolveContactPersons
	personRejected int             // contacts rejected for their person_id
	// personCell's last personnummer cell and its parse.
	pnCell        []byte
	pn            Personnummer
	pnOK          bool
	contactSet    []uint64 // sorted hashes of the accepted contact ids
	diagnoses     chunked[Diagnosis]
	dRefs         chunked[contactRef]
	observations  chunked[Observation]
	prescriptions chunked[Prescription]
	// lateCells are the person_id cells of the observations (0) and
	// prescriptions (1) a read after the contacts: kept for the whole file
	// and looked up in b's table once b is done (resolveLate).
	lateCells [2]*cellStore
	late      bool // a: the files it reads after the contacts keep their cells

	// Listings already grouped by person in pseudonym order of the
	// worker's own persons (preplaceListings), when pre is true; listN is
	// their number.
	pre     bool
	preList []Listing
	preOff  []int32 // by rank in that order
	listN   int
}

type loader struct {
	opts    LoadOptions
	stop    stopper // the phases after the rows are read stop with ctx
	r       *Region
	areaIdx map[string]int32
	ranges  map[string]ObservationRange
}

// Load reads and validates one region's files. It streams every file once,
// accounts for every row in the report (read = accepted + rejected), and
// returns a Region built only from accepted rows. The report is always
// returned; the error is non-nil when a required file could not be read or
// ctx was cancelled, and then the Region is nil.
//
// Contacts are read on a second goroutine while listings, diagnoses,
// observations and prescriptions are read on the calling one; when the
// calling one is done first and files.Contacts is an io.ReaderAt with a
// Size method (io.SectionReader, bytes.Reader), it reads the second half of
// what is left of the contacts (split.go); when the second one is done
// first, it reads the prescriptions and observations if the calling one
// has not begun them. Person ids are looked up after each file, in
// batches. The result does not depend on timing, on the order of the input
// rows, on whether the contacts were split or on which goroutine read
// which file.
func Load(ctx context.Context, files Files, opts LoadOptions) (*Region, *IntakeReport, error) {
	return load(ctx, files, opts, loadKnobs{splitMin: minSplit})
}

// Check reads and validates files exactly as Load does and returns the
// same report, without building a Region: the persons are not
// pseudonymised and the records not put in order, which is most of Load's
// work after reading and all of its final copies. The error is as Load's.
func Check(ctx context.Context, files Files, opts LoadOptions) (*IntakeReport, error) {
	_, rep, err := load(ctx, files, opts, loadKnobs{splitMin: minSplit, reportOnly: true})
	return rep, err
}

// loadKnobs are settings tests use to reach paths that need large files
// or a given timing, and reportOnly, which Check uses.
type loadKnobs struct {
	splitMin int64         // fewest unread contact bytes worth a split
	hold     chan struct{} // when set, a waits on it after the header
	splitAt  *int64        // when set, receives where b's part started (-1: none)
	aLate    bool          // b leaves the observations and prescriptions to a
	aRx      bool          // b leaves the prescriptions to a (and reads the observations)
	bAll     bool          // a takes none of them (b reads every file but the contacts)
	// reportOnly stops once every row is accounted for (Check): no
	// Region is built and nil is returned for it.
	reportOnly bool
	// pollMask, when not zero, replaces pollMask (tests cancel in every
	// loop at small sizes).
	pollMask int
}

func load(ctx context.Context, files Files, opts LoadOptions, knobs loadKnobs) (*Region, *IntakeReport, error) {
	if opts.Reference.IsZero() {
		opts.Reference = D(2024, 12, 31)
	}
	ld := &loader{opts: opts, r: &Region{}, areaIdx: map[string]int32{}, ranges: map[string]ObservationRange{}}
	ld.stop = stopper{ctx: ctx, mask: pollMask}
	if knobs.pollMask != 0 {
		ld.stop.mask = knobs.pollMask
	}
	for _, o := range ObservationRanges() {
		ld.ranges[o.Code] = o
	}
	rep := &IntakeReport{Files: make([]FileReport, 7)}
	type step struct {
		name     string
		rd       io.Reader
		spec     []column
		required bool
		fn       func(*worker, context.Context, *table) error
	}
	steps := []step{
		{FileUnits, files.Units, cols([]string{"unit_id", "name", "kind"}, "municipality", "owner", "from", "to"), true, (*worker).units},
		{FileAreas, files.Areas, cols([]string{"area"}, "name", "cni"), false, (*worker).areas},
		{FileListings, files.Listings, cols([]string{"person_id", "unit_id", "from"}, "to", "sex", "birth_date", "area", "acg", "acg_weight"), true, (*worker).listingsFile},
		{FileContacts, files.Contacts, cols([]string{"contact_id", "person_id", "unit_id", "date", "mode", "profession"}, "urgent", "fee", "requested", "new_problem", "clinician"), false, (*worker).contactsFile},
		{FileDiagnoses, files.Diagnoses, cols([]string{"person_id", "date", "code"}, "unit_id", "contact_id"), false, (*worker).diagnosesFile},
		{FileObservations, files.Observations, cols([]string{"person_id", "date", "code", "value"}, "unit_id"), false, (*worker).observationsFile},
		{FilePrescriptions, files.Prescriptions, cols([]string{"person_id", "date", "atc"}, "unit_id", "ddd"), false, (*worker).prescriptionsFile},
	}
	// Optional files the caller does not read are not handed to intake.
	var skipped [7]bool
	for i, s := range steps {
		rep.Files[i].File = s.name
		if !s.required && s.rd != nil && slices.Contains(opts.Skip, s.name) {
			steps[i].rd, skipped[i] = nil, true
		}
	}
	// run reads step i; it reports whether a required file failed.
	run := func(ctx context.Context, i int, w *worker) bool {
		s, fr := steps[i], &rep.Files[i]
		if t := open(s.name, s.rd, s.spec, s.required, fr); t != nil {
			_ = s.fn(w, ctx, t)
		}
		return fr.fatal != nil && s.required
	}
	// skip marks steps idx as not read because the required file failed.
	skip := func(failed string, idx ...int) {
		for _, i := range idx {
			rep.Files[i] = FileReport{File: steps[i].name, Present: steps[i].rd != nil}
			if steps[i].rd != nil {
				rep.Files[i].blockedBy = failed
				rep.Files[i].Error = "not read: " + failed + " could not be read"
			}
		}
	}
	done := func() {
		for i := range rep.Files {
			rep.Files[i].finish()
			rep.Files[i].Skipped = rep.Files[i].Skipped || skipped[i]
		}
	}
	// a reads the contacts, b everything else, unless a, done first,
	// claims the prescriptions and observations: only b keeps persons.
	a, b := ld.newWorker(false), ld.newWorker(true)
	if run(ctx, 0, b) {
		skip(FileUnits, 1, 2, 3, 4, 5, 6)
		done()
		return nil, rep, rep.Files[0].fatal
	}
	run(ctx, 1, b)
	if err := ctx.Err(); err != nil {
		done()
		return nil, rep, err
	}
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	// contactsDone: a has read the contacts (their persons are resolved
	// against b's table once both are done).
	var contactsDone atomic.Bool
	// The contacts may be read in two parts on both cores (split.go).
	var split *contactsSplit
	contacts := steps[3]
	if sr, ok := splittable(contacts.rd); ok {
		split = &contactsSplit{sr: sr, ready: make(chan *table, 1), start: -1}
		split.sr.min = knobs.splitMin
		contacts.rd = split.sr
	}
	// release lets a go on when a test holds it until b has split.
	var once sync.Once
	release := func() {
		if knobs.hold != nil {
			once.Do(func() { close(knobs.hold) })
		}
	}
	readContacts := func(ctx context.Context) {
		t := open(contacts.name, contacts.rd, contacts.spec, false, &rep.Files[3])
		if split != nil {
			split.ready <- t
		}
		if knobs.hold != nil && split != nil {
			<-knobs.hold
		}
		if t != nil {
			_ = a.contactsFile(ctx, t)
		}
	}
	// After the listings b reads the diagnoses, observations and
	// prescriptions in turn; a, done with the contacts first, takes the
	// prescriptions and then the observations if b has not begun them
	// (their persons are looked up once b is done: resolveLate).
	var claimed [7]atomic.Bool
	bLast := 6
	switch {
	case knobs.aLate:
		bLast = 4
	case knobs.aRx:
		bLast = 5
	}
	wg.Go(func() {
		readContacts(actx)
		contactsDone.Store(true)
		for i := 6; i >= 5 && actx.Err() == nil && !knobs.bAll; i-- {
			if claimed[i].CompareAndSwap(false, true) {
				a.late = true
				run(actx, i, a)
			}
		}
	})
	listingsFailed := run(ctx, 2, b)
	if listingsFailed {
		cancel()
	} else {
		for i := 4; i <= bLast && ctx.Err() == nil; i++ {
			if claimed[i].CompareAndSwap(false, true) {
				run(ctx, i, b)
			}
		}
	}
	// While the contacts are still being read, pseudonymise b's persons
	// (those of the listings and the files b read) and put them in
	// pseudonym order: the merge keeps b's persons first, so their keys
	// and order stay valid (persons only met in the contacts, or in the
	// files a read, are merged in).
	var bSums []byte
	var bOrder []int32
	if !listingsFailed && ctx.Err() == nil {
		if !knobs.reportOnly {
			bSums = make([]byte, 10*len(b.pt.drafts))
			ld.pseudonyms(b.pt.drafts, 0, &b.pt.ids, bSums).Wait()
			bOrder = pseudonymOrder(ld.stop, b.pt.drafts, &b.pt.ids, bSums)
			if !contactsDone.Load() && bOrder != nil {
				// Still waiting: place the listings in that order too.
				b.preplaceListings(bOrder)
			}
		}
		if split != nil && !contactsDone.Load() {
			// Still waiting: read the second half of what a has left.
			split.readSecondHalf(ctx, b, release)
		}
	}
	release()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		done()
		return nil, rep, err
	}
	if listingsFailed {
		// A required file failed: later files cannot be checked against it.
		skip(FileListings, 3, 4, 5, 6)
		done()
		return nil, rep, rep.Files[2].fatal
	}
	if split != nil && knobs.splitAt != nil {
		*knobs.splitAt = split.start
	}
	if split != nil {
		split.merge(a, b, &rep.Files[3], func() {
			contacts.rd = io.NewSectionReader(split.sr.src, split.sr.start, split.sr.src.Size()-split.sr.start)
			rep.Files[3] = FileReport{}
			split = nil
			readContacts(ctx)
		})
		if err := ctx.Err(); err != nil {
			done()
			return nil, rep, err
		}
	}
	// From here on no rows are read: each phase's loops stop with ctx
	// (stopper), and a stopped phase is not followed by the next.
	cancelled := func() bool {
		if ctx.Err() == nil {
			return false
		}
		done()
		return true
	}
	resolveContactPersons(a, b, &rep.Files[3])
	resolveLate(a, b, &rep.Files[5], &rep.Files[6])
	if cancelled() {
		return nil, rep, ctx.Err()
	}
	a.finishContacts(&rep.Files[3], true)
	if cancelled() {
		return nil, rep, ctx.Err()
	}
	// The diagnoses' contact ids are checked while the persons are merged
	// and pseudonymised (finish waits for it before it needs the result).
	var resolved sync.WaitGroup
	resolved.Go(func() {
		b.resolveContactRefs(a.contactSet, &rep.Files[4])
		a.contactSet = nil
	})
	if knobs.reportOnly {
		resolved.Wait()
		if cancelled() {
			return nil, rep, ctx.Err()
		}
		done()
		return nil, rep, nil
	}
	if !ld.finish(a, b, bSums, bOrder, &resolved) {
		done()
		return nil, rep, ctx.Err()
	}
	done()
	// The Region is valid by construction: Validate's fast path.
	ld.r.sealUp()
	return ld.r, rep, nil
}

func (ld *loader) newWorker(persons bool) *worker {
	w := &worker{ld: ld, pt: newPersonTable(ld.opts.Reference)}
	if h := ld.opts.PersonsHint; h > 0 && persons {
		h = min(h, 1<<24)
		w.pt.drafts = make([]personDraft, 0, h)
		w.pt.ids.reserve(h)
	}
	return w
}

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
		drafts = append(drafts, idDraft[Area]{a.ID, a, r.line})
	})
	ld.r.Areas = uniqueByID(t, "area", drafts)
	for i, a := range ld.r.Areas {
		ld.areaIdx[a.ID] = int32(i)
	}
	return err
}

// date reads a required or optional date column (position ci); ok is false
// when the row was rejected.
func (r *row) date(ci int, name string, required bool) (Date, bool) {
	b := r.field(ci)
	if len(b) == 0 {
		if required {
			r.reject(name, name+" is empty")
			return Date{}, false
		}
		return Date{}, true
	}
	d, err := parseDateBytes(b)
	if err != nil {
		var de *DateError
		errors.As(err, &de)
		r.reject(name, name+" "+safeValue(string(b))+" is not a real date: "+de.Reason)
		return Date{}, false
	}
	return d, true
}

// period reads a from/to pair; to may be empty (open).
func (r *row) period(fi, ti int, from, to string, fromRequired bool) (Period, bool) {
	f, ok := r.date(fi, from, fromRequired)
	if !ok {
		return Period{}, false
	}
	t, ok := r.date(ti, to, false)
	if !ok {
		return Period{}, false
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		r.reject(to, to+" "+t.String()+" is before "+from+" "+f.String())
		return Period{}, false
	}
	return Period{From: f, To: t}, true
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
	k := pack(s)
	if k != 0 {
		if u, ok := w.unitCache.get(k); ok {
			return UnitIndex(u), true
		}
	}
	u, ok := w.ld.r.unitByID[string(s)]
	if ok {
		w.unitCache.put(k, int32(u))
	}
	if !ok {
		r.reject("unit_id", "unit_id "+safeValue(string(s))+" is not in units.csv")
		return NoUnit, false
	}
	return u, true
}

func (r *row) fixed(ci int, name string, scale int, min, max int64, what string) (int64, bool, bool) {
	s := r.field(ci)
	if len(s) == 0 {
		return 0, false, true
	}
	v, why := parseFixed(s, scale)
	if why != "" {
		r.reject(name, name+" "+safeValue(string(s))+": "+why)
		return 0, false, false
	}
	if v < min || v > max {
		r.reject(name, name+" "+safeValue(string(s))+" is out of range: "+what)
		return 0, false, false
	}
	return v, true, true
}

// upper returns b upper-cased (as strings.ToUpper would) in w's scratch
// buffer, valid until the next call.
func (w *worker) upper(b []byte) []byte {
	var ok bool
	if w.scratch, ok = asciiUpper(w.scratch[:0], b); !ok {
		w.scratch = append(w.scratch[:0], strings.ToUpper(string(b))...)
	}
	return w.scratch
}

func (w *worker) listingsFile(ctx context.Context, t *table) error {
	ld := w.ld
	cPerson, cUnit, cFrom, cTo := t.col("person_id"), t.col("unit_id"), t.col("from"), t.col("to")
	cSex, cBirth, cArea, cACG, cWeight := t.col("sex"), t.col("birth_date"), t.col("area"), t.col("acg"), t.col("acg_weight")
	var drafts chunked[listDraft]
	// The persons are looked up once the file is read (resolveCells); a
	// personnummer is parsed here for its sex and birth date (once per run
	// of rows with the same cell).
	var cells cellStore
	err := t.each(ctx, func(r *row) {
		p, pn, fromPNR, ok := w.personCell(r, &cells, r.field(cPerson), true)
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
			d.l.ACG = w.codes.intern(up)
			w.codes.used[d.l.ACG] = true
		}
		wt, has, ok := r.fixed(cWeight, "acg_weight", 6, 0, 100*FixedScale, "0 to 100")
		if !ok {
			return
		}
		d.l.ACGWeight, d.l.HasWeight = Fixed(wt), has
		drafts.add(d)
	})
	resolveCells(w.stopper(), &w.pt, &drafts, 0, drafts.n, &cells, false, t.rep,
		func(d *listDraft) *PersonIndex { return &d.l.Person }, func(i int) int { return int(drafts.at(i).l.Line) })
	// Cross-row checks per person, in canonical (content) order so that the
	// outcome does not depend on row order: a pseudonymous person's sex and
	// birth date must agree between rows; listings must not overlap.
	n := len(w.pt.drafts)
	flat, off := group(w.stopper(), &drafts, n, nil, func(d *listDraft) PersonIndex { return d.l.Person }, func(d *listDraft) listDraft { return *d },
		func(d *listDraft) PersonIndex { return d.l.Person })
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
			w.listings.add(d.l)
			prev = d
		}
		if pd := &w.pt.drafts[p]; !pd.fromPNR {
			pd.sex, pd.birth = first.sex, first.birth
		}
	}
	return err
}

func yesNo(r *row, ci int, name string) (YesNo, bool) {
	b := r.field(ci)
	if len(b) == 0 {
		return NotGiven, true
	}
	switch string(b) {
	case "no":
		return No, true
	case "yes":
		return Yes, true
	}
	names := [...]string{"yes", "ja", "y", "j", "1", "no", "nej", "n", "0"}
	switch i := enumIndex(b, names[:]); {
	case i < 0:
	case i < 5:
		return Yes, true
	default:
		return No, true
	}
	r.reject(name, name+" "+safeValue(string(b))+" is not yes or no")
	return NotGiven, false
}

func (w *worker) contactsFile(ctx context.Context, t *table) error {
	cID, cPerson, cUnit, cDate, cMode, cProf := t.col("contact_id"), t.col("person_id"), t.col("unit_id"), t.col("date"), t.col("mode"), t.col("profession")
	cUrgent, cFee, cReq, cNew, cClin := t.col("urgent"), t.col("fee"), t.col("requested"), t.col("new_problem"), t.col("clinician")
	return t.each(ctx, func(r *row) {
		id := r.field(cID)
		if !idShapeBytes(id) {
			r.reject("contact_id", "contact_id is empty or not a usable id")
			return
		}
		// The person is resolved once the listings are read, against their
		// persons and on both cores (resolveContactPersons): here the cell
		// is kept, its shape checked (a personnummer is checked on lookup,
		// see personCell).
		p, _, _, ok := w.personCell(r, &w.cells, r.field(cPerson), false)
		if !ok {
			return
		}
		u, ok := w.unit(r, cUnit, true)
		if !ok {
			return
		}
		c := Contact{Person: p, Unit: u, Clinician: -1, Fee: -1}
		if c.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		m := r.field(cMode)
		if string(m) == "visit" {
			c.Mode = ModeVisit
		} else if i := enumIndex(m, modeNames[:]); i > 0 {
			c.Mode = Mode(i)
		} else {
			r.reject("mode", "mode "+safeValue(string(m))+" is not one of visit, home, phone, video, chat")
			return
		}
		pr := r.field(cProf)
		if string(pr) == "nurse" {
			c.Profession = Nurse
		} else if string(pr) == "doctor" {
			c.Profession = Doctor
		} else if i := enumIndex(pr, professionNames[:]); i > 0 {
			c.Profession = Profession(i)
		} else {
			r.reject("profession", "profession "+safeValue(string(pr))+" is not one of doctor, nurse, psychologist, physio, occupational_therapist, counsellor, dietitian, other")
			return
		}
		if c.Urgent, ok = yesNo(r, cUrgent, "urgent"); !ok {
			return
		}
		fee, has, ok := r.fixed(cFee, "fee", 2, 0, 1_000_000*100, "a fee is not negative and at most 1,000,000 SEK")
		if !ok {
			return
		}
		if has {
			c.Fee = fee
		}
		if c.Requested, ok = r.date(cReq, "requested", false); !ok {
			return
		}
		if !c.Requested.IsZero() && c.Requested.After(c.Date) {
			r.reject("requested", "requested "+c.Requested.String()+" is after the contact date "+c.Date.String())
			return
		}
		if c.NewProblem, ok = yesNo(r, cNew, "new_problem"); !ok {
			return
		}
		if cl := r.field(cClin); len(cl) != 0 {
			i, ok := w.clins.lookup(cl)
			if !ok {
				if s := string(cl); !idShape(s) {
					r.reject("clinician", "clinician is not a usable id (1–64 printable characters)")
					return
				} else if redact.Contains(s) {
					r.reject("clinician", "clinician must be a pseudonymous staff id, not a personnummer")
					return
				}
				i = w.clins.intern(cl)
				w.clins.used[i] = true
			}
			c.Clinician = i
		}
		// Duplicate contact ids are found once the whole file is read
		// (finishContacts), so that every row sharing an id is rejected.
		w.contacts.add(contactRec{person: c.Person, unit: c.Unit, date: c.Date, req: c.Requested, clinician: c.Clinician,
			fee: int32(c.Fee), line: int32(r.line), mode: c.Mode, profession: c.Profession, urgent: c.Urgent, newProblem: c.NewProblem})
		w.cHash.add(fnv64a(id))
	})
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
	keys  chunked[idKey]
	arena keyArena
	lines chunked[int32] // the line of every row, when kept with addLine
	found []int32        // resolveCells' scratch: the person of each cell
}

// reset empties c for the next window of rows, keeping its first chunks
// (a window fills about one) so that windows make no garbage.
func (c *cellStore) reset() {
	c.keys.reset()
	c.lines.reset()
	c.arena = nil
}

// intern returns the index of cell b: the last cell's when b repeats it.
func (c *cellStore) intern(b []byte) PersonIndex {
	if n := c.keys.n; n > 0 {
		if k := c.keys.at(n - 1); k.n != 255 && string(k.b[:k.n]) == string(b) {
			return PersonIndex(n - 1)
		}
	}
	c.add(b)
	return PersonIndex(c.keys.n - 1)
}

// addLine keeps the line of the next row (record base+i has line(i)).
func (c *cellStore) addLine(line int) { c.lines.add(int32(line)) }

// line returns the line kept for row i.
func (c *cellStore) line(i int) int { return int(*c.lines.at(i)) }

func (c *cellStore) add(b []byte) {
	// personCell lets only cells of 1–64 bytes through (keyOf keeps 8 bits
	// of length).
	c.keys.add(c.arena.keyOf(b))
}

// cell returns cell i.
func (c *cellStore) cell(i int) []byte {
	return c.arena.bytes(c.keys.at(i))
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
		if string(pt.ids.key(k)) == string(key) {
			st.last = append(st.last[:0], b...)
			st.lastP = k
			st.predict.hit()
			return k, true
		}
	}
	st.predict.miss()
	return 0, false
}

// lookupBatch holds up to batchSize keys for idTable.getBatch.
type lookupBatch struct {
	n    int
	at   [batchSize]int32 // the contact each key is for
	key  [batchSize][]byte
	cell [batchSize][]byte
	buf  []byte // copies of keys that lived in scratch space
}

// batchSize is how many lookups run together: enough cache misses in
// flight to hide most of their latency, few enough to stay in registers
// and L1.
const batchSize = 16

// getBatch looks up keys[0:n] and stores the persons (or -1) in out. The
// slots of all keys are loaded first and then the ids they point to, each
// pass a loop of independent loads whose cache misses overlap; a lookup
// one at a time in a busy loop waits for each miss in turn. The table
// must be flushed and is only read.
func (t *idTable) getBatch(keys [][]byte, out []int32) {
	var hs [batchSize]uint32
	var ss [batchSize]idSlot
	mask := uint32(len(t.slots) - 1)
	for j, k := range keys {
		hs[j] = uint32(maphash.Bytes(t.seed, k))
	}
	for j := range keys {
		ss[j] = t.slots[hs[j]&mask]
	}
	var ks [batchSize]idKey
	for j := range keys {
		if s := ss[j]; s.val != 0 && s.hash == hs[j] {
			ks[j] = t.refs[(s.val-1)>>refBits][(s.val-1)&(1<<refBits-1)]
		}
	}
	for j, k := range keys {
		s := ss[j]
		switch {
		case s.val == 0:
			out[j] = -1 // the home slot is empty: not in the table
		case s.hash == hs[j] && ks[j].n != 255 && string(ks[j].b[:ks[j].n]) == string(k):
			out[j] = s.val - 1
		default:
			p, _, _, ok := t.get(k) // a long id, or probe on
			if !ok {
				p = -1
			}
			out[j] = p
		}
	}
}

// resolveContactPersons gives every contact read by a its person in b's
// table (the persons of the listings and the files b read), on both cores.
// Rows met in random order cost a batched lookup each here instead of a
// table of their own that finish would have to merge.
func resolveContactPersons(a, b *worker, rep *FileReport) {
	a.personRejected = resolveCells(a.stopper(), &b.pt, &a.contacts, 0, a.contacts.n, &a.cells, true, rep,
		func(c *contactRec) *PersonIndex { return &c.person },
		func(i int) int { return int(a.contacts.at(i).line) })
	a.cells = cellStore{}
}

// windowResolver returns the step that gives the records added to recs
// since its last call their persons (resolveCells on that window, the
// lines kept in cells): files read after the listings call it every
// resolveWindow rows and at their end.
func windowResolver[T any](stop stopper, pt *personTable, recs *chunked[T], cells *cellStore, rep *FileReport, person func(*T) *PersonIndex) func() {
	base := 0
	return func() {
		resolveCells(stop, pt, recs, base, recs.n-base, cells, false, rep, person, cells.line)
		base = recs.n
	}
}

// lateOrWindow returns the cells a file's rows keep and the step that
// gives the records their persons (call it every resolveWindow rows and at
// the end). b, which keeps the persons, looks them up window by window
// (windowResolver); a, reading file k (0 observations, 1 prescriptions)
// while b still reads, keeps every cell in lateCells[k] for resolveLate
// and its step does nothing.
func lateOrWindow[T any](w *worker, k int, recs *chunked[T], rep *FileReport, person func(*T) *PersonIndex) (*cellStore, func()) {
	cells := &cellStore{}
	if w.late {
		w.lateCells[k] = cells
		return cells, func() {}
	}
	return cells, windowResolver(w.stopper(), &w.pt, recs, cells, rep, person)
}

// resolveLate gives the observations and prescriptions a read their
// persons in b's table, on both cores, once b is done (as
// resolveContactPersons does the contacts).
func resolveLate(a, b *worker, obsRep, rxRep *FileReport) {
	if c := a.lateCells[0]; c != nil {
		resolveCells(a.stopper(), &b.pt, &a.observations, 0, a.observations.n, c, true, obsRep,
			func(o *Observation) *PersonIndex { return &o.Person }, c.line)
	}
	if c := a.lateCells[1]; c != nil {
		resolveCells(a.stopper(), &b.pt, &a.prescriptions, 0, a.prescriptions.n, c, true, rxRep,
			func(x *Prescription) *PersonIndex { return &x.Person }, c.line)
	}
	a.lateCells = [2]*cellStore{}
}

// resolveWindow is how many rows of a file read after the listings keep
// their person_id cells before resolveCells looks them up: enough for
// batches, little memory.
const resolveWindow = 1 << chunkBits

// resolveCells gives records base..base+n-1 of recs their persons in pt.
// Each record's person field holds the index of its cell in cells; the
// distinct cells are looked up first (on two goroutines when twoCores, the
// table then only read), in batches whose cache misses overlap; then, in
// cell order, the persons not in the table yet are added and invalid
// cells noted; last every record gets its cell's person, or -1 and a
// rejection on its line (line(i) for record base+i). It returns how many
// were rejected and empties cells. When stop stops it, records are left
// with cell indexes or stale persons (the caller then returns).
func resolveCells[T any](stop stopper, pt *personTable, recs *chunked[T], base, n int, cells *cellStore, twoCores bool, rep *FileReport,
	person func(*T) *PersonIndex, line func(i int) int) int {
	pt.ids.flush()
	nc := cells.keys.n
	if cap(cells.found) < nc {
		cells.found = make([]int32, nc)
	}
	found := cells.found[:nc]
	var misses [2][]int32
	// settle adds the person of a cell not in the table, or notes why the
	// cell is invalid.
	var reasons map[int32]string
	scratch := &FileReport{}
	r := &row{t: &table{rep: scratch}}
	settle := func(at int32) {
		*r = row{t: r.t}
		if p, ok := pt.resolve(r, cells.cell(int(at))); ok {
			found[at] = int32(p)
			return
		}
		if reasons == nil {
			reasons = map[int32]string{}
		}
		reasons[at] = scratch.Rejections[len(scratch.Rejections)-1].Reason
	}
	// On one goroutine the table may change: a miss is settled at once,
	// while its slot is still in the cache (files whose persons are mostly
	// new, as the listings, insert in batches too). On two, the misses wait.
	miss := func(k int, at int32) {
		if twoCores {
			misses[k] = append(misses[k], at)
		} else {
			settle(at)
		}
	}
	split := halves
	if !twoCores {
		split = func(n, _ int, fn func(lo, hi int)) { fn(0, n) }
	}
	split(nc, 1<<16, func(lo, hi int) {
		k := 0
		if lo > 0 {
			k = 1
		}
		st := &findState{lastP: -1}
		bt := &st.batch
		var got [batchSize]int32
		run := func() {
			if bt.n == 0 {
				return
			}
			if pt.ids.pending > 0 {
				pt.ids.flush() // only on one goroutine: settle put them there
			}
			pt.ids.getBatch(bt.key[:bt.n], got[:bt.n])
			for j := range bt.n {
				found[bt.at[j]] = got[j]
				if p := got[j]; p >= 0 {
					st.last = append(st.last[:0], bt.cell[j]...)
					st.lastP = p
				} else {
					miss(k, bt.at[j])
				}
			}
			bt.n, bt.buf = 0, bt.buf[:0]
		}
		for at := lo; at < hi; at++ {
			if stop.stop(at - lo) {
				return
			}
			cell := cells.cell(at)
			p, ok, key := pt.quick(cell, st)
			switch {
			case ok:
				found[at] = p
			case key == nil || pt.ids.beyond(key):
				found[at] = -1
				if !twoCores {
					run() // the cells before it first: persons are added in cell order
				}
				miss(k, int32(at))
			default:
				if len(st.key) > 0 && &key[0] == &st.key[0] {
					// Scratch space: keep a copy (buf never grows
					// past batchSize × 12 bytes once warm).
					o := len(bt.buf)
					bt.buf = append(bt.buf, key...)
					key = bt.buf[o:len(bt.buf):len(bt.buf)]
				}
				bt.at[bt.n], bt.key[bt.n], bt.cell[bt.n] = int32(at), key, cell
				bt.n++
				if bt.n == batchSize {
					run()
				}
			}
		}
		run()
	})
	// The misses of two goroutines in cell order (the first half's before
	// the second's).
	for _, ms := range misses {
		slices.Sort(ms)
		for i, at := range ms {
			if stop.stop(i) {
				break
			}
			settle(at)
		}
	}
	var bad [2][][2]int32 // rejected records: record, cell
	split(n, 1<<16, func(lo, hi int) {
		k := 0
		if lo > 0 {
			k = 1
		}
		for i := lo; i < hi; i++ {
			if stop.stop(i - lo) {
				return
			}
			pp := person(recs.at(base + i))
			c := *pp
			if *pp = PersonIndex(found[c]); *pp < 0 {
				bad[k] = append(bad[k], [2]int32{int32(i), int32(c)})
			}
		}
	})
	rejected := 0
	for _, b := range bad {
		for _, x := range b {
			rep.reject(line(int(x[0])), "person_id", reasons[x[1]])
			rejected++
		}
	}
	cells.reset()
	return rejected
}

// finishContacts rejects every contact whose contact_id is shared with
// another accepted row, naming the other line (the first such row names the
// second; every later one names the first), and keeps the sorted hashes of
// the remaining ids for the diagnoses' contact_id check.
//
// When w.stopper() stops it, contactSet is left unset (the caller then
// returns).
func (w *worker) finishContacts(rep *FileReport, twoCores bool) {
	// Rows rejected for their person_id (person < 0) take no part.
	n := w.cHash.n - w.personRejected
	// Sort the hashes: scatter them into buckets by their top bits (about
	// 64 a bucket), then sort each bucket. With twoCores, two goroutines
	// count and scatter a half of the rows each (the first half's hashes
	// first in a bucket), then sort half of the buckets each. Which rows
	// take part is read from the contacts only when some were rejected
	// for their person_id.
	shift := bucketShift(n, 64)
	nb := 1 << (64 - shift)
	all := w.personRejected == 0
	half := len(w.cHash.chunks) / 2
	both := func(fn func(k, lo, hi int)) {
		if twoCores && half > 0 {
			var wg sync.WaitGroup
			wg.Go(func() { fn(0, 0, half) })
			fn(1, half, len(w.cHash.chunks))
			wg.Wait()
			return
		}
		fn(0, 0, 0)
		fn(1, 0, len(w.cHash.chunks))
	}
	var cnt [2][]int32
	stop := w.stopper()
	both(func(k, lo, hi int) {
		c := make([]int32, nb)
		writeEachPage(c)
		for ci := lo; ci < hi; ci++ {
			if stop.now() {
				break
			}
			cs := w.contacts.chunks[ci]
			for i, h := range w.cHash.chunks[ci] {
				if all || cs[i].person >= 0 {
					c[h>>shift]++
				}
			}
		}
		cnt[k] = c
	})
	start := make([]int32, nb+1)
	var next [2][]int32
	next[0], next[1] = make([]int32, nb), make([]int32, nb)
	for b := range nb {
		next[0][b] = start[b]
		next[1][b] = start[b] + cnt[0][b]
		start[b+1] = next[1][b] + cnt[1][b]
	}
	cnt = [2][]int32{}
	sorted := make([]uint64, n)
	both(func(k, lo, hi int) {
		nx := next[k]
		for ci := lo; ci < hi; ci++ {
			if stop.now() {
				return
			}
			cs := w.contacts.chunks[ci]
			for i, h := range w.cHash.chunks[ci] {
				if all || cs[i].person >= 0 {
					b := h >> shift
					sorted[nx[b]] = h
					nx[b]++
				}
			}
		}
	})
	split := halves
	if !twoCores {
		split = func(n, _ int, fn func(lo, hi int)) { fn(0, n) }
	}
	split(nb, 2, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			if stop.stop(b - lo) {
				return
			}
			if start[b+1]-start[b] > 1 {
				slices.Sort(sorted[start[b]:start[b+1]])
			}
		}
	})
	next = [2][]int32{}
	if stop.now() {
		return
	}
	var dups map[uint64]int32 // hash → index of its first row, -1 before it is seen
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			if dups == nil {
				dups = map[uint64]int32{}
			}
			dups[sorted[i]] = -1
		}
	}
	if dups != nil {
		second := map[uint64]int32{}
		for i := 0; i < w.cHash.n; i++ {
			h := *w.cHash.at(i)
			first, dup := dups[h]
			if !dup {
				continue
			}
			c := w.contacts.at(i)
			if c.person < 0 {
				continue // rejected for its person_id
			}
			c.person = -1
			if first < 0 {
				dups[h] = int32(i)
				continue
			}
			if _, ok := second[h]; !ok {
				second[h] = c.line
			}
			rep.reject(int(c.line), "contact_id", "contact_id is also used on line "+strconv.Itoa(int(w.contacts.at(int(first)).line)))
		}
		for h, first := range dups {
			rep.reject(int(w.contacts.at(int(first)).line), "contact_id", "contact_id is also used on line "+strconv.Itoa(int(second[h])))
		}
		keep := sorted[:0]
		for _, h := range sorted {
			if _, dup := dups[h]; !dup {
				keep = append(keep, h)
			}
		}
		sorted = keep
	}
	w.contactSet = sorted
	w.cHash = chunked[uint64]{}
}

// bucketShift returns the shift that maps a 64-bit hash to its bucket when
// n hashes are spread over buckets of about per.
func bucketShift(n, per int) uint {
	b := 0
	for 1<<b < n/per && b < 24 {
		b++
	}
	return uint(64 - b)
}

// resolveContactRefs rejects the diagnoses whose contact_id is not an
// accepted contact.
func (w *worker) resolveContactRefs(set []uint64, rep *FileReport) {
	if w.dRefs.n == 0 {
		return
	}
	// Bucket the sorted set by the top bits of the hash for a short scan.
	shift := bucketShift(len(set), 4)
	start := make([]int32, 1<<(64-shift)+1)
	writeEachPage(start)
	for i, h := range set {
		if w.stopper().stop(i) {
			return
		}
		start[(h>>shift)+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	if w.stopper().now() {
		return
	}
	var bad [2][]contactRef
	halves(len(w.dRefs.chunks), 4, func(lo, hi int) {
		k := 0
		if lo > 0 {
			k = 1
		}
		// In batches (as idTable.getBatch): first every ref's bucket
		// bounds, then the first hash of each bucket, each a loop of
		// independent loads whose cache misses overlap; then the scans.
		var from, to [batchSize]int32
		var first [batchSize]uint64
		for _, ch := range w.dRefs.chunks[lo:hi] {
			if w.stopper().now() {
				return
			}
			for i := 0; i < len(ch); i += batchSize {
				refs := ch[i:min(i+batchSize, len(ch))]
				for j := range refs {
					b := refs[j].hash >> shift
					from[j], to[j] = start[b], start[b+1]
				}
				for j := range refs {
					if from[j] < to[j] {
						first[j] = set[from[j]]
					}
				}
				for j := range refs {
					h, found := refs[j].hash, false
					if from[j] < to[j] && first[j] >= h {
						found = first[j] == h
					} else {
						for _, x := range set[from[j]:to[j]] {
							if x >= h {
								found = x == h
								break
							}
						}
					}
					if !found {
						bad[k] = append(bad[k], refs[j])
					}
				}
			}
		}
	})
	for _, refs := range bad {
		for _, ref := range refs {
			d := w.diagnoses.at(int(ref.diag))
			if d.Person < 0 {
				continue // already rejected for its person_id
			}
			rep.reject(int(ref.line), "contact_id", "contact_id is not an accepted contact in contacts.csv")
			d.Person = -1
		}
	}
	w.dRefs = chunked[contactRef]{}
}

func (w *worker) diagnosesFile(ctx context.Context, t *table) error {
	cPerson, cDate, cCode, cUnit, cContact := t.col("person_id"), t.col("date"), t.col("code"), t.col("unit_id"), t.col("contact_id")
	var cells cellStore
	resolve := windowResolver(w.stopper(), &w.pt, &w.diagnoses, &cells, t.rep, func(d *Diagnosis) *PersonIndex { return &d.Person })
	defer resolve()
	return t.each(ctx, func(r *row) {
		// The cell is kept here (its shape checked; a personnummer is
		// checked on lookup, see personCell), the person looked up once the
		// rows of the window are read (resolveCells).
		p, _, _, ok := w.personCell(r, &cells, r.field(cPerson), false)
		if !ok {
			return
		}
		d := Diagnosis{Person: p}
		if d.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		raw := r.field(cCode)
		code := w.upper(raw)
		if len(code) > 4 && code[3] == '.' {
			code = append(code[:3], code[4:]...)
		}
		if !icdShape(string(code)) {
			r.reject("code", "code "+safeValue(string(raw))+" is not an ICD-10 code (e.g. F32.1 or F321)")
			return
		}
		d.Code = w.codes.intern(code)
		if d.Unit, ok = w.unit(r, cUnit, false); !ok {
			return
		}
		if cid := r.field(cContact); len(cid) != 0 {
			// Checked against the accepted contacts once both files are read.
			w.dRefs.add(contactRef{hash: fnv64a(cid), diag: int32(w.diagnoses.n), line: int32(r.line)})
		}
		w.diagnoses.add(d)
		cells.addLine(r.line)
		if cells.lines.n == resolveWindow {
			resolve()
		}
	})
}

func (w *worker) observationsFile(ctx context.Context, t *table) error {
	ld := w.ld
	cPerson, cDate, cCode, cValue, cUnit := t.col("person_id"), t.col("date"), t.col("code"), t.col("value"), t.col("unit_id")
	cells, resolve := lateOrWindow(w, 0, &w.observations, t.rep, func(o *Observation) *PersonIndex { return &o.Person })
	defer resolve()
	return t.each(ctx, func(r *row) {
		// The cell is kept here (its shape checked; a personnummer is
		// checked on lookup, see personCell), the person looked up once the
		// rows of the window are read (resolveCells), or once b is done when
		// a read the file (resolveLate).
		p, _, _, ok := w.personCell(r, cells, r.field(cPerson), false)
		if !ok {
			return
		}
		o := Observation{Person: p}
		if o.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		raw := r.field(cCode)
		code := w.upper(raw)
		if bytes.IndexByte(code, '-') >= 0 {
			code = bytes.ReplaceAll(code, []byte("-"), nil)
		}
		if !codeShape(string(code)) {
			r.reject("code", "code "+safeValue(string(raw))+" is not an observation code")
			return
		}
		s := r.field(cValue)
		if len(s) == 0 {
			r.reject("value", "value is empty")
			return
		}
		v, why := parseFixed(s, 6)
		if why != "" {
			r.reject("value", "value "+safeValue(string(s))+": "+why)
			return
		}
		if rg, known := ld.ranges[string(code)]; known {
			if v < int64(rg.Min) || v > int64(rg.Max) {
				r.reject("value", string(code)+" value "+safeValue(string(s))+" is outside "+rg.Min.String()+"–"+rg.Max.String()+" "+rg.Unit)
				return
			}
			if rg.Integer && v%FixedScale != 0 {
				r.reject("value", string(code)+" value "+safeValue(string(s))+" must be a whole number")
				return
			}
		}
		o.Value = Fixed(v)
		if o.Unit, ok = w.unit(r, cUnit, false); !ok {
			return
		}
		// Its code counts as used once the person is settled (finish).
		o.Code = w.codes.intern(code)
		w.observations.add(o)
		cells.addLine(r.line)
		if cells.lines.n == resolveWindow {
			resolve()
		}
	})
}

func (w *worker) prescriptionsFile(ctx context.Context, t *table) error {
	cPerson, cDate, cATC, cUnit, cDDD := t.col("person_id"), t.col("date"), t.col("atc"), t.col("unit_id"), t.col("ddd")
	cells, resolve := lateOrWindow(w, 1, &w.prescriptions, t.rep, func(x *Prescription) *PersonIndex { return &x.Person })
	defer resolve()
	return t.each(ctx, func(r *row) {
		// The cell is kept here (its shape checked; a personnummer is
		// checked on lookup, see personCell), the person looked up once the
		// rows of the window are read (resolveCells), or once b is done when
		// a read the file (resolveLate).
		p, _, _, ok := w.personCell(r, cells, r.field(cPerson), false)
		if !ok {
			return
		}
		x := Prescription{Person: p}
		if x.Date, ok = r.date(cDate, "date", true); !ok {
			return
		}
		raw := r.field(cATC)
		atc := w.upper(raw)
		if !atcShape(string(atc)) {
			r.reject("atc", "atc "+safeValue(string(raw))+" is not a 7-character ATC code (e.g. J01CA04)")
			return
		}
		if x.Unit, ok = w.unit(r, cUnit, false); !ok {
			return
		}
		ddd, has, ok := r.fixed(cDDD, "ddd", 6, 0, 100000*FixedScale, "0 to 100,000")
		if !ok {
			return
		}
		x.DDD, x.HasDDD = Fixed(ddd), has
		x.ATC = w.codes.intern(atc)
		w.prescriptions.add(x)
		cells.addLine(r.line)
		if cells.lines.n == resolveWindow {
			resolve()
		}
	})
}

// finish merges the workers' persons, codes and clinicians, pseudonymises
// persons and puts them, codes and clinicians into a canonical order
// (independent of row order), then places every record in canonical order
// and builds the indexes.
//
// It reports false, leaving the Region unfinished, when ld.stop stops it; it
// returns only once resolved is done either way.
func (ld *loader) finish(a, b *worker, bSums []byte, bOrder []int32, resolved *sync.WaitGroup) bool {
	defer resolved.Wait()
	r := ld.r
	// Persons: b's table is the base (it read the listings, which give
	// pseudonymous persons their sex and birth date); a's persons are
	// looked up in it by identity.
	drafts := b.pt.drafts
	aMap := make([]PersonIndex, len(a.pt.drafts))
	nb, last := int32(len(drafts)), int32(-1)
	var pred predictor
	for j := range a.pt.drafts {
		if ld.stop.stop(j) {
			return false
		}
		d := &a.pt.drafts[j]
		key := a.pt.ids.key(int32(j))
		g, ok := int32(0), false
		// The files are often in the same person order: try the persons
		// after the last match before hashing.
		if pred.try() {
			for k := last + 1; k < nb && k <= last+predictAhead && !ok; k++ {
				e := &drafts[k]
				if d.fromPNR {
					g, ok = k, e.fromPNR && e.pnr == d.pnr
				} else {
					g, ok = k, !e.fromPNR && string(b.pt.ids.key(k)) == string(key)
				}
			}
			if ok {
				pred.hit()
			} else {
				pred.miss()
			}
		}
		if !ok {
			g, _, _, ok = b.pt.ids.get(key)
		}
		if !ok {
			g = int32(len(drafts))
			drafts = append(drafts, *d)
			// Keep the identity in b's arena, which names every draft.
			b.pt.ids.add(key)
		} else if g < nb {
			last = g
		}
		aMap[j] = PersonIndex(g)
	}
	a.pt = personTable{}
	newIdx := ld.persons(drafts, &b.pt.ids, bSums, bOrder)
	if ld.stop.now() {
		return false
	}
	b.pt = personTable{}
	for j, g := range aMap {
		aMap[j] = newIdx[g]
	}
	bMap := newIdx[:len(newIdx):len(newIdx)]

	// Codes and clinicians sorted, so indexes do not depend on row order.
	var codeMaps, clinMaps [][]int32
	resolved.Wait()
	if ld.stop.now() {
		return false
	}
	// A diagnosis's code counts once the diagnosis is accepted, which may
	// only have been settled by its contact_id.
	for _, ch := range b.diagnoses.chunks {
		for i := range ch {
			if ch[i].Person >= 0 {
				b.codes.used[ch[i].Code] = true
			}
		}
	}
	// Likewise observations and prescriptions, which may have been
	// rejected for their person_id after their code was interned. Either
	// worker may have read them (codes 0 for a, 1 for b).
	obsW, obsK, rxW, rxK := b, 1, b, 1
	if a.observations.n > 0 {
		obsW, obsK = a, 0
	}
	if a.prescriptions.n > 0 {
		rxW, rxK = a, 0
	}
	for _, ch := range obsW.observations.chunks {
		for i := range ch {
			if ch[i].Person >= 0 {
				obsW.codes.used[ch[i].Code] = true
			}
		}
	}
	for _, ch := range rxW.prescriptions.chunks {
		for i := range ch {
			if ch[i].Person >= 0 {
				rxW.codes.used[ch[i].ATC] = true
			}
		}
	}
	r.Codes, codeMaps = mergeInterners(&a.codes, &b.codes)
	r.Clinicians, clinMaps = mergeInterners(&a.clins, &b.clins)
	r.codeIndex = make(map[string]int32, len(r.Codes))
	for i, c := range r.Codes {
		r.codeIndex[c] = int32(i)
	}
	n := len(r.Persons)
	// The records are about to be copied into their final slices. The
	// heap is mostly pointer-free chunks, so a collection is cheap, and it
	// lets those copies reuse the memory of the person tables instead of
	// growing the heap (likewise after the contacts, the largest).
	if !b.pre {
		b.listN = b.listings.n
	}
	// The program may collect here (LoadOptions.Reclaim), so that the
	// copies reuse the memory of the chunks and tables that are garbage
	// by then instead of growing the heap.
	big := a.contacts.n+b.diagnoses.n+obsW.observations.n+rxW.prescriptions.n+b.listN > 1<<20
	reclaim := ld.opts.Reclaim
	if !big {
		reclaim = nil
	}
	if reclaim != nil {
		reclaim(int64(a.contacts.n)*int64(unsafe.Sizeof(Contact{})) + int64(b.diagnoses.n)*int64(unsafe.Sizeof(Diagnosis{})) +
			int64(obsW.observations.n)*int64(unsafe.Sizeof(Observation{})) + int64(rxW.prescriptions.n)*int64(unsafe.Sizeof(Prescription{})))
	}
	remap := func(c *contactRec) {
		if c.person >= 0 {
			c.person = bMap[c.person]
			if c.clinician >= 0 {
				c.clinician = clinMaps[0][c.clinician]
			}
		}
	}
	r.Contacts, r.contOff = group(ld.stop, &a.contacts, n, remap, func(c *contactRec) PersonIndex { return c.person }, (*contactRec).contact,
		func(c *Contact) PersonIndex { return c.Person })
	sortEach(ld.stop, r.Contacts, r.contOff, cmpContact)
	if ld.stop.now() {
		return false
	}
	r.contactMonths = countContactMonths(r.Contacts)
	if reclaim != nil {
		reclaim(0)
	}
	cm := codeMaps[1]
	r.Diagnoses, r.diagOff = place(ld.stop, &b.diagnoses, n, func(d *Diagnosis) bool {
		if d.Person < 0 {
			return false
		}
		d.Person, d.Code = bMap[d.Person], cm[d.Code]
		return true
	}, func(d *Diagnosis) PersonIndex { return d.Person }, cmpDiagnosis(cmpIndex))
	if b.pre {
		ls, poff := b.preList, b.preOff
		b.preList, b.preOff = nil, nil
		halves(len(ls), 1<<14, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if ld.stop.stop(i - lo) {
					return
				}
				l := &ls[i]
				l.Person = bMap[l.Person]
				if l.ACG >= 0 {
					l.ACG = cm[l.ACG]
				}
			}
		})
		off := make([]int32, n+1)
		for rk, d := range bOrder {
			off[bMap[d]+1] = poff[rk+1] - poff[rk]
		}
		for i := 1; i <= n; i++ {
			off[i] += off[i-1]
		}
		r.Listings, r.listOff = ls, off
	} else {
		r.Listings, r.listOff = place(ld.stop, &b.listings, n, func(l *Listing) bool {
			l.Person = bMap[l.Person]
			if l.ACG >= 0 {
				l.ACG = cm[l.ACG]
			}
			return true
		}, func(l *Listing) PersonIndex { return l.Person }, cmpListing)
	}
	// Persons of records a read were looked up in b's table too (bMap).
	ocm, xcm := codeMaps[obsK], codeMaps[rxK]
	r.Observations, r.obsOff = place(ld.stop, &obsW.observations, n, func(o *Observation) bool {
		if o.Person < 0 {
			return false
		}
		o.Person, o.Code = bMap[o.Person], ocm[o.Code]
		return true
	}, func(o *Observation) PersonIndex { return o.Person }, cmpObservation(cmpIndex))
	r.Prescriptions, r.rxOff = place(ld.stop, &rxW.prescriptions, n, func(x *Prescription) bool {
		if x.Person < 0 {
			return false
		}
		x.Person, x.ATC = bMap[x.Person], xcm[x.ATC]
		return true
	}, func(x *Prescription) PersonIndex { return x.Person }, cmpPrescription(cmpIndex))
	return !ld.stop.now()
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
	w.listN = w.listings.n
	byRank := func(l *Listing) PersonIndex {
		if l.Person < 0 {
			return -1
		}
		return PersonIndex(rank[l.Person])
	}
	w.preList, w.preOff = group(w.stopper(), &w.listings, len(order), nil, byRank, func(l *Listing) Listing { return *l }, byRank)
	sortEach(w.stopper(), w.preList, w.preOff, cmpListing)
	w.pre = true
}

// place remaps every record of src (fix returns false for a dropped one,
// whose person is then negative), moves them into one slice grouped by
// person and sorts each person's records with less. It returns the slice
// and the per-person offsets.
func place[T any](stop stopper, src *chunked[T], n int, fix func(*T) bool, person func(*T) PersonIndex, less func(a, b T) int) ([]T, []int32) {
	out, off := group(stop, src, n, func(x *T) { fix(x) }, person, func(x *T) T { return *x }, person)
	if len(out) > 0 {
		sortEach(stop, out, off, less)
	}
	return out, off
}

// persons pseudonymises the drafts (sums already holds the keys of the
// first len(sums)/10, and first is their order by pseudonym), sorts them by
// pseudonym (then by identity, should two pseudonyms ever collide), fills
// r.Persons and returns draft index → person index (nil, or unfinished,
// when ld.stop stops it).
func (ld *loader) persons(drafts []personDraft, ids *idTable, sums []byte, first []int32) []PersonIndex {
	n := len(drafts)
	done := len(sums) / 10
	sums = append(sums, make([]byte, 10*(n-done))...)
	ld.pseudonyms(drafts[done:], done, ids, sums[10*done:]).Wait()
	if ld.stop.now() {
		return nil
	}
	var order []int32
	if len(first) != done {
		order = pseudonymOrder(ld.stop, drafts, ids, sums)
	} else {
		// The first done drafts are in order: sort the others and merge.
		order = first
		if n > done {
			less := draftLess(drafts, ids, sums)
			more := make([]int32, 0, n-done)
			for i := done; i < n; i++ {
				more = append(more, int32(i))
			}
			slices.SortFunc(more, less)
			order = make([]int32, 0, n)
			i, j := 0, 0
			for i < len(first) && j < len(more) {
				if less(more[j], first[i]) < 0 {
					order = append(order, more[j])
					j++
				} else {
					order = append(order, first[i])
					i++
				}
			}
			order = append(append(order, first[i:]...), more[j:]...)
		}
	}
	if ld.stop.now() {
		return nil
	}
	newIdx := make([]PersonIndex, n)
	ld.r.Persons = make([]Person, n)
	writeEachPage(ld.r.Persons)
	halves(n, 1<<14, func(lo, hi int) {
		// Each half's keys share one string.
		var kb strings.Builder
		kb.Grow(20 * (hi - lo))
		var hx [20]byte
		for _, from := range order[lo:hi] {
			hex.Encode(hx[:], sums[10*from:10*from+10])
			kb.Write(hx[:])
		}
		keys := kb.String()
		for to := lo; to < hi; to++ {
			if ld.stop.stop(to - lo) {
				return
			}
			from := order[to]
			newIdx[from] = PersonIndex(to)
			p := &drafts[from]
			k := 20 * (to - lo)
			ld.r.Persons[to] = Person{Key: keys[k : k+20], Sex: p.sex, BirthDate: p.birth}
		}
	})
	return newIdx
}

// draftLess orders drafts by pseudonym (sums) and, should two pseudonyms
// ever collide, by identity.
func draftLess(drafts []personDraft, ids *idTable, sums []byte) func(x, y int32) int {
	var ba, bb []byte
	return func(x, y int32) int {
		if c := bytes.Compare(sums[10*x:10*x+10], sums[10*y:10*y+10]); c != 0 {
			return c
		}
		ba, bb = drafts[x].canon(ba[:0], ids.key(x)), drafts[y].canon(bb[:0], ids.key(y))
		return bytes.Compare(ba, bb)
	}
}

// pseudonymOrder returns the drafts' indexes in draftLess order: scattered
// into buckets by the pseudonym's leading bits (about two persons a
// bucket), then each bucket sorted. When stop stops it, the order is nil
// or unsorted.
func pseudonymOrder(stop stopper, drafts []personDraft, ids *idTable, sums []byte) []int32 {
	n := len(drafts)
	hi := func(i int32) uint64 { return binary.BigEndian.Uint64(sums[10*i:]) }
	shift := bucketShift(n, 2)
	start := make([]int32, 1<<(64-shift)+1)
	writeEachPage(start)
	for i := range int32(n) {
		if stop.stop(int(i)) {
			return nil
		}
		start[hi(i)>>shift+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, n)
	next := slices.Clone(start)
	for i := range int32(n) {
		if stop.stop(int(i)) {
			return nil
		}
		b := hi(i) >> shift
		order[next[b]] = i
		next[b]++
	}
	next = nil
	less := draftLess(drafts, ids, sums)
	for b := 0; b+1 < len(start); b++ {
		if stop.stop(b) {
			break
		}
		if g := order[start[b]:start[b+1]]; len(g) > 1 {
			slices.SortFunc(g, less)
		}
	}
	return order
}

// pseudonyms computes, on two goroutines, the first 10 bytes of the keyed
// HMAC-SHA256 of every draft's identity into sums; wait for it. The drafts
// are persons first, first+1, ... of ids.
func (ld *loader) pseudonyms(drafts []personDraft, first int, ids *idTable, sums []byte) *sync.WaitGroup {
	key := ld.opts.PseudonymKey
	if len(key) == 0 {
		key = []byte("vardval public pseudonym key")
	}
	n := len(drafts)
	wg := &sync.WaitGroup{}
	const parts = 2
	for k := range parts {
		lo, up := k*n/parts, (k+1)*n/parts
		wg.Go(func() {
			m := hmac.New(sha256.New, key)
			var buf []byte
			var sum [sha256.Size]byte
			for i := lo; i < up; i++ {
				if ld.stop.stop(i - lo) {
					return
				}
				m.Reset()
				buf = drafts[i].canon(buf[:0], ids.key(int32(first+i)))
				m.Write(buf)
				m.Sum(sum[:0])
				copy(sums[10*i:], sum[:10])
			}
		})
	}
	return wg
}
