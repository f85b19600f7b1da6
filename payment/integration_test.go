package payment

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

type synthFiles struct{ units, listings, contacts, areas []byte }

func genSynth(t testing.TB, persons int) synthFiles {
	f, err := makeSynth(persons)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func makeSynth(persons int) (synthFiles, error) {
	var u, l, c, a bytes.Buffer
	_, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 1, Year: 2024},
		synth.Writers{Units: &u, Listings: &l, Contacts: &c, Areas: &a})
	return synthFiles{u.Bytes(), l.Bytes(), c.Bytes(), a.Bytes()}, err
}

func (f synthFiles) region() (*vardval.Region, *vardval.IntakeReport, error) {
	return vardval.Load(context.Background(), vardval.Files{Units: bytes.NewReader(f.units), Listings: bytes.NewReader(f.listings),
		Contacts: bytes.NewReader(f.contacts), Areas: bytes.NewReader(f.areas)}, vardval.LoadOptions{})
}

func (f synthFiles) load(t testing.TB) (*vardval.Region, *vardval.IntakeReport) {
	r, rep, err := f.region()
	if err != nil {
		t.Fatal(err)
	}
	return r, rep
}

// shuffleRows shuffles every data row of a CSV file, keeping the header.
func shuffleRows(data []byte, seed uint64) []byte {
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	body := lines[1:]
	rand.New(rand.NewPCG(seed, 1)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	return append(bytes.Join(append([][]byte{lines[0]}, body...), []byte("\n")), '\n')
}

// TestSynthRegionAllModels runs every embedded model on the project's
// synthetic region read through the intake, checks the exact sums, and
// checks that shuffled input rows give byte-identical JSON.
// VARDVAL_SKANE=1 runs a Skåne-size region (1.4 million persons) and logs
// timings instead of the shuffle check.
func TestSynthRegionAllModels(t *testing.T) {
	n := 3000
	big := os.Getenv("VARDVAL_SKANE") != ""
	if big {
		n = 1_400_000
	}
	files := genSynth(t, n)
	start := time.Now()
	r, rep := files.load(t)
	t.Logf("load %s: %d persons, %d listings, %d contacts, %d units", time.Since(start), len(r.Persons), len(r.Listings), len(r.Contacts), len(r.Units))
	var shuffled *vardval.Region
	if !big {
		sf := files
		sf.listings, sf.contacts, sf.units = shuffleRows(files.listings, 1), shuffleRows(files.contacts, 2), shuffleRows(files.units, 3)
		shuffled, _ = sf.load(t)
	}
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	for _, name := range BuiltinNames() {
		m, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		start := time.Now()
		st, err := Run(context.Background(), m, r, period, RunOptions{Measures: fakeMeasures})
		if err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		checkSums(t, st)
		if big {
			if err := WriteJSON(io.Discard, st, rep); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: year 2024 priced in %s, %d units, total %s SEK", name, elapsed, len(st.Units), st.Total)
			continue
		}
		st2, err := Run(context.Background(), m, shuffled, period, RunOptions{Measures: fakeMeasures})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := statementJSON(t, st), statementJSON(t, st2); !bytes.Equal(a, b) {
			t.Errorf("%s: shuffled rows changed the statement", name)
		}
	}
}
