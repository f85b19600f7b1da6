package i18n

import (
	"errors"
	"strconv"
	"strings"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/csvin"
)

// FileReason says in l why a file could not be read at all (the CLI's
// words: numbers as Text writes them). In Swedish every file-level reason
// has its own text, chosen by the typed cause or the library's fixed
// reason: neither the CSV reader's nor Go's English ever reaches a person
// reading Swedish (an unknown cause is said in general words).
func FileReason(fe *vardval.FileError, l Lang) string { return fileReason(fe, l, Text) }

// PageFileReason is FileReason as the page writes it (PageText).
func PageFileReason(fe *vardval.FileError, l Lang) string { return fileReason(fe, l, PageText) }

func fileReason(fe *vardval.FileError, lang Lang, text func(string, Lang) string) string {
	if lang != Swedish {
		return text(fe.Reason, lang)
	}
	r := fe.Reason
	names := ""
	if i := strings.LastIndex(r, "("); i >= 0 && strings.HasSuffix(r, ")") {
		names = r[i:]
	}
	switch {
	case strings.HasPrefix(r, "the header line is missing: the first line holds data"):
		return "rubrikraden saknas: första raden innehåller data, inte kolumnnamnen " + names
	case strings.HasPrefix(r, "the header line is missing or names none"):
		return "rubrikraden saknas eller namnger ingen av kolumnerna " + names
	case r == "required column is missing", r == "required file is missing", r == "column appears twice in the header":
		return text(r, lang)
	case r == vardval.ReasonNotRegular:
		return "är ingen vanlig fil"
	case r == vardval.ReasonDanglingLink:
		return "är en symbolisk länk till en fil som inte finns"
	}
	var he *csvin.HeaderError
	var re *csvin.RecordError
	var rde *csvin.ReadError
	switch {
	case errors.As(fe, &he):
		switch {
		case he.Reason == csvin.ReasonNoHeader:
			return "rubrikraden saknas (filen är tom)"
		case strings.HasPrefix(he.Reason, csvin.ReasonNoHeader):
			return "rubrikraden saknas efter raden sep="
		case he.Reason == csvin.ReasonUTF16:
			return "ser ut att vara UTF-16: spara som UTF-8 (i Excel: CSV UTF-8)"
		case he.Reason == csvin.ReasonWorkbook:
			return "ser ut att vara en Excel-arbetsbok, inte CSV-text: spara som CSV UTF-8"
		}
	case errors.As(fe, &re):
		return "rubrikraden (rad " + strconv.Itoa(re.Line) + "): " + recordReasonSV(re.Reason)
	case errors.As(fe, &rde):
		return "filen kunde inte läsas till slut (läsfel på rad " + strconv.Itoa(rde.Line) + ")"
	}
	return "filen kunde inte läsas som CSV-text"
}

// recordReasonSV is a malformed line's reason in Swedish.
func recordReasonSV(r string) string {
	switch r {
	case csvin.ReasonBareQuote:
		return "ett citattecken i ett fält som inte står inom citattecken"
	case csvin.ReasonAfterQuote:
		return "text efter ett avslutande citattecken"
	case csvin.ReasonUnterminated:
		return "ett citerat fält stängs inte före filens slut"
	case csvin.ReasonTooLong:
		return "raden är längre än 1 MiB, gränsen för en rad"
	}
	return "raden kunde inte läsas som CSV"
}
