//go:build !js

package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
	"github.com/vardval/vardval/wasm/site"
)

// nativeVaried prices dir natively over from..to (the page's period)
// under model changed by overrides (payment.Price of m.With(overrides)).
func nativeVaried(t *testing.T, dir, model, from, to string, overrides ...payment.Override) (map[string]string, string) {
	t.Helper()
	ctx := context.Background()
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	r, _, ok := loadDir(ctx, e, dir, nil)
	if !ok {
		t.Fatalf("loading %s: %s", dir, e.stderr)
	}
	m, err := loadModel(model)
	if err != nil {
		t.Fatal(err)
	}
	if m, err = m.With(overrides...); err != nil {
		t.Fatal(err)
	}
	var p vardval.Period
	if p.From, err = vardval.ParseDate(from); err == nil {
		p.To, err = vardval.ParseDate(to)
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Price(ctx, m, r, p, payment.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]string{}
	for _, u := range st.Units {
		units[u.UnitID] = st.Rounding.Format(u.Total)
	}
	return units, st.Rounding.Format(st.Total)
}

// TestWebSlider loads a region, chooses skane-2023's CNI share on the
// region tab's slider, moves it with the keyboard from 15 % to 10 % and
// checks that the region total, the difference and every unit's amount
// are those of payment.Price of the model with that share (the ACG
// case-mix share, the pool's largest other, taking up the difference) to the öre; that the value is
// shown in the page's language and number format; and, at 390 px in both
// languages, that nothing scrolls sideways and axe-core finds no serious
// or critical violation. Nothing is sent anywhere.
func TestWebSlider(t *testing.T) {
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	dir, paths, _ := webSynth(t, synth.Config{Persons: 4000, Seed: 11, PerUnit: 1000})
	_, baseTotal := regionInPage(t, b, paths, "skane-2023", 60*time.Second)
	from := webEval[string](t, b, `document.getElementById("region-total").dataset.from`)
	to := webEval[string](t, b, `document.getElementById("region-total").dataset.to`)
	settled := `(() => { const x = document.getElementById("vary-box"); return !x.hidden && x.dataset.busy === undefined && !!document.getElementById("vary-slider") })()`
	webPoll(t, b, settled, 60*time.Second)

	cni, acg := "components[0].shares[2].share", "components[0].shares[0].share"
	if !webEval[bool](t, b, `[...document.getElementById("vary-param").options].some(o => o.value === "`+cni+`")`) {
		t.Fatalf("the slider offers no CNI share: %v", webEval[[]string](t, b, `[...document.getElementById("vary-param").options].map(o => o.value)`))
	}
	webEval[bool](t, b, `(() => { const s = document.getElementById("vary-param"); s.value = "`+cni+`"; s.dispatchEvent(new Event("change")); return true })()`)
	webPoll(t, b, settled+` && document.getElementById("vary-box").dataset.key === "`+cni+`"`, 60*time.Second)
	if got := webEval[[]string](t, b, `[document.getElementById("vary-box").dataset.value, document.getElementById("vary-value").textContent, document.getElementById("vary-total").dataset.amount, document.getElementById("vary-diff").dataset.amount]`); !cmp.Equal(got, []string{"0.15", "0,15 (15\u00a0%)", baseTotal, "0.00"}) {
		t.Errorf("at the model's own CNI share: %q, want 0.15 shown as 0,15 (15 %%), the region's total %s and no difference", got, baseTotal)
	}
	if lbl := webEval[string](t, b, `(() => { const s = document.getElementById("vary-slider"); return s.labels.length ? s.labels[0].textContent : "" })()`); lbl == "" {
		t.Error("the slider has no label")
	}

	// Five steps down with the keyboard: 0.15 → 0.10.
	b.do(t, 10*time.Second, chromedp.Focus(chromedp.ID("vary-slider")))
	for range 5 {
		b.do(t, 10*time.Second, chromedp.KeyEvent(kb.ArrowLeft))
	}
	webPoll(t, b, settled+` && document.getElementById("vary-box").dataset.value === "0.1"`, 60*time.Second)
	units, total := nativeVaried(t, dir, "skane-2023", from, to,
		payment.Override{Key: cni, Value: decimal.RequireFromString("0.10")}, payment.Override{Key: acg, Value: decimal.RequireFromString("0.55")})
	if got := webEval[string](t, b, `document.getElementById("vary-total").dataset.amount`); got != total {
		t.Errorf("CNI share 10 %%: region total %s in the page, %s natively", got, total)
	}
	diff := decimal.RequireFromString(total).Sub(decimal.RequireFromString(baseTotal)).StringFixed(2)
	if got := webEval[string](t, b, `document.getElementById("vary-diff").dataset.amount`); got != diff || diff == "0.00" {
		t.Errorf("CNI share 10 %%: difference %s in the page, want %s (not zero)", got, diff)
	}
	if got := webEval[map[string]string](t, b, `Object.fromEntries([...document.querySelectorAll("td[data-vary-unit]")].map(e => [e.dataset.varyUnit, e.dataset.amount]))`); !cmp.Equal(got, units) {
		t.Errorf("CNI share 10 %%: units in the page %v, natively %v", got, units)
	}
	if got := webEval[[]string](t, b, `[document.getElementById("vary-value").textContent, document.getElementById("vary-slider").getAttribute("aria-valuetext"), document.getElementById("vary-total").textContent]`); got[0] != "0,1 (10\u00a0%)" || got[1] != got[0] || !strings.HasSuffix(got[2], "\u00a0kr") || !strings.Contains(got[2], ",") {
		t.Errorf("Swedish value and total: %q", got)
	}
	if bal := webEval[string](t, b, `document.getElementById("vary-balance").textContent`); !strings.Contains(bal, "0,55") {
		t.Errorf("the ACG share taking up the difference is not shown as 0,55: %q", bal)
	}
	t.Logf("CNI share 10 %%: %s (model: %s), priced in %s ms", total, baseTotal, webEval[string](t, b, `document.getElementById("vary-box").dataset.ms`))

	// English: the same value, the page's English number format.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	webPoll(t, b, settled+` && document.getElementById("vary-value").textContent === "0.1 (10\u00a0%)"`, 60*time.Second)
	if got := webEval[string](t, b, `document.getElementById("vary-total").dataset.amount`); got != total {
		t.Errorf("in English: region total %s, want %s", got, total)
	}

	// A phone, both languages.
	b.do(t, 10*time.Second, chromedp.EmulateViewport(390, 844))
	for _, lang := range []string{"en", "sv"} {
		webEval[bool](t, b, `(() => { document.getElementById("vary-box").scrollIntoView(); return true })()`)
		time.Sleep(200 * time.Millisecond)
		webNoOverflow(t, b, "slider at 390 px, "+lang)
		webAxe(t, b, "slider at 390 px, "+lang)
		if shot := os.Getenv("VARDVAL_SCREENSHOT"); shot != "" {
			ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			cancel()
			if err == nil {
				err = os.WriteFile(strings.TrimSuffix(shot, ".png")+"-slider-390-"+lang+".png", png, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if lang == "en" {
			b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
			webPoll(t, b, settled+` && document.getElementById("vary-value").textContent.startsWith("0,1")`, 60*time.Second)
		}
	}
	b.checkOrigin(t)
}
