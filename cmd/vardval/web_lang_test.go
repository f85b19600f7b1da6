//go:build !js

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vardval/vardval/wasm/site"
)

// TestWebAssumptionsOneLanguage: the statement's assumptions and sources
// are in the page's language, Swedish from the model file's
// assumption_sv, assumptions_sv and source_sv, English as the file
// writes them.
func TestWebAssumptionsOneLanguage(t *testing.T) {
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	webSettled(t, b)
	webEval[bool](t, b, `(() => { const s = document.getElementById("model"); s.value = "skane-2023"; s.dispatchEvent(new Event("change")); return true })()`)
	webSettled(t, b)
	want := map[string][2][]string{ // lang: words the texts have, words they must not have
		"sv": {{"hittades inte", "pottens storlek", "ålder och kön"}, {"was not found", "pool size", "age and sex"}},
		"en": {{"was not found", "pool size", "age and sex"}, {"hittades inte", "pottens storlek", "ålder och kön"}},
	}
	for range 2 {
		lang := webEval[string](t, b, `document.documentElement.lang`)
		texts := webEval[[]string](t, b, `[...document.querySelectorAll("#describe-out ul.lines dd")].map(d => d.textContent)`)
		all := strings.Join(texts, "\n")
		if len(texts) == 0 || !strings.Contains(all, "https://") {
			t.Fatalf("%s: no statement details in the page", lang)
		}
		for _, w := range want[lang][0] {
			if !strings.Contains(all, w) {
				t.Errorf("%s: the statement's assumptions and sources lack %q", lang, w)
			}
		}
		for _, w := range want[lang][1] {
			if strings.Contains(all, w) {
				t.Errorf("%s: the statement's assumptions and sources have %q", lang, w)
			}
		}
		b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
		webSettled(t, b)
	}
}
