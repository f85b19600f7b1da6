//go:build !js

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vardval/vardval/vardval/synth"
	"github.com/vardval/vardval/wasm/site"
)

// axeSHA256 pins the vendored axe-core (testdata/axe-core/README.md).
const axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

// webAxe runs the vendored axe-core in the page's current state (injected
// through the DevTools protocol, never by the page) and fails the test on
// any serious or critical violation.
func webAxe(t *testing.T, b *webBrowser, state string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(src); hex.EncodeToString(sum[:]) != axeSHA256 {
		t.Fatalf("testdata/axe-core/axe.min.js is not the pinned axe-core 4.14.1")
	}
	if !webEval[bool](t, b, `typeof window.axe === "object"`) {
		webEval[bool](t, b, string(src)+"\n;true")
	}
	ctx, cancel := context.WithTimeout(b.ctx, 120*time.Second)
	defer cancel()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		["passes " + r.passes.length].concat(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe in %s: %v", state, err)
	}
	if len(found) == 0 || found[0] == "passes 0" {
		t.Fatalf("axe in %s checked nothing: %v", state, found)
	}
	t.Logf("axe-core %s: %s rules pass, %d serious or critical violations", state, strings.TrimPrefix(found[0], "passes "), len(found)-1)
	found = found[1:]
	for _, v := range found {
		t.Errorf("axe, %s: %s", state, v)
	}
}

// webNoOverflow fails when the page scrolls sideways at its width.
func webNoOverflow(t *testing.T, b *webBrowser, state string) {
	t.Helper()
	got := webEval[[]float64](t, b, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if got[0] > got[1] {
		wide := webEval[[]string](t, b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && e.offsetParent !== null).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("%s: the page is %v px wide in a %v px window: %v", state, got[0], got[1], wide)
	}
}

// webSet types v into the input id as a person would (input events).
func webSet(t *testing.T, b *webBrowser, id, v string) {
	t.Helper()
	webEval[bool](t, b, fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.focus(); e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, id, v))
}

// webSettled waits until the describe form has been computed or refused.
func webSettled(t *testing.T, b *webBrowser) {
	t.Helper()
	webPoll(t, b, `document.getElementById("describe-out").dataset.busy === "false"`, 60*time.Second)
}

// webFieldError returns the message tied to input id (aria-invalid and
// aria-describedby), or "" when the field is not marked invalid.
func webFieldError(t *testing.T, b *webBrowser, id string) string {
	t.Helper()
	return webEval[string](t, b, fmt.Sprintf(`(() => { const e = document.getElementById(%q);
		if (e.getAttribute("aria-invalid") !== "true") return "";
		const ids = (e.getAttribute("aria-describedby") || "").split(" ");
		const m = ids.map(i => document.getElementById(i)).find(x => x && x.classList.contains("field-error"));
		if (!m) return "(no message tied to the field)";
		const near = e.parentElement.contains(m);
		return (near ? "" : "(message not beside the field) ") + m.textContent })()`, id))
}

// TestWebPage uses the page as a person would, at desktop width and at
// 390 px, in Swedish and English, with good and bad numbers and broken
// files: bad values are marked at their field with no total shown,
// measure inputs start empty, the answer stays in view, rejected rows
// are shown beside the region total, nothing scrolls sideways at 390 px,
// the focus ring contrasts, and axe-core finds no serious or critical
// violation in any state.
func TestWebPage(t *testing.T) {
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	webSettled(t, b)
	webAxe(t, b, "start, Swedish")

	// Nothing invented: measure inputs start empty and the page says what
	// an empty measure means for the model.
	webEval[bool](t, b, `(() => { const s = document.getElementById("model"); s.value = "halland-2019"; s.dispatchEvent(new Event("change")); return true })()`)
	webSettled(t, b)
	if filled := webEval[[]string](t, b, `[...document.querySelectorAll("#measure-inputs input")].filter(i => i.value !== "").map(i => i.id)`); len(filled) > 0 {
		t.Errorf("measure inputs filled in without anyone entering them: %v", filled)
	}
	if note := webEval[string](t, b, `document.getElementById("measures-missing").textContent`); !strings.Contains(note, "halland-2019") || !strings.Contains(note, "fullt avdrag") {
		t.Errorf("no note on what an empty measure means under halland-2019 (missing: full): %q", note)
	}
	if amt := webEval[string](t, b, `document.getElementById("answer-total").dataset.amount || ""`); amt == "" {
		t.Fatal("no total in the answer bar for a valid form")
	}

	// One year list, not beyond next year.
	years := webEval[[]int](t, b, `[...document.getElementById("year").options].map(o => Number(o.value))`)
	next := time.Now().Year() + 1
	for _, y := range years {
		if y > next {
			t.Errorf("the year list runs to %d, beyond next year %d: %v", y, next, years)
		}
	}
	if n := webEval[int](t, b, `document.querySelectorAll("select[id$=year]").length`); n != 1 {
		t.Errorf("%d year selectors", n)
	}

	// Bad numbers, each at its field, in Swedish.
	for _, tc := range []struct{ id, value, want string }{
		{"p-0-f", "-500", "negativt"},
		{"p-1-m", "12.5", "heltal"},
		{"c-own_doctor", "många", "tal"},
		{"c-out_digital", "1e20", "tal"},
		{"acg", "5000", "1 000"},
		{"m-care_guarantee_3d-n", "80", "båda"}, // the denominator is then marked
	} {
		webSet(t, b, tc.id, tc.value)
		webSettled(t, b)
		field := tc.id
		if strings.HasSuffix(field, "-n") {
			field = strings.TrimSuffix(field, "-n") + "-d"
		}
		msg := webFieldError(t, b, field)
		if msg == "" || strings.HasPrefix(msg, "(") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s = %q: field message %q, want one containing %q", tc.id, tc.value, msg, tc.want)
		}
		if webEval[bool](t, b, `!!document.querySelector("#describe-out output.total") || !!document.getElementById("answer-total").dataset.amount`) {
			t.Errorf("%s = %q: a total is shown while a field is invalid", tc.id, tc.value)
		}
	}
	text := webEval[string](t, b, `document.body.innerText`)
	for _, bad := range []string{"calc:", "json:", "Go struct", "unmarshal", "request:"} {
		if strings.Contains(text, bad) {
			t.Errorf("the page shows %q to a person", bad)
		}
	}
	webAxe(t, b, "invalid fields, Swedish")
	// The same messages in English.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	webSettled(t, b)
	if msg := webFieldError(t, b, "p-0-f"); !strings.Contains(msg, "negative") {
		t.Errorf("English message for -500: %q", msg)
	}
	webAxe(t, b, "invalid fields, English")
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	// Corrected, the total comes back.
	for id, v := range map[string]string{"p-0-f": "500", "p-1-m": "12", "c-own_doctor": "9000", "c-out_digital": "2000", "acg": "1,05", "m-care_guarantee_3d-n": ""} {
		webSet(t, b, id, v)
	}
	webSettled(t, b)
	if n := webEval[int](t, b, `document.querySelectorAll("#describe-form [aria-invalid=true]").length`); n != 0 {
		t.Errorf("%d fields still marked invalid after correcting them", n)
	}
	if amt := webEval[string](t, b, `document.getElementById("answer-total").dataset.amount || ""`); amt == "" {
		t.Error("no total after the fields were corrected")
	}
	// A measure with a numerator above its denominator.
	webSet(t, b, "m-care_guarantee_3d-n", "90")
	webSet(t, b, "m-care_guarantee_3d-d", "80")
	webSettled(t, b)
	if msg := webFieldError(t, b, "m-care_guarantee_3d-n"); !strings.Contains(msg, "större än nämnaren") {
		t.Errorf("numerator above denominator: %q", msg)
	}
	webSet(t, b, "m-care_guarantee_3d-n", "")
	webSet(t, b, "m-care_guarantee_3d-d", "")
	webSettled(t, b)

	// English statement: line names and explanations in English, numbers
	// the English way; Swedish: Swedish.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	webSettled(t, b)
	webPoll(t, b, `[...document.querySelectorAll("#describe-out .lname")].some(e => e.textContent.startsWith("Age-weighted health-care payment"))`, 30*time.Second)
	webAxe(t, b, "statement, English")
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	webSettled(t, b)
	webPoll(t, b, `[...document.querySelectorAll("#describe-out .lname")].some(e => e.textContent.startsWith("Kostnadsansvar"))`, 30*time.Second)
	if expl := webEval[string](t, b, `[...document.querySelectorAll("#describe-out ul.lines dd")].map(d => d.textContent).join(" | ")`); strings.Contains(expl, "listed person-months") || !strings.Contains(expl, "listade personmånader") {
		t.Errorf("Swedish explanations are not Swedish: %.300s", expl)
	}

	// The focus ring contrasts at least 3:1 with the background.
	ratio := webEval[float64](t, b, `(() => {
		const i = document.getElementById("acg"); i.focus({focusVisible: true});
		const lum = (c) => { const m = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4) }); return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2] };
		const ring = getComputedStyle(i).outlineColor;
		let bg = "rgb(255, 255, 255)"; for (let e = i.parentElement; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; if (c && c !== "rgba(0, 0, 0, 0)" && c !== "transparent") { bg = c; break } }
		const a = lum(ring), c = lum(bg); return (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05) })()`)
	if ratio < 3 {
		t.Errorf("focus ring contrast %.2f:1, want at least 3:1", ratio)
	}

	// The answer stays in view while a field far down the form is edited.
	webEval[bool](t, b, `(() => { const e = document.getElementById("c-out_digital"); e.scrollIntoView({block: "center"}); e.focus(); return true })()`)
	if !webEval[bool](t, b, `(() => { const r = document.getElementById("answer-total").getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 })()`) {
		t.Error("the total is not in view while editing the contacts")
	}

	// Broken files: rejected rows beside the total, counts per file, the
	// reasons with file, line and column, in the page's language.
	dir, paths, _ := webSynth(t, synth.Config{Persons: 3000, Seed: 11, PerUnit: 1000})
	breakRows(t, filepath.Join(dir, "listings.csv"), map[int]map[string]string{3: {"from": "2024-13-01"}, 5: {"unit_id": "NOPE"}, 8: {"sex": "X"}})
	breakRows(t, filepath.Join(dir, "contacts.csv"), map[int]map[string]string{2: {"date": "2024-01-32"}})
	regionInPage(t, b, paths, "skane-2023", 120*time.Second)
	counts := webEval[map[string]string](t, b, `Object.fromEntries([...document.querySelectorAll("#region-rejected li[data-rejected]")].map(e => [e.dataset.file, e.dataset.rejected]))`)
	if counts["listings.csv"] != "3" || counts["contacts.csv"] == "" {
		t.Errorf("rejected rows per file beside the total: %v", counts)
	}
	if !webEval[bool](t, b, `(() => { const w = document.getElementById("region-rejected"), tot = document.getElementById("region-total"); return !!w && !!tot && w.closest(".statement") === tot.closest(".statement") && w.offsetParent !== null })()`) {
		t.Error("the rejected-rows warning is not shown beside the region total")
	}
	reasons := webEval[[]string](t, b, `[...document.querySelectorAll("#rejections li[data-line]")].map(e => e.textContent)`)
	if len(reasons) < 4 || !strings.Contains(strings.Join(reasons, "\n"), "listings.csv, rad 4, kolumn from") {
		t.Errorf("rejection reasons: %q", reasons)
	}
	if j := strings.Join(reasons, "\n"); strings.Contains(j, "is not a real date") || !strings.Contains(j, "inget riktigt datum") {
		t.Errorf("Swedish rejection reasons are not Swedish: %q", reasons)
	}
	webAxe(t, b, "region with rejected rows, Swedish")
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	webPoll(t, b, `[...document.querySelectorAll("#rejections li[data-line]")].some(e => e.textContent.includes("line 4, column from") && e.textContent.includes("is not a real date"))`, 60*time.Second)
	webAxe(t, b, "region with rejected rows, English")

	// A file that cannot be read: no amounts, the file and why, in the
	// page's language.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	// (Fresh copies: the browser refuses to read a chosen file changed
	// since, which the page reports as such.)
	fresh := t.TempDir()
	for i, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(p) == "listings.csv" {
			raw = []byte(strings.Replace(string(raw), "person_id,", "person,", 1))
		}
		paths[i] = filepath.Join(fresh, filepath.Base(p))
		if err := os.WriteFile(paths[i], raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	webEval[bool](t, b, `(() => { document.getElementById("tab-region").click(); return true })()`)
	b.do(t, 30*time.Second, chromedp.SetUploadFiles(chromedp.ID("files"), paths))
	webPoll(t, b, `!document.getElementById("region-run").disabled`, 10*time.Second)
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("region-run")))
	webPoll(t, b, `!document.getElementById("region-error").hidden`, 60*time.Second)
	if msg := webEval[string](t, b, `document.getElementById("region-error").textContent`); !strings.Contains(msg, "listings.csv kunde inte läsas") || !strings.Contains(msg, "person_id") || !strings.Contains(msg, "saknas") {
		t.Errorf("unreadable listings.csv: %q (field %q)", msg, webEval[string](t, b, `document.getElementById("region-error").dataset.field || ""`))
	}
	if webEval[bool](t, b, `!!document.getElementById("region-total")`) {
		t.Error("a region total is shown for files that could not be read")
	}
	webAxe(t, b, "unreadable file, Swedish")

	// A phone: nothing scrolls sideways, in both tabs and languages.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	b.do(t, 10*time.Second, chromedp.EmulateViewport(390, 844))
	for _, lang := range []string{"en", "sv"} {
		webEval[bool](t, b, `(() => { document.getElementById("tab-region").click(); for (const d of document.querySelectorAll("#region-out details")) d.open = true; return true })()`)
		time.Sleep(200 * time.Millisecond)
		webNoOverflow(t, b, "region tab at 390 px, "+lang)
		webAxe(t, b, "region tab at 390 px, "+lang)
		webEval[bool](t, b, `(() => { document.getElementById("tab-describe").click(); for (const d of document.querySelectorAll("#describe-out details")) d.open = true; return true })()`)
		webSet(t, b, "p-0-f", "-1")
		webSettled(t, b)
		webNoOverflow(t, b, "describe tab, invalid, at 390 px, "+lang)
		webSet(t, b, "p-0-f", "300")
		webSettled(t, b)
		webEval[bool](t, b, `(() => { for (const d of document.querySelectorAll("#describe-out details")) d.open = true; return true })()`)
		webNoOverflow(t, b, "describe tab at 390 px, "+lang)
		webAxe(t, b, "describe tab at 390 px, "+lang)
		if shot := os.Getenv("VARDVAL_SCREENSHOT"); shot != "" {
			for i, at := range []string{"measures-box", "describe-out"} {
				webEval[bool](t, b, fmt.Sprintf(`(() => { document.getElementById(%q).scrollIntoView(); return true })()`, at))
				ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				cancel()
				if err == nil {
					err = os.WriteFile(fmt.Sprintf("%s-390-%s-%d.png", strings.TrimSuffix(shot, ".png"), lang, i), png, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		if lang == "en" {
			b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
			webSettled(t, b)
		}
	}
	b.checkOrigin(t)
}

// breakRows rewrites the CSV file's data rows (1 = the first after the
// header) with the given column values.
func breakRows(t *testing.T, path string, rows map[int]map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	head := strings.Split(lines[0], ",")
	for n, cols := range rows {
		f := strings.Split(lines[n], ",")
		for c, v := range cols {
			for i, h := range head {
				if h == c {
					f[i] = v
				}
			}
		}
		lines[n] = strings.Join(f, ",")
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}
