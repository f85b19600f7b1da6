package i18n

import (
	"context"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vardval/vardval/vardval"
)

// TestFileReasonSwedish: every way a file cannot be read at all gets a
// Swedish reason with no English or Go text in it.
func TestFileReasonSwedish(t *testing.T) {
	clean := os.DirFS("../../vardval/testdata/intake/clean")
	units, err := fs.ReadFile(clean, "units.csv")
	if err != nil {
		t.Fatal(err)
	}
	head, rest, _ := strings.Cut(string(units), "\n")
	english := regexp.MustCompile(`\b(the|no|header|line|quote|field|in|file|looks|save|column|missing|read|error|not|after)\b`)
	for name, body := range map[string]string{
		"empty":          "",
		"only sep":       "sep=,\n",
		"bare quote":     strings.Replace(head, ",", `,a"b`, 1) + "\n" + rest,
		"after quote":    `"unit_id"x,` + head + "\n" + rest,
		"unterminated":   `"unit_id,` + head + "\n",
		"utf-16":         "\xff\xfeu\x00n\x00",
		"workbook":       "PK\x03\x04rest",
		"data first":     strings.SplitN(rest, "\n", 2)[0] + "\n" + rest,
		"no known names": "a,b,c\n1,2,3\n",
		"no unit_id":     strings.Replace(string(units), "unit_id", "unit", 1),
		"twice":          strings.Replace(head, ",", ",unit_id,", 1) + "\n",
	} {
		fsys := fstest.MapFS{}
		for _, f := range []string{"listings.csv", "areas.csv", "contacts.csv"} {
			if b, err := fs.ReadFile(clean, f); err == nil {
				fsys[f] = &fstest.MapFile{Data: b}
			}
		}
		fsys["units.csv"] = &fstest.MapFile{Data: []byte(body)}
		_, rep, _ := vardval.LoadFS(context.Background(), fsys, vardval.LoadOptions{})
		if rep == nil {
			t.Fatalf("%s: no report", name)
		}
		var fe *vardval.FileError
		for _, f := range rep.Files {
			if f.File == "units.csv" {
				fe = f.Fatal()
			}
		}
		if fe == nil {
			t.Errorf("%s: units.csv was read", name)
			continue
		}
		sv := FileReason(fe, Swedish)
		if sv == "" || english.MatchString(sv) {
			t.Errorf("%s: Swedish reason %q (English %q)", name, sv, fe.Reason)
		}
		if en := FileReason(fe, English); en == "" || en == sv {
			t.Errorf("%s: English reason %q", name, en)
		}
		if page := PageFileReason(fe, Swedish); page != sv && PageText(sv, Swedish) != page {
			t.Errorf("%s: the page's Swedish reason %q, the CLI's %q", name, page, sv)
		}
	}
}
