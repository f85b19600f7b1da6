package payment

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/vardval"
)

// An override that breaks a rule of the model file is refused with an
// *OverrideError naming the key, with the reason Check gives for a file
// holding the same value, and the model is left unchanged.
func TestOverrideKeepsModelRules(t *testing.T) {
	em, _ := examples.LookupModel("skane-2023")
	file := string(em.Data)
	for _, tc := range []struct {
		key, value string
		// the same value written in the file: old text → new text
		from, to string
		reason   string
	}{
		{"capitation.shares[2].share", "0.20", `value: "0.15"`, `value: "0.20"`,
			"the shares in force on 2023-01-01 sum to 1.05, not 1"},
		{"capitation.shares[3].share", "-0.05", `value: "0.05"`, `value: "-0.05"`,
			"must be a fraction between 0 and 1"},
		{"capitation.pool_per_listed_year", "-1", `value: "3300"`, `value: "-1"`,
			"must not be negative"},
		{"active.window_months", "0", `value: "36"`, `value: "0"`,
			"must be a whole number of months between 1 and 120"},
		{"vat.percent", "101", `value: "6"`, `value: "101"`,
			"must be a percentage between 0 and 100"},
		{"tables[0].weights[0].values", "1.0000001", `value: "1.30"`, `value: "1.0000001"`,
			"at most six decimals"},
		{"visits_others.fees[0].values", strings.Repeat("1", 41), `value: "700"`, `value: "` + strings.Repeat("1", 41) + `"`,
			"a number has at most 40 significant digits, this one has 41"},
	} {
		if !strings.Contains(file, tc.from) {
			t.Fatalf("%s: %q not in the file", tc.key, tc.from)
		}
		checkErrs := modelErrors(CheckModel([]byte(strings.Replace(file, tc.from, tc.to, 1)), ParseOptions{File: em.Path}))
		if len(checkErrs) != 1 || checkErrs[0].Reason != tc.reason {
			t.Errorf("%s: the file check says %v, want %q", tc.key, checkErrs, tc.reason)
		}
		m := loadModel(t, "skane-2023")
		before := paramValues(m)
		c, err := m.With(Override{Key: tc.key, From: vardval.D(2023, 1, 1), Value: decimal.RequireFromString(tc.value), Note: "test"})
		var oe *OverrideError
		if !errors.As(err, &oe) || oe.Key != tc.key || oe.Reason != tc.reason || c != nil {
			t.Errorf("%s = %s: %v, want an *OverrideError %q", tc.key, tc.value, err, tc.reason)
			continue
		}
		if err.Error() != "override "+tc.key+": "+tc.reason {
			t.Errorf("message %q", err.Error())
		}
		var me *ModelError
		if !errors.As(err, &me) || me.Reason != tc.reason {
			t.Errorf("%s: no *ModelError inside: %v", tc.key, err)
		}
		if !reflect.DeepEqual(before, paramValues(m)) {
			t.Errorf("%s: a refused override changed the model", tc.key)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("%s: the model no longer validates: %v", tc.key, err)
		}
	}
}

func paramValues(m *Model) [][]Dated {
	var out [][]Dated
	for _, p := range m.Params() {
		out = append(out, p.Values)
	}
	return out
}

func TestWithSeveral(t *testing.T) {
	m := loadModel(t, "skane-2023")
	before := paramValues(m)
	from := vardval.D(2023, 3, 1)
	// a share moved from one sub-pool to another: right only together
	c, err := m.With(
		Override{Key: "capitation.shares[2].share", From: from, Value: decimal.RequireFromString("0.20")},
		Override{Key: "capitation.shares[1].share", From: from, Value: decimal.RequireFromString("0.25")},
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	v, _ := c.Components[0].(*PoolSplit).Shares[2].Share.At(from)
	if v.Source != "override" || !v.Value.Equal(decimal.RequireFromString("0.2")) {
		t.Errorf("CNI share from March: %+v", v)
	}
	if !reflect.DeepEqual(before, paramValues(m)) {
		t.Error("With changed the model it was called on")
	}
	// one wrong override refuses all of them and names only its key
	_, err = m.With([]Override{
		{Key: "vat.percent", From: from, Value: decimal.RequireFromString("7")},
		{Key: "capitation.pool_per_listed_year", From: from, Value: decimal.RequireFromString("-3300")},
	}...)
	var oe *OverrideError
	if !errors.As(err, &oe) || oe.Key != "capitation.pool_per_listed_year" {
		t.Errorf("negative pool: %v", err)
	}
	if !reflect.DeepEqual(before, paramValues(m)) {
		t.Error("a refused With changed the model")
	}
	// an unknown key after a good one changes nothing either
	_, err = m.With([]Override{
		{Key: "vat.percent", From: from, Value: decimal.RequireFromString("7")},
		{Key: "vat.nope", From: from, Value: decimal.RequireFromString("7")},
	}...)
	if !errors.As(err, &oe) || oe.Key != "vat.nope" || !strings.HasPrefix(oe.Reason, "no such parameter") {
		t.Errorf("unknown key: %v", err)
	}
	if !reflect.DeepEqual(before, paramValues(m)) {
		t.Error("a With with an unknown key changed the model")
	}
	// two shares that each break the sum name both keys
	_, err = m.With([]Override{
		{Key: "capitation.shares[2].share", From: from, Value: decimal.RequireFromString("0.20")},
		{Key: "capitation.shares[3].share", From: from, Value: decimal.RequireFromString("0.10")},
	}...)
	if !errors.As(err, &oe) || oe.Key != "capitation.shares[2].share, capitation.shares[3].share" ||
		oe.Reason != "the shares in force on 2023-03-01 sum to 1.1, not 1" {
		t.Errorf("two shares: %v", err)
	}
}

// Validate on a model in memory reports what Check reports on its file.
func TestValidateInMemory(t *testing.T) {
	for _, em := range examples.Models() {
		m, err := ParseModel(strings.NewReader(string(em.Data)), ParseOptions{File: em.Path})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", em.Name, err)
		}
	}
	m := loadModel(t, "vgr-2017")
	p := m.Params()[0]
	p.Values[0].Value = decimal.RequireFromString("-1")
	p.Values = append(p.Values, p.Values[0])
	errs := modelErrors(m.Validate())
	if len(errs) != 3 || errs[0].Reason != "must not be negative" || errs[0].File != m.File ||
		!strings.HasPrefix(errs[2].Reason, "duplicate validity") {
		t.Errorf("%v", errs)
	}
	var me *ModelError
	if !errors.As(m.Validate(), &me) {
		t.Error("not a *ModelError")
	}
}

// firstGap agrees with asking At on the first day of every month.
func TestFirstGap(t *testing.T) {
	d := vardval.D
	v := func(from, to vardval.Date) Dated { return Dated{From: from, To: to} }
	params := [][]Dated{
		nil,
		{v(d(2024, 1, 1), vardval.Date{})},
		{v(d(2024, 3, 1), vardval.Date{})},
		{v(d(2024, 1, 1), d(2024, 4, 30))},
		{v(d(2024, 1, 1), d(2024, 4, 15))},
		{v(d(2024, 1, 1), d(2024, 3, 31)), v(d(2024, 5, 1), vardval.Date{})},
		{v(d(2024, 1, 1), d(2024, 4, 30)), v(d(2024, 5, 1), d(2024, 12, 31))},
		{v(d(2023, 1, 1), vardval.Date{}), v(d(2024, 2, 1), d(2024, 2, 1)), v(d(2024, 6, 1), vardval.Date{})},
		{v(d(2023, 1, 1), d(2023, 12, 1)), v(d(2024, 2, 1), d(2024, 8, 1))},
		{v(d(2025, 1, 1), vardval.Date{})},
		{v(d(2020, 1, 1), d(2020, 12, 31))},
	}
	for i, vs := range params {
		p := &Param{Values: vs}
		for _, rng := range [][2]vardval.YearMonth{{{Year: 2024, Month: 1}, {Year: 2024, Month: 12}}, {{Year: 2024, Month: 2}, {Year: 2024, Month: 2}}, {{Year: 2023, Month: 6}, {Year: 2025, Month: 3}}} {
			var want vardval.Date
			found := false
			for mo := rng[0]; mo.Index() <= rng[1].Index(); mo = mo.Add(1) {
				if _, ok := p.At(mo.First()); !ok {
					want, found = mo.First(), true
					break
				}
			}
			got, ok := p.firstGap(rng[0], rng[1])
			if ok != found || got != want {
				t.Errorf("params[%d] %v: firstGap = %v %v, want %v %v", i, rng, got, ok, want, found)
			}
		}
	}
}

// A zero From is the model's first valid day; a From that is not a real
// date is refused with an *OverrideError naming the key, wrapping the
// *vardval.DateError; the model made writes as JSON.
func TestWithFrom(t *testing.T) {
	m := loadModel(t, "skane-2023")
	before := paramValues(m)
	c, err := m.With(Override{Key: "vat.percent", Value: decimal.RequireFromString("7"), Note: "zero from"})
	if err != nil {
		t.Fatal(err)
	}
	p := c.param("vat.percent", c.Params())
	if p == nil {
		t.Fatal("no vat.percent")
	}
	last := p.Values[len(p.Values)-1]
	want := vardval.D(int(m.Valid.From.Year), int(m.Valid.From.Month), 1)
	if last.From != want || last.Source != "override" {
		t.Errorf("zero From: the override is in force from %v, want %v", last.From, want)
	}
	if _, err := json.Marshal(c); err != nil {
		t.Errorf("the model made with a zero From does not write: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	for _, from := range []vardval.Date{
		vardval.D(2023, 2, 30), vardval.D(2023, 13, 1), vardval.D(0, 0, 1), vardval.D(2023, 0, 1), vardval.D(1799, 12, 1),
	} {
		c, err := m.With(
			Override{Key: "vat.percent", From: vardval.D(2023, 3, 1), Value: decimal.RequireFromString("7")},
			Override{Key: "capitation.pool_per_listed_year", From: from, Value: decimal.RequireFromString("3400")},
		)
		var oe *OverrideError
		var de *vardval.DateError
		if !errors.As(err, &oe) || oe.Key != "capitation.pool_per_listed_year" || c != nil ||
			!strings.HasPrefix(oe.Reason, "from is not a real date") || !errors.As(err, &de) {
			t.Errorf("From %#v: %v, want an *OverrideError naming the key", from, err)
		}
	}
	if !reflect.DeepEqual(before, paramValues(m)) {
		t.Error("With changed the model it was called on")
	}
}

// Validate on a model in memory refuses dates a file could not hold.
func TestValidateDates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(m *Model, v *Dated)
		path   string // suffix of the problem's path
		reason string
	}{
		{"zero from", func(_ *Model, v *Dated) { v.From = vardval.Date{} }, ".from", "missing: the first day the value is in force"},
		{"impossible from", func(_ *Model, v *Dated) { v.From = vardval.D(0, 0, 1) }, ".from", "not a real date: 0000-00-01"},
		{"from mid-month", func(_ *Model, v *Dated) { v.From = v.From.AddDays(14) }, ".from", "a value must start on the first day of a month"},
		{"impossible to", func(_ *Model, v *Dated) { v.To = vardval.D(2023, 2, 29) }, ".to", "not a real date: 2023-02-29"},
		{"to before from", func(_ *Model, v *Dated) { v.To = v.From.AddDays(-1) }, ".to", "ends before it starts"},
		{"zero validity", func(m *Model, _ *Dated) { m.Valid.From = vardval.Date{} }, "valid.from", "missing: the model's first valid day"},
		{"impossible validity", func(m *Model, _ *Dated) { m.Valid.To = vardval.D(2023, 4, 31) }, "valid.to", "not a real date: 2023-04-31"},
	} {
		m := loadModel(t, "vgr-2017")
		p := m.Params()[0]
		tc.change(m, &p.Values[0])
		var me *ModelError
		err := m.Validate()
		if !errors.As(err, &me) {
			t.Errorf("%s: %v, want a *ModelError", tc.name, err)
			continue
		}
		found := false
		for _, e := range modelErrors(err) {
			if strings.HasSuffix(e.Path, tc.path) && e.Reason == tc.reason {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: %v, want %q at …%s", tc.name, err, tc.reason, tc.path)
		}
	}
}
