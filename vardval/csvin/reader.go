package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
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
