//go:build !js

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/internal/calc"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
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

// webSynth writes a synthetic region into a new directory and returns the
// file paths.
func webSynth(t *testing.T, cfg synth.Config) (string, []string, synth.Summary) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	var ws []*bufio.Writer
	var fs []*os.File
	open := func(name string) *bufio.Writer {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		fs = append(fs, f)
		w := bufio.NewWriterSize(f, 1<<20)
		ws = append(ws, w)
		return w
	}
	w := synth.Writers{Units: open(vardval.FileUnits), Listings: open(vardval.FileListings), Contacts: open(vardval.FileContacts),
		Diagnoses: open(vardval.FileDiagnoses), Observations: open(vardval.FileObservations),
		Prescriptions: open(vardval.FilePrescriptions), Areas: open(vardval.FileAreas)}
	sum, err := synth.Generate(context.Background(), cfg, w)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ws {
		if err := ws[i].Flush(); err != nil {
			t.Fatal(err)
		}
		if err := fs[i].Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dir, paths, sum
}

// nativeTotals prices dir natively: Load, measures.Compute and payment.Run
// for the year of the latest contact, as the page chooses it, and returns
// the unit totals and the region total from payment's JSON.
func nativeTotals(t *testing.T, dir, model string) (map[string]string, string) {
	t.Helper()
	return nativeMonthTotals(t, dir, model, 0)
}

// nativeMonthTotals is nativeTotals for month 1–12 of that year (0: the
// whole year).
func nativeMonthTotals(t *testing.T, dir, model string, month int) (map[string]string, string) {
	t.Helper()
	ctx := context.Background()
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	r, rep, ok := loadDir(ctx, e, dir, nil)
	if !ok {
		t.Fatalf("loading %s: %s", dir, e.stderr)
	}
	m, err := loadModel(model)
	if err != nil {
		t.Fatal(err)
	}
	var latest vardval.Date
	for _, c := range r.Contacts {
		if c.Date.After(latest) {
			latest = c.Date
		}
	}
	period := vardval.Period{From: vardval.D(int(latest.Year), 1, 1), To: vardval.D(int(latest.Year), 12, 31)}
	if month > 0 {
		period = vardval.MonthPeriod(vardval.YearMonth{Year: int(latest.Year), Month: month})
	}
	mrep, err := measures.Compute(ctx, r, period, measures.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Run(ctx, m, r, period, payment.RunOptions{Measures: mrep.Result})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := payment.WriteJSON(&buf, st, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Total string `json:"total"`
		Units []struct {
			UnitID string `json:"unit_id"`
			Total  string `json:"total"`
		} `json:"units"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, u := range doc.Units {
		out[u.UnitID] = u.Total
	}
	return out, doc.Total
}

// regionInPage opens the files through the file input, computes under
// model and returns the unit totals and the region total the page shows.
func regionInPage(t *testing.T, b *webBrowser, paths []string, model string, timeout time.Duration) (map[string]string, string) {
	t.Helper()
	webEval[bool](t, b, fmt.Sprintf(`(() => {
		document.getElementById("tab-region").click();
		const s = document.getElementById("model"); s.value = %q; s.dispatchEvent(new Event("change"));
		document.getElementById("region-out").textContent = "";
		return true })()`, model))
	b.do(t, 30*time.Second, chromedp.SetUploadFiles(chromedp.ID("files"), paths))
	webPoll(t, b, `!document.getElementById("region-run").disabled`, 10*time.Second)
	b.do(t, 10*time.Second, chromedp.Click(chromedp.ID("region-run")))
	webPoll(t, b, `!!document.getElementById("region-total")`, timeout)
	units := webEval[map[string]string](t, b, `Object.fromEntries([...document.querySelectorAll("td[data-unit-total]")].map(e => [e.dataset.unitTotal, e.dataset.amount]))`)
	total := webEval[string](t, b, `document.getElementById("region-total").dataset.amount`)
	return units, total
}

// TestWebRegion opens a synthetic region's CSVs through the file input and
// checks every unit's total against the native run, for every model.
func TestWebRegion(t *testing.T) {
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	dir, paths, _ := webSynth(t, synth.Config{Persons: 6000, Seed: 7, PerUnit: 1500})
	models, err := calc.New().Models()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range models {
		units, total := regionInPage(t, b, paths, m.Name, 60*time.Second)
		want, wantTotal := nativeTotals(t, dir, m.Name)
		if total != wantTotal {
			t.Errorf("%s: region total %s in the page, %s natively", m.Name, total, wantTotal)
		}
		if len(units) != len(want) {
			t.Errorf("%s: %d units in the page, %d natively", m.Name, len(units), len(want))
		}
		for id, w := range want {
			if units[id] != w {
				t.Errorf("%s: unit %s: %q in the page, %s natively", m.Name, id, units[id], w)
			}
		}
		t.Logf("%s: %d units, region total %s, equal to native", m.Name, len(units), total)
	}
	if n := webEval[int](t, b, `document.querySelectorAll("#region-out details.measure img").length`); n == 0 {
		t.Error("no funnel plots shown")
	}
	// The region stays loaded: another model, then one month of it, is
	// priced again without reading the files.
	for _, step := range []struct {
		model    string
		month    int
		from, to string
	}{{"skane-2023", 0, "-01-01", "-12-31"}, {"skane-2023", 3, "-03-01", "-03-31"}, {"halland-2019", 3, "-03-01", "-03-31"}} {
		webEval[bool](t, b, fmt.Sprintf(`(() => {
			const s = document.getElementById("model"); if (s.value !== %[1]q) { s.value = %[1]q; s.dispatchEvent(new Event("change")); }
			const m = document.getElementById("region-month"); if (m.value !== "%[2]d") { m.value = "%[2]d"; m.dispatchEvent(new Event("change")); }
			return true })()`, step.model, step.month))
		webPoll(t, b, fmt.Sprintf(`(() => { const e = document.getElementById("region-total"); return !!e && e.dataset.model === %q && e.dataset.from.endsWith(%q) && e.dataset.to.endsWith(%q) && document.getElementById("region-out").dataset.busy === undefined })()`, step.model, step.from, step.to), 60*time.Second)
		units := webEval[map[string]string](t, b, `Object.fromEntries([...document.querySelectorAll("td[data-unit-total]")].map(e => [e.dataset.unitTotal, e.dataset.amount]))`)
		total := webEval[string](t, b, `document.getElementById("region-total").dataset.amount`)
		want, wantTotal := nativeMonthTotals(t, dir, step.model, step.month)
		if total != wantTotal || !cmp.Equal(units, want) {
			t.Errorf("%s month %d: repriced in the page %s %v, natively %s %v", step.model, step.month, total, units, wantTotal, want)
		}
		if stages := webEval[string](t, b, `document.getElementById("region-out").dataset.stagesMs`); strings.Contains(stages, "read") {
			t.Errorf("%s month %d: repricing read the files again: %s", step.model, step.month, stages)
		}
		t.Logf("%s month %d: repriced in %s ms, total %s, equal to native", step.model, step.month, webEval[string](t, b, `document.getElementById("region-out").dataset.elapsedMs`), total)
	}
	if shot := os.Getenv("VARDVAL_SCREENSHOT"); shot != "" {
		webEval[bool](t, b, `(() => { const d = document.querySelectorAll("#region-out details.measure"); for (const x of d) { if (x.dataset.measure === "ed_visits_per_1000") { x.open = true; x.scrollIntoView(); } } return true })()`)
		time.Sleep(300 * time.Millisecond)
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(strings.TrimSuffix(shot, ".png")+"-region.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
		webEval[bool](t, b, `(() => { document.getElementById("region-out").scrollIntoView(); return true })()`)
		ctx, cancel = context.WithTimeout(b.ctx, 30*time.Second)
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(strings.TrimSuffix(shot, ".png")+"-units.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.checkOrigin(t)
}

// TestWebExport exports the static site and renders a statement from it,
// served by a plain file server (the CSP then comes from the meta tag).
func TestWebExport(t *testing.T) {
	assets := webTestAssets(t)
	dir := t.TempDir()
	wasmFile := filepath.Join(t.TempDir(), site.WasmName)
	if err := os.WriteFile(wasmFile, assets.Wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := cmdWeb(context.Background(), &env{stdout: &out, stderr: &errb}, []string{"--export", dir, "--wasm", wasmFile}); code != 0 {
		t.Fatalf("vardval web --export: %d: %s", code, errb.String())
	}
	for _, n := range []string{"index.html", site.WasmName, site.WasmExecName, "worker.js", "app.js", "style.css"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("export lacks %s", n)
		}
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(assets.Wasm)
	zw.Close()
	t.Logf("vardval.wasm: %.2f MB raw, %.2f MB gzipped (-9)", float64(len(assets.Wasm))/1e6, float64(gz.Len())/1e6)
	srv := webServer(t, http.FileServer(http.Dir(dir)))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	webPoll(t, b, `document.getElementById("describe-out").dataset.busy === "false" && !!document.querySelector("#describe-out output.total")`, 60*time.Second)
	amount := webEval[string](t, b, `document.querySelector("#describe-out output.total").dataset.amount`)
	if amount == "" || amount == "0.00" {
		t.Errorf("the exported site shows total %q", amount)
	}
	t.Logf("exported site renders a statement of %s SEK", amount)
	b.checkOrigin(t)
}

// TestWebBench times a Halland-size region (343,000 persons, a year of
// contacts) in the page. It runs only with VARDVAL_BROWSER_BENCH=1 and logs
// the figure; nothing is asserted about speed.
func TestWebBench(t *testing.T) {
	if os.Getenv("VARDVAL_BROWSER_BENCH") == "" {
		t.Skip("set VARDVAL_BROWSER_BENCH=1 to time a Halland-size region in the browser (VARDVAL_BROWSER_BENCH_PERSONS=1400000 for Skåne size)")
	}
	persons := 343000
	if n, err := strconv.Atoi(os.Getenv("VARDVAL_BROWSER_BENCH_PERSONS")); err == nil && n > 0 {
		persons = n
	}
	assets := webTestAssets(t)
	srv := webServer(t, site.Handler(assets))
	b := newWebBrowser(t, srv)
	b.openPage(t, srv.URL+"/")
	start := time.Now()
	dir, paths, sum := webSynth(t, synth.Config{Persons: persons, Seed: 1})
	var size int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			size += st.Size()
		}
	}
	t.Logf("synthetic region: %.1f MB of CSV (%d persons, %d listings, %d contacts, %d diagnoses, %d observations, %d prescriptions), generated in %v",
		float64(size)/1e6, sum.Persons, sum.Listings, sum.Contacts, sum.Diagnoses, sum.Observations, sum.Prescriptions, time.Since(start).Round(time.Millisecond))
	model := "halland-2019"
	start = time.Now()
	units, total := regionInPage(t, b, paths, model, 20*time.Minute)
	wall := time.Since(start)
	inPage := webEval[float64](t, b, `Number(document.getElementById("region-out").dataset.elapsedMs) / 1000`)
	mem := webEval[float64](t, b, `Number(document.getElementById("region-out").dataset.memoryBytes)`)
	t.Logf("stages in the worker (ms; read = reading the files and intake): %s", webEval[string](t, b, `document.getElementById("region-out").dataset.stagesMs`))
	t.Logf("BROWSER-BENCH %s: %d units, total %s: %.1f s in the worker, %v wall from click to rendered, wasm memory %.0f MB",
		model, len(units), total, inPage, wall.Round(time.Millisecond), mem/1e6)
	start = time.Now()
	want, wantTotal := nativeTotals(t, dir, model)
	t.Logf("native: %v", time.Since(start).Round(time.Millisecond))
	if total != wantTotal || len(units) != len(want) {
		t.Errorf("page total %s over %d units, native %s over %d", total, len(units), wantTotal, len(want))
	}
	// Months of the loaded region under the Skåne model, without reading
	// the files again: the statement first, then the measures.
	for _, month := range []int{3, 4} {
		start = time.Now()
		webEval[bool](t, b, fmt.Sprintf(`(() => {
			const s = document.getElementById("model"); if (s.value !== "skane-2023") { s.value = "skane-2023"; s.dispatchEvent(new Event("change")); }
			const m = document.getElementById("region-month"); m.value = "%d"; m.dispatchEvent(new Event("change"));
			return true })()`, month))
		webPoll(t, b, fmt.Sprintf(`(() => { const e = document.getElementById("region-total"); return !!e && e.dataset.model === "skane-2023" && e.dataset.from.endsWith("-%02d-01") && document.getElementById("region-out").dataset.busy === undefined })()`, month), 10*time.Minute)
		t.Logf("BROWSER-BENCH skane-2023 month %d: statement after %s ms in the worker, with measures and funnel plots %s ms (stages %s), %v wall",
			month, webEval[string](t, b, `document.getElementById("region-out").dataset.statementMs`), webEval[string](t, b, `document.getElementById("region-out").dataset.elapsedMs`),
			webEval[string](t, b, `document.getElementById("region-out").dataset.stagesMs`), time.Since(start).Round(time.Millisecond))
	}
}

// TestWebServe runs `vardval web` on a free port with a prebuilt module and
// checks it serves the page with its CSP, then stops on interrupt.
func TestWebServe(t *testing.T) {
	dir := t.TempDir()
	wasmFile, execFile := filepath.Join(dir, site.WasmName), filepath.Join(dir, site.WasmExecName)
	if err := os.WriteFile(wasmFile, []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(execFile, []byte("// wasm_exec"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cmdWeb(ctx, &env{stdout: pw, stderr: &errb}, []string{"--addr", "127.0.0.1:0", "--wasm", wasmFile, "--wasm-exec", execFile})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v (%s)", err, errb.String())
	}
	go io.Copy(io.Discard, pr)
	_, rest, _ := strings.Cut(line, "http://")
	base, _, _ := strings.Cut(rest, "/")
	for _, tc := range []struct{ path, ctype string }{{"/", "text/html; charset=utf-8"}, {"/" + site.WasmName, "application/wasm"}, {"/" + site.WasmExecName, "text/javascript; charset=utf-8"}} {
		resp, err := http.Get("http://" + base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.ctype || resp.Header.Get("Content-Security-Policy") != site.HeaderCSP {
			t.Errorf("%s: %d %q csp=%q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d after interrupt: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("vardval web did not stop on interrupt")
	}
	// Usage errors.
	var out bytes.Buffer
	if code := cmdWeb(context.Background(), &env{stdout: &out, stderr: &out}, []string{"extra"}); code != 2 {
		t.Errorf("stray argument: status %d", code)
	}
	if code := cmdWeb(context.Background(), &env{stdout: &out, stderr: &out}, []string{"--wasm", filepath.Join(dir, "missing.wasm")}); code != 2 {
		t.Errorf("missing module: status %d", code)
	}
}
