package vardval_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// benchRegion is a synthetic region of 100,000 persons in memory, generated
// once per benchmark.
func benchRegion(b *testing.B) map[string][]byte {
	m, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 100000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchLoad runs Load on the named files of m (the others absent; units and
// listings are always given) and reports MB/s over the named files and rows/s.
func benchLoad(b *testing.B, m map[string][]byte, names ...string) {
	var size int64
	for _, n := range names {
		size += int64(len(m[n]))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		get := func(name string) io.Reader {
			if name == vardval.FileUnits || name == vardval.FileListings {
				return bytes.NewReader(m[name])
			}
			for _, n := range names {
				if n == name {
					return bytes.NewReader(m[name])
				}
			}
			return nil
		}
		_, rep, err := vardval.Load(context.Background(), vardval.Files{Units: get(vardval.FileUnits), Areas: get(vardval.FileAreas),
			Listings: get(vardval.FileListings), Contacts: get(vardval.FileContacts), Diagnoses: get(vardval.FileDiagnoses),
			Observations: get(vardval.FileObservations), Prescriptions: get(vardval.FilePrescriptions)}, vardval.LoadOptions{})
		if err != nil || rep.Status() != 0 {
			b.Fatal(err, rep.Status())
		}
		rows, _, _ = rep.Totals()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkLoadFile reads units and listings plus one file at a time
// (MB/s counts the named files only).
func BenchmarkLoadFile(b *testing.B) {
	m := benchRegion(b)
	b.Run("listings", func(b *testing.B) { benchLoad(b, m, vardval.FileUnits, vardval.FileListings) })
	b.Run("contacts", func(b *testing.B) { benchLoad(b, m, vardval.FileUnits, vardval.FileListings, vardval.FileContacts) })
	b.Run("diagnoses", func(b *testing.B) {
		benchLoad(b, m, vardval.FileUnits, vardval.FileListings, vardval.FileContacts, vardval.FileDiagnoses)
	})
	b.Run("observations", func(b *testing.B) { benchLoad(b, m, vardval.FileUnits, vardval.FileListings, vardval.FileObservations) })
	b.Run("prescriptions", func(b *testing.B) {
		benchLoad(b, m, vardval.FileUnits, vardval.FileListings, vardval.FilePrescriptions)
	})
}

// BenchmarkLoadDir reads the region in the directory named by
// $VARDVAL_BENCH_DIR (e.g. written by `vardval synth --persons 1400000
// --seed 1 --out DIR`) from disk, as `vardval check` does; it is skipped
// when the variable is not set.
func BenchmarkLoadDir(b *testing.B) {
	dir := os.Getenv("VARDVAL_BENCH_DIR")
	if dir == "" {
		b.Skip("VARDVAL_BENCH_DIR not set")
	}
	var size int64
	for _, n := range vardval.FileNames() {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil {
			size += st.Size()
		}
	}
	b.SetBytes(size)
	for b.Loop() {
		var closers []io.Closer
		open := func(name string) io.Reader {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return nil
			}
			closers = append(closers, f)
			return bufio.NewReaderSize(f, 1<<20)
		}
		_, rep, err := vardval.Load(context.Background(), vardval.Files{Units: open(vardval.FileUnits), Areas: open(vardval.FileAreas),
			Listings: open(vardval.FileListings), Contacts: open(vardval.FileContacts), Diagnoses: open(vardval.FileDiagnoses),
			Observations: open(vardval.FileObservations), Prescriptions: open(vardval.FilePrescriptions)}, vardval.LoadOptions{})
		for _, c := range closers {
			c.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		read, _, _ := rep.Totals()
		b.ReportMetric(float64(read)/b.Elapsed().Seconds()*float64(b.N), "rows/s")
	}
}

// BenchmarkLoadCancel measures how promptly Load stops when its context is
// cancelled: each iteration loads the region once to time it, then cancels
// twenty loads at 2.5%, 7.5%, ... 97.5% of that time (reading, looking up
// persons, checking contact ids, grouping, pseudonymising) and reports the
// longest and the median time from cancel to return (ms-to-stop). The
// region is benchRegion's, or the directory named by $VARDVAL_BENCH_DIR
// read into memory (a Skåne-size one shows the phases at full length).
func BenchmarkLoadCancel(b *testing.B) {
	var m map[string][]byte
	if dir := os.Getenv("VARDVAL_BENCH_DIR"); dir != "" {
		m = map[string][]byte{}
		for _, n := range vardval.FileNames() {
			if data, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
				m[n] = data
			}
		}
	} else {
		m = benchRegion(b)
	}
	files := func() vardval.Files { return filesFrom(m) }
	var stops []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, _, err := vardval.Load(context.Background(), files(), vardval.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
		whole := time.Since(start)
		for i := range 20 {
			ctx, cancel := context.WithCancel(context.Background())
			at := make(chan time.Time, 1)
			timer := time.AfterFunc(whole*time.Duration(2*i+1)/40, func() { at <- time.Now(); cancel() })
			r, _, err := vardval.Load(ctx, files(), vardval.LoadOptions{})
			end := time.Now()
			if timer.Stop() {
				cancel() // the load ended first
				continue
			}
			cancelled := <-at
			if r != nil || err == nil {
				continue // cancelled after the last check: a whole region
			}
			stops = append(stops, end.Sub(cancelled))
		}
	}
	if len(stops) == 0 {
		b.Fatal("no load was cancelled")
	}
	slices.Sort(stops)
	b.ReportMetric(float64(stops[len(stops)-1].Microseconds())/1000, "ms-to-stop-max")
	b.ReportMetric(float64(stops[len(stops)/2].Microseconds())/1000, "ms-to-stop-median")
}

// BenchmarkLoadWorkers reads the 100,000-person region (or the one in
// $VARDVAL_BENCH_DIR, read into memory first) with 1, 2 and 4 workers
// (LoadOptions.Workers): with more than two, further workers read parts of
// the contacts file from the start.
func BenchmarkLoadWorkers(b *testing.B) {
	var m map[string][]byte
	if dir := os.Getenv("VARDVAL_BENCH_DIR"); dir != "" {
		m = map[string][]byte{}
		for _, n := range vardval.FileNames() {
			if data, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
				m[n] = data
			}
		}
	} else {
		m = benchRegion(b)
	}
	var size int64
	for _, d := range m {
		size += int64(len(d))
	}
	for _, w := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				if _, _, err := vardval.Load(context.Background(), filesFrom(m), vardval.LoadOptions{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
