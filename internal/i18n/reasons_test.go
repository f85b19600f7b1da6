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
