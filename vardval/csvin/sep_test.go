package csvin

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Excel writes "sep=;" as the first line when asked to name the delimiter;
// it sets the delimiter and does not count as the header, and line numbers
// still count it.
func TestSepDirective(t *testing.T) {
	for _, in := range []string{"sep=;\na;b\n1;2,5\n", "SEP=;\r\na;b\r\n1;2,5\r\n"} {
		r, err := NewReader(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if r.Delimiter() != ';' {
			t.Errorf("%q: delimiter %q, want ';'", in, r.Delimiter())
		}
		if diff := cmp.Diff([]string{"a", "b"}, r.Header()); diff != "" {
			t.Errorf("%q: header (-want +got):\n%s", in, diff)
		}
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec.Line != 3 || string(rec.Fields[1]) != "2,5" {
			t.Errorf("%q: record at line %d with %q, want line 3 with \"2,5\"", in, rec.Line, rec.Fields[1])
		}
	}
	// A header that merely starts with "sep" is a header.
	r, err := NewReader(strings.NewReader("separation,b\n1,2\n"))
	if err != nil || r.Header()[0] != "separation" {
		t.Errorf("header sep...: %v %v", r, err)
	}
}
