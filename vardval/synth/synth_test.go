package synth

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	pgen "github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestDeterministic(t *testing.T) {
	cfg := Config{Persons: 3000, Seed: 42}
	a, sa := generateT(t, cfg)
	b, sb := generateT(t, cfg)
	if diff := cmp.Diff(sa, sb); diff != "" {
		t.Errorf("summaries differ (-first +second):\n%s", diff)
	}
	for _, name := range OutputFiles() {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs of the same config", name)
		}
	}
	c, _ := generateT(t, Config{Persons: 3000, Seed: 43})
	if bytes.Equal(a["contacts.csv"], c["contacts.csv"]) {
		t.Error("seeds 42 and 43 gave the same contacts")
	}
}

// Skipping files (nil writers) must not change the files that are written.
func TestNilWritersChangeNothing(t *testing.T) {
	cfg := Config{Persons: 2000, Seed: 5}
	all, sumAll := generateT(t, cfg)
	var listings, obs bytes.Buffer
	sum, err := Generate(context.Background(), cfg, Writers{Listings: &listings, Observations: &obs})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(listings.Bytes(), all["listings.csv"]) || !bytes.Equal(obs.Bytes(), all["observations.csv"]) {
		t.Error("files differ when other writers are nil")
	}
	sumAll.Bytes, sum.Bytes = 0, 0
	if diff := cmp.Diff(sumAll, sum); diff != "" {
		t.Errorf("row counts depend on the writers (-all +some):\n%s", diff)
	}
}

func TestSummaryCountsRows(t *testing.T) {
	files, sum := generateT(t, Config{Persons: 1500, Seed: 9})
	total := int64(0)
	for _, name := range OutputFiles() {
		lines := bytes.Count(files[name], []byte("\n")) - 1
		if lines != sum.Rows(name) {
			t.Errorf("%s: %d rows, summary says %d", name, lines, sum.Rows(name))
		}
		total += int64(len(files[name]))
	}
	if total != sum.Bytes {
		t.Errorf("bytes = %d, summary says %d", total, sum.Bytes)
	}
	if sum.Rows("nosuch.csv") != 0 || Header("nosuch.csv") != "" {
		t.Error("unknown file name should give 0 rows and no header")
	}
}

// Every file parses with encoding/csv, has exactly the contract's columns
// and satisfies the contract's rules (see checkContract), for several
// years including a leap year and a small and a zero region.
func TestContract(t *testing.T) {
	for _, cfg := range []Config{
		{Persons: 4000, Seed: 1},
		{Persons: 1500, Seed: 2, Year: 2023},
		{Persons: 800, Seed: 3, Year: 2020, PerUnit: 200},
		{Persons: 0},
		{Persons: 1},
	} {
		files, _ := generateT(t, cfg)
		year := cfg.Year
		if year == 0 {
			year = 2024
		}
		for _, p := range checkContract(t, files, year) {
			t.Errorf("%+v: %s", cfg, p)
		}
	}
}

func TestPersonnummerShaped(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"197001012384", true}, {"7001012384", true}, {"700101-2384", true}, {"19700101+2384", true},
		{"SYN000000001", false}, {"C0000000001", false}, {"2024-01-01", false}, {"123456789", false},
		{"12345678901", false}, {"1380C0012", false}, {"70010-12384", false},
	} {
		if got := personnummerShaped(tc.s); got != tc.want {
			t.Errorf("personnummerShaped(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// Rates of a 20,000-person region fall within the tolerances of the
// brief: about 4.3 primary-care visits per inhabitant a year, a third of them
// with a doctor (45 million visits a year, https://www.vantetider.se/veta-mer/utokad-uppfoljning-primarvarden/;
// https://vgrfokus.se/2018/12/sa-far-du-snabbare-hjalp-pa-vardcentralen-2019/), and the
// measures' national levels (Strama's 250 antibiotic prescriptions per 1 000
// inhabitants a year, https://strama.se/nyheter/pa-vag-mot-250-malet/).
func TestRates(t *testing.T) {
	files, sum := generateT(t, Config{Persons: 20000, Seed: 2024})
	s := computeStats(t, files, 2024)
	if s.persons != 20000 || sum.Persons != 20000 {
		t.Fatalf("persons = %d", s.persons)
	}
	for _, c := range []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"share of men", float64(s.men) / float64(s.persons), 0.49, 0.515},
		{"primary contacts per person-year", s.primaryPerPY, 3.5, 4.5},
		{"doctor contacts per person-year", s.doctorPerPY, 1.3, 1.7},
		{"ED contacts per person-year", s.edPerPY, 0.2, 0.3},
		{"digital contacts per person-year", s.digitalPerPY, 0.24, 0.36},
		{"share of primary contacts at another unit", s.otherUnitShare, 0.08, 0.14},
		{"share of primary contacts with a new problem", s.newProblemShare, 0.33, 0.47},
		{"antibiotic prescriptions per 1,000 person-years", s.antibioticsPer1000, 220, 310},
		{"adults with a depression diagnosis", s.depressedShare, 0.045, 0.075},
		{"adults with a diabetes diagnosis", s.diabeticAdult, 0.045, 0.08},
		{"persons 40+ with hypertension", s.hypertensive40, 0.17, 0.27},
		{"movers", float64(s.movers) / float64(s.persons), 0.03, 0.07},
		{"closed listings", float64(s.closed) / float64(s.persons), 0.01, 0.05},
		{"mean ACG weight", s.meanACG, 0.85, 1.15},
		{"min ACG weight", s.minACG, 0.1, 0.3},
		{"max ACG weight", s.maxACG, 5, 15},
		{"mean CNI", s.meanCNI, 0.85, 1.2},
		{"min CNI", s.minCNI, 0.6, 0.75},
		{"max CNI", s.maxCNI, 1.8, 2.5},
	} {
		if c.got < c.lo || c.got > c.hi || math.IsNaN(c.got) {
			t.Errorf("%s = %.4f, want %g–%g", c.name, c.got, c.lo, c.hi)
		}
	}
	if s.phq9Persons == 0 || s.hba1cPersons == 0 || s.bpPersons == 0 {
		t.Errorf("observations missing: PHQ-9/MADRS-S %d, HbA1c %d, BP %d persons", s.phq9Persons, s.hba1cPersons, s.bpPersons)
	}
}

// The units of a 10.5-million region average about 9,000 listed; only the
// region is built here (no persons are drawn).
func TestUnitsScale(t *testing.T) {
	for _, tc := range []struct {
		persons, perUnit, want int
	}{
		{0, 0, 3}, {20000, 0, 3}, {40000, 0, 4}, {10_500_000, 0, 1167}, {10000, 1000, 10},
	} {
		cfg, err := Config{Persons: tc.persons, PerUnit: tc.perUnit}.normalised()
		if err != nil {
			t.Fatal(err)
		}
		g := newGen(cfg, Writers{})
		if g.primaries != tc.want || len(g.units) != tc.want+3 {
			t.Errorf("%d persons: %d primary units, want %d", tc.persons, g.primaries, tc.want)
		}
		areas := len(g.areas)
		if areas < 20*tc.want || areas > 40*tc.want {
			t.Errorf("%d persons: %d areas for %d units", tc.persons, areas, tc.want)
		}
		private := 0
		for _, u := range g.units[:g.primaries] {
			if u.private {
				private++
			}
		}
		if tc.want > 100 {
			if share := float64(private) / float64(tc.want); share < 0.35 || share > 0.45 {
				t.Errorf("private share %.3f", share)
			}
			if mean := float64(tc.persons) / float64(tc.want); mean < 8900 || mean > 9100 {
				t.Errorf("mean listed per unit %.0f", mean)
			}
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg   Config
		field string
	}{
		{Config{Persons: -1}, "Persons"},
		{Config{Persons: 1_000_000_000}, "Persons"},
		{Config{Year: 1800}, "Year"},
		{Config{Year: 3000}, "Year"},
		{Config{PerUnit: -5}, "PerUnit"},
	} {
		_, err := Generate(context.Background(), tc.cfg, Writers{})
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("%+v: error %v, want a ConfigError on %s", tc.cfg, err, tc.field)
		}
	}
}

type failingWriter struct{ after int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(b []byte) (int, error) {
	if w.after -= len(b); w.after < 0 {
		return 0, errDiskFull
	}
	return len(b), nil
}

func TestWriteError(t *testing.T) {
	_, err := Generate(context.Background(), Config{Persons: 5000, Seed: 1},
		Writers{Units: io.Discard, Contacts: &failingWriter{after: 100_000}})
	var we *WriteError
	if !errors.As(err, &we) || we.File != "contacts.csv" || !errors.Is(err, errDiskFull) {
		t.Fatalf("error %v, want a WriteError on contacts.csv wrapping the writer's error", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, Config{Persons: 10000}, Writers{Contacts: io.Discard})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// The golden region pins the generator's output: any change to it is a
// deliberate change of the synthetic data (regenerate with -update).
func TestGolden(t *testing.T) {
	files, _ := generateT(t, Config{Persons: 60, Seed: 7})
	dir := filepath.Join("testdata", "golden")
	for _, name := range OutputFiles() {
		path := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(files[name])); diff != "" {
			t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
		}
	}
}

func TestDates(t *testing.T) {
	for n := dayNumber(1890, 1, 1); n < dayNumber(2200, 1, 1); n += 17 {
		y, m, d := civil(n)
		tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if want := int(tm.Unix() / 86400); want != n || dayNumber(y, m, d) != n {
			t.Fatalf("day %d: civil %d-%d-%d, time says day %d", n, y, m, d, want)
		}
		if got, want := string(appendDate(nil, n)), tm.Format("2006-01-02"); got != want {
			t.Fatalf("appendDate(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		v, dec int
		want   string
	}{
		{12500, 4, "1.25"}, {10000, 4, "1"}, {7, 4, "0.0007"}, {1500, 2, "15"}, {375, 2, "3.75"},
		{294, 1, "29.4"}, {-15, 1, "-1.5"}, {0, 2, "0"},
	} {
		if got := string(appendScaled(nil, tc.v, tc.dec)); got != tc.want {
			t.Errorf("appendScaled(%d, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
	}
	for x := -20.0; x <= 20; x += 0.37 {
		if got, want := dexp(x), math.Exp(x); math.Abs(got-want) > 1e-14*want {
			t.Errorf("dexp(%g) = %g, want %g", x, got, want)
		}
	}
	q := normQuantiles()
	for i := range 256 {
		if q[i] != -q[511-i] || (i > 0 && q[i] <= q[i-1]) {
			t.Fatalf("normal quantile table not symmetric and increasing at %d", i)
		}
	}
}

// Property: for any small config the files satisfy the contract and two
// runs are identical.
func TestPropertyContract(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 25
	params.Rng.Seed(1)
	props := gopter.NewProperties(params)
	props.Property("contract holds and output is deterministic", prop.ForAll(
		func(persons int, seed uint64, year int, perUnit int) bool {
			cfg := Config{Persons: persons, Seed: seed, Year: year, PerUnit: perUnit}
			a, _ := generateT(t, cfg)
			b, _ := generateT(t, cfg)
			for _, name := range OutputFiles() {
				if !bytes.Equal(a[name], b[name]) {
					return false
				}
			}
			y := year
			if y == 0 {
				y = 2024
			}
			probs := checkContract(t, a, y)
			for _, p := range probs {
				t.Log(p)
			}
			return len(probs) == 0
		},
		pgen.IntRange(0, 300),
		pgen.UInt64(),
		pgen.OneConstOf(0, 1990, 2000, 2023, 2024, 2025, 2100),
		pgen.OneConstOf(0, 10, 50, 1000),
	))
	props.TestingRun(t)
}

// FuzzGenerate: no config panics; valid ones satisfy the contract.
func FuzzGenerate(f *testing.F) {
	f.Add(10, uint64(1), 2024, 0)
	f.Add(0, uint64(0), 0, 0)
	f.Add(50, uint64(1<<63), 1950, 7)
	f.Add(-3, uint64(9), 1949, -1)
	f.Fuzz(func(t *testing.T, persons int, seed uint64, year, perUnit int) {
		persons %= 200
		cfg := Config{Persons: persons, Seed: seed, Year: year, PerUnit: perUnit % 100_000}
		files, _, err := GenerateFiles(context.Background(), cfg)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a ConfigError", err)
			}
			return
		}
		if cfg.Year == 0 {
			cfg.Year = 2024
		}
		for _, p := range checkContract(t, files, cfg.Year) {
			t.Error(p)
		}
	})
}
