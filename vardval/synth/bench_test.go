package synth

import (
	"context"
	"io"
	"testing"
)

// BenchmarkGenerate generates a 50,000-person region into io.Discard
// writers (all seven files formatted) and reports persons/s and output
// bytes/s on one goroutine.
func BenchmarkGenerate(b *testing.B) {
	const persons = 50000
	d := io.Discard
	w := Writers{d, d, d, d, d, d, d, d, d, d, d, d}
	var bytes int64
	b.ReportAllocs()
	for b.Loop() {
		s, err := Generate(context.Background(), Config{Persons: persons, Seed: 1}, w)
		if err != nil {
			b.Fatal(err)
		}
		bytes = s.Bytes
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(persons/sec, "persons/s")
	b.ReportMetric(float64(bytes)/sec/1e6, "MB/s")
	b.ReportMetric(float64(bytes)/persons, "bytes/person")
}

// BenchmarkGenerateNoOutput measures drawing the region without
// formatting any file (all writers nil).
func BenchmarkGenerateNoOutput(b *testing.B) {
	const persons = 50000
	for b.Loop() {
		if _, err := Generate(context.Background(), Config{Persons: persons, Seed: 1}, Writers{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(persons/(b.Elapsed().Seconds()/float64(b.N)), "persons/s")
}
