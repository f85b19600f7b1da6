package payment

import (
	"context"
	"io"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/vardval/vardval/vardval"
)

// benchPersons is Skåne's size by default (1.4 million persons, about 6
// million contacts a year, ~156 vårdcentraler, from the project's synthetic
// generator read through the intake); VARDVAL_BENCH_PERSONS=100000 makes
// a quicker run.
func benchPersons() int {
	if n, err := strconv.Atoi(os.Getenv("VARDVAL_BENCH_PERSONS")); err == nil && n > 0 {
		return n
	}
	return 1_400_000
}

var benchRegion = sync.OnceValues(func() (*vardval.Region, error) {
	files, err := makeSynth(benchPersons())
	if err != nil {
		return nil, err
	}
	r, _, err := files.region()
	return r, err
})

func benchRun(b *testing.B, model string, period vardval.Period, write bool) {
	m := loadModel(b, model)
	r, err := benchRegion()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st, err := Run(context.Background(), m, r, period, RunOptions{Measures: fakeMeasures})
		if err != nil {
			b.Fatal(err)
		}
		if write {
			if err := WriteJSON(io.Discard, st, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(r.Persons)), "persons")
	b.ReportMetric(float64(len(r.Contacts)), "contacts")
}

var year2024 = vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}

// BenchmarkSkaneMonth prices one month of a Skåne-size region under the
// Skåne model and writes the JSON statement.
func BenchmarkSkaneMonth(b *testing.B) {
	benchRun(b, "skane-2023", vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 3}), true)
}

// BenchmarkSkaneYear prices a year of a Skåne-size region under the Skåne
// model and writes the JSON statement.
func BenchmarkSkaneYear(b *testing.B) { benchRun(b, "skane-2023", year2024, true) }

// BenchmarkModelsYear prices a year under every embedded model.
func BenchmarkModelsYear(b *testing.B) {
	for _, name := range BuiltinNames() {
		b.Run(name, func(b *testing.B) { benchRun(b, name, year2024, false) })
	}
}
