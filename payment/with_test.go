package payment_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/measures"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// synthRegion reads a small synthetic region of 2024 through the intake.
func synthRegion(t testing.TB, persons int) *vardval.Region { return synthRegionYear(t, persons, 2024) }

// synthRegionYear is a synthetic region of persons with every file, its
// contacts in year.
func synthRegionYear(t testing.TB, persons, year int) *vardval.Region {
	t.Helper()
	var u, l, c, a, d, o, p bytes.Buffer
	if _, err := synth.Generate(context.Background(), synth.Config{Persons: persons, Seed: 3, Year: year},
		synth.Writers{Units: &u, Listings: &l, Contacts: &c, Areas: &a, Diagnoses: &d, Observations: &o, Prescriptions: &p}); err != nil {
		t.Fatal(err)
	}
	r, rep, err := vardval.Load(context.Background(), vardval.Files{Units: &u, Listings: &l, Contacts: &c, Areas: &a,
		Diagnoses: &d, Observations: &o, Prescriptions: &p}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	return r
}

func builtin(t testing.TB, name string) *payment.Model {
	t.Helper()
	m, err := payment.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// paramText is every parameter of m with its values, as text.
func paramText(m *payment.Model) string {
	var b strings.Builder
	for _, p := range m.Params() {
		fmt.Fprintf(&b, "%+v\n", *p)
	}
	return b.String()
}

func statementText(t testing.TB, st *payment.Statement) string {
	t.Helper()
	var b bytes.Buffer
	if err := payment.WriteJSON(&b, st, nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// One model and one region are read by many goroutines at once: Run,
// Price, With and Compare. Under -race (go test -race ./payment/ -run
// TestConcurrentReaders) any write to the shared model or region is
// reported; every goroutine gets the statement priced alone.
func TestConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	r := synthRegion(t, 400)
	m := builtin(t, "skane-2023")
	q1 := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 3, 31)}
	want, err := payment.Price(ctx, m, r, q1, payment.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantText := statementText(t, want)
	params := paramText(m)
	const workers = 8
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			errs[w] = func() error {
				st, err := payment.Run(ctx, m, r, q1, payment.RunOptions{})
				if err != nil {
					return err
				}
				priced, err := payment.Price(ctx, m, r, q1, payment.PriceOptions{})
				if err != nil {
					return err
				}
				if got := statementText(t, priced); got != wantText {
					return errors.New("a statement priced beside others differs from one priced alone")
				}
				share := decimal.New(int64(10+w), -2) // CNI share 0.10 … 0.17, ACG share to match
				proposal, err := m.With(
					payment.Override{Key: "capitation.shares[2].share", From: q1.From, Value: share},
					payment.Override{Key: "capitation.shares[0].share", From: q1.From, Value: decimal.RequireFromString("0.65").Sub(share)},
				)
				if err != nil {
					return err
				}
				sb, err := payment.Run(ctx, proposal, r, q1, payment.RunOptions{})
				if err != nil {
					return err
				}
				c := payment.Compare(st, sb)
				if !c.A.Equal(want.Total) {
					return fmt.Errorf("compare: A total %s, want %s", c.A, want.Total)
				}
				var b bytes.Buffer
				return payment.WriteComparisonTable(&b, c)
			}()
		})
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", w, err)
		}
	}
	if paramText(m) != params {
		t.Error("the shared model changed")
	}
}

// With leaves the model it is called on as it was and returns one that
// differs only in the overridden parameter; a change to the new model
// does not reach the old.
func TestWithLeavesReceiver(t *testing.T) {
	m := builtin(t, "skane-2023")
	before := paramText(m)
	from := vardval.D(2023, 2, 1)
	c, err := m.With(
		payment.Override{Key: "capitation.shares[2].share", From: from, Value: decimal.RequireFromString("0.20")},
		payment.Override{Key: "capitation.shares[0].share", From: from, Value: decimal.RequireFromString("0.45")},
	)
	if err != nil {
		t.Fatal(err)
	}
	if c == m || paramText(m) != before {
		t.Fatal("With changed its receiver")
	}
	if paramText(c) == before {
		t.Fatal("the new model has no override")
	}
	for _, p := range c.Params() {
		for i := range p.Values {
			p.Values[i].Source = "changed"
		}
	}
	c.Components[0].(*payment.PoolSplit).Shares[0].ID = "changed"
	c.Tables[0].Bands[0].Label = "changed"
	if paramText(m) != before || m.Components[0].(*payment.PoolSplit).Shares[0].ID == "changed" || m.Tables[0].Bands[0].Label == "changed" {
		t.Fatal("a change to the new model reached the old")
	}
	same, err := m.With()
	if err != nil || same == m || paramText(same) != before {
		t.Fatalf("With(): %v", err)
	}
}

// Every kind of error a service maps is its own type, found by errors.As:
// request errors (unknown model, period, override, unit, results file)
// and data errors.
func TestErrorKinds(t *testing.T) {
	ctx := context.Background()
	r := synthRegion(t, 200)
	m := builtin(t, "skane-2023")
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}

	_, err := payment.Builtin("nope-2024")
	var ume *payment.UnknownModelError
	if !errors.As(err, &ume) || ume.Name != "nope-2024" || len(ume.Known) == 0 {
		t.Errorf("unknown model: %v", err)
	}

	for _, p := range []vardval.Period{
		{From: vardval.D(2022, 1, 1), To: vardval.D(2022, 12, 31)},
		{From: vardval.D(2024, 1, 1)},
	} {
		for name, price := range map[string]func() error{
			"Run": func() error { _, err := payment.Run(ctx, m, r, p, payment.RunOptions{}); return err },
			"Price": func() error {
				_, err := payment.Price(ctx, m, r, p, payment.PriceOptions{})
				return err
			},
		} {
			err := price()
			var pe *payment.RunPeriodError
			var re *payment.RunError
			var de *payment.DataError
			if !errors.As(err, &pe) || !errors.As(err, &re) || errors.As(err, &de) || pe.Model != "skane-2023" {
				t.Errorf("%s over %v: %v, want a *RunPeriodError", name, p, err)
			}
		}
	}
	_, err = payment.Run(ctx, m, r, vardval.Period{From: vardval.D(2022, 1, 1), To: vardval.D(2022, 12, 31)}, payment.RunOptions{})
	if err == nil || err.Error() != "model skane-2023: period 2022 is outside the model's validity 2023-01-01.." {
		t.Errorf("message %q", err)
	}

	_, err = m.With(payment.Override{Key: "capitation.nope", From: year.From, Value: decimal.Zero})
	var oe *payment.OverrideError
	if !errors.As(err, &oe) || oe.Key != "capitation.nope" {
		t.Errorf("bad override: %v", err)
	}

	st, err := payment.Run(ctx, m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var uue *payment.UnknownUnitError
	if err := payment.Explain(&bytes.Buffer{}, st, "NOPE"); !errors.As(err, &uue) || uue.UnitID != "NOPE" {
		t.Errorf("unknown unit: %v", err)
	}

	_, err = payment.ReadResults(strings.NewReader("measure,unit_id\n"))
	var rse *payment.ResultsError
	if !errors.As(err, &rse) {
		t.Errorf("results: %v", err)
	}

	// Data: a listings file whose every row is rejected leaves nobody
	// listed; Run and Price refuse instead of paying zeros.
	empty, rep, err := vardval.Load(ctx, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind,municipality,owner,from,to\nVC1,Norr,primary,1380,public,2010-01-01,\n"),
		Listings: strings.NewReader("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\nP1,NOPE,2020-01-01,,F,1950-03-04,,,1\n"),
	}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Err() != nil || len(empty.Listings) != 0 {
		t.Fatalf("the listing was not rejected: %v, %d listings", rep.Err(), len(empty.Listings))
	}
	for name, price := range map[string]func() error{
		"Run": func() error { _, err := payment.Run(ctx, m, empty, year, payment.RunOptions{}); return err },
		"Price": func() error {
			_, err := payment.Price(ctx, m, empty, year, payment.PriceOptions{})
			return err
		},
	} {
		err := price()
		var de *payment.DataError
		var pe *payment.RunPeriodError
		if !errors.As(err, &de) || errors.As(err, &pe) || !strings.Contains(de.Reason, "no person is listed") {
			t.Errorf("%s with every listing rejected: %v, want a *DataError", name, err)
		}
	}
	// Listed, but not in the period priced.
	if _, err := payment.Run(ctx, m, r, vardval.Period{From: vardval.D(2030, 1, 1), To: vardval.D(2030, 1, 31)}, payment.RunOptions{}); !errors.As(err, new(*payment.DataError)) {
		t.Errorf("nobody listed in the period: %v", err)
	}
}

// A pool share whose index is zero for every unit is a data error: the
// region as given cannot be shared out.
func TestPoolShareZeroIsDataError(t *testing.T) {
	ctx := context.Background()
	r, rep, err := vardval.Load(ctx, vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind,municipality,owner,from,to\nVC1,Norr,primary,1380,public,2010-01-01,\n"),
		Listings: strings.NewReader("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\nP1,VC1,2020-01-01,,F,1950-03-04,,,0\n"),
	}, vardval.LoadOptions{})
	if err != nil || rep.Err() != nil {
		t.Fatal(err, rep.Err())
	}
	m, err := payment.ParseModel(strings.NewReader(ownModel), payment.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = payment.Price(ctx, m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.PriceOptions{})
	var de *payment.DataError
	var re *payment.RunError
	if !errors.As(err, &de) || !errors.As(err, &re) || de.Month != "2024-01" || de.Path != "components[1].shares.acg" {
		t.Fatalf("err = %v, want a *DataError for the ACG share in 2024-01", err)
	}
}

// Price computes the measures when the model pays on them, as the CLI did
// by hand; given results or a report, it prices on those.
func TestPriceMeasures(t *testing.T) {
	ctx := context.Background()
	r := synthRegion(t, 4000)
	m := builtin(t, "vgr-2017")
	if len(m.MeasureIDs()) == 0 {
		t.Fatal("vgr-2017 pays on no measure")
	}
	year := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	rep, err := measures.Compute(ctx, r, year, measures.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: the measures over each indicator's window (vgr-2017: the
	// 12 months ending with the paid month), computed here.
	windows := map[vardval.Period]*measures.Report{year: rep}
	byHand, err := payment.Run(ctx, m, r, year, payment.RunOptions{MeasuresOver: func(p vardval.Period, id, unit string) (measures.Result, bool) {
		if p.To.YearMonth().Add(-11) != p.From.YearMonth() || p.From.Day != 1 || p.To != p.To.YearMonth().Last() {
			t.Errorf("measure %s read over %s, not 12 calendar months", id, p.Label())
		}
		if windows[p] == nil {
			w, err := measures.Compute(ctx, r, p, measures.Options{})
			if err != nil {
				t.Fatal(err)
			}
			windows[p] = w
		}
		return windows[p].PayResult(id, unit)
	}})
	if err != nil {
		t.Fatal(err)
	}
	priced, err := payment.Price(ctx, m, r, year, payment.PriceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	given, err := payment.Price(ctx, m, r, year, payment.PriceOptions{Measures: rep})
	if err != nil {
		t.Fatal(err)
	}
	if statementText(t, priced) != statementText(t, byHand) || statementText(t, given) != statementText(t, byHand) {
		t.Error("Price differs from Run on the computed measures")
	}
	none, err := payment.Price(ctx, m, r, year, payment.PriceOptions{NoMeasures: true})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := payment.Run(ctx, m, r, year, payment.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if statementText(t, none) != statementText(t, plain) || none.Total.Equal(priced.Total) {
		t.Error("NoMeasures does not price without the measures")
	}
	// Results read from a file (here: the report written as CSV).
	var b bytes.Buffer
	if err := measures.WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	res, err := payment.ReadResults(&b)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := payment.Price(ctx, m, r, year, payment.PriceOptions{Results: res})
	if err != nil {
		t.Fatal(err)
	}
	if fromFile.Total.IsZero() {
		t.Error("nothing priced from the results file")
	}
	// No measures are computed for a model that pays on none.
	if rep, err := payment.MeasuresFor(ctx, r, year, builtin(t, "skane-2023")); rep != nil || err != nil {
		t.Errorf("MeasuresFor a model without goal pay: %v, %v", rep, err)
	}
	if rep, err := payment.MeasuresFor(ctx, r, year, builtin(t, "skane-2023"), m); rep == nil || err != nil {
		t.Errorf("MeasuresFor with a goal model: %v, %v", rep, err)
	}
}
