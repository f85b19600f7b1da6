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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/internal/calc"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
	"github.com/vardval/vardval/wasm/site"
)

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
		Prescriptions: open(vardval.FilePrescriptions), Areas: open(vardval.FileAreas),
		Procedures: open(vardval.FileProcedures), Admissions: open(vardval.FileAdmissions), Clinicians: open(vardval.FileClinicians),
		Calls: open(vardval.FileCalls), Survey: open(vardval.FileSurvey)}
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
	st, err := payment.Price(ctx, m, r, period, payment.PriceOptions{})
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
	if n := webEval[int](t, b, `document.querySelectorAll("#region-out details.measure .funnel svg").length`); n == 0 {
		t.Error("no funnel plots shown")
	}
	// The measures of the follow-up files are shown with the rest, with
	// their funnel plots and a region result (so their files were read).
	for _, id := range []string{"influenza_vaccination_65plus", "avoidable_hospitalisations_per_1000", "phone_same_day",
		"doctor_contacts_by_employed", "patient_experience_participation"} {
		if !webEval[bool](t, b, `[...document.querySelectorAll("#region-out details.measure")].some(d => d.dataset.measure === "`+id+`" && d.querySelector(".funnel svg") && d.querySelector("tbody tr td.num").textContent !== "–")`) {
			t.Errorf("the region tab shows no %s with its funnel plot and a region result", id)
		}
	}
	// Every point of a plot is labelled with its unit id and focusable,
	// its name in the title shown on hover and focus.
	if bad := webEval[[]string](t, b, `[...document.querySelectorAll("#region-out .funnel svg g.pt")].filter(g => g.getAttribute("tabindex") !== "0" ||
		!g.querySelector("text") || !/^VC|^[A-Z]/.test(g.querySelector("text").textContent) || !g.querySelector("title") || !g.querySelector("title").textContent.includes(" (")).map(g => g.outerHTML.slice(0, 200))`); len(bad) > 0 {
		t.Errorf("funnel points without an id label, a focus stop or a named title: %v", bad)
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
