package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"golang.org/x/text/encoding/charmap"
)

// bufSizes used by the properties: tiny ones move every refill boundary
// across every construct.
var bufSizes = []int{8, 9, 16, 31, 64, 4096, 0}

type table struct {
	Delim   rune
	CRLF    bool
	Enc     string // how the written file is encoded
	BufSize int
	Header  []string
	Rows    [][]string
}

// genTable generates tables whose cells mix letters, non-ASCII, quotes,
// both delimiters, spaces and line breaks.
func genTable() gopter.Gen {
	cell := gen.SliceOf(gen.OneConstOf('a', 'b', 'Z', '1', ' ', '"', ',', ';', '\n', 'å', 'é', '-')).
		Map(func(rs []rune) string { return string(rs) })
	return gopter.CombineGens(
		gen.OneConstOf(',', ';'),
		gen.Bool(),
		gen.IntRange(0, len(bufSizes)-1),
		gen.IntRange(1, 5),
		gen.SliceOf(cell),
		gen.OneConstOf(EncodingUTF8, EncodingUTF8BOM, EncodingWindows1252),
	).Map(func(v []any) table {
		cols := v[3].(int) + 1 // at least two columns: a row of one empty cell would be an empty line
		cells := v[4].([]string)
		t := table{Delim: v[0].(rune), CRLF: v[1].(bool), BufSize: bufSizes[v[2].(int)], Enc: v[5].(string)}
		for c := range cols {
			t.Header = append(t.Header, "col"+string(rune('a'+c)))
		}
		for len(cells) >= cols {
			t.Rows = append(t.Rows, cells[:cols])
			cells = cells[cols:]
		}
		return t
	})
}

// TestRoundTripEncodingCSVWriter: whatever encoding/csv writes (either
// delimiter, LF or CRLF), saved as UTF-8, UTF-8 with BOM or Windows-1252,
// the Reader reads back the same fields, each record starting at the
// physical line the writer put it on.
func TestRoundTripEncodingCSVWriter(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 500
	params.Rng.Seed(7)
	props := gopter.NewProperties(params)
	props.Property("write with encoding/csv, read back the same", prop.ForAll(func(tb table) string {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = tb.Delim
		w.UseCRLF = tb.CRLF
		if err := w.Write(tb.Header); err != nil {
			return err.Error()
		}
		if err := w.WriteAll(tb.Rows); err != nil {
			return err.Error()
		}
		input := buf.Bytes()
		wantEnc := tb.Enc
		switch tb.Enc {
		case EncodingUTF8BOM:
			input = append([]byte("\xEF\xBB\xBF"), input...)
		case EncodingWindows1252:
			var err error
			if input, err = charmap.Windows1252.NewEncoder().Bytes(input); err != nil {
				return err.Error()
			}
			if !hasHigh(input) || tb.BufSize != 0 {
				wantEnc = "" // pure ASCII is UTF-8; a small sniff may see only ASCII
			}
		}
		got := readAll(t, input, tb.BufSize, 0, nil)
		if got.HeaderErr != nil {
			return "NewReader: " + got.HeaderErr.Error()
		}
		if wantEnc == "" {
			wantEnc = got.Encoding
		}
		want := result{Header: tb.Header, Delim: string(tb.Delim), Encoding: wantEnc}
		line := 2
		for _, row := range tb.Rows {
			want.Items = append(want.Items, item{Line: line, Fields: row})
			line++
			for _, f := range row {
				line += strings.Count(f, "\n")
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			return diff
		}
		return ""
	}, genTable()))
	props.TestingRun(t)
}

// csvReference reads input with encoding/csv (the delimiter given) and
// returns what Reader should return, or ok false when encoding/csv finds the
// input malformed.
func csvReference(input []byte, delim byte) (res result, ok bool) {
	cr := csv.NewReader(bytes.NewReader(input))
	cr.Comma = rune(delim)
	cr.FieldsPerRecord = -1
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return result{}, false
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			for _, h := range rec {
				res.Header = append(res.Header, strings.ToLower(strings.TrimSpace(h)))
			}
			continue
		}
		res.Items = append(res.Items, item{Line: line, Fields: append([]string{}, rec...)})
	}
	return res, !first
}

// TestAgainstEncodingCSV compares Reader with encoding/csv on random inputs
// built from the bytes that matter (quotes, both delimiters, CR, LF): where
// encoding/csv reads the input without error, Reader gives the same header,
// fields and start lines; where encoding/csv rejects it, Reader reports at
// least one malformed record.
func TestAgainstEncodingCSV(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 3000
	params.Rng.Seed(11)
	props := gopter.NewProperties(params)
	genInput := gopter.CombineGens(
		gen.SliceOf(gen.OneConstOf(byte('a'), byte('b'), byte(' '), byte('"'), byte(','), byte(';'), byte('\n'), byte('\r'), byte('x'))),
		gen.IntRange(0, len(bufSizes)-1),
	)
	valid, invalid := 0, 0
	props.Property("same as encoding/csv", prop.ForAll(func(v []any) string {
		input := v[0].([]byte)
		bufSize := bufSizes[v[1].(int)]
		got := readAll(t, input, bufSize, 0, nil)
		if crMode(input, bufSize) {
			// Old-Mac line ends: the reader takes every CR for a LF.
			input = bytes.ReplaceAll(input, []byte("\r"), []byte("\n"))
		}
		if got.HeaderErr != nil {
			var he *HeaderError
			if errors.As(got.HeaderErr, &he) {
				if _, ok := csvReference(input, ','); ok {
					return "HeaderError but encoding/csv found a header"
				}
			}
			invalid++
			return ""
		}
		want, ok := csvReference(input, got.Delim[0])
		if !ok {
			invalid++
			for _, it := range got.Items {
				if it.Err != nil {
					return ""
				}
			}
			return "encoding/csv rejects the input, Reader reports no error"
		}
		valid++
		want.Delim, want.Encoding = got.Delim, got.Encoding
		if diff := cmp.Diff(want, got); diff != "" {
			return diff
		}
		return ""
	}, genInput))
	props.TestingRun(t)
	t.Logf("%d inputs valid for encoding/csv, %d not", valid, invalid)
	if valid < 300 {
		t.Errorf("only %d valid inputs: the generator does not exercise the comparison", valid)
	}
}

// crMode reports whether a reader of bufSize (0: the default) reading
// input from a bytes.Reader takes it for old-Mac line ends: its first
// fill holds the whole buffer.
func crMode(input []byte, bufSize int) bool {
	if bufSize == 0 {
		bufSize = defaultBufSize
	}
	return crOnly(input[:min(len(input), bufSize)], len(input) < bufSize)
}

func FuzzReader(f *testing.F) {
	seeds := []string{
		"a,b\n1,2\n", "a;b\r\n1,5;2\r\n", "\xEF\xBB\xBFa,b\n\"x\ny\",2\n",
		"a;b\nJ\xF6nk\xF6ping;\xE5\n", "a,b\n1,x\"y\n2,3\n", "a,b\n\"x\"y,1\n",
		"a,b\n\"open,3\n4,5\n", "\n\na\n\n1\n\r\n", "a\n\"x\"\r", "a\n\"\"\"\"\n",
		"a,b\nx\"y,\"p\nq\"\n1,2\n", "", "sep=;\r\na;b\r\n1;2\r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, input []byte, sz uint8) {
		bufSize := bufSizes[int(sz)%len(bufSizes)]
		if bufSize == 0 {
			bufSize = defaultBufSize
		}
		rd, err := newReader(bytes.NewReader(input), bufSize, 1<<10)
		if crMode(input, bufSize) {
			// Old-Mac line ends: the reader takes every CR for a LF.
			input = bytes.ReplaceAll(input, []byte("\r"), []byte("\n"))
		}
		if err != nil {
			var he *HeaderError
			var re *RecordError
			if !errors.As(err, &he) && !errors.As(err, &re) {
				t.Fatalf("NewReader: unexpected error type %T", err)
			}
			return
		}
		if d := rd.Delimiter(); d != ',' && d != ';' {
			t.Fatalf("delimiter %q", d)
		}
		for _, h := range rd.Header() {
			if !utf8.ValidString(h) {
				t.Fatal("header not UTF-8")
			}
		}
		prev := 0
		for n := 0; ; n++ {
			if n > len(input)+1 {
				t.Fatal("Next does not make progress")
			}
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			line := rec.Line
			var re *RecordError
			if errors.As(err, &re) {
				line = re.Line
				// A reason holds no digit of the input (the size limit's
				// own "1 MiB" is no field content).
				if re.Field < 0 || strings.ContainsAny(strings.ReplaceAll(re.Reason, ReasonTooLong, ""), "0123456789") {
					t.Fatalf("bad RecordError %+v", re)
				}
			} else if err != nil {
				t.Fatalf("unexpected error %v", err)
			} else {
				for _, f := range rec.Fields {
					if !utf8.Valid(f) {
						t.Fatal("field not UTF-8")
					}
				}
			}
			if line <= prev || line > 1+bytes.Count(input, []byte{'\n'}) {
				t.Fatalf("line %d after %d (input has %d line breaks)", line, prev, bytes.Count(input, []byte{'\n'}))
			}
			prev = line
		}
		// Where encoding/csv reads the same UTF-8 input cleanly, so must we,
		// identically.
		_, _, sepLine := sepDirective(bytes.TrimLeft(input, "\r\n"))
		if utf8.Valid(input) && !bytes.HasPrefix(input, []byte("\xEF\xBB\xBF")) && bytes.IndexByte(input, 0) < 0 && !sepLine {
			want, ok := csvReference(input, rd.Delimiter())
			if !ok || len(input) > 1<<10 {
				return
			}
			got := readAll(t, input, bufSize, 1<<10, nil)
			want.Delim, want.Encoding = got.Delim, got.Encoding
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("differs from encoding/csv (-want +got):\n%s", diff)
			}
		}
	})
}
