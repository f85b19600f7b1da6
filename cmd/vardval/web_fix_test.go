//go:build !js

package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vardval/vardval/vardval/synth"
	"github.com/vardval/vardval/wasm/site"
)

// TestWebOneLanguage follows the review of issue 20 as a person would:
// funnel plots in the page's language only, switching with it; every bad
// measure field marked at itself; a model without goal measures says so;
// numeric fields rewritten on a language switch; the status never says
// "ready" beside an error; and a year the opened files chose governs the
// described unit and the answer bar at once.
func TestWebOneLanguage(t *testing.T) {
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	webSettled(t, b)
	setModel := func(name string) {
		t.Helper()
		webEval[bool](t, b, `(() => { const s = document.getElementById("model"); s.value = "`+name+`"; s.dispatchEvent(new Event("change")); return true })()`)
		webSettled(t, b)
	}
	switchLang := func() {
		t.Helper()
		b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
		webSettled(t, b)
	}

	// A model with no goal measures says so in the page's language, with
	// no help text about fields that are not there.
	setModel("skane-2023")
	for _, lang := range []string{"sv", "en"} {
		if n := webEval[int](t, b, `document.querySelectorAll("#measure-inputs input").length`); n != 0 {
			t.Fatalf("skane-2023 has %d measure inputs; the test expects a model without goal measures", n)
		}
		note := webEval[string](t, b, `document.getElementById("measures-missing").textContent`)
		want := map[string]string{"sv": "betalar inget på uppföljningsmått", "en": "pays nothing on follow-up measures"}[lang]
		if !strings.Contains(note, "skane-2023") || !strings.Contains(note, want) {
			t.Errorf("%s: what no measures means for skane-2023: %q", lang, note)
		}
		if webEval[bool](t, b, `!document.getElementById("measures-help").hidden`) {
			t.Errorf("%s: the measures' help text is shown for a model without measures", lang)
		}
		switchLang()
	}

	// Every invalid measure field is marked at itself; the empty
	// denominator keeps its own message.
	setModel("halland-2019")
	for _, v := range []string{"-4", "abc"} {
		webSet(t, b, "m-care_guarantee_3d-n", v)
		webSettled(t, b)
		if msg := webFieldError(t, b, "m-care_guarantee_3d-n"); msg == "" || strings.HasPrefix(msg, "(") {
			t.Errorf("numerator %q with the denominator empty is not marked at itself: %q", v, msg)
		}
		if msg := webFieldError(t, b, "m-care_guarantee_3d-d"); !strings.Contains(msg, "båda") {
			t.Errorf("numerator %q: the empty denominator's message is %q", v, msg)
		}
	}
	webSet(t, b, "m-care_guarantee_3d-n", "")
	webSettled(t, b)

	// Numeric fields follow the language; no "ready" beside an error.
	webSet(t, b, "cni", "1,25")
	webSet(t, b, "p-0-f", "1 200")
	webSettled(t, b)
	switchLang()
	if got := webEval[[]string](t, b, `[document.getElementById("cni").value, document.getElementById("p-0-f").value]`); got[0] != "1.25" || got[1] != "1,200" {
		t.Errorf("after switching to English the fields read %q, want 1.25 and 1,200", got)
	}
	if n := webEval[int](t, b, `document.querySelectorAll("#describe-form [aria-invalid=true]").length`); n != 0 {
		t.Errorf("%d fields invalid after a language switch of valid values", n)
	}
	switchLang()
	if got := webEval[[]string](t, b, `[document.getElementById("cni").value, document.getElementById("p-0-f").value]`); got[0] != "1,25" || got[1] != "1\u00a0200" {
		t.Errorf("after switching back to Swedish the fields read %q", got)
	}
	webSet(t, b, "p-1-f", "-3")
	webSettled(t, b)
	switchLang()
	switchLang()
	if st := webEval[string](t, b, `document.getElementById("status").textContent`); strings.Contains(st, "Klar") || strings.Contains(st, "Ready") {
		t.Errorf("status %q beside an invalid field", st)
	}
	webSet(t, b, "p-1-f", "300")
	webSettled(t, b)

	// Explanation numbers are grouped like the amounts (years left alone)
	// and a negative number has the amounts' minus sign, in both languages.
	ungrouped := regexp.MustCompile(`(?:^|[\s(])(\d{4,})(?:[\s,.;:)]|$)`)
	hyphenMinus := regexp.MustCompile(`(?:^|[\s(=])-\d`)
	for range 2 {
		webPoll(t, b, `document.querySelectorAll("#describe-out ul.lines dd").length > 0`, 30*time.Second)
		expl := webEval[[]string](t, b, `[...document.querySelectorAll("#describe-out ul.lines details")].map(d => d.querySelector("dd").textContent)`)
		if len(expl) == 0 {
			t.Fatal("no explanations")
		}
		for _, e := range expl {
			for _, m := range ungrouped.FindAllStringSubmatch(e, -1) {
				if n, _ := strconv.Atoi(m[1]); len(m[1]) > 4 || n < 1900 || n > 2100 {
					t.Errorf("explanation number %s not grouped like the amounts: %q", m[1], e)
				}
			}
			if hyphenMinus.MatchString(e) {
				t.Errorf("explanation with a hyphen for a minus: %q", e)
			}
		}
		switchLang()
	}

	// Opened files of another year: the year, the described unit and the
	// answer bar all follow at once.
	years := webEval[[]string](t, b, `[...document.getElementById("year").options].map(o => o.value)`)
	other := ""
	for _, y := range years {
		if y != "2024" {
			other = y
		}
	}
	if other == "" {
		t.Fatalf("halland-2019 offers no year but 2024: %v", years)
	}
	webEval[bool](t, b, `(() => { const s = document.getElementById("year"); s.value = "`+other+`"; s.dispatchEvent(new Event("change")); return true })()`)
	webSettled(t, b)
	webPoll(t, b, `document.getElementById("answer-total").dataset.year === "`+other+`"`, 30*time.Second)
	_, paths, _ := webSynth(t, synth.Config{Persons: 3000, Seed: 5, PerUnit: 1000})
	regionInPage(t, b, paths, "halland-2019", 120*time.Second)
	if y := webEval[string](t, b, `document.getElementById("year").value`); y != "2024" {
		t.Fatalf("the year did not follow the data: %s", y)
	}
	webSettled(t, b)
	webPoll(t, b, `document.getElementById("answer-total").dataset.year === "2024"`, 30*time.Second)
	if meta := webEval[string](t, b, `document.querySelector("#describe-out .statement p.muted").textContent`); !strings.Contains(meta, "2024-01-01") {
		t.Errorf("the described unit's period is not the chosen year 2024: %q", meta)
	}

	// Funnel plots in the page's language only, switching with it.
	plots := func() string {
		return webEval[string](t, b, `[...document.querySelectorAll("#region-out .funnel svg")].map(s => s.textContent).join("\n")`)
	}
	webPoll(t, b, `document.querySelectorAll("#region-out .funnel svg").length > 0`, 60*time.Second)
	for _, lang := range []string{"sv", "en"} {
		text := plots()
		foreign := map[string][]string{
			"sv": {"Share", "Persons in the denominator", "higher is better", "lower is better", "Legend"},
			"en": {"Andel", "Antal personer i nämnaren", "högre är bättre", "lägre är bättre", "Förklaring"},
		}[lang]
		for _, w := range foreign {
			if strings.Contains(text, w) {
				t.Errorf("%s page: a funnel plot carries %q", lang, w)
			}
		}
		if own := map[string]string{"sv": "Förklaring", "en": "Legend"}[lang]; !strings.Contains(text, own) {
			t.Errorf("%s page: the funnel plots lack %q", lang, own)
		}
		if lang == "sv" {
			b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
			webPoll(t, b, `[...document.querySelectorAll("#region-out .funnel svg")].some(s => s.textContent.includes("Legend")) && !document.getElementById("region-out").dataset.busy`, 120*time.Second)
		}
	}
	b.checkOrigin(t)
}
