package i18n

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/vardval/vardval/vardval"
)

// TestSwedishIntakeReasons: every reason the intake gives for the rows of
// the faults corpus (all twelve contract files, the follow-up files
// included) reads in Swedish without the library's English words, as the
// page shows rejected rows in its language.
func TestSwedishIntakeReasons(t *testing.T) {
	_, rep, err := vardval.LoadFS(context.Background(), os.DirFS("../../vardval/testdata/intake/faults"), vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Files {
		for _, e := range f.Rejections {
			n++
			if w := reasonEnglish.FindAllString(Text(e.Reason, Swedish), -1); len(w) > 0 {
				t.Errorf("%s:%d:%s: Swedish reason keeps English %q: %s", f.File, e.Line, e.Column, w, Text(e.Reason, Swedish))
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d rejected rows in the faults corpus", n)
	}
}

// reasonEnglish are English words of intake reasons that must not survive
// translation (the contract's column names, such as from, to, date and
// period, and its values, such as yes, no, employed or doctor, stay).
var reasonEnglish = regexp.MustCompile(`\b(is|not|empty|must|be|shaped|like|number|whole|more|than|also|line|overlaps|holds|digits|usable|printable|characters|range|real|month|day|listed|listing|starts|before|after|unit|person|contact|required|column|missing|header|appears|twice|the|of|and|or|a|an|in|on|at|by|with)\b`)

// TestReport: the Swedish copy of an intake report has every reason in
// Swedish and leaves the report it copies, and English, as they are.
func TestReport(t *testing.T) {
	_, rep, err := vardval.LoadFS(context.Background(), os.DirFS("../../vardval/testdata/intake/faults"), vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if Report(rep, English) != rep {
		t.Error("English: a copy of the report")
	}
	sv := Report(rep, Swedish)
	n := 0
	for i, f := range sv.Files {
		for j, e := range f.Rejections {
			orig := rep.Files[i].Rejections[j]
			if e.Reason != Text(orig.Reason, Swedish) || e.Line != orig.Line || e.Column != orig.Column {
				t.Errorf("%s:%d: %q, from %q", f.File, e.Line, e.Reason, orig.Reason)
			}
			if e.Reason != orig.Reason {
				n++
			}
		}
		if f.Rejected != rep.Files[i].Rejected || f.NotRead() != rep.Files[i].NotRead() {
			t.Errorf("%s: counts changed", f.File)
		}
	}
	if n < 20 {
		t.Errorf("only %d reasons changed", n)
	}
}
