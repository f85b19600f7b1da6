package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// item is one result of Next: a record or a malformed-record error.
type item struct {
	Line   int
	Fields []string
	Err    *RecordError
}

type result struct {
	Header    []string
	Delim     string
	Encoding  string
	Items     []item
	HeaderErr error
}

// readAll reads all of input with a reader of the given buffer size
// (0 = default) fed through wrap.
func readAll(t testing.TB, input []byte, bufSize, maxRecord int, wrap func(io.Reader) io.Reader) result {
	t.Helper()
	if bufSize == 0 {
		bufSize = defaultBufSize
	}
	if maxRecord == 0 {
		maxRecord = MaxRecordSize
	}
	var src io.Reader = bytes.NewReader(input)
	if wrap != nil {
		src = wrap(src)
	}
	rd, err := newReader(src, bufSize, maxRecord)
	if err != nil {
		return result{HeaderErr: err}
	}
	res := result{Header: rd.Header(), Delim: string(rd.Delimiter()), Encoding: rd.Encoding()}
	prev := 0
	for n := 0; ; n++ {
		if n > len(input)+1 {
			t.Fatalf("more records than bytes: Next does not make progress")
		}
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		var re *RecordError
		if errors.As(err, &re) {
			if re.Line <= prev {
				t.Fatalf("line numbers not increasing: %d after %d", re.Line, prev)
			}
			prev = re.Line
			res.Items = append(res.Items, item{Line: re.Line, Err: re})
			continue
		}
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		if rec.Line <= prev {
			t.Fatalf("line numbers not increasing: %d after %d", rec.Line, prev)
		}
		prev = rec.Line
		it := item{Line: rec.Line, Fields: []string{}}
		for _, f := range rec.Fields {
			it.Fields = append(it.Fields, string(f))
		}
		res.Items = append(res.Items, it)
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("Next after EOF = %v, want io.EOF", err)
	}
	return res
}

func rec(line int, fields ...string) item {
	if fields == nil {
		fields = []string{}
	}
	return item{Line: line, Fields: fields}
}

func bad(line, field int, reason string) item {
	return item{Line: line, Err: &RecordError{Line: line, Field: field, Reason: reason}}
}

// readers are the ways each table input is fed: buffer sizes that force
// refills at every possible position, and short reads.
var readers = []struct {
	name    string
	bufSize int
	wrap    func(io.Reader) io.Reader
}{
	{"default", 0, nil},
	{"buf8", 8, nil},
	{"buf13", 13, nil},
	{"buf64-onebyte", 64, iotest.OneByteReader},
	{"half", 0, iotest.HalfReader},
	{"dataerr", 0, iotest.DataErrReader},
}

func TestReader(t *testing.T) {
	long := strings.Repeat("x", 70<<10) // beyond the 64 KiB sniff
	tests := []struct {
		name      string
		in        string
		header    []string
		delim     string
		enc       string // checked with the default buffer only
		items     []item
		maxRecord int
	}{
		{name: "lf", in: "a,b\n1,2\n3,4\n", header: []string{"a", "b"}, delim: ",", enc: EncodingUTF8,
			items: []item{rec(2, "1", "2"), rec(3, "3", "4")}},
		{name: "no final newline", in: "a,b\n1,2\n3,4", header: []string{"a", "b"}, delim: ",", enc: EncodingUTF8,
			items: []item{rec(2, "1", "2"), rec(3, "3", "4")}},
		{name: "crlf", in: "a,b\r\n1,2\r\n3,4\r\n", header: []string{"a", "b"}, delim: ",", enc: EncodingUTF8,
			items: []item{rec(2, "1", "2"), rec(3, "3", "4")}},
		{name: "crlf no final newline, final cr", in: "a,b\r\n1,2\r", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "1", "2")}},
		{name: "header only", in: "a,b\n", header: []string{"a", "b"}, delim: ","},
		{name: "header only without newline", in: "a;b", header: []string{"a", "b"}, delim: ";"},
		{name: "semicolon with decimal comma", in: "a;b;c\n1,5;2;x\n", header: []string{"a", "b", "c"}, delim: ";",
			items: []item{rec(2, "1,5", "2", "x")}},
		{name: "semicolon wins over quoted commas", in: "\"x,y,z\";b;c\n1;2;3\n", header: []string{"x,y,z", "b", "c"}, delim: ";",
			items: []item{rec(2, "1", "2", "3")}},
		{name: "tie means comma", in: "a;b,c\n1;2,3\n", header: []string{"a;b", "c"}, delim: ",",
			items: []item{rec(2, "1;2", "3")}},
		{name: "single column", in: "a\n1\n", header: []string{"a"}, delim: ",", items: []item{rec(2, "1")}},
		{name: "header trimmed and lower-cased", in: " Person_ID ;UNIT_ID\t;Från\n1;2;3\n",
			header: []string{"person_id", "unit_id", "från"}, delim: ";", items: []item{rec(2, "1", "2", "3")}},
		{name: "bom", in: "\xEF\xBB\xBFa,b\n1,å\n", header: []string{"a", "b"}, delim: ",", enc: EncodingUTF8BOM,
			items: []item{rec(2, "1", "å")}},
		{name: "windows-1252", in: "F\xF6rnamn;Ort\nJ\xF6nk\xF6ping;\xC5re \xE4r \x80\n", header: []string{"förnamn", "ort"},
			delim: ";", enc: EncodingWindows1252, items: []item{rec(2, "Jönköping", "Åre är €")}},
		{name: "windows-1252 å ä ö", in: "a;b;c\n\xE5;\xE4;\xF6\n\xC5;\xC4;\xD6\n", header: []string{"a", "b", "c"}, delim: ";",
			enc: EncodingWindows1252, items: []item{rec(2, "å", "ä", "ö"), rec(3, "Å", "Ä", "Ö")}},
		{name: "utf-8 file with a late windows-1252 field", in: "a,b\n" + long + ",å\n\xE5,\xC3\xA5\n",
			header: []string{"a", "b"}, delim: ",", enc: EncodingUTF8,
			items: []item{rec(2, long, "å"), rec(3, "å", "å")}},
		{name: "windows-1252 quoted", in: "a;b\n\"\xE5;x\";\xE4\n\"\xF6\"\"\";1\n\"\xC4\n\xD6\";2\n",
			header: []string{"a", "b"}, delim: ";", enc: EncodingWindows1252,
			items: []item{rec(2, "å;x", "ä"), rec(3, "ö\"", "1"), rec(4, "Ä\nÖ", "2")}},
		{name: "late windows-1252 in quoted fields", in: "a,b\n" + long + ",1\n\"\xE5,x\",\xC3\xA5\n\"\xE4\"\"\",\"\xC3\xA4\n\"\n",
			header: []string{"a", "b"}, delim: ",", enc: EncodingUTF8,
			items: []item{rec(2, long, "1"), rec(3, "å,x", "å"), rec(4, "ä\"", "ä\n")}},
		{name: "quoted newline keeps line numbers", in: "a,b\n\"x\ny\",1\n2,3\n\"p\n\nq\",\"r\ns\"\n4,5\n",
			header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "x\ny", "1"), rec(4, "2", "3"), rec(5, "p\n\nq", "r\ns"), rec(9, "4", "5")}},
		{name: "quoted crlf becomes lf, lone cr kept", in: "a,b\r\n\"x\r\ny\",\"p\rq\"\r\n2,3\r\n",
			header: []string{"a", "b"}, delim: ",", items: []item{rec(2, "x\ny", "p\rq"), rec(4, "2", "3")}},
		{name: "quoted cr before crlf", in: "a\n\"x\r\r\ny\"\n", header: []string{"a"}, delim: ",",
			items: []item{rec(2, "x\r\ny")}},
		{name: "doubled quotes", in: "a,b\n\"he said \"\"hi\"\"\",\"\"\"\"\n", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, `he said "hi"`, `"`)}},
		{name: "quoted delimiters", in: "a;b\n\"1;2\";\"x,y\"\n", header: []string{"a", "b"}, delim: ";",
			items: []item{rec(2, "1;2", "x,y")}},
		{name: "empty quoted fields", in: "a,b\n\"\",\"\"\n\"\"\n", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "", ""), rec(3, "")}},
		{name: "quoted then unquoted", in: "a,b,c\n\"x\",y,\"z\"\n", header: []string{"a", "b", "c"}, delim: ",",
			items: []item{rec(2, "x", "y", "z")}},
		{name: "quoted field at end of input", in: "a\n\"x\"", header: []string{"a"}, delim: ",",
			items: []item{rec(2, "x")}},
		{name: "quoted field then cr at end of input", in: "a\n\"x\"\r", header: []string{"a"}, delim: ",",
			items: []item{rec(2, "x")}},
		{name: "empty lines skipped", in: "a,b\n\n1,2\n\r\n\n3,4\n\n\r\n", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(3, "1", "2"), rec(6, "3", "4")}},
		{name: "empty lines before header", in: "\n\r\na,b\n1,2\n", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(4, "1", "2")}},
		{name: "only delimiters is a record", in: "a;b;c\n;;\n", header: []string{"a", "b", "c"}, delim: ";",
			items: []item{rec(2, "", "", "")}},
		{name: "trailing delimiter", in: "a,b\n1,\n2,", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "1", ""), rec(3, "2", "")}},
		{name: "trailing delimiter after quoted", in: "a,b\n\"1\",\n\"2\",", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "1", ""), rec(3, "2", "")}},
		{name: "lone cr in unquoted field", in: "a\nx\ry\n\rz\n", header: []string{"a"}, delim: ",",
			items: []item{rec(2, "x\ry"), rec(3, "\rz")}},
		{name: "field count may differ", in: "a,b\n1\n1,2,3\n", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "1"), rec(3, "1", "2", "3")}},
		{name: "bare quote", in: "a,b\n1,x\"y\n2,3\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 1, ReasonBareQuote), rec(3, "2", "3")}},
		{name: "bare quote after a quoted field", in: "a,b,c\n\"x\",y\"z,w\n1,2,3\n", header: []string{"a", "b", "c"}, delim: ",",
			items: []item{bad(2, 1, ReasonBareQuote), rec(3, "1", "2", "3")}},
		{name: "bare quote then a quoted newline", in: "a,b\nx\"y,\"p\nq\"\n1,2\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 0, ReasonBareQuote), rec(4, "1", "2")}},
		{name: "leading space then quote is a bare quote", in: "a\n \"x\"\n1\n", header: []string{"a"}, delim: ",",
			items: []item{bad(2, 0, ReasonBareQuote), rec(3, "1")}},
		{name: "text after closing quote", in: "a,b\n\"x\"y,1\n2,3\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 0, ReasonAfterQuote), rec(3, "2", "3")}},
		{name: "text after closing quote in last field", in: "a,b\n1,\"x\" \n2,3\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 1, ReasonAfterQuote), rec(3, "2", "3")}},
		{name: "cr then text after closing quote", in: "a\n\"x\"\ry\n2\n", header: []string{"a"}, delim: ",",
			items: []item{bad(2, 0, ReasonAfterQuote), rec(3, "2")}},
		{name: "text after closing quote, then quoted newline", in: "a,b\n\"x\"y,\"p\nq\"\n2,3\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 0, ReasonAfterQuote), rec(4, "2", "3")}},
		{name: "text after quote spanning lines", in: "a,b\n\"x\ny\"z,1\n2,3\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 0, ReasonAfterQuote), rec(4, "2", "3")}},
		{name: "several errors in a row", in: "a\nx\"\n\"y\"z\n\"ok\"\n", header: []string{"a"}, delim: ",",
			items: []item{bad(2, 0, ReasonBareQuote), bad(3, 0, ReasonAfterQuote), rec(4, "ok")}},
		{name: "unterminated quote swallows the rest", in: "a,b\n1,2\n\"open,3\n4,5\n6,7\n", header: []string{"a", "b"}, delim: ",",
			items: []item{rec(2, "1", "2"), bad(3, 0, ReasonUnterminated)}},
		{name: "unterminated quote in second field", in: "a,b\n1,\"x\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 1, ReasonUnterminated)}},
		{name: "unterminated after escaped quotes", in: "a\n\"x\"\"", header: []string{"a"}, delim: ",",
			items: []item{bad(2, 0, ReasonUnterminated)}},
		{name: "bare quote, then unclosed quote: one error", in: "a,b\nx\"y,\"p\n1,2\n", header: []string{"a", "b"}, delim: ",",
			items: []item{bad(2, 0, ReasonBareQuote)}},
		{name: "record too long", in: "a,b\n" + strings.Repeat("x", 100) + ",1\n2,3\n", maxRecord: 32,
			header: []string{"a", "b"}, delim: ",", items: []item{bad(2, 0, ReasonTooLong), rec(3, "2", "3")}},
		{name: "record too long in second field", in: "a,b\n1," + strings.Repeat("x", 100) + "\n2,3\n", maxRecord: 32,
			header: []string{"a", "b"}, delim: ",", items: []item{bad(2, 1, ReasonTooLong), rec(3, "2", "3")}},
		{name: "quoted record too long but closed", in: "a,b\n\"" + strings.Repeat("x\n", 50) + "\",1\n2,3\n", maxRecord: 32,
			header: []string{"a", "b"}, delim: ",", items: []item{bad(2, 0, ReasonTooLong), rec(53, "2", "3")}},
		{name: "quoted record too long, never closed", in: "a,b\n\"" + strings.Repeat("x\n", 50), maxRecord: 32,
			header: []string{"a", "b"}, delim: ",", items: []item{bad(2, 0, ReasonUnterminated)}},
	}
	for _, tt := range tests {
		for _, rd := range readers {
			if tt.maxRecord != 0 && rd.bufSize == 0 {
				continue // the limit only bites below the default buffer size
			}
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				got := readAll(t, []byte(tt.in), rd.bufSize, tt.maxRecord, rd.wrap)
				if got.HeaderErr != nil {
					t.Fatalf("NewReader: %v", got.HeaderErr)
				}
				want := result{Header: tt.header, Delim: tt.delim, Encoding: got.Encoding, Items: tt.items}
				if rd.bufSize == 0 && tt.enc != "" {
					want.Encoding = tt.enc
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestNewReaderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", &HeaderError{Reason: "no header line"}},
		{"only empty lines", "\n\r\n\n", &HeaderError{Reason: "no header line"}},
		{"only a bom", "\xEF\xBB\xBF", &HeaderError{Reason: "no header line"}},
		{"utf-16le", "\xFF\xFEa\x00,\x00b\x00\n\x00", &HeaderError{Reason: ReasonUTF16}},
		{"utf-16be", "\xFE\xFF\x00a\x00,\x00b\x00\n", &HeaderError{Reason: ReasonUTF16}},
		{"utf-16le without bom", "a\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00", &HeaderError{Reason: ReasonUTF16}},
		{"utf-16be without bom", "\x00a\x00,\x00b\x00\n\x001\x00,\x00\xE5\x00\n", &HeaderError{Reason: ReasonUTF16}},
		{"utf-16le without bom, one letter", "a\x00", &HeaderError{Reason: ReasonUTF16}},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", &HeaderError{Reason: ReasonWorkbook}},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", &HeaderError{Reason: ReasonWorkbook}},
		{"bare quote in header", "a,b\"c\n1,2\n", &RecordError{Line: 1, Field: 1, Reason: ReasonBareQuote}},
		{"unterminated header", "\"a,b\n1,2\n", &RecordError{Line: 1, Field: 0, Reason: ReasonUnterminated}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tt.in))
			if diff := cmp.Diff(tt.want, err); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewReaderErrorText: a HeaderError's text is its reason, without a
// prefix that a caller's own ("cannot read header: header: …") would double.
func TestNewReaderErrorText(t *testing.T) {
	_, err := NewReader(strings.NewReader(""))
	if err == nil || err.Error() != ReasonNoHeader {
		t.Errorf("error %v, want %q", err, ReasonNoHeader)
	}
}

// TestNULBytesNotUTF16: a few NUL bytes in a CSV file are data, not UTF-16.
func TestNULBytesNotUTF16(t *testing.T) {
	rd, err := NewReader(strings.NewReader("a,b\n1\x00,2\n\x00\x00,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := rd.Next(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCROnlyLineEnds: old-Mac line ends (CR alone) are read as line
// breaks, in every buffer size and in a continuation.
func TestCROnlyLineEnds(t *testing.T) {
	in := "a,b\r1,2\r\r\"x\ry\",3\r4,\"\"\r"
	want := []item{rec(2, "1", "2"), rec(4, "x\ny", "3"), rec(6, "4", "")}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			got := readAll(t, []byte(in), rd.bufSize, 0, rd.wrap)
			if got.HeaderErr != nil {
				t.Fatal(got.HeaderErr)
			}
			if diff := cmp.Diff(result{Header: []string{"a", "b"}, Delim: ",", Encoding: got.Encoding, Items: want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	r, err := NewReader(strings.NewReader(in))
	if err != nil || !r.CROnly() {
		t.Fatalf("CROnly = false, %v", err)
	}
	c := r.Continue(strings.NewReader("5,6\r7,8\r"))
	for i, want := range []string{"5", "7"} {
		rec, err := c.Next()
		if err != nil || string(rec.Fields[0]) != want || rec.Line != i+1 {
			t.Errorf("continuation record %d: %v %v", i, rec, err)
		}
	}
	// CRLF and LF files are not taken for old-Mac ones.
	for _, in := range []string{"a,b\r\n1,2\r\n", "a,b\n1,\"x\ry\"\n", "a\r"} {
		r, err := NewReader(strings.NewReader(in))
		if err != nil || (r.CROnly() && in != "a\r") {
			t.Errorf("%q: CROnly %v, %v", in, r != nil && r.CROnly(), err)
		}
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	src := io.MultiReader(strings.NewReader("a,b\n1,2\n3,"), iotest.ErrReader(boom))
	rd, err := newReader(src, 8, MaxRecordSize)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := rd.Next()
	if err != nil || r1.Line != 2 {
		t.Fatalf("first record: %v %v", r1, err)
	}
	for range 2 { // sticky
		_, err = rd.Next()
		var re *ReadError
		if !errors.As(err, &re) || !errors.Is(err, boom) || re.Line != 3 {
			t.Fatalf("got %v, want a *ReadError at line 3 wrapping the cause", err)
		}
	}
	// A reader that never makes progress.
	_, err = NewReader(zeroReader{})
	if !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("got %v, want io.ErrNoProgress", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestRecordErrorMessage(t *testing.T) {
	err := &RecordError{Line: 12, Field: 3, Reason: ReasonBareQuote}
	if got, want := err.Error(), "line 12: field 3: bare quote in unquoted field"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestFieldsValidUntilNext documents the aliasing contract and checks that a
// caller appending to a field cannot overwrite the next one.
func TestFieldsValidUntilNext(t *testing.T) {
	rd, err := NewReader(strings.NewReader("a,b\nxy,zw\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	_ = append(r.Fields[0], '!')
	if string(r.Fields[1]) != "zw" {
		t.Errorf("append to a field changed the next: %q", r.Fields[1])
	}
}

func TestSniffUTF8(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		atEOF bool
		want  bool
	}{
		{"abc", 64, true, true},
		{"ab\xC3\xA5", 64, true, true},
		{"ab\xC3", 64, false, true}, // cut in the middle of å, more to come
		{"ab\xC3", 64, true, false},
		{"ab\xE2\x82", 64, false, true},  // cut in the middle of €
		{"ab\xE5x", 64, false, false},    // Windows-1252 å
		{"ab\xE5x", 2, false, true},      // beyond the limit
		{"a\xE2\x82\xAC", 2, true, true}, // € starts before the limit
		{"a\xE2\x82x", 2, true, false},
		{"\xE5b", 64, false, false},
	}
	for _, tt := range tests {
		if got := sniffUTF8([]byte(tt.in), tt.limit, tt.atEOF); got != tt.want {
			t.Errorf("sniffUTF8(%q, %d, %v) = %v, want %v", tt.in, tt.limit, tt.atEOF, got, tt.want)
		}
	}
}

// repeatReader streams head and then unit n times, without holding the
// whole input in memory.
type repeatReader struct {
	head, unit []byte
	n          int
	off        int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	w := 0
	for w < len(p) {
		if len(r.head) > 0 {
			k := copy(p[w:], r.head)
			r.head = r.head[k:]
			w += k
			continue
		}
		if r.n == 0 {
			if w == 0 {
				return 0, io.EOF
			}
			break
		}
		k := copy(p[w:], r.unit[r.off:])
		w += k
		if r.off += k; r.off == len(r.unit) {
			r.off = 0
			r.n--
		}
	}
	return w, nil
}

// TestMemoryBounded streams inputs larger than the buffer: short records keep
// the buffer at its initial size, and an unclosed quote running over megabytes
// is reported once without the buffer growing past MaxRecordSize.
func TestMemoryBounded(t *testing.T) {
	rd, err := NewReader(&repeatReader{head: []byte("a,b\n"), unit: []byte("12345,\"x\ny\"\n"), n: 400_000}) // 4.8 MB
	if err != nil {
		t.Fatal(err)
	}
	n, last := 0, 0
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		last = rec.Line
	}
	if n != 400_000 || last != 2+2*(400_000-1) {
		t.Errorf("read %d records, last at line %d", n, last)
	}
	if len(rd.buf) != defaultBufSize {
		t.Errorf("buffer grew to %d bytes", len(rd.buf))
	}

	rd, err = NewReader(&repeatReader{head: []byte("a,b\n1,\"open\n"), unit: []byte("abc,def\n"), n: 1 << 20}) // 8 MB
	if err != nil {
		t.Fatal(err)
	}
	_, err = rd.Next()
	want := &RecordError{Line: 2, Field: 1, Reason: ReasonUnterminated}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Errorf("after the unclosed quote: %v, want io.EOF", err)
	}
	if len(rd.buf) > MaxRecordSize+8 {
		t.Errorf("buffer grew to %d bytes", len(rd.buf))
	}
}

// A file read in two parts, the second through Continue from a line
// boundary, gives the same records as read whole, with the second part's
// lines offset by the first part's Line.
func TestContinueMatchesWholeFile(t *testing.T) {
	for _, src := range []string{
		"a;b;c\r\n1;x;2\r\n3;y;4\r\n5;\xe5;6\r\n7;z;8\r\n",
		"\xef\xbb\xbfa,b\n1,2\n\n3,4\n5,6\n7,8\n9,10",
		"sep=;\na;b\n1;2\n3;4\n5;6\n",
	} {
		whole, err := NewReader(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		want := lineRecords(t, whole, 0)
		// Split after every line end past the header.
		for cut := strings.Index(src, "\n") + 1; cut < len(src); cut++ {
			if src[cut-1] != '\n' {
				continue
			}
			first, err := NewReader(strings.NewReader(src[:cut]))
			if err != nil {
				continue // the cut leaves no header
			}
			got := lineRecords(t, first, 0)
			base := first.Line() - 1
			got = append(got, lineRecords(t, first.Continue(strings.NewReader(src[cut:])), base)...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%q cut at %d (-whole +parts):\n%s", src, cut, diff)
			}
		}
	}
}

// lineRecords reads rd to its end and returns each record as its line (plus
// base) and fields.
func lineRecords(t *testing.T, rd *Reader, base int) []string {
	t.Helper()
	var out []string
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(rec.Line+base, rec.Fields))
	}
}
