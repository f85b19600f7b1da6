package csvin

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// The names returned by [Reader.Encoding].
const (
	EncodingUTF8        = "utf-8"        // UTF-8 without BOM (also pure ASCII)
	EncodingUTF8BOM     = "utf-8-bom"    // UTF-8 starting with a byte order mark
	EncodingWindows1252 = "windows-1252" // not UTF-8 in the first 64 KiB
)

// MaxRecordSize is the longest record, in bytes of input, that the reader
// keeps in memory. A longer record is reported as a *RecordError and skipped
// (an unclosed quote that runs to the end of the input is reported as such).
// Rows of the data contract are a few hundred bytes at most; the limit keeps
// the field index of a hostile record (one field per byte) small too.
const MaxRecordSize = 1 << 20

const (
	defaultBufSize = 256 << 10 // initial buffer; grows up to MaxRecordSize+
	sniffSize      = 64 << 10  // bytes looked at to tell UTF-8 from Windows-1252
)

// Reasons carried by a [RecordError]. They never contain field content.
const (
	ReasonBareQuote    = "bare quote in unquoted field"
	ReasonAfterQuote   = "text after closing quote"
	ReasonUnterminated = "quoted field not closed before the end of the file"
	ReasonTooLong      = "record longer than 1 MiB, the size limit of a record"
)

// Reasons carried by a [HeaderError]. They never contain file content.
const (
	ReasonNoHeader = "no header line"
	// ReasonUTF16 is for UTF-16 (Excel's "Unicode text"), told by its
	// byte order mark or, without one, by its zero bytes.
	ReasonUTF16 = "looks like UTF-16: save as UTF-8 (in Excel: CSV UTF-8)"
	// ReasonWorkbook is for a zip file (an .xlsx workbook) or an old
	// binary .xls workbook given in place of a CSV file.
	ReasonWorkbook = "looks like an Excel workbook, not CSV text: save as CSV UTF-8"
)

// Record is one data record. Fields point into the reader's buffer and are
// valid only until the next call of [Reader.Next]; copy what you keep.
type Record struct {
	Line   int      // physical line (first line of the file = 1) where the record starts
	Fields [][]byte // the fields, unquoted and decoded to UTF-8
}

// RecordError reports one malformed record. Reading can continue.
type RecordError struct {
	Line   int    // physical line where the record starts
	Field  int    // 0-based index of the offending field
	Reason string // one of the Reason constants; never field content
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("line %d: field %d: %s", e.Line, e.Field, e.Reason)
}

// ReadError is an error from the underlying io.Reader (not io.EOF). It is
// fatal: every later call of Next returns it again.
type ReadError struct {
	Line int   // line being read when it happened
	Err  error // the underlying error
}

func (e *ReadError) Error() string { return fmt.Sprintf("line %d: read error: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *ReadError) Unwrap() error { return e.Err }

// HeaderError reports an input without a usable header line: empty, only
// empty lines, UTF-16 (with or without its byte order mark) or a workbook.
type HeaderError struct {
	Reason string // one of the Reason constants; never file content
}

func (e *HeaderError) Error() string { return e.Reason }

// Reader reads records from a CSV stream. Create it with [NewReader].
type Reader struct {
	src      io.Reader
	buf      []byte
	pos, end int  // unconsumed input is buf[pos:end]
	eof      bool // src returned io.EOF
	rerr     error
	fatal    error // sticky *ReadError
	line     int   // physical line of buf[pos]
	maxRec   int

	delim  byte
	enc    string
	win    bool // the whole file is Windows-1252
	cr     bool // old-Mac line ends: every '\r' is read as '\n' (crToLF)
	header []string

	spans  []span // field bounds of the current record, relative to its start
	fields [][]byte
	dec    []byte  // decoded (Windows-1252 → UTF-8) field bytes
	tab    *cp1252 // Windows-1252 → UTF-8, built on first use
}

type span struct{ start, end int }

type fillStatus uint8

const (
	fillOK   fillStatus = iota // more data is in buf
	fillEOF                    // input exhausted
	fillErr                    // read error (in r.rerr)
	fillFull                   // the pending record already fills MaxRecordSize
)

// NewReader reads the start of r to decide the encoding and the delimiter and
// parses the header. It fails with a *HeaderError when there is no header, a
// *RecordError when the header record is malformed, or a *ReadError.
func NewReader(r io.Reader) (*Reader, error) {
	return newReader(r, defaultBufSize, MaxRecordSize)
}

// newReader lets tests use tiny buffers and limits. The encoding sniff looks
// at min(64 KiB, bufSize) bytes.
func newReader(src io.Reader, bufSize, maxRecord int) (*Reader, error) {
	if bufSize < 8 {
		bufSize = 8
	}
	r := &Reader{src: src, buf: make([]byte, bufSize), line: 1, maxRec: maxRecord, delim: ','}
	sniff := min(sniffSize, bufSize)
	for r.end < sniff {
		if st := r.fill(); st == fillEOF {
			break
		} else if st == fillErr {
			return nil, r.readError()
		}
	}
	r.enc = EncodingUTF8
	switch w := r.buf[:r.end]; {
	case bytes.HasPrefix(w, []byte("\xFF\xFE")) || bytes.HasPrefix(w, []byte("\xFE\xFF")) || looksUTF16(w):
		return nil, &HeaderError{Reason: ReasonUTF16}
	case bytes.HasPrefix(w, []byte("PK\x03\x04")) || bytes.HasPrefix(w, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return nil, &HeaderError{Reason: ReasonWorkbook}
	case bytes.HasPrefix(w, []byte("\xEF\xBB\xBF")):
		r.enc = EncodingUTF8BOM
		r.pos = 3
	case !sniffUTF8(w, sniff, r.eof):
		r.enc = EncodingWindows1252
		r.win = true
	}
	if crOnly(r.buf[:r.end], r.eof) {
		r.cr = true
		lfForCR(r.buf[:r.end])
		r.src = crToLF{r.src}
	}
	if err := r.skipEmpty(); err != nil {
		if err == io.EOF {
			return nil, &HeaderError{Reason: ReasonNoHeader}
		}
		return nil, err
	}
	if d, n, ok := sepDirective(r.buf[r.pos:r.end]); ok {
		// Excel's "sep=;" first line names the delimiter; the header follows.
		r.delim = d
		r.pos += n
		r.line++
		if err := r.skipEmpty(); err != nil {
			if err == io.EOF {
				return nil, &HeaderError{Reason: ReasonNoHeader + " after the sep= line"}
			}
			return nil, err
		}
	} else if err := r.detectDelimiter(); err != nil {
		return nil, err
	}
	rec, err := r.Next()
	if err != nil {
		if err == io.EOF {
			return nil, &HeaderError{Reason: ReasonNoHeader}
		}
		return nil, err
	}
	r.header = make([]string, len(rec.Fields))
	for i, f := range rec.Fields {
		r.header[i] = strings.ToLower(strings.TrimSpace(string(f)))
	}
	return r, nil
}

// looksUTF16 reports whether the start of an input without a byte order
// mark is UTF-16: in text of mostly Latin letters, digits and delimiters
// one byte of every pair is zero (the odd ones in little-endian, the even
// ones in big-endian), which no CSV text in UTF-8 or Windows-1252 has.
func looksUTF16(w []byte) bool {
	n := min(len(w), 4096) &^ 1
	if n < 2 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if w[i] == 0 {
			even++
		}
		if w[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return (odd*4 >= pairs*3 && even*4 < pairs) || (even*4 >= pairs*3 && odd*4 < pairs)
}

// crOnly reports whether the start of the input w has old-Mac line ends:
// a carriage return and no line feed. A '\r' that ends w when more input
// may follow could be the start of a CRLF and does not count.
func crOnly(w []byte, atEOF bool) bool {
	if bytes.IndexByte(w, '\n') >= 0 {
		return false
	}
	i := bytes.IndexByte(w, '\r')
	return i >= 0 && (i+1 < len(w) || atEOF)
}

// lfForCR turns every '\r' of b into '\n'.
func lfForCR(b []byte) {
	for i := bytes.IndexByte(b, '\r'); i >= 0; {
		b[i] = '\n'
		k := bytes.IndexByte(b[i+1:], '\r')
		if k < 0 {
			return
		}
		i += 1 + k
	}
}

// crToLF reads a file with old-Mac line ends as if they were line feeds.
// A carriage return inside a quoted field is a line break there too, as
// the program that wrote the file meant it.
type crToLF struct{ src io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.src.Read(p)
	if n > 0 && n <= len(p) {
		lfForCR(p[:n])
	}
	return n, err
}

// sniffUTF8 reports whether the runes of b that start before limit are
// valid UTF-8. A sequence cut off by the end of b counts as valid when more
// input may follow (atEOF false).
func sniffUTF8(b []byte, limit int, atEOF bool) bool {
	for i := 0; i < len(b) && i < limit; {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		c, size := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && size == 1 {
			return !atEOF && !utf8.FullRune(b[i:])
		}
		i += size
	}
	return true
}

// Continue returns a reader of more of the same file from src, which must
// start at a record boundary (after a line end outside quotes): it takes
// r's delimiter, encoding and header and numbers lines from 1, so add the
// line where src starts. Two parts of one file can so be read at once.
func (r *Reader) Continue(src io.Reader) *Reader {
	if r.cr {
		src = crToLF{src}
	}
	return &Reader{src: src, buf: make([]byte, defaultBufSize), line: 1, maxRec: r.maxRec,
		delim: r.delim, enc: r.enc, win: r.win, cr: r.cr, header: r.header}
}

// CROnly reports whether the input has old-Mac line ends (a carriage
// return alone, no line feed in its first 64 KiB): they are read as line
// breaks, and a carriage return inside a quoted field as a line feed.
func (r *Reader) CROnly() bool { return r.cr }

// Line returns the physical line number of the next byte not read yet:
// after the last record of a part that ended at a line end, the first line
// of what follows.
func (r *Reader) Line() int { return r.line }

// Header returns the header names, trimmed and lower-cased, in file order.
// The slice is shared; do not modify it.
func (r *Reader) Header() []string { return r.header }

// Delimiter returns the detected delimiter, ',' or ';'.
func (r *Reader) Delimiter() byte { return r.delim }

// Encoding returns the detected encoding: [EncodingUTF8], [EncodingUTF8BOM]
// or [EncodingWindows1252].
func (r *Reader) Encoding() string { return r.enc }

// fill reads more input into buf, keeping buf[pos:end] (moved to the front).
func (r *Reader) fill() fillStatus {
	if r.rerr != nil {
		return fillErr
	}
	if r.eof {
		return fillEOF
	}
	if r.pos > 0 {
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
	}
	if r.end == len(r.buf) {
		if r.end >= r.maxRec {
			return fillFull
		}
		nb := make([]byte, min(2*len(r.buf), r.maxRec+8))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for range 100 {
		n, err := r.src.Read(r.buf[r.end:])
		if n < 0 || n > len(r.buf)-r.end {
			r.rerr = errors.New("invalid count from io.Reader")
			return fillErr
		}
		r.end += n
		if err != nil {
			if err == io.EOF {
				r.eof = true
			} else {
				r.rerr = err
			}
			if n > 0 {
				return fillOK
			}
			if r.eof {
				return fillEOF
			}
			return fillErr
		}
		if n > 0 {
			return fillOK
		}
	}
	r.rerr = io.ErrNoProgress
	return fillErr
}

func (r *Reader) readError() error {
	if r.fatal == nil {
		r.fatal = &ReadError{Line: r.line, Err: r.rerr}
	}
	return r.fatal
}

// skipEmpty consumes empty lines ("\n" or "\r\n", and a lone "\r" at the end
// of the input). It returns io.EOF at the end of the input.
func (r *Reader) skipEmpty() error {
	for {
		if r.pos >= r.end {
			switch r.fill() {
			case fillOK:
				continue
			case fillEOF:
				return io.EOF
			default:
				return r.readError()
			}
		}
		switch r.buf[r.pos] {
		case '\n':
			r.pos++
			r.line++
			continue
		case '\r':
			if r.pos+1 >= r.end {
				switch r.fill() {
				case fillOK:
					continue
				case fillEOF:
					r.pos++
					continue
				default:
					return r.readError()
				}
			}
			if r.buf[r.pos+1] == '\n' {
				r.pos += 2
				r.line++
				continue
			}
		}
		return nil
	}
}

// detectDelimiter counts ',' and ';' outside quotes in the first record.
func (r *Reader) detectDelimiter() error {
	commas, semis := 0, 0
	inQuote := false
	i := 0
scan:
	for {
		data := r.buf[r.pos:r.end]
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				inQuote = !inQuote
			case ',':
				if !inQuote {
					commas++
				}
			case ';':
				if !inQuote {
					semis++
				}
			case '\n':
				if !inQuote {
					break scan
				}
			}
		}
		switch r.fill() {
		case fillOK:
		case fillErr:
			return r.readError()
		default: // EOF or a header beyond the size limit: decide on what we saw
			break scan
		}
	}
	if semis > commas {
		r.delim = ';'
	}
	return nil
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// zeroBytes has the high bit set in (at least) every zero byte of y. It may
// also flag a 0x01 byte above a zero byte; callers check the byte itself.
func zeroBytes(y uint64) uint64 { return (y - lsb) &^ y & msb }

// Next returns the next record. At the end of the input it returns io.EOF.
// A malformed record gives a *RecordError (the record is consumed; call Next
// again for the next one); any other error is a fatal *ReadError.
func (r *Reader) Next() (Record, error) {
	if r.fatal != nil {
		return Record{}, r.fatal
	}
	if err := r.skipEmpty(); err != nil {
		return Record{}, err
	}
	startLine := r.line
	if rec, ok := r.line1(startLine); ok {
		return rec, nil
	}
	spans := r.spans[:0]
	delim := r.delim
	dpat := uint64(delim) * lsb
	const npat, qpat = uint64('\n') * lsb, uint64('"') * lsb
	var hi uint64 // OR of the bytes seen: tells whether to check the encoding
	nl := 0       // line breaks inside quoted fields
	data := r.buf[r.pos:r.end]
	fs, i := 0, 0 // start of the current field, scan position (relative to r.pos)
scan:
	for {
		for ; i+8 <= len(data); i += 8 {
			x := binary.LittleEndian.Uint64(data[i:])
			hi |= x
			m := zeroBytes(x^dpat) | zeroBytes(x^npat) | zeroBytes(x^qpat)
			for m != 0 {
				j := i + bits.TrailingZeros64(m)>>3
				m &= m - 1
				switch data[j] {
				case delim:
					spans = append(spans, span{fs, j})
					fs = j + 1
				case '\n':
					return r.lineEnd(spans, fs, j, nl, startLine, hi&msb != 0)
				case '"':
					r.spans = spans
					if j != fs {
						return r.recover(startLine, len(spans), ReasonBareQuote, j+1, nl, false, false)
					}
					next, rec, err, done := r.quoted(startLine, fs, &nl)
					if done {
						return rec, err
					}
					spans = r.spans
					data = r.buf[r.pos:r.end]
					hi |= msb
					fs, i = next, next
					continue scan
				}
			}
		}
		for ; i < len(data); i++ {
			c := data[i]
			hi |= uint64(c)
			switch c {
			case delim:
				spans = append(spans, span{fs, i})
				fs = i + 1
			case '\n':
				return r.lineEnd(spans, fs, i, nl, startLine, hi&msb != 0)
			case '"':
				r.spans = spans
				if i != fs {
					return r.recover(startLine, len(spans), ReasonBareQuote, i+1, nl, false, false)
				}
				next, rec, err, done := r.quoted(startLine, fs, &nl)
				if done {
					return rec, err
				}
				spans = r.spans
				data = r.buf[r.pos:r.end]
				hi |= msb
				fs, i = next, next
				continue scan
			}
		}
		switch r.fill() {
		case fillOK:
			data = r.buf[r.pos:r.end]
		case fillEOF:
			e := len(data)
			if e > fs && data[e-1] == '\r' {
				e--
			}
			r.spans = append(spans, span{fs, e})
			base := r.pos
			r.pos = r.end
			r.line += nl
			return r.finish(base, startLine, hi&msb != 0)
		case fillErr:
			return Record{}, r.readError()
		case fillFull:
			r.spans = spans
			return r.recover(startLine, len(spans), ReasonTooLong, i, nl, false, i == fs)
		}
	}
}

// lineEnd ends the record whose line end is at j (relative to r.pos; a
// '\r' before it is not part of the last field), whose last field starts
// at fs, after nl line ends inside quotes.
func (r *Reader) lineEnd(spans []span, fs, j, nl, startLine int, high bool) (Record, error) {
	e := j
	if e > fs && r.buf[r.pos+e-1] == '\r' {
		e--
	}
	r.spans = append(spans, span{fs, e})
	base := r.pos
	r.pos += j + 1
	r.line += 1 + nl
	return r.finish(base, startLine, high)
}

// line1 is the fast path: a record on one physical line, wholly in the
// buffer, without quotes. It reports false, having changed nothing, when the
// record is not of that kind.
func (r *Reader) line1(startLine int) (Record, bool) {
	data := r.buf[r.pos:r.end]
	k := bytes.IndexByte(data, '\n')
	if k < 0 {
		return Record{}, false
	}
	line := data[:k]
	if r.win && hasHigh(line) {
		// Decode the whole line first: delimiters and quotes are ASCII.
		line = r.transcode(line)
	}
	if bytes.IndexByte(line, '"') >= 0 {
		if !r.splitQuoted(line) {
			return Record{}, false
		}
		if !r.win && hasHigh(line) && !utf8.Valid(line) {
			r.decode()
		}
	} else {
		delim := r.delim
		dpat := uint64(delim) * lsb
		fields := r.fields[:0]
		var hi uint64 // bytes ≥ 0x80 seen?
		fs, i := 0, 0
		for ; i+8 <= len(line); i += 8 {
			x := binary.LittleEndian.Uint64(line[i:])
			hi |= x
			for m := eqBytes(x, dpat); m != 0; m &= m - 1 {
				j := i + bits.TrailingZeros64(m)>>3
				fields = append(fields, line[fs:j:j])
				fs = j + 1
			}
		}
		for ; i < len(line); i++ {
			c := line[i]
			hi |= uint64(c)
			if c == delim {
				fields = append(fields, line[fs:i:i])
				fs = i + 1
			}
		}
		e := len(line)
		if e > fs && line[e-1] == '\r' {
			e--
		}
		r.fields = append(fields, line[fs:e:e])
		if !r.win && hi&msb != 0 && !utf8.Valid(line) {
			r.decode()
		}
	}
	r.pos += k + 1
	r.line++
	return Record{Line: startLine, Fields: r.fields}, true
}

// hasHigh reports whether b holds a byte ≥ 0x80.
func hasHigh(b []byte) bool {
	var hi uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		hi |= binary.LittleEndian.Uint64(b[i:])
	}
	for ; i < len(b); i++ {
		hi |= uint64(b[i])
	}
	return hi&msb != 0
}

// splitQuoted splits a line (without its '\n') that holds quotes into
// r.fields, provided that every quoted field closes on the line, holds no
// doubled quote and is followed by a delimiter or the line end, and that no
// unquoted field holds a quote. Otherwise it reports false and the general
// parser takes over (nothing has been modified).
func (r *Reader) splitQuoted(line []byte) bool {
	fields := r.fields[:0]
	delim := r.delim
	fs := 0
	for {
		if fs < len(line) && line[fs] == '"' {
			q := bytes.IndexByte(line[fs+1:], '"')
			if q < 0 {
				return false
			}
			c := fs + 1 + q // closing quote
			field := line[fs+1 : c : c]
			n := c + 1
			switch {
			case n == len(line) || (n+1 == len(line) && line[n] == '\r'):
				r.fields = append(fields, field)
				return true
			case line[n] == delim:
				fields = append(fields, field)
				fs = n + 1
				continue
			}
			return false
		}
		i := fs
		for ; i < len(line) && line[i] != delim; i++ {
			if line[i] == '"' {
				return false
			}
		}
		if i == len(line) {
			e := len(line)
			if e > fs && line[e-1] == '\r' {
				e--
			}
			r.fields = append(fields, line[fs:e:e])
			return true
		}
		fields = append(fields, line[fs:i:i])
		fs = i + 1
	}
}

// transcode decodes a Windows-1252 line into r.dec and returns it.
func (r *Reader) transcode(line []byte) []byte {
	if cap(r.dec) < 3*len(line) {
		r.dec = make([]byte, 3*len(line))
	}
	dec := r.dec[:cap(r.dec)]
	tab := r.table()
	w := 0
	for i := 0; i < len(line); {
		if i+8 <= len(line) {
			if x := binary.LittleEndian.Uint64(line[i:]); x&msb == 0 {
				binary.LittleEndian.PutUint64(dec[w:], x)
				w += 8
				i += 8
				continue
			}
		}
		c := line[i]
		i++
		if c < utf8.RuneSelf {
			dec[w] = c
			w++
			continue
		}
		e := &tab[c-128]
		dec[w], dec[w+1], dec[w+2] = e[0], e[1], e[2]
		w += int(e[3])
	}
	return dec[:w]
}

// table returns the Windows-1252 table, building it on first use.
func (r *Reader) table() *cp1252 {
	if r.tab == nil {
		r.tab = new(cp1252)
		for c := range 128 {
			n := utf8.EncodeRune(r.tab[c][:3], charmap.Windows1252.DecodeByte(byte(c+128)))
			r.tab[c][3] = byte(n)
		}
	}
	return r.tab
}

// eqBytes has the high bit set in exactly the bytes of x equal to the byte
// repeated in pat.
func eqBytes(x, pat uint64) uint64 {
	y := x ^ pat
	return msb &^ (((y &^ msb) + (lsb * 0x7f)) | y)
}

// quoted parses the quoted field that starts at relative offset fs (where
// there is a '"') and what follows it, unescaping the content in place and
// appending its span to r.spans. If a delimiter follows, it returns the start
// of the next field and done false. Otherwise the record is over (a line
// end, the end of the input, a malformed record or a read error): done is
// true and rec, err are what Next returns. *nl counts line breaks inside
// quoted fields.
func (r *Reader) quoted(startLine, fs int, nl *int) (next int, rec Record, err error, done bool) {
	data := r.buf[r.pos:r.end]
	more := func() fillStatus {
		st := r.fill()
		data = r.buf[r.pos:r.end]
		return st
	}
	// end ends the record: the input is consumed up to relative offset n.
	end := func(n int, lineEnd bool) (int, Record, error, bool) {
		base := r.pos
		r.pos += n
		r.line += *nl
		if lineEnd {
			r.line++
		}
		rec, err := r.finish(base, startLine, true)
		return 0, rec, err, true
	}
	fail := func(rec Record, err error) (int, Record, error, bool) { return 0, rec, err, true }
	field := len(r.spans)
	w := fs // content is written back from fs on
	i := fs + 1
	for {
		k := bytes.IndexByte(data[i:], '"')
		if k < 0 {
			// Copy what we have; a final '\r' that turns out to start a
			// CRLF is dropped by unquote when the '\n' arrives.
			e := len(data)
			w, *nl = unquote(data, fs, w, i, e, *nl)
			i = e
			switch more() {
			case fillOK:
				continue
			case fillEOF:
				return fail(r.unterminated(startLine, field))
			case fillErr:
				return fail(Record{}, r.readError())
			default:
				return fail(r.recover(startLine, field, ReasonTooLong, i, *nl, true, false))
			}
		}
		k += i
		w, *nl = unquote(data, fs, w, i, k, *nl)
		i = k
		if k+1 >= len(data) {
			switch more() {
			case fillOK:
				continue // look at the same quote again
			case fillEOF:
				// Closing quote at the very end of the input.
				r.spans = append(r.spans, span{fs, w})
				return end(len(data), false)
			case fillErr:
				return fail(Record{}, r.readError())
			default:
				return fail(r.recover(startLine, field, ReasonTooLong, i, *nl, true, false))
			}
		}
		if data[k+1] == '"' {
			data[w] = '"'
			w++
			i = k + 2
			continue
		}
		i = k + 1
		break
	}
	r.spans = append(r.spans, span{fs, w})
	// After the closing quote: a delimiter, a line end or the end of input.
	for {
		if i >= len(data) {
			switch more() {
			case fillOK:
				continue
			case fillEOF:
				return end(len(data), false)
			case fillErr:
				return fail(Record{}, r.readError())
			default:
				return fail(r.recover(startLine, field, ReasonTooLong, i, *nl, false, false))
			}
		}
		switch data[i] {
		case r.delim:
			return i + 1, Record{}, nil, false
		case '\n':
			return end(i+1, true)
		case '\r':
			if i+1 >= len(data) {
				switch more() {
				case fillOK:
					continue
				case fillEOF:
					return end(len(data), false)
				case fillErr:
					return fail(Record{}, r.readError())
				default:
					return fail(r.recover(startLine, field, ReasonTooLong, i, *nl, false, false))
				}
			}
			if data[i+1] == '\n' {
				return end(i+2, true)
			}
		}
		return fail(r.recover(startLine, field, ReasonAfterQuote, i, *nl, false, false))
	}
}

// unquote moves quoted content data[from:to] down to data[w:], turning CRLF
// into LF and counting line breaks. fs is where the field's content starts.
func unquote(data []byte, fs, w, from, to, nl int) (int, int) {
	for from < to {
		k := bytes.IndexByte(data[from:to], '\n')
		if k < 0 {
			if w != from {
				copy(data[w:], data[from:to])
			}
			return w + to - from, nl
		}
		if w != from {
			copy(data[w:], data[from:from+k])
		}
		w += k
		if w > fs && data[w-1] == '\r' {
			w--
		}
		data[w] = '\n'
		w++
		nl++
		from += k + 1
	}
	return w, nl
}

// unterminated reports a quoted field open at the end of the input; the
// whole rest of the input is consumed.
func (r *Reader) unterminated(startLine, field int) (Record, error) {
	r.pos = r.end
	return Record{Line: startLine}, &RecordError{Line: startLine, Field: field, Reason: ReasonUnterminated}
}

// recover skips the rest of a malformed record from relative offset i,
// without keeping it in memory, and reports it. nl is the number of line
// breaks already passed inside the record; inQuote and atStart give the
// lenient scanner's state at i.
func (r *Reader) recover(startLine, field int, reason string, i, nl int, inQuote, atStart bool) (Record, error) {
	r.pos += i
	r.line += nl
	delim := r.delim
	for {
		data := r.buf[r.pos:r.end]
		j := 0
		nlAt := -1 // the first line end at or after j outside quotes, when not below j
		for j < len(data) {
			if inQuote {
				k := bytes.IndexByte(data[j:], '"')
				if k < 0 {
					r.line += bytes.Count(data[j:], []byte{'\n'})
					j = len(data)
					break
				}
				r.line += bytes.Count(data[j:j+k], []byte{'\n'})
				j += k
				if j+1 >= len(data) {
					break // decide with more data
				}
				if data[j+1] == '"' {
					j += 2
					continue
				}
				inQuote, atStart = false, false
				j++
				continue
			}
			// Outside quotes: up to the line end, only a quote at the start
			// of a field (after a delimiter) changes the state. Whole runs
			// are scanned at once, so that a 1 GB line takes one pass; the
			// line end found is kept until a quoted field runs past it.
			if nlAt < j {
				nlAt = len(data)
				if k := bytes.IndexByte(data[j:], '\n'); k >= 0 {
					nlAt = j + k
				}
			}
			for {
				q := bytes.IndexByte(data[j:nlAt], '"')
				if q < 0 {
					if nlAt > j {
						atStart = data[nlAt-1] == delim
					}
					j = nlAt
					break
				}
				q += j
				opens := (q == j && atStart) || (q > j && data[q-1] == delim)
				j = q + 1
				atStart = false
				if opens {
					inQuote = true
					break
				}
			}
			if !inQuote && j < len(data) {
				// data[j] is the line end.
				r.line++
				r.pos += j + 1
				return Record{Line: startLine}, &RecordError{Line: startLine, Field: field, Reason: reason}
			}
		}
		r.pos += j
		switch r.fill() {
		case fillOK:
		case fillErr:
			return Record{}, r.readError()
		default: // EOF (fillFull cannot happen: at most one byte is kept)
			if inQuote && r.pos < r.end {
				// A final quote with nothing after it closes the field.
				inQuote = false
			}
			r.pos = r.end
			if inQuote && reason == ReasonTooLong {
				reason = ReasonUnterminated
			}
			return Record{Line: startLine}, &RecordError{Line: startLine, Field: field, Reason: reason}
		}
	}
}

// finish builds the fields of the record that started at buf[base] and, if
// it may hold non-ASCII bytes, decodes Windows-1252 where needed.
func (r *Reader) finish(base, startLine int, check bool) (Record, error) {
	data := r.buf[base:]
	r.fields = r.fields[:0]
	for _, s := range r.spans {
		r.fields = append(r.fields, data[s.start:s.end:s.end])
	}
	if check {
		r.decode()
	}
	return Record{Line: startLine, Fields: r.fields}, nil
}

// decode rewrites, into r.dec, the fields that are Windows-1252: in a
// Windows-1252 file every field with a byte ≥ 0x80, in a UTF-8 file every
// field that is not valid UTF-8.
func (r *Reader) decode() {
	need := 0
	for _, f := range r.fields {
		need += len(f)
	}
	need *= 3 // a Windows-1252 byte is at most 3 bytes of UTF-8
	if cap(r.dec) < need {
		r.dec = make([]byte, need)
	}
	dec := r.dec[:cap(r.dec)]
	w := 0
	for k, f := range r.fields {
		h := 0
		for h < len(f) && f[h] < utf8.RuneSelf {
			h++
		}
		if h == len(f) || (!r.win && utf8.Valid(f[h:])) {
			continue
		}
		tab := r.table()
		start := w
		w += copy(dec[w:], f[:h])
		for _, c := range f[h:] {
			if c < utf8.RuneSelf {
				dec[w] = c
				w++
				continue
			}
			e := &tab[c-128]
			dec[w], dec[w+1], dec[w+2] = e[0], e[1], e[2]
			w += int(e[3])
		}
		r.fields[k] = dec[start:w:w]
	}
}

// cp1252 holds the UTF-8 form of the Windows-1252 bytes 0x80–0xFF: up to
// three bytes and, last, their number.
type cp1252 [128][4]byte

// sepDirective recognises Excel's optional first line "sep=;" (or "sep=,"),
// case-insensitive, ended by LF or CRLF. It returns the delimiter and the
// length of the line including its end.
func sepDirective(b []byte) (byte, int, bool) {
	if len(b) < 6 || !bytes.EqualFold(b[:4], []byte("sep=")) || (b[4] != ',' && b[4] != ';') {
		return 0, 0, false
	}
	switch {
	case b[5] == '\n':
		return b[4], 6, true
	case b[5] == '\r' && len(b) > 6 && b[6] == '\n':
		return b[4], 7, true
	}
	return 0, 0, false
}
