package main

import (
	"strings"
	"testing"
)

// TestLang: run and explain keep English by default and write Swedish
// line names, explanations and the title with --lang sv; a language that
// is neither is a usage error.
func TestLang(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "synth", "--persons", "3000", "--seed", "5", "--out", dir); code != 0 {
		t.Fatal(errs)
	}
	_, en, _ := run(t, "explain", "--model", "halland-2019", "--data", dir, "--unit", "VC001", "--period", "2024-03")
	code, sv, errs := run(t, "explain", "--model", "halland-2019", "--data", dir, "--unit", "VC001", "--period", "2024-03", "--lang", "sv")
	if code != 0 {
		t.Fatalf("explain --lang sv: %d %s", code, errs)
	}
	for _, want := range []string{"listed person-months aged", "SEK per person-month", "Cost responsibility for listed persons' care elsewhere"} {
		if !strings.Contains(en, want) {
			t.Errorf("English explain lacks %q", want)
		}
		if strings.Contains(sv, want) {
			t.Errorf("Swedish explain keeps %q", want)
		}
	}
	for _, want := range []string{"listade personmånader i åldern", "kr per personmånad", "Kostnadsansvar för de listades vård på annat håll", "åldersviktad ersättning"} {
		if !strings.Contains(sv, want) {
			t.Errorf("Swedish explain lacks %q", want)
		}
	}
	// The explanation's own words: Swedish with --lang sv, English without.
	for _, w := range []string{"valid from", "source: ", "total ", " SEK\n"} {
		if !strings.Contains(en, w) {
			t.Errorf("English explain lacks %q", w)
		}
		if strings.Contains(sv, w) {
			t.Errorf("Swedish explain keeps %q", w)
		}
	}
	for _, w := range []string{"gäller från", "källa: ", "totalt ", " kr\n", "\nmonth "} {
		if !strings.Contains(sv, w) {
			t.Errorf("Swedish explain lacks %q", w)
		}
	}
	code, csv, _ := run(t, "run", "--model", "vgr-2017", "--data", dir, "--format", "csv", "--lang", "sv")
	if code != 0 || !strings.Contains(csv, "Målrelaterad ersättning för kvalitet") {
		t.Errorf("run --lang sv: status %d, no Swedish line name", code)
	}
	if code, _, errs := run(t, "run", "--model", "vgr-2017", "--data", dir, "--lang", "de"); code != 2 || !strings.Contains(errs, "want sv or en") {
		t.Errorf("--lang de: status %d: %s", code, errs)
	}
}
