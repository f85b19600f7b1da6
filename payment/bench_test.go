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

// benchPersons is 100 000 by default; set VARDVAL_BENCH_PERSONS=1400000 for
// a Skåne-size region (about 6 million contacts a year).
func benchPersons() int {
	if n, err := strconv.Atoi(os.Getenv("VARDVAL_BENCH_PERSONS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var benchRegion = sync.OnceValue(func() *vardval.Region {
	n := benchPersons()
	return synthRows(synthSpec{seed: 9, persons: n, primary: max(3, n/9000), year: 2023, contacts: 4}).region()
})

func benchRun(b *testing.B, model string, period vardval.Period) {
	m := loadModel(b, model)
	r := benchRegion()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st, err := Run(context.Background(), m, r, period, RunOptions{Measures: fakeMeasures})
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteJSON(io.Discard, st, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Persons)), "persons")
	b.ReportMetric(float64(len(r.Contacts)), "contacts")
}

func BenchmarkSkaneMonth(b *testing.B) {
	benchRun(b, "skane-2023", vardval.MonthPeriod(vardval.YearMonth{Year: 2023, Month: 3}))
}

func BenchmarkSkaneYear(b *testing.B) {
	benchRun(b, "skane-2023", vardval.Period{From: vardval.D(2023, 1, 1), To: vardval.D(2023, 12, 31)})
}

func BenchmarkModelsYear(b *testing.B) {
	for _, name := range BuiltinNames() {
		b.Run(name, func(b *testing.B) {
			m := loadModel(b, name)
			m.Valid.From = vardval.D(2023, 1, 1)
			for _, p := range m.Params() {
				p.Values[0].From = vardval.D(2023, 1, 1)
			}
			r := benchRegion()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(context.Background(), m, r, vardval.Period{From: vardval.D(2023, 1, 1), To: vardval.D(2023, 12, 31)}, RunOptions{Measures: fakeMeasures}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
