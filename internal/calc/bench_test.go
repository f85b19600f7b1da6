package calc

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vardval/vardval/vardval/synth"
)

// benchLoaded returns a Calculator holding a loaded synthetic region of
// VARDVAL_BENCH_PERSONS persons (default 100,000; 1400000 is Skåne's size).
func benchLoaded(b *testing.B) *Calculator {
	b.Helper()
	persons := 100_000
	if n, err := strconv.Atoi(os.Getenv("VARDVAL_BENCH_PERSONS")); err == nil && n > 0 {
		persons = n
	}
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: persons, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	c := New()
	if _, err := c.Region(context.Background(), RegionRequest{Model: "skane-2023", Year: 2024, NoMeasures: true}, asFiles(files), nil); err != nil {
		b.Fatal(err)
	}
	return c
}

// benchReprice prices months 3 and 4 of 2024 of the loaded region in turn
// under the Skåne model, as the page does when the month is changed.
func benchReprice(b *testing.B, noMeasures bool) {
	c := benchLoaded(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	month := 3
	for b.Loop() {
		if _, err := c.Reprice(ctx, RegionRequest{Model: "skane-2023", Year: 2024, Month: month, NoMeasures: noMeasures}, nil); err != nil {
			b.Fatal(err)
		}
		month = 7 - month
	}
}

// BenchmarkRepriceMonth: one month's statement with every measure (computed
// afresh: the months alternate) and its funnel plots.
func BenchmarkRepriceMonth(b *testing.B) { benchReprice(b, false) }

// BenchmarkRepriceMonthStatement: one month's statement alone, what the
// page shows first under a model that pays nothing on measures.
func BenchmarkRepriceMonthStatement(b *testing.B) { benchReprice(b, true) }

// BenchmarkRegion: what the page does when a region's files are opened —
// read and intake, the measures and their funnel plots, and the Halland
// statement — for VARDVAL_BENCH_PERSONS persons (default 100,000; 343000
// is Halland's size), with each stage's time as the page's worker reports
// it (read-ms/op: the files read and the intake; measures-ms/op,
// payment-ms/op, funnels-ms/op). Run it as WebAssembly to see the page's
// cost: GOOS=js GOARCH=wasm go test -c ./internal/calc, then the test
// binary under the toolchain's go_js_wasm_exec. VARDVAL_BENCH_FILES, a
// comma-separated list of file names (e.g. the seven of an older release:
// units.csv,areas.csv,listings.csv,contacts.csv,diagnoses.csv,observations.csv,prescriptions.csv),
// opens only those of the generated files.
func BenchmarkRegion(b *testing.B) {
	persons := 100_000
	if n, err := strconv.Atoi(os.Getenv("VARDVAL_BENCH_PERSONS")); err == nil && n > 0 {
		persons = n
	}
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: persons, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if only := os.Getenv("VARDVAL_BENCH_FILES"); only != "" {
		kept := map[string][]byte{}
		for _, name := range strings.Split(only, ",") {
			f, ok := files[name]
			if !ok {
				b.Fatalf("VARDVAL_BENCH_FILES: %s is not a generated file", name)
			}
			kept[name] = f
		}
		files = kept
	}
	var size int64
	for _, f := range files {
		size += int64(len(f))
	}
	b.SetBytes(size)
	// The stages' times, as the page's worker reports them (read = the
	// files read and the intake; then measures, payment, funnels), summed
	// over the runs and reported per run.
	stages := map[string]time.Duration{}
	b.ResetTimer()
	for b.Loop() {
		c := New()
		stage, since := "read", time.Now()
		progress := func(p Progress) {
			if p.Stage == stage {
				return
			}
			stages[stage] += time.Since(since)
			stage, since = p.Stage, time.Now()
		}
		if _, err := c.Region(context.Background(), RegionRequest{Model: "halland-2019", Lang: "sv"}, asFiles(files), progress); err != nil {
			b.Fatal(err)
		}
	}
	for _, s := range []string{"read", "measures", "payment", "funnels"} {
		b.ReportMetric(float64(stages[s].Milliseconds())/float64(b.N), s+"-ms/op")
	}
}

// BenchmarkVary: one move of the page's slider over a loaded year, the
// Skåne model's CNI share alternating between 0.10 and 0.20 (the sums
// made once, before the timer: what a move costs after the first).
func BenchmarkVary(b *testing.B) {
	c := benchLoaded(b)
	ctx := context.Background()
	req := VaryRequest{RegionRequest: RegionRequest{Model: "skane-2023", Year: 2024, NoMeasures: true}, Key: "components[0].shares[2].share"}
	if _, err := c.Vary(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	value := "0.10"
	for b.Loop() {
		req.Value = value
		if _, err := c.Vary(ctx, req); err != nil {
			b.Fatal(err)
		}
		value = map[string]string{"0.10": "0.20", "0.20": "0.10"}[value]
	}
}
