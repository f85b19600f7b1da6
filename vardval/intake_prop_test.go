package vardval

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// mutate applies n random byte edits to b: deletions, insertions and
// replacements drawn from the characters that matter to CSV.
func mutate(b []byte, seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	alphabet := []byte("\",;\r\n -+.0123456789abcXYZ\xe5\xc3\xa5\x00")
	out := slices.Clone(b)
	for i := 0; i < n && len(out) > 0; i++ {
		pos := rng.IntN(len(out))
		switch rng.IntN(3) {
		case 0:
			out = slices.Delete(out, pos, pos+1)
		case 1:
			out = slices.Insert(out, pos, alphabet[rng.IntN(len(alphabet))])
		default:
			out[pos] = alphabet[rng.IntN(len(alphabet))]
		}
	}
	return out
}

// Under arbitrary mutations of a valid region, intake never panics and
// every file accounts for every row: read = accepted + rejected.
func TestIntakeAccountsForEveryRowUnderMutation(t *testing.T) {
	clean := readDir(t, "testdata/intake/clean")
	names := FileNames()
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	props := gopter.NewProperties(params)
	props.Property("read = accepted + rejected", prop.ForAll(
		func(fileIdx int, seed uint64, edits int) bool {
			m := map[string][]byte{}
			for k, v := range clean {
				m[k] = v
			}
			name := names[fileIdx]
			m[name] = mutate(clean[name], seed, edits)
			_, rep, _ := Load(context.Background(), filesOf(m), LoadOptions{})
			lines := bytes.Count(m[name], []byte("\n")) + 1
			for _, f := range rep.Files {
				if f.Read != f.Accepted+f.Rejected || f.Rejected != len(f.Rejections) || f.Accepted < 0 {
					t.Logf("%s: read %d accepted %d rejected %d listed %d", f.File, f.Read, f.Accepted, f.Rejected, len(f.Rejections))
					return false
				}
				for _, r := range f.Rejections {
					if r.Line < 1 || (f.File == name && r.Line > lines) {
						t.Logf("%s: rejection at impossible line %d", f.File, r.Line)
						return false
					}
				}
			}
			return true
		},
		gen.IntRange(0, len(names)-1), gen.UInt64(), gen.IntRange(1, 12),
	))
	props.TestingRun(t)
}

// shuffleRows permutes the data rows of a CSV file that has no quoted
// newlines, keeping the header first.
func shuffleRows(b []byte, seed uint64) []byte {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	rng := rand.New(rand.NewPCG(seed, 11))
	body := lines[1:]
	rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	return []byte(lines[0] + "\n" + strings.Join(body, "\n") + "\n")
}

var lineRef = regexp.MustCompile(`line \d+`)

// intakeDigest is everything intake produced except line numbers.
type intakeDigest struct {
	Counts     []int
	Rejections []string
	Region     *Region
}

func digest(t *testing.T, m map[string][]byte) intakeDigest {
	r, rep, err := Load(context.Background(), filesOf(m), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var d intakeDigest
	for _, f := range rep.Files {
		d.Counts = append(d.Counts, f.Read, f.Accepted, f.Rejected)
		for _, e := range f.Rejections {
			d.Rejections = append(d.Rejections, f.File+":"+e.Column+":"+lineRef.ReplaceAllString(e.Reason, "line N"))
		}
	}
	slices.Sort(d.Rejections)
	for i := range r.Listings {
		r.Listings[i].Line = 0
	}
	d.Region = r
	return d
}

// Shuffling data rows changes nothing but line numbers: the same rows are
// accepted and rejected for the same reasons, and the Region is identical.
func TestIntakeRowOrderDoesNotMatter(t *testing.T) {
	for _, dir := range []string{"testdata/intake/clean", "testdata/intake/faults"} {
		base := readDir(t, dir)
		want := digest(t, base)
		for seed := uint64(1); seed <= 20; seed++ {
			m := map[string][]byte{}
			for k, v := range base {
				if bytes.Contains(v, []byte("\"")) {
					m[k] = v // quoted fields may span lines: keep as is
					continue
				}
				m[k] = shuffleRows(v, seed)
			}
			got := digest(t, m)
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
				t.Fatalf("%s seed %d: shuffled rows changed the outcome (-want +got):\n%s", dir, seed, diff)
			}
		}
	}
}

// PersonsHint only sizes tables: any hint gives the same Region and report.
func TestPersonsHintChangesNothing(t *testing.T) {
	for _, dir := range []string{"testdata/intake/clean", "testdata/intake/faults"} {
		m := readDir(t, dir)
		want, wantRep, err := Load(context.Background(), filesOf(m), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, hint := range []int{1, 7, 100000, 1 << 20} {
			got, gotRep, err := Load(context.Background(), filesOf(m), LoadOptions{PersonsHint: hint})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantRep, gotRep, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
				t.Errorf("%s hint %d: report (-want +got):\n%s", dir, hint, diff)
			}
			// Pseudonyms are keyed the same way, so even the keys agree.
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
				t.Errorf("%s hint %d: region (-want +got):\n%s", dir, hint, diff)
			}
		}
	}
}

// Check gives the report Load gives, under arbitrary mutations of a valid
// region and of the fault corpus (and when a required file fails: the
// same error).
func TestCheckReportsAsLoad(t *testing.T) {
	corpora := []map[string][]byte{readDir(t, "testdata/intake/clean"), readDir(t, "testdata/intake/faults")}
	names := FileNames()
	params := gopter.DefaultTestParametersWithSeed(17)
	params.MinSuccessfulTests = 200
	props := gopter.NewProperties(params)
	props.Property("Check's report = Load's", prop.ForAll(
		func(corpus, fileIdx int, seed uint64, edits int) bool {
			m := map[string][]byte{}
			for k, v := range corpora[corpus] {
				m[k] = v
			}
			if name := names[fileIdx]; edits > 0 && len(m[name]) > 0 {
				m[name] = mutate(m[name], seed, edits)
			}
			_, want, wantErr := Load(context.Background(), filesOf(m), LoadOptions{})
			got, gotErr := Check(context.Background(), filesOf(m), LoadOptions{})
			var wantFE, gotFE *FileError
			if (wantErr == nil) != (gotErr == nil) || errors.As(wantErr, &wantFE) != errors.As(gotErr, &gotFE) ||
				cmp.Diff(wantFE, gotFE, ignoreCause) != "" {
				t.Logf("Load error %v, Check error %v", wantErr, gotErr)
				return false
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(FileReport{}), ignoreCause); diff != "" {
				t.Logf("report (-Load +Check):\n%s", diff)
				return false
			}
			return true
		},
		gen.IntRange(0, 1), gen.IntRange(0, len(names)-1), gen.UInt64(), gen.IntRange(0, 12),
	))
	props.TestingRun(t)
}
