package vardval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// shuffleRows returns the files of m with their data rows in a random
// order (the header line first).
func shuffleRows(m map[string][]byte, seed uint64) map[string][]byte {
	rnd := rand.New(rand.NewPCG(seed, 17))
	out := map[string][]byte{}
	for name, b := range m {
		lines := strings.SplitAfter(string(b), "\n")
		if last := len(lines) - 1; lines[last] == "" {
			lines = lines[:last]
		}
		if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
			lines[n-1] += "\n"
		}
		if len(lines) > 2 {
			body := lines[1:]
			rnd.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		}
		out[name] = []byte(strings.Join(lines, ""))
	}
	return out
}

// faultyRegion is a synthetic region of persons persons, its rows shuffled,
// with the rows of testdata/intake/faults appended to each file (the same
// columns in another order are not appended: rows that duplicate contact
// ids, overlap listings, name unknown units and persons) and every 97th
// contact repeated, so that duplicate contact ids are rejected together.
func faultyRegion(t testing.TB, persons int) map[string][]byte {
	t.Helper()
	m, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: persons, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	c := strings.SplitAfter(string(m[vardval.FileContacts]), "\n")
	var extra strings.Builder
	for i := 1; i < len(c); i += 97 {
		extra.WriteString(c[i])
	}
	m[vardval.FileContacts] = append(m[vardval.FileContacts], extra.String()...)
	// A diagnosis naming a contact that does not exist, and one naming a
	// duplicated (hence rejected) contact.
	d := strings.SplitAfter(string(m[vardval.FileDiagnoses]), "\n")
	if len(d) > 2 {
		m[vardval.FileDiagnoses] = append(m[vardval.FileDiagnoses], d[1]...)
	}
	return shuffleRows(m, 5)
}

func readFaults(t testing.TB) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	entries, err := os.ReadDir("testdata/intake/faults")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/intake/faults", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

// outputs loads m with the given workers and returns the Region (as
// JSON), the intake report's JSON and, when model is not nil, the JSON of
// a payment run over the data's year.
func outputs(t *testing.T, m map[string][]byte, workers int, model *payment.Model) (region, report, statement []byte) {
	t.Helper()
	ctx := context.Background()
	r, rep, err := vardval.Load(ctx, filesFrom(m), vardval.LoadOptions{Workers: workers})
	if err != nil {
		t.Fatalf("workers %d: %v", workers, err)
	}
	checkRep, err := vardval.Check(ctx, filesFrom(m), vardval.LoadOptions{Workers: workers})
	if err != nil {
		t.Fatalf("workers %d: check: %v", workers, err)
	}
	var a, b bytes.Buffer
	if err := rep.WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	if err := checkRep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("workers %d: Check's report differs from Load's", workers)
	}
	region, err = json.Marshal(struct {
		*vardval.Region
		Listings, Contacts, Diagnoses, Observations, Prescriptions any
	}{r, r.Listings, r.Contacts, r.Diagnoses, r.Observations, r.Prescriptions})
	if err != nil {
		t.Fatal(err)
	}
	if model != nil && len(r.Contacts) > 0 {
		period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
		mrep, err := measures.Compute(ctx, r, period, measures.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st, err := payment.Run(ctx, model, r, period, payment.RunOptions{Measures: mrep.Result})
		if err != nil {
			t.Fatalf("workers %d: run: %v", workers, err)
		}
		var s bytes.Buffer
		if err := payment.WriteJSON(&s, st, rep); err != nil {
			t.Fatal(err)
		}
		statement = s.Bytes()
	}
	return region, a.Bytes(), statement
}

// Load and Check give the same Region, report and payment statement, byte
// for byte, with 1 to 8 workers, on input with rejections, duplicate
// contact ids and rows in random order, large enough that every loop is
// cut into parts.
func TestWorkersSameOutput(t *testing.T) {
	src, ok := examples.LookupModel("skane-2023")
	if !ok {
		t.Fatal("no embedded model skane-2023")
	}
	model, err := payment.ParseModel(bytes.NewReader(src.Data), payment.ParseOptions{File: src.Path})
	if err != nil {
		t.Fatal(err)
	}
	persons := 40000
	switch {
	case testing.Short():
		persons = 6000
	case vardval.RaceEnabled:
		persons = 12000 // still several chunks of contacts per part
	}
	for _, c := range []struct {
		name  string
		m     map[string][]byte
		model *payment.Model
	}{
		{"faults", readFaults(t), nil},
		{"faults shuffled", shuffleRows(readFaults(t), 1), nil},
		{"synthetic with faults, shuffled", faultyRegion(t, persons), model},
	} {
		region1, report1, st1 := outputs(t, c.m, 1, c.model)
		if !bytes.Contains(report1, []byte(`"rejected"`)) {
			t.Fatalf("%s: the report has no rejections to compare", c.name)
		}
		for w := 2; w <= 8; w++ {
			region, report, st := outputs(t, c.m, w, c.model)
			if !bytes.Equal(region, region1) {
				t.Errorf("%s: the Region with %d workers differs from the one with 1", c.name, w)
			}
			if diff := cmp.Diff(string(report1), string(report)); diff != "" {
				t.Errorf("%s: the report with %d workers differs from the one with 1 (-1 +%d):\n%s", c.name, w, w, diff)
			}
			if !bytes.Equal(st, st1) {
				t.Errorf("%s: the statement with %d workers differs from the one with 1", c.name, w)
			}
		}
	}
}
