package i18n

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

func TestNumbers(t *testing.T) {
	tests := []struct{ in, sv, en string }{
		{"1234567.5", "1\u00a0234\u00a0567,5", "1,234,567.5"},
		{"-700", "-700", "-700"},
		{"2024", "2024", "2024"},
		{"12345", "12\u00a0345", "12,345"},
		{"4635.5 listing points × 294 SEK", "4635,5 listing points × 294 SEK", "4635.5 listing points × 294 SEK"},
		{"day-weighted over 2024-03", "day-weighted over 2024-03", "day-weighted over 2024-03"},
		{"valid from 2019-01-01.", "valid from 2019-01-01.", "valid from 2019-01-01."},
		{"(components[0].rates[12].values[0])", "(components[0].rates[12].values[0])", "(components[0].rates[12].values[0])"},
		{"measure diabetes_hba1c_over_70 = 0.146341 (6/41, interval 0.069–0.284 wilson-95)",
			"measure diabetes_hba1c_over_70 = 0,146341 (6/41, interval 0,069–0,284 wilson-95)",
			"measure diabetes_hba1c_over_70 = 0.146341 (6/41, interval 0.069–0.284 wilson-95)"},
		{"VC001 and A12345 stay", "VC001 and A12345 stay", "VC001 and A12345 stay"},
		{"index 19306.4841 of 24.4115 %.", "index 19\u00a0306,4841 of 24,4115 %.", "index 19,306.4841 of 24.4115 %."},
		{"version 1.2.3", "version 1.2.3", "version 1.2.3"},
	}
	for _, tc := range tests {
		if got := Numbers(tc.in, Swedish); got != tc.sv {
			t.Errorf("Numbers(%q, sv) = %q, want %q", tc.in, got, tc.sv)
		}
		if got := Numbers(tc.in, English); got != tc.en {
			t.Errorf("Numbers(%q, en) = %q, want %q", tc.in, got, tc.en)
		}
	}
}

// TestPageNumbers: the page's explanations group numbers like its amounts
// (four digits and up), write a negative amount with the minus sign, and
// leave years, dates, ids, codes and key paths alone.
func TestPageNumbers(t *testing.T) {
	tests := []struct{ in, sv, en string }{
		{"6192 listed person-months", "6\u00a0192 listed person-months", "6,192 listed person-months"},
		{"10741 rows", "10\u00a0741 rows", "10,741 rows"},
		{"-2 SEK and -1234.5", "\u22122 SEK and \u22121\u00a0234,5", "\u22122 SEK and \u22121,234.5"},
		{"(-700)", "(\u2212700)", "(\u2212700)"},
		{"year 2024, valid from 2019-01-01", "year 2024, valid from 2019-01-01", "year 2024, valid from 2019-01-01"},
		{"skane-2023 components[3] VC1234 0-4", "skane-2023 components[3] VC1234 0-4", "skane-2023 components[3] VC1234 0-4"},
		{"0.069–0.284 wilson-95", "0,069–0,284 wilson-95", "0.069–0.284 wilson-95"},
		{"999 and 2024.5", "999 and 2\u00a0024,5", "999 and 2,024.5"},
		{"year out of range 1800–2200", "year out of range 1800–2200", "year out of range 1800–2200"},
		{"1800 SEK", "1\u00a0800 SEK", "1,800 SEK"},
	}
	for _, tc := range tests {
		if got := PageNumbers(tc.in, Swedish); got != tc.sv {
			t.Errorf("PageNumbers(%q, sv) = %q, want %q", tc.in, got, tc.sv)
		}
		if got := PageNumbers(tc.in, English); got != tc.en {
			t.Errorf("PageNumbers(%q, en) = %q, want %q", tc.in, got, tc.en)
		}
	}
	if got := PageText("6192 listed person-months", Swedish); got != "6\u00a0192 listade personmånader" {
		t.Errorf("PageText = %q", got)
	}
	if got := PageNumber("-1234", English); got != "\u22121,234" {
		t.Errorf("PageNumber = %q", got)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"": English, "en": English, "sv": Swedish, " SV ": Swedish} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, err)
		}
	}
	_, err := Parse("de")
	var le *LangError
	if !errors.As(err, &le) || le.Value != "de" {
		t.Errorf("Parse(de): %v", err)
	}
}

// englishWords are words of the library's English that must not survive
// into a Swedish explanation, note or line name.
var englishWords = regexp.MustCompile(`\b(listed|persons|person-months?|months?|monthly|contacts?|share|pool|allocated|measure|thresholds|attainment|deduction|judged|interval|region's|sum|summed|with|varying|rates?|average|each|SEK|elsewhere|primary|emergency|doctor|day-weighted|unlisted|not|the|of|and|is|at|by|in|on|to|for|Goal-related|Visits|Cost|Deduction|Capitation|Age|listing)\b`)

// TestSwedishStatements prices every embedded model over a synthetic
// region and requires the Swedish statement to carry no English word of
// the library in its line names, explanations and notes.
func TestSwedishStatements(t *testing.T) {
	ctx := context.Background()
	files, _, err := synth.GenerateFiles(ctx, synth.Config{Persons: 3000, Seed: 3, PerUnit: 800})
	if err != nil {
		t.Fatal(err)
	}
	rd := func(n string) *bytes.Reader { return bytes.NewReader(files[n]) }
	r, _, err := vardval.Load(ctx, vardval.Files{Units: rd(vardval.FileUnits), Areas: rd(vardval.FileAreas), Listings: rd(vardval.FileListings),
		Contacts: rd(vardval.FileContacts), Diagnoses: rd(vardval.FileDiagnoses), Observations: rd(vardval.FileObservations),
		Prescriptions: rd(vardval.FilePrescriptions)}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var year int
	for _, m := range r.ContactMonths() {
		year = max(year, m.Month.Year)
	}
	period := vardval.Period{From: vardval.D(year, 1, 1), To: vardval.D(year, 12, 31)}
	mrep, err := measures.Compute(ctx, r, period, measures.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range payment.BuiltinNames() {
		m, err := payment.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		st, err := payment.Price(ctx, m, r, period, payment.PriceOptions{Measures: mrep})
		if err != nil {
			t.Fatal(err)
		}
		sv := Statement(st, m, Swedish)
		en := Statement(st, m, English)
		check := func(what, s string) {
			if w := englishWords.FindAllString(s, -1); len(w) > 0 {
				t.Errorf("%s: Swedish %s keeps English %q: %s", name, what, w, s)
			}
		}
		for _, n := range sv.Notes {
			check("note", n)
		}
		assumed := 0
		for ui, u := range sv.Units {
			for li, l := range u.Lines {
				check("line name", l.Name)
				check("explanation", l.Explanation)
				orig := st.Units[ui].Lines[li]
				if l.Assumption != "" {
					assumed++
					if w := assumptionEnglish.FindAllString(keyPath.ReplaceAllString(l.Assumption, ""), -1); len(w) > 0 {
						t.Errorf("%s: Swedish assumption keeps English %q: %s", name, w, l.Assumption)
					}
				}
				if enl := en.Units[ui].Lines[li]; enl.Assumption != orig.Assumption {
					t.Errorf("%s: English assumption %q, want it unchanged: %q", name, enl.Assumption, orig.Assumption)
				}
				if l.Amount != orig.Amount || l.Parameter != orig.Parameter {
					t.Errorf("%s: translating changed a line's amount or parameter", name)
				}
				if w := sourceEnglish.FindAllString(citation.ReplaceAllString(url.ReplaceAllString(l.Source, ""), ""), -1); len(w) > 0 {
					t.Errorf("%s: Swedish source keeps English %q: %s", name, w, l.Source)
				}
				if enl := en.Units[ui].Lines[li]; enl.Source != orig.Source {
					t.Errorf("%s: English source %q, want it unchanged: %q", name, enl.Source, orig.Source)
				}
				if enl := en.Units[ui].Lines[li]; strings.Contains(enl.Name, "å") && !strings.Contains(orig.Name, "å") {
					t.Errorf("%s: English line name %q has Swedish letters", name, enl.Name)
				}
			}
		}
		if assumed == 0 {
			t.Errorf("%s: no line rests on an assumption: the check above saw nothing", name)
		}
		// The statement priced is not changed.
		if diff := cmp.Diff(st.Units[0].Lines[0].Name, sv.Units[0].Lines[0].Name); diff == "" && m.Components[0].Info().NameSV != "" && m.Components[0].Info().NameSV != m.Components[0].Info().Name {
			t.Errorf("%s: line name not translated: %s", name, diff)
		}
	}
}

// assumptionEnglish are English words of the models' assumption texts and
// of the payment package's words around them (quoted document titles such
// as "Care Need Index" and addresses have none of them).
var assumptionEnglish = regexp.MustCompile(`\b(the|was|were|not|found|assumed|assumption|illustrative|weights?|of|and|with|listing|unit|pool|size|computed|which|rests|level|deduction|price|rate|counts?|persons|from|visit|fees?|listed|elsewhere|SEK)\b`)

// sourceEnglish are English words of the models' sources; url and
// citation are what a Swedish source keeps as written: addresses and the
// title of an English paper.
var (
	sourceEnglish = regexp.MustCompile(`\b(the|of|and|with|point|points|price|visit|share|target|level|board|lowered|listed|each|person|diagnoses|payment|capped|computed|monthly|months?|above|below|for|national|other|staff|guidelines|followed|up|coverage|age|sex|SEK|was|before|decision)\b`)
	url           = regexp.MustCompile(`https?://\S+`)
	citation      = regexp.MustCompile(`Care Need Index, a useful tool for the distribution of primary health care resources`)
)

// keyPath matches a key path (tables[0].weights[3].values[0]): a key of
// the model file, not a word.
var keyPath = regexp.MustCompile(`\S*\[\d+\]\S*`)

// FuzzNumbers: writing numbers a language's way never changes, adds or
// drops a digit, and never touches a text without digits.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"1234567.5 SEK", "2024-03-01", "components[12]", "6/41, 0.069–0.284", "x", "-00012345.000"} {
		f.Add(s)
	}
	digits := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range []Lang{Swedish, English} {
			for name, f := range map[string]func(string, Lang) string{"Numbers": Numbers, "PageNumbers": PageNumbers} {
				out := f(s, l)
				if digits(out) != digits(s) {
					t.Fatalf("%s(%q, %s) = %q changes the digits", name, s, l, out)
				}
				if digits(s) == "" && out != s {
					t.Fatalf("%s(%q, %s) = %q changes a text without digits", name, s, l, out)
				}
			}
		}
	})
}

func ExampleText() {
	// Swedish groups thousands with a no-break space, shown here as "_".
	fmt.Println(strings.ReplaceAll(Text("12 months, summed: 11273 listed persons × 1.25 SEK per point.", Swedish), "\u00a0", "_"))
	fmt.Println(Text("12 months, summed: 11273 listed persons × 1.25 SEK per point.", English))
	// Output:
	// 12 månader, summerat: 11_273 listade personer × 1,25 kr per poäng.
	// 12 months, summed: 11,273 listed persons × 1.25 SEK per point.
}

// TestFileNamesUntranslated: the phrase table never translates inside a
// file name (a phrase ending before ".csv" or starting after "x.").
func TestFileNamesUntranslated(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"contact_id 7 is not an accepted contact in contacts.csv", "contact_id 7 är ingen godkänd kontakt i contacts.csv"},
		{"12 contacts in contacts.csv", "12 kontakter under contacts.csv"},
		{"3 contacts. Then", "3 kontakter. Then"},
	} {
		if got := Text(tc.in, Swedish); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if !inFileName("x contacts.csv", 1, 10) || inFileName("x contacts. y", 1, 10) || !inFileName("units.contacts", 6, 14) {
		t.Error("inFileName")
	}
}
