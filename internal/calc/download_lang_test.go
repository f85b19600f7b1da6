package calc

import (
	"context"
	"strings"
	"testing"
)

// TestDownloadLang: a download is in the language the statement was asked
// in: Swedish line names, explanations and assumptions after a Swedish
// describe, the English of `vardval run` after an English one; the amounts
// are the same.
func TestDownloadLang(t *testing.T) {
	c := New()
	m := modelInfo(t, "skane-2023")
	req := typicalRequest(m, "private")
	get := func(lang string) string {
		t.Helper()
		req.Lang = lang
		if _, err := c.Describe(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		d, err := c.Download("csv", "")
		if err != nil {
			t.Fatal(err)
		}
		return string(d.Data)
	}
	en, sv := get("en"), get("sv")
	for _, want := range []string{"Vårdpengspott: ACG-vårdtyngd", "fördelad efter", "pottens storlek: Skånes belopp"} {
		if !strings.Contains(sv, want) {
			t.Errorf("Swedish download lacks %q", want)
		}
	}
	for _, want := range []string{"allocated by", "pool size: Skåne's SEK per listed person"} {
		if !strings.Contains(en, want) {
			t.Errorf("English download lacks %q", want)
		}
		if strings.Contains(sv, want) {
			t.Errorf("Swedish download keeps %q", want)
		}
	}
	if strings.Count(sv, "\n") != strings.Count(en, "\n") {
		t.Errorf("the Swedish download has %d lines, the English %d", strings.Count(sv, "\n"), strings.Count(en, "\n"))
	}
}
