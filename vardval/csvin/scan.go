package csvin

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
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
