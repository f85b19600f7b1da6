package main

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/vardval"
)

// writeCheck writes `vardval check`'s report in format ("text" or "json")
// and lang. Without --lang, and in English, it is the library's report
// byte for byte; in Swedish the rejection reasons and file errors are
// Swedish (i18n), and the text report's notes and total too. JSON keys,
// the table's header row and values that are keys (file and column names,
// "not read") stay.
func writeCheck(w io.Writer, rep *vardval.IntakeReport, format string, lang i18n.Lang) error {
	if lang != i18n.Swedish {
		if format == "json" {
			return rep.WriteJSON(w)
		}
		return rep.WriteText(w)
	}
	if format == "json" {
		return i18n.Report(rep, i18n.Swedish).WriteJSON(w)
	}
	return writeCheckSwedish(w, rep)
}

// writeCheckSwedish is IntakeReport.WriteText in Swedish: one line per
// rejection as file:line:column: reason (line numbers as they are, for
// editors), then the summary table with Swedish notes and numbers (its
// header row is keys and stays).
func writeCheckSwedish(w io.Writer, rep *vardval.IntakeReport) error {
	var b strings.Builder
	for i := range rep.Files {
		f := &rep.Files[i]
		if f.Fatal() != nil {
			fmt.Fprintf(&b, "%s\n", i18n.FileError(f, i18n.Swedish))
		}
		for _, e := range f.Rejections {
			fmt.Fprintf(&b, "%s:%d:%s: %s\n", f.File, e.Line, e.Column, i18n.Text(e.Reason, i18n.Swedish))
		}
	}
	row := func(file, read, acc, rej, notes string) {
		b.WriteString(strings.TrimRight(pad(file, -18)+" "+pad(read, 10)+" "+pad(acc, 10)+" "+pad(rej, 10)+"  "+notes, " "))
		b.WriteByte('\n')
	}
	num := func(n int) string { return i18n.Number(strconv.Itoa(n), i18n.Swedish) }
	row("file", "read", "accepted", "rejected", "notes") // the header row is keys (the JSON's), as in every table
	for i := range rep.Files {
		f := &rep.Files[i]
		var notes []string
		by, blocked := i18n.BlockedBy(f)
		switch {
		case f.Fatal() != nil:
			notes = append(notes, "inte läst: "+i18n.FileReason(f.Fatal(), i18n.Swedish))
		case blocked:
			notes = append(notes, "inte läst: "+by+" kunde inte läsas")
		case f.Skipped:
			notes = append(notes, "inte läst: behövs inte här")
		case !f.Present:
			notes = append(notes, "saknas")
		default:
			n := f.Encoding + ", '" + f.Delimiter + "'"
			if f.LineEnds == "cr" {
				n += ", gamla Mac-radslut (CR)"
			}
			notes = append(notes, n)
		}
		if len(f.Ignored) > 0 {
			notes = append(notes, "ignorerade kolumner: "+strings.Join(f.Ignored, ", "))
		}
		if f.NotRead() {
			row(f.File, "-", "-", "-", strings.Join(notes, "; "))
			continue
		}
		row(f.File, num(f.Read), num(f.Accepted), num(f.Rejected), strings.Join(notes, "; "))
	}
	read, acc, rej := rep.Totals()
	row("summa", num(read), num(acc), num(rej), "")
	_, err := io.WriteString(w, b.String())
	return err
}

// pad pads s with spaces to n characters (runes), on the left for n > 0
// and on the right for n < 0, as %10s and %-18s do for ASCII.
func pad(s string, n int) string {
	left := n > 0
	if !left {
		n = -n
	}
	k := n - utf8.RuneCountInString(s)
	if k <= 0 {
		return s
	}
	if left {
		return strings.Repeat(" ", k) + s
	}
	return s + strings.Repeat(" ", k)
}

// measureTexts are `vardval measures`'s texts in lang: none without
// --lang (the output as before the flag), the measures' names in lang
// with it, and the table's notes in Swedish.
func measureTexts(lang i18n.Lang) measures.Texts {
	if lang == "" {
		return measures.Texts{}
	}
	t := measures.Texts{Name: func(d *measures.Definition) string { return lang.Pick(d.NameSV, d.NameEN, d.ID) }}
	if lang == i18n.Swedish {
		t.Note = func(s string) string {
			return i18n.Text(columnNotGiven.ReplaceAllString(s, "kolumnen $1 i $2 saknas"), i18n.Swedish)
		}
	}
	return t
}

// columnNotGiven is an input of a measure that is not available, a column
// not given (measures' notGivenText).
var columnNotGiven = regexp.MustCompile(`column (\S+) of (\S+) not given`)
