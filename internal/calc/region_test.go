package calc

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// synthFiles returns a small synthetic region's files.
func synthFiles(t *testing.T, persons int, seed uint64) map[string][]byte {
	t.Helper()
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: persons, Seed: seed, PerUnit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func asFiles(m map[string][]byte) []File {
	var out []File
	for _, n := range vardval.FileNames() {
		if b, ok := m[n]; ok {
			out = append(out, File{Name: n, Reader: bytes.NewReader(b), Size: int64(len(b))})
		}
	}
	return out
}

// native prices files the way `vardval run` does, independently of Region.
func native(t *testing.T, files map[string][]byte, model string, year int) *payment.Statement {
	t.Helper()
	return nativePeriod(t, files, model, vardval.Period{From: vardval.D(year, 1, 1), To: vardval.D(year, 12, 31)})
}

// totalsDiff compares the region and unit totals of a native statement
// with a view's (whose lines must sum to each unit's months).
func totalsDiff(t *testing.T, st *payment.Statement, v *View) string {
	t.Helper()
	want := map[string]string{"": st.Rounding.Format(st.Total)}
	for _, u := range st.Units {
		want[u.UnitID] = st.Rounding.Format(u.Total)
	}
	got := map[string]string{"": v.Total}
	for _, u := range v.Units {
		got[u.UnitID] = u.Total
		sumLines(t, u)
	}
	return cmp.Diff(want, got)
}

// nativePeriod is native over any period.
func nativePeriod(t *testing.T, files map[string][]byte, model string, p vardval.Period) *payment.Statement {
	t.Helper()
	r, m := loadNative(t, files, model)
	// As `vardval run` prices: the measures over each goal indicator's window.
	st, err := payment.Price(context.Background(), m, r, p, payment.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestRegion prices a synthetic region under every model and checks every
// unit's total against the native pipeline, the progress reports and the
// measures with their funnel plots.
func TestRegion(t *testing.T) {
	files := synthFiles(t, 2500, 3)
	ms, err := shared.Models()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		t.Run(m.Name, func(t *testing.T) {
			var prog []Progress
			v, err := shared.Region(context.Background(), RegionRequest{Model: m.Name}, asFiles(files), func(p Progress) { prog = append(prog, p) })
			if err != nil {
				t.Fatal(err)
			}
			if v.Period.From != "2024-01-01" || v.Period.To != "2024-12-31" {
				t.Errorf("automatic year gave %+v, want the data's 2024", v.Period)
			}
			if diff := totalsDiff(t, native(t, files, m.Name, 2024), v); diff != "" {
				t.Errorf("totals (-native +view):\n%s", diff)
			}
			// Every file is reported read to its end, then the stages.
			read := map[string]int64{}
			var stages []string
			for _, p := range prog {
				if p.Stage == "read" {
					read[p.File] = p.Done
				} else {
					stages = append(stages, p.Stage)
				}
			}
			for n, b := range files {
				if read[n] != int64(len(b)) {
					t.Errorf("%s: progress reached %d of %d bytes", n, read[n], len(b))
				}
			}
			if diff := cmp.Diff([]string{"measures", "payment", "funnels", "done"}, stages); diff != "" {
				t.Errorf("stages (-want +got):\n%s", diff)
			}
			if len(v.Measures) != len(measures.IDs()) {
				t.Errorf("%d measures, want %d", len(v.Measures), len(measures.IDs()))
			}
			for _, mv := range v.Measures {
				if !strings.HasPrefix(strings.TrimSpace(mv.SVG), "<") || !strings.Contains(mv.SVG, "<svg") {
					t.Errorf("%s: no funnel plot", mv.ID)
				}
				if len(mv.Rows) != len(v.Units)+1 || mv.Rows[0].UnitID != "" {
					t.Errorf("%s: %d rows for %d units", mv.ID, len(mv.Rows), len(v.Units))
				}
			}
		})
	}
}

func shuffleRows(b []byte, seed uint64) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	body := lines[1:]
	rng := rand.New(rand.NewPCG(seed, 1))
	rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
	return []byte(strings.Join(lines, ""))
}

// TestRegionShuffled: shuffled input rows give a byte-identical view.
func TestRegionShuffled(t *testing.T) {
	files := synthFiles(t, 1200, 5)
	a, err := shared.Region(context.Background(), RegionRequest{Model: "skane-2023", Year: 2024}, asFiles(files), nil)
	if err != nil {
		t.Fatal(err)
	}
	sh := map[string][]byte{}
	for n, b := range files {
		sh[n] = shuffleRows(b, 9)
	}
	b, err := shared.Region(context.Background(), RegionRequest{Model: "skane-2023", Year: 2024}, asFiles(sh), nil)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("shuffled rows changed the view")
	}
}

func TestRegionErrors(t *testing.T) {
	files := synthFiles(t, 100, 1)
	tests := []struct {
		name  string
		req   RegionRequest
		files []File
		field string
	}{
		{"unknown model", RegionRequest{Model: "x"}, asFiles(files), "model"},
		{"year outside", RegionRequest{Model: "vgr-2017", Year: 2000}, asFiles(files), "year"},
		{"not a contract file", RegionRequest{Model: "vgr-2017"}, append(asFiles(files), File{Name: "secrets.csv", Reader: strings.NewReader("a\n")}), "files[" + strconv.Itoa(len(files)) + "]"},
		{"twice", RegionRequest{Model: "vgr-2017"}, append(asFiles(files), File{Name: "units.csv", Reader: strings.NewReader("a\n")}), "files[" + strconv.Itoa(len(files)) + "]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := shared.Region(context.Background(), tc.req, tc.files, nil)
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tc.field {
				t.Errorf("error %v, want an *InputError for %s", err, tc.field)
			}
		})
	}
	// A missing required file is intake's error, not a panic.
	var only []File
	for _, f := range asFiles(files) {
		if f.Name != vardval.FileListings {
			only = append(only, f)
		}
	}
	if _, err := shared.Region(context.Background(), RegionRequest{Model: "vgr-2017"}, only, nil); err == nil {
		t.Error("no error without listings.csv")
	}
}

func TestDownload(t *testing.T) {
	c := New()
	if _, err := c.Download("csv", ""); err == nil {
		t.Error("download before any statement")
	}
	m := modelInfo(t, "skane-2023")
	v, err := c.Describe(context.Background(), typicalRequest(m, "private"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Download("json", "")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Total string `json:"total"`
		Units []struct {
			UnitID string `json:"unit_id"`
			Total  string `json:"total"`
		} `json:"units"`
	}
	if err := json.Unmarshal(d.Data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Units) != 1 || doc.Units[0].UnitID != DescribedUnitID || doc.Total != v.Total || doc.Units[0].Total != v.Total {
		t.Errorf("json download %+v, view total %s", doc, v.Total)
	}
	if !strings.HasSuffix(d.Name, ".json") || d.Type != "application/json" {
		t.Errorf("json download named %q of type %q", d.Name, d.Type)
	}
	d, err = c.Download("csv", "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(d.Data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[0][0] != "unit_id" {
		t.Fatalf("csv download starts %v", rows[:min(2, len(rows))])
	}
	var sum decimal.Decimal
	amount := slices.Index(rows[0], "amount")
	month := slices.Index(rows[0], "month")
	for _, r := range rows[1:] {
		if r[0] != DescribedUnitID {
			t.Errorf("csv row of unit %s", r[0])
		}
		if r[month] == "" {
			sum = sum.Add(decimal.RequireFromString(r[amount]))
		}
	}
	if sum.StringFixed(2) != v.Total {
		t.Errorf("csv period lines sum to %s, total %s", sum, v.Total)
	}
	// A region's JSON carries the intake report, like vardval run's.
	if _, err := c.Region(context.Background(), RegionRequest{Model: "skane-2023"}, asFiles(synthFiles(t, 300, 4)), nil); err != nil {
		t.Fatal(err)
	}
	d, err = c.Download("json", "")
	if err != nil {
		t.Fatal(err)
	}
	var rdoc struct {
		Units  []json.RawMessage `json:"units"`
		Intake struct {
			Files []struct {
				File string `json:"file"`
				Read int    `json:"read"`
			} `json:"files"`
		} `json:"intake"`
	}
	if err := json.Unmarshal(d.Data, &rdoc); err != nil {
		t.Fatal(err)
	}
	if len(rdoc.Units) < 3 || len(rdoc.Intake.Files) != len(vardval.FileNames()) {
		t.Errorf("region download: %d units, intake %+v", len(rdoc.Units), rdoc.Intake)
	}
	if d, err := c.Download("csv", "VC001"); err != nil || !strings.Contains(d.Name, "VC001") {
		t.Errorf("one unit of a region: %v", err)
	}
	if _, err := c.Download("csv", "NOPE"); err == nil {
		t.Error("download of an unknown unit")
	}
	if _, err := c.Download("pdf", ""); err == nil {
		t.Error("pdf download accepted")
	}
}

func FuzzParseFixed(f *testing.F) {
	for _, s := range []string{"", "1", "1.05", "1,30", "-1", "0.0000001", "1e3", "999.999999", "abc", " 2 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok, err := parseFixed("x", s)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != "x" {
				t.Fatalf("error %v", err)
			}
			return
		}
		if !ok {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("%q: not given", s)
			}
			return
		}
		if v < 0 || v > 1000*vardval.FixedScale {
			t.Fatalf("%q: %d out of range", s, v)
		}
		want, _ := decimal.NewFromString(strings.TrimSpace(strings.ReplaceAll(s, ",", ".")))
		if !v.Decimal().Equal(want) {
			t.Fatalf("%q: %s, want %s", s, v.Decimal(), want)
		}
	})
}

// TestReprice: once Region has loaded a region, Reprice prices it again
// under every model, for a month or the whole year, exactly as a native
// run over that period and byte-identically to a fresh Region asked for
// the same, without reading anything; before any Region, and for a month
// or year out of range, it is an *InputError.
func TestReprice(t *testing.T) {
	ctx := context.Background()
	files := synthFiles(t, 2500, 3)
	c := New()
	var ie *InputError
	if _, err := c.Reprice(ctx, RegionRequest{Model: "skane-2023"}, nil); !errors.As(err, &ie) || ie.Field != "files" {
		t.Fatalf("Reprice before Region: %v, want an *InputError for files", err)
	}
	if _, err := c.Region(ctx, RegionRequest{Model: "skane-2023", Year: 2024}, asFiles(files), nil); err != nil {
		t.Fatal(err)
	}
	ms, err := c.Models()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		for _, month := range []int{3, 0, 12} {
			req := RegionRequest{Model: m.Name, Year: 2024, Month: month}
			p := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
			if month > 0 {
				p = vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: month})
			}
			var stages []string
			v, err := c.Reprice(ctx, req, func(pr Progress) { stages = append(stages, pr.Stage) })
			if err != nil {
				t.Fatalf("%s month %d: %v", m.Name, month, err)
			}
			if diff := cmp.Diff([]string{"measures", "payment", "funnels", "done"}, stages); diff != "" {
				t.Errorf("%s month %d: stages (-want +got):\n%s", m.Name, month, diff)
			}
			if v.Period.From != p.From.String() || v.Period.To != p.To.String() {
				t.Errorf("%s month %d: period %+v, want %v", m.Name, month, v.Period, p)
			}
			if diff := totalsDiff(t, nativePeriod(t, files, m.Name, p), v); diff != "" {
				t.Errorf("%s month %d: totals (-native +repriced):\n%s", m.Name, month, diff)
			}
			// A model that pays nothing on measures prices the same
			// without them: the page shows that statement first.
			if len(m.Measures) == 0 {
				quick := req
				quick.NoMeasures = true
				q, err := c.Reprice(ctx, quick, nil)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(v.Units, q.Units); diff != "" || q.Total != v.Total || q.Measures != nil {
					t.Errorf("%s month %d: priced without measures (-with +without):\n%s", m.Name, month, diff)
				}
			}
			fresh, err := New().Region(ctx, req, asFiles(files), nil)
			if err != nil {
				t.Fatal(err)
			}
			ja, _ := json.Marshal(v)
			jb, _ := json.Marshal(fresh)
			if !bytes.Equal(ja, jb) {
				t.Errorf("%s month %d: repriced view differs from a fresh Region's", m.Name, month)
			}
		}
	}
	for _, tc := range []struct {
		req   RegionRequest
		field string
	}{
		{RegionRequest{Model: "skane-2023", Year: 2024, Month: 13}, "month"},
		{RegionRequest{Model: "skane-2023", Year: 2024, Month: -1}, "month"},
		{RegionRequest{Model: "vgr-2017", Year: 2000}, "year"},
		{RegionRequest{Model: "x"}, "model"},
	} {
		if _, err := c.Reprice(ctx, tc.req, nil); !errors.As(err, &ie) || ie.Field != tc.field {
			t.Errorf("%+v: %v, want an *InputError for %s", tc.req, err, tc.field)
		}
	}
}

// TestRepriceConcurrent: repricing the same period again (measures from
// the cache) and repricing from several goroutines at once give the views
// sequential repricing gives, byte for byte (run with -race to check the
// locking).
func TestRepriceConcurrent(t *testing.T) {
	ctx := context.Background()
	files := synthFiles(t, 1500, 4)
	c := New()
	if _, err := c.Region(ctx, RegionRequest{Model: "vgr-2017", Year: 2024}, asFiles(files), nil); err != nil {
		t.Fatal(err)
	}
	var reqs []RegionRequest
	for _, model := range []string{"halland-2019", "skane-2023", "vgr-2017"} {
		for _, month := range []int{0, 2, 11} {
			reqs = append(reqs, RegionRequest{Model: model, Year: 2024, Month: month})
		}
	}
	want := make([][]byte, len(reqs))
	for i, req := range reqs {
		v, err := c.Reprice(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		want[i], _ = json.Marshal(v)
		again, err := c.Reprice(ctx, req, nil) // the same period: cached measures
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(again); !bytes.Equal(b, want[i]) {
			t.Errorf("%+v: repriced again, the view differs", req)
		}
	}
	got := make([][]byte, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			v, err := c.Reprice(ctx, req, nil)
			errs[i] = err
			got[i], _ = json.Marshal(v)
		})
	}
	wg.Wait()
	for i := range reqs {
		if errs[i] != nil {
			t.Fatalf("%+v: %v", reqs[i], errs[i])
		}
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("%+v: repriced concurrently, the view differs", reqs[i])
		}
	}
}

// A typed unit name holding a personnummer shape is never echoed: the view
// and its JSON hold no digit of it.
func TestDescribeMasksPersonnummer(t *testing.T) {
	ms, err := shared.Models()
	if err != nil {
		t.Fatal(err)
	}
	req := typicalRequest(ms[0], "public")
	for _, name := range []string{"VC 19121212-1212", "191212+1212 Norr", "Vård 1912121212"} {
		req.Name = name
		v, err := shared.Describe(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v)
		if m := regexp.MustCompile(`\d{6}[-+ ]?\d{4}|191212`).Find(b); m != nil {
			t.Errorf("name %q: the view holds %q", name, m)
		}
		if !strings.Contains(v.Units[0].Name, "[personnummer]") {
			t.Errorf("name %q shown as %q", name, v.Units[0].Name)
		}
	}
}
