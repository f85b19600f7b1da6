//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/vardval/vardval/internal/calc"
	"github.com/vardval/vardval/wasm/site"
)

// The browser tests run the page in Debian's chromium (headless). They
// skip when chromium is missing unless VARDVAL_REQUIRE_BROWSER is set (CI),
// then they fail. VARDVAL_BROWSER_BENCH=1 adds the Halland-size timing;
// VARDVAL_SCREENSHOT=FILE saves a screenshot of a statement.

var webBuild struct {
	once   sync.Once
	assets site.Assets
	err    error
}

// webTestAssets builds vardval.wasm once per test binary.
func webTestAssets(t *testing.T) site.Assets {
	t.Helper()
	webBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "vardval-wasm-")
		if err != nil {
			webBuild.err = err
			return
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		path, err := webBuildWasm(ctx, filepath.Join(dir, site.WasmName))
		if err != nil {
			webBuild.err = err
			return
		}
		if webBuild.assets.Wasm, err = os.ReadFile(path); err != nil {
			webBuild.err = err
			return
		}
		p, err := webWasmExecPath(ctx)
		if err != nil {
			webBuild.err = err
			return
		}
		webBuild.assets.WasmExec, webBuild.err = os.ReadFile(p)
	})
	if webBuild.err != nil {
		t.Fatalf("building the wasm: %v", webBuild.err)
	}
	return webBuild.assets
}

func webChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("VARDVAL_REQUIRE_BROWSER") != "" {
		t.Fatal("chromium is missing and VARDVAL_REQUIRE_BROWSER is set")
	}
	t.Skip("chromium not installed (set VARDVAL_REQUIRE_BROWSER=1 to make this a failure)")
	return ""
}

// webBrowser is headless chromium for one test. Every request it makes —
// from the page, its worker or the browser itself — goes through the
// test server acting as its HTTP proxy (loopback included), which records
// it and refuses anything beyond the page's origin; the page's network
// events are recorded too.
type webBrowser struct {
	ctx      context.Context
	srv      *webRecorder
	mu       sync.Mutex
	requests []string // from the page's network events
}

// webRecorder is the test's HTTP server and the browser's proxy.
type webRecorder struct {
	*httptest.Server
	mu      sync.Mutex
	proxied []string
}

func webServer(t *testing.T, h http.Handler) *webRecorder {
	rec := &webRecorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := r.URL.String()
		if r.Method == http.MethodConnect {
			u = "CONNECT " + r.Host
		} else if !r.URL.IsAbs() {
			u = "http://" + r.Host + r.URL.RequestURI()
		}
		rec.mu.Lock()
		rec.proxied = append(rec.proxied, u)
		rec.mu.Unlock()
		if r.Method == http.MethodConnect || r.Host != rec.Listener.Addr().String() {
			http.Error(w, "refused by the test: outside the page's origin", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func newWebBrowser(t *testing.T, srv *webRecorder) *webBrowser {
	t.Helper()
	exe := webChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Quiet the browser's own services, which would otherwise reach
		// Google through the proxy (autofill, sign-in, network time,
		// component updates, optimisation hints).
		chromedp.Flag("disable-features", "Translate,AutofillServerCommunication,OptimizationHints,OptimizationGuideModelDownloading,"+
			"NetworkTimeServiceQuerying,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions"),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("allow-browser-signin", "false"),
		chromedp.Flag("disable-field-trial-config", true),
		chromedp.ProxyServer(srv.URL),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1400),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		acancel()
	})
	b := &webBrowser{ctx: ctx, srv: srv}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

// checkOrigin fails the test for any request, seen by the proxy or in the
// page's network events, that left the origin (data: and blob: URLs stay
// in the page), and checks that the worker's fetch of the module was seen
// by the proxy, so that worker requests are recorded too.
func (b *webBrowser) checkOrigin(t *testing.T) {
	t.Helper()
	origin := b.srv.URL
	b.mu.Lock()
	events := append([]string(nil), b.requests...)
	b.mu.Unlock()
	b.srv.mu.Lock()
	proxied := append([]string(nil), b.srv.proxied...)
	b.srv.mu.Unlock()
	inOrigin := func(u string) bool {
		return strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") || u == origin || strings.HasPrefix(u, origin+"/")
	}
	// The page's and the worker's own requests: every one must stay.
	for _, u := range events {
		if !inOrigin(u) {
			t.Errorf("the page or its worker requested outside its origin %s: %s", origin, u)
		}
	}
	// Everything the browser sent: the origin's files (the worker's fetch of
	// the module among them), and possibly the browser's own services,
	// which the flags above quiet but cannot all silence (component
	// updates, account checks). Those go to Google's service hosts, not
	// from the page (its CSP forbids them and its events above show none);
	// any other host fails.
	sawWasm, own := false, 0
	for _, u := range proxied {
		switch {
		case inOrigin(u):
			if strings.HasSuffix(u, "/"+site.WasmName) {
				sawWasm = true
			}
		case webBrowserService(u):
			own++
		default:
			t.Errorf("request left the page's origin %s: %s", origin, u)
		}
	}
	if !sawWasm {
		t.Errorf("the worker's request for %s was not recorded (requests: %v)", site.WasmName, proxied)
	}
	t.Logf("%d requests through the proxy (%d of them the browser's own service checks, refused) and %d page/worker network events, all to %s",
		len(proxied), own, len(events), origin)
}

// webBrowserService reports whether a proxied request is Chromium's own
// background service traffic (to Google's service hosts).
func webBrowserService(u string) bool {
	host := strings.TrimPrefix(u, "CONNECT ")
	host = strings.TrimPrefix(strings.TrimPrefix(host, "http://"), "https://")
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, ":")
	for _, d := range []string{"google.com", "googleapis.com", "gstatic.com", "gvt1.com", "gvt2.com"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// watchWorker records the network requests of the page's Web Worker from
// the moment it is found (its first requests, for the module, are seen by
// the proxy).
func (b *webBrowser) watchWorker(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.CallBrowser(ctx, target.GetTargets, target.GetTargetsParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range res.TargetInfos {
		if ti.Type != "worker" {
			continue
		}
		wctx, wcancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(ti.TargetID))
		t.Cleanup(wcancel)
		if err := chromedp.Listen(wctx, func(ev any) {
			if e, ok := ev.(*network.EventRequestWillBeSent); ok {
				b.mu.Lock()
				b.requests = append(b.requests, e.Request.URL)
				b.mu.Unlock()
			}
		}); err != nil {
			t.Fatalf("attaching to the worker: %v", err)
		}
		// Prove the worker's requests are seen: a same-origin probe.
		if err := chromedp.Do(wctx, chromedp.Evaluate[chromedp.Void](`fetch("probe-worker-network").catch(() => 0), 0`)); err != nil {
			t.Fatalf("probing the worker: %v", err)
		}
		for i := 0; i < 100; i++ {
			b.mu.Lock()
			seen := slices.ContainsFunc(b.requests, func(u string) bool { return strings.HasSuffix(u, "/probe-worker-network") })
			b.mu.Unlock()
			if seen {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("the worker's probe request was not recorded: worker network events are not observed")
	}
	t.Fatal("no worker target found")
}

func (b *webBrowser) do(t *testing.T, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func webEval[T any](t *testing.T, b *webBrowser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func webPoll(t *testing.T, b *webBrowser, expr string, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		status, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("status").textContent`))
		t.Fatalf("waiting for %s: %v (status: %q)", expr, err, status)
	}
}

// openPage loads the page and waits until the calculator has started.
func (b *webBrowser) openPage(t *testing.T, url string) {
	t.Helper()
	b.do(t, 30*time.Second, chromedp.Navigate(url))
	webPoll(t, b, `document.body.dataset.ready === "true"`, 60*time.Second)
	b.watchWorker(t)
}

func webJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// describeInPage fills the describe form with req and returns the total
// the page shows.
func describeInPage(t *testing.T, b *webBrowser, req calc.DescribeRequest) string {
	t.Helper()
	script := fmt.Sprintf(`(() => {
		const req = %s;
		const set = (id, v) => { const e = document.getElementById(id); e.value = String(v); };
		const sel = document.getElementById("model");
		sel.value = req.model; sel.dispatchEvent(new Event("change", {bubbles: true}));
		const ys = document.getElementById("year");
		ys.value = String(req.year); ys.dispatchEvent(new Event("change", {bubbles: true}));
		set("unit-name", req.name);
		document.querySelector("input[name=owner][value=" + req.owner + "]").checked = true;
		document.getElementById("compare").value = req.compare_with || "";
		req.persons.forEach((p, i) => { set("p-" + i + "-f", p.f); set("p-" + i + "-m", p.m); });
		set("acg", req.mean_acg); set("cni", req.cni);
		for (const [k, v] of Object.entries(req.contacts)) set("c-" + k, v);
		for (const m of (req.measures || [])) { set("m-" + m.id + "-n", m.numerator); set("m-" + m.id + "-d", m.denominator); }
		document.getElementById("describe-out").dataset.busy = "true";
		document.getElementById("describe-run").click();
		return true;
	})()`, webJSON(req))
	webEval[bool](t, b, script)
	webPoll(t, b, `document.getElementById("describe-out").dataset.busy === "false" && !!document.querySelector("#describe-out output.total")`, 60*time.Second)
	return webEval[string](t, b, `document.querySelector("#describe-out output.total").dataset.amount`)
}

func webDescribeRequest(t *testing.T, m calc.ModelInfo, owner string, scale int) calc.DescribeRequest {
	req := calc.DescribeRequest{Model: m.Name, Year: m.DefaultYear, Name: "Testcentralen", Owner: owner, MeanACG: "1.07", CNI: "1,35",
		Contacts: calc.Contacts{OwnDoctor: 9000 * scale, OwnOther: 15000 * scale, ElsewhereDoctor: 321, ElsewhereOther: 123, UnlistedDoctor: 45,
			UnlistedOther: 67, OutPrimaryDoctor: 400, OutPrimaryOther: 500, OutEmergency: 1500, OutDigital: 2100}}
	for i, bd := range m.Bands {
		req.Persons = append(req.Persons, calc.BandCount{From: bd.From, To: bd.To, F: (300 + 37*i) * scale, M: (280 + 41*i) * scale})
	}
	for _, mi := range m.Measures {
		req.Measures = append(req.Measures, calc.MeasureValue{ID: mi.ID, Numerator: mi.Numerator, Denominator: mi.Denominator})
	}
	return req
}

// TestWebDescribe describes a unit in the page under every embedded model
// and checks the total equals the native library's for the same input.
func TestWebDescribe(t *testing.T) {
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")

	native := calc.New()
	models, err := native.Models()
	if err != nil {
		t.Fatal(err)
	}
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	for i, m := range models {
		owner := []string{"public", "private"}[i%2]
		req := webDescribeRequest(t, m, owner, 1+i%2)
		for _, o := range models { // side by side with another model covering the year
			if o.Name != m.Name && slices.Contains(o.Years, req.Year) {
				req.CompareWith = o.Name
			}
		}
		got := describeInPage(t, b, req)
		// The native statement in the page's language, so that the
		// downloads (written in it) can be compared byte for byte.
		req.Lang = webEval[string](t, b, `document.documentElement.lang`)
		v, err := native.Describe(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if got != v.Total {
			t.Errorf("%s: the page shows %s, the native library %s", m.Name, got, v.Total)
		} else {
			t.Logf("%s: %s SEK in the page and natively", m.Name, got)
		}
		if req.CompareWith != "" {
			gotB := webEval[string](t, b, `(document.querySelector("#describe-out output.total-b") || {dataset: {}}).dataset.amount || ""`)
			if v.Compare == nil || gotB != v.Compare.B {
				t.Errorf("%s vs %s: the page shows %q, natively %+v", m.Name, req.CompareWith, gotB, v.Compare)
			} else {
				t.Logf("  compared with %s: %s SEK in the page and natively", req.CompareWith, gotB)
			}
		}
		lines := webEval[int](t, b, `document.querySelectorAll("#describe-out ul.lines > li").length`)
		if lines != len(v.Units[0].Lines) {
			t.Errorf("%s: %d lines in the page, %d natively", m.Name, lines, len(v.Units[0].Lines))
		}
		// Every line expands to its explanation, parameter, validity and source.
		if n := webEval[int](t, b, `[...document.querySelectorAll("#describe-out ul.lines details dl")].filter(d => d.querySelectorAll("dt").length >= 5).length`); n != lines {
			t.Errorf("%s: %d of %d lines have their details", m.Name, n, lines)
		}
		// The CSV download (a Blob URL) is byte-identical to the native one.
		want, err := native.Download("csv", "")
		if err != nil {
			t.Fatal(err)
		}
		b.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#describe-out button[data-download="csv"]`)))
		path := filepath.Join(downloads, want.Name)
		var data []byte
		for k := 0; k < 200; k++ {
			if data, err = os.ReadFile(path); err == nil && len(data) == len(want.Data) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !bytes.Equal(data, want.Data) {
			t.Errorf("%s: downloaded %s (%d bytes) differs from the native CSV (%d bytes)", m.Name, want.Name, len(data), len(want.Data))
		}
	}
	// Accessibility: every form control has a label, and a bad value is
	// marked invalid with the error in the status line.
	unlabelled := webEval[[]string](t, b, `[...document.querySelectorAll("input, select, button")].filter(e =>
		!(e.labels && e.labels.length) && !e.getAttribute("aria-labelledby") && !e.getAttribute("aria-label") && !(e.textContent || "").trim()).map(e => e.id || e.outerHTML)`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v", unlabelled)
	}
	webEval[bool](t, b, `(() => { const a = document.getElementById("acg"); a.value = "mycket"; document.getElementById("describe-out").dataset.busy = "true"; document.getElementById("describe-run").click(); return true })()`)
	webPoll(t, b, `document.getElementById("describe-out").dataset.busy === "false"`, 30*time.Second)
	if inv := webEval[string](t, b, `document.getElementById("acg").getAttribute("aria-invalid") || ""`); inv != "true" {
		t.Errorf("a bad ACG weight is not marked invalid (%q)", inv)
	}
	if st := webEval[string](t, b, `document.getElementById("status").className`); !strings.Contains(st, "error") {
		t.Errorf("status after a bad value has class %q", st)
	}
	webEval[bool](t, b, `(() => { document.getElementById("acg").value = "1,00"; document.getElementById("describe-run").click(); return true })()`)
	// English switch: lang attribute and texts follow.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	if l := webEval[string](t, b, `document.documentElement.lang`); l != "en" {
		t.Errorf("lang after the switch = %q", l)
	}
	if h := webEval[string](t, b, `document.getElementById("tab-describe").textContent`); h != "2a. Describe one unit" {
		t.Errorf("tab text after the switch = %q", h)
	}
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	if shot := os.Getenv("VARDVAL_SCREENSHOT"); shot != "" {
		webScreenshot(t, b, shot)
	}
	// The CSP is both a header and a meta tag.
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); got != site.HeaderCSP {
		t.Errorf("CSP header = %q", got)
	}
	if meta := webEval[string](t, b, `document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`); meta != site.CSP {
		t.Errorf("CSP meta = %q, want %q", meta, site.CSP)
	}
	b.checkOrigin(t)
}

func webScreenshot(t *testing.T, b *webBrowser, file string) {
	t.Helper()
	models := webEval[[]string](t, b, `[...document.getElementById("model").options].map(o => o.value)`)
	m := models[0]
	for _, x := range models {
		if strings.HasPrefix(x, "halland") {
			m = x
		}
	}
	webEval[bool](t, b, fmt.Sprintf(`(() => { const s = document.getElementById("model"); s.value = %q; s.dispatchEvent(new Event("change"));
		const y = document.getElementById("year"); y.value = "2024"; y.dispatchEvent(new Event("change"));
		const c = document.getElementById("compare"); c.value = "skane-2023"; c.dispatchEvent(new Event("change", {bubbles: true}));
		return true })()`, m))
	webPoll(t, b, `document.getElementById("describe-out").dataset.busy === "false" && !!document.querySelector("#describe-out output.total")`, 60*time.Second)
	webEval[bool](t, b, `(() => { const d = document.querySelectorAll("#describe-out ul.lines details"); if (d[0]) d[0].open = true; if (d[7]) d[7].open = true; const c = document.querySelector("#describe-out .compare details"); if (c) c.open = true; document.getElementById("describe-out").scrollIntoView(); return true })()`)
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	// And the viewport as a user sees it, scrolled to the measures and the
	// statement.
	webEval[bool](t, b, `(() => { document.querySelector("#describe-out .statement").scrollIntoView(); return true })()`)
	view, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(file, ".png")+"-statement.png", view, 0o644); err != nil {
		t.Fatal(err)
	}
	// The top of the page in English.
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	webEval[bool](t, b, `(() => { window.scrollTo(0, 0); return true })()`)
	en, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(file, ".png")+"-en.png", en, 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("lang")))
	t.Logf("screenshot of %s written to %s", m, file)
}
