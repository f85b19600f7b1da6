package csvin

import (
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

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
