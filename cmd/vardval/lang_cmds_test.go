package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// englishReason are words of the intake's English reasons and file errors
// that must not survive into Swedish (the contract's column names and
// values, such as from, to, date, doctor or yes, stay, as do file names).
var englishReason = regexp.MustCompile(`\b(is|not|empty|must|be|shaped|like|number|whole|more|than|also|line|overlaps|holds|digits|usable|printable|characters|range|real|month|day|listed|listing|starts|before|after|unit|person|contact|required|column|missing|header|appears|twice|the|of|and|or|a|an|in|on|at|by|with|looks|save|file|read|could|use|given|notes|accepted|rejected|total)\b`)

// brokenRegions are the synthetic broken regions of the repository: the
// intake's faults corpus and the hostile corpora.
func brokenRegions(t *testing.T) []string {
	t.Helper()
	dirs := []string{filepath.Join("..", "..", "vardval", "testdata", "intake", "faults")}
	for _, glob := range []string{filepath.Join("testdata", "hostile", "*"), filepath.Join("..", "..", "vardval", "testdata", "hostile", "*")} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range m {
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				dirs = append(dirs, d)
			}
		}
	}
	if len(dirs) < 20 {
		t.Fatalf("only %d broken regions", len(dirs))
	}
	return dirs
}

// TestCheckLang: `vardval check --lang sv` gives every rejection reason
// and file error of the broken regions in Swedish, in the text and the
// JSON report (JSON keys unchanged); without --lang, and with --lang en,
// the report is the library's, byte for byte (the intake goldens).
func TestCheckLang(t *testing.T) {
	intake := filepath.Join("..", "..", "vardval", "testdata", "intake")
	for _, format := range []string{"text", "json"} {
		golden, err := os.ReadFile(filepath.Join(intake, "faults.report."+map[string]string{"text": "txt", "json": "json"}[format]))
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{}, {"--lang", "en"}} {
			_, out, _ := run(t, append([]string{"check", filepath.Join(intake, "faults"), "--format", format}, args...)...)
			if diff := cmp.Diff(string(golden), out); diff != "" {
				t.Errorf("check --format %s %v differs from the golden (-want +got):\n%s", format, args, diff)
			}
		}
	}
	swedish := 0
	for _, dir := range brokenRegions(t) {
		codeEN, _, _ := run(t, "check", dir)
		code, out, errs := run(t, "check", dir, "--lang", "sv")
		if code != codeEN || errs != "" {
			t.Errorf("%s: --lang sv exits %d (%q), without %d", dir, code, errs, codeEN)
		}
		noPersonnummer(t, out)
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if strings.HasPrefix(line, "file ") {
				continue // the header row is keys
			}
			text := line
			if file, rest, ok := strings.Cut(line, ".csv:"); ok && !strings.Contains(file, " ") {
				// file:line:column: reason, or file: error
				text = rest
				if _, reason, ok := strings.Cut(rest, ": "); ok {
					text = reason
				}
			}
			text = strings.NewReplacer(".csv", "").Replace(text)
			if w := englishReason.FindAllString(text, -1); len(w) > 0 {
				t.Errorf("%s: Swedish report keeps English %q: %s", dir, w, line)
			}
		}
		if strings.Contains(out, "används också på rad") || strings.Contains(out, "saknas") {
			swedish++
		}
		_, js, _ := run(t, "check", dir, "--lang", "sv", "--format", "json")
		var rep struct {
			Files []struct {
				File       string `json:"file"`
				Error      string `json:"error"`
				Rejections []struct {
					Reason string `json:"reason"`
				} `json:"rejections"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(js), &rep); err != nil || len(rep.Files) == 0 {
			t.Fatalf("%s: JSON report: %v", dir, err)
		}
		for _, f := range rep.Files {
			texts := []string{strings.TrimPrefix(f.Error, f.File+": ")}
			for _, r := range f.Rejections {
				texts = append(texts, r.Reason)
			}
			for _, s := range texts {
				if w := englishReason.FindAllString(strings.ReplaceAll(s, ".csv", ""), -1); len(w) > 0 {
					t.Errorf("%s: Swedish JSON keeps English %q: %s", dir, w, s)
				}
			}
		}
	}
	if swedish < 5 {
		t.Errorf("only %d Swedish reports: the check above saw little", swedish)
	}
	_, out, _ := run(t, "check", filepath.Join(intake, "faults"), "--lang", "sv")
	for _, want := range []string{"units.csv:2:unit_id: unit_id används också på rad 6", "\nfile ", "\nsumma ", "ignorerade kolumner: comment"} {
		if !strings.Contains(out, want) {
			t.Errorf("Swedish report lacks %q", want)
		}
	}
	if code, _, errs := run(t, "check", filepath.Join(intake, "faults"), "--lang", "de"); code != 2 || !strings.Contains(errs, "want sv or en") {
		t.Errorf("--lang de: status %d: %s", code, errs)
	}
}

// TestMeasuresCompareLang: measures and compare keep their output without
// --lang; with --lang sv the measures' names are Swedish (headers and ids
// unchanged) and compare's explained statements and marginal effects are
// Swedish.
func TestMeasuresCompareLang(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "synth", "--persons", "3000", "--seed", "5", "--out", dir); code != 0 {
		t.Fatal(errs)
	}
	ids := "depression_remission_6m,continuity_coc"
	_, en, _ := run(t, "measures", "--data", dir, "--measures", ids)
	code, sv, errs := run(t, "measures", "--data", dir, "--measures", ids, "--lang", "sv")
	if code != 0 {
		t.Fatalf("measures --lang sv: %d %s", code, errs)
	}
	if !strings.Contains(en, "continuity_coc: Doctor continuity, COC index (Bice–Boxerman) (Läkarkontinuitet") || !strings.Contains(en, "(region)") {
		t.Errorf("English table changed:\n%s", en)
	}
	if !strings.Contains(sv, "continuity_coc: Läkarkontinuitet, COC-index (Bice–Boxerman)\n") || strings.Contains(sv, "Doctor continuity") ||
		!strings.Contains(sv, "(regionen)") || !strings.Contains(sv, "unit ") || !strings.Contains(sv, "numerator") {
		t.Errorf("Swedish table:\n%s", sv)
	}
	for _, format := range []string{"json", "csv"} {
		_, plain, _ := run(t, "measures", "--data", dir, "--measures", ids, "--format", format)
		_, named, _ := run(t, "measures", "--data", dir, "--measures", ids, "--format", format, "--lang", "sv")
		if strings.Contains(plain, "name") || !strings.Contains(named, "Läkarkontinuitet") {
			t.Errorf("%s: the measure's name: without --lang %v, with --lang sv %v", format, strings.Contains(plain, "name"), strings.Contains(named, "Läkarkontinuitet"))
		}
	}

	// Funnel plots in the language alone with --lang, both without.
	for lang, want := range map[string][2]string{"sv": {"högre är bättre", "higher is better"}, "": {"högre är bättre / higher is better", ""}} {
		plots := filepath.Join(t.TempDir(), "plots")
		args := []string{"measures", "--data", dir, "--measures", "continuity_coc", "--plot", plots}
		if lang != "" {
			args = append(args, "--lang", lang)
		}
		if code, _, errs := run(t, args...); code != 0 {
			t.Fatalf("measures --plot --lang %q: %s", lang, errs)
		}
		svg, err := os.ReadFile(filepath.Join(plots, "continuity_coc.svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(svg), want[0]) || want[1] != "" && strings.Contains(string(svg), want[1]) {
			t.Errorf("plot with --lang %q: want %q and not %q", lang, want[0], want[1])
		}
	}

	code, out, errs := run(t, "compare", "--model", "skane-2023", "--data", dir, "--period", "2024-03",
		"--vary", "capitation.shares[2].share=0.10,0.20", "--unit", "VC001", "--lang", "sv")
	if code != 0 {
		t.Fatalf("compare --vary --lang sv: %d %s", code, errs)
	}
	for _, want := range []string{"modellen", "Vårdpengspott: ACG-vårdtyngd", "fördelad efter ACG-index", "pottens storlek: Skånes belopp"} {
		if !strings.Contains(out, want) {
			t.Errorf("Swedish sweep lacks %q", want)
		}
	}
	_, outEN, _ := run(t, "compare", "--model", "skane-2023", "--data", dir, "--period", "2024-03",
		"--vary", "capitation.shares[2].share=0.10,0.20", "--unit", "VC001")
	if !strings.Contains(outEN, "allocated by") || strings.Contains(outEN, "fördelad") {
		t.Errorf("English sweep changed")
	}
	code, out, errs = run(t, "compare", "--model", "halland-2019", "--model", "skane-2023", "--data", dir, "--period", "2024-03", "--unit", "VC001", "--lang", "sv")
	if code != 0 || !strings.Contains(out, "marginaleffekter för VC001") || !strings.Contains(out, "ett läkarbesök till") || strings.Contains(out, "one more") {
		t.Errorf("compare --unit --lang sv: %d %s\n%s", code, errs, out)
	}
	if code, _, errs := run(t, "compare", "--model", "halland-2019", "--model", "skane-2023", "--data", dir, "--lang", "xx"); code != 2 || !strings.Contains(errs, "want sv or en") {
		t.Errorf("--lang xx: status %d: %s", code, errs)
	}
}

// TestModelCheckNotesUntranslated: model check accepts a model without
// Swedish texts and says what Swedish output shows in English; the
// embedded models have every text in Swedish.
func TestModelCheckNotesUntranslated(t *testing.T) {
	for _, name := range []string{"halland-2019", "skane-2023", "vgr-2017"} {
		code, out, errs := run(t, "model", "check", name)
		if code != 0 || strings.Contains(out, "note:") {
			t.Errorf("model check %s: %d %q %q", name, code, out, errs)
		}
	}
	valid := filepath.Join("..", "..", "examples", "testdata", "valid", "all-types.yaml")
	code, out, _ := run(t, "model", "check", valid)
	if code != 0 || !strings.Contains(out, "all-types.yaml: ok\n") || !strings.Contains(out, "note: components[0]: no name_sv") {
		t.Errorf("model check all-types.yaml: %d\n%s", code, out)
	}
	if strings.Contains(out, "cni.missing[0]: an assumption") || !strings.Contains(out, "title: no title_sv") {
		t.Errorf("model check all-types.yaml notes:\n%s", out)
	}
}

// TestCLIMessagesLang: with --lang sv the messages about the region's
// files (rows left out, a file that cannot be read) and an unknown unit
// are Swedish; without it they are the English of before.
func TestCLIMessagesLang(t *testing.T) {
	faults := filepath.Join("..", "..", "vardval", "testdata", "intake", "faults")
	_, _, errs := run(t, "run", "--model", "skane-2023", "--data", faults, "--lang", "sv")
	if !strings.Contains(errs, "inläsningen avvisade 30 rader") || strings.Contains(errs, "intake rejected") {
		t.Errorf("run --lang sv: %s", errs)
	}
	_, _, errs = run(t, "run", "--model", "skane-2023", "--data", faults)
	if !strings.Contains(errs, "note: intake rejected 30 rows; they are left out") {
		t.Errorf("run: %s", errs)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "units.csv"), []byte("PK\x03\x04rest"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "measures", "--data", dir, "--lang", "sv")
	if code != 2 || !strings.Contains(errs, "units.csv: ser ut att vara en Excel-arbetsbok") {
		t.Errorf("measures --lang sv on a workbook: %d %s", code, errs)
	}
	region := t.TempDir()
	if code, _, errs := run(t, "synth", "--persons", "2000", "--seed", "7", "--out", region); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs = run(t, "explain", "--model", "halland-2019", "--data", region, "--unit", "NOPE", "--lang", "sv")
	if code != 2 || !strings.Contains(errs, `ingen specifikation för enheten "NOPE"`) {
		t.Errorf("explain --unit NOPE --lang sv: %d %s", code, errs)
	}
}
