package vardval_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// synthFiles returns the Files of a generated synthetic region.
func synthFiles(t testing.TB, persons int, seed uint64) vardval.Files {
	t.Helper()
	m, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: persons, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return filesFrom(m)
}

// filesFrom gives fresh readers over the files in m (absent ones nil).
func filesFrom(m map[string][]byte) vardval.Files {
	r := func(name string) io.Reader {
		if b, ok := m[name]; ok {
			return bytes.NewReader(b)
		}
		return nil
	}
	return vardval.Files{Units: r(vardval.FileUnits), Areas: r(vardval.FileAreas), Listings: r(vardval.FileListings),
		Contacts: r(vardval.FileContacts), Diagnoses: r(vardval.FileDiagnoses), Observations: r(vardval.FileObservations),
		Prescriptions: r(vardval.FilePrescriptions), Procedures: r(vardval.FileProcedures), Admissions: r(vardval.FileAdmissions),
		Clinicians: r(vardval.FileClinicians), Calls: r(vardval.FileCalls), Survey: r(vardval.FileSurvey)}
}

// The synthetic region passes intake with zero rejections.
func TestSynthPassesCheck(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		_, rep, err := vardval.Load(context.Background(), synthFiles(t, 12000, seed), vardval.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status() != 0 {
			var b bytes.Buffer
			rep.WriteText(&b)
			out := b.String()
			if len(out) > 4000 {
				out = out[:4000]
			}
			t.Fatalf("seed %d: synthetic region has rejections:\n%s", seed, out)
		}
		read, _, _ := rep.Totals()
		if read < 12000 {
			t.Errorf("only %d rows read", read)
		}
	}
}

// BenchmarkLoad reads and validates a synthetic region of 100,000 persons
// (about 7 % of Skåne) from memory; b.SetBytes makes it report MB/s.
// Full-size figures: see docs/performance.md.
func BenchmarkLoad(b *testing.B) {
	m, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 100000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchLoadAll(b, m)
}

// BenchmarkLoadShuffled is BenchmarkLoad with every file's data rows in
// random order, as register extracts sorted by date or unit present them:
// person lookups then miss the CPU caches instead of following the file.
func BenchmarkLoadShuffled(b *testing.B) {
	m, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 100000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for name, v := range m {
		lines := bytes.SplitAfter(v, []byte("\n"))
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		body := lines[1:]
		rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		m[name] = bytes.Join(lines, nil)
	}
	benchLoadAll(b, m)
}

func benchLoadAll(b *testing.B, m map[string][]byte) {
	var size int64
	for _, v := range m {
		size += int64(len(v))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		_, rep, err := vardval.Load(context.Background(), filesFrom(m), vardval.LoadOptions{})
		if err != nil || rep.Status() != 0 {
			b.Fatal(err, rep.Status())
		}
		read, _, _ := rep.Totals()
		b.ReportMetric(float64(read), "rows/op")
	}
}
