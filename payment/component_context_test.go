package payment_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// probe is an outside component that reads every count the MonthContext
// offers and adds one line that is not a product: a third of its grant,
// so that the model's rounding is seen to apply once.
type probe struct {
	payment.ComponentInfo
	Grant payment.Param
	seen  *[]string
}

func (c *probe) Params() []*payment.Param { return []*payment.Param{&c.Grant} }

func (c *probe) Need(n *payment.Needs) {
	n.Listed(payment.Counting{})
	n.Contacts()
	n.ContactsElsewhere()
	n.PatientFees()
}

func (c *probe) Price(mc *payment.MonthContext) error {
	v, err := mc.Value(&c.Grant)
	if err != nil {
		return err
	}
	for i := range mc.Units() {
		cnt := payment.Counting{}
		*c.seen = append(*c.seen, fmt.Sprintf("%s %s: listed %s, women 65+ %s, contacts here %d, all %d, elsewhere %d, fees %s",
			mc.Month(), mc.Unit(i).ID, mc.Listed(i, cnt).RatString(), mc.ListedAged(i, cnt, vardval.Female, 65, payment.MaxAge).RatString(),
			mc.Contacts(i, func(k payment.ContactKind) bool { return k.Relation == "here" }),
			mc.Contacts(i, func(payment.ContactKind) bool { return true }),
			mc.ContactsElsewhere(i, func(vardval.UnitKind, vardval.Mode, vardval.Profession) bool { return true }),
			mc.PatientFees(i).FloatString(2)))
		third := new(big.Rat).Quo(v.Value.Rat(), big.NewRat(3, 1))
		mc.Add(i, payment.LineSpec{Key: "grant", Quantity: big.NewRat(1, 1), Rate: v, Amount: third, Rule: "a third of the grant"})
	}
	return nil
}

func (c *probe) Clone(*payment.ModelCopy) payment.Component {
	x := *c
	x.Grant = c.Grant.Clone()
	return &x
}

func TestMonthContextForOutsideComponents(t *testing.T) {
	var seen []string
	types, err := payment.BuiltinComponents().With(payment.ComponentType{Name: "probe", Parse: func(d *payment.Decoder) payment.Component {
		return &probe{ComponentInfo: d.Info(), Grant: d.Param("grant", true, payment.NonNegative), seen: &seen}
	}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := payment.ParseModel(strings.NewReader(elderlyHeader+`  - id: probe
    type: probe
    grant: [{from: 2024-01-01, value: "100", source: "s"}]
`), payment.ParseOptions{Components: types})
	if err != nil {
		t.Fatal(err)
	}
	b := vardval.NewBuilder(vardval.LoadOptions{})
	for _, u := range []string{"VC1", "VC2"} {
		b.AddUnit(vardval.UnitRow{UnitID: u, Name: u, Kind: "primary", Owner: "public", From: vardval.D(2010, 1, 1)})
	}
	for i, born := range []int{1940, 1970, 2000} {
		sex := "F"
		if i == 2 {
			sex = "M"
		}
		b.AddListing(vardval.ListingRow{PersonID: fmt.Sprintf("P%d", i), UnitID: "VC1", From: vardval.D(2020, 1, 1), Sex: sex,
			BirthDate: vardval.D(born, 6, 1)})
	}
	fee := decimal.NewNullDecimal(decimal.RequireFromString("12.50"))
	for i, c := range []struct{ person, unit string }{{"P0", "VC1"}, {"P1", "VC1"}, {"P1", "VC2"}} {
		b.AddContact(vardval.ContactRow{ContactID: fmt.Sprintf("C%d", i), PersonID: c.person, UnitID: c.unit, Date: vardval.D(2024, 1, 10),
			Mode: "visit", Profession: "doctor", Urgent: "no", Fee: fee})
	}
	r, _, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2024-01 VC1: listed 3, women 65+ 1, contacts here 2, all 2, elsewhere 1, fees 25.00",
		"2024-01 VC2: listed 0, women 65+ 0, contacts here 0, all 1, elsewhere 0, fees 12.50",
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	l := st.Units[0].Months[0].Lines[0]
	got := []string{l.Amount.String(), l.Quantity.String(), l.Rate.String(), l.Parameter, l.ValidFrom.String(), l.Source, l.Explanation, st.Total.String()}
	if diff := cmp.Diff([]string{"33.33", "1", "33.333333", "components[0].grant[0]", "2024-01-01", "s", "a third of the grant.", "66.66"}, got); diff != "" {
		t.Errorf("line (-want +got):\n%s", diff)
	}
}

// careless reads listed persons it did not ask for in Need.
type careless struct{ probe }

func (c *careless) Need(*payment.Needs) {}

func (c *careless) Price(mc *payment.MonthContext) error {
	mc.Listed(0, payment.Counting{DayWeighted: true})
	return nil
}

// A component that reads what it did not ask for is Run's error, never a
// crash and never a silent zero.
func TestComponentReadingUnaskedCounts(t *testing.T) {
	types, err := payment.BuiltinComponents().With(payment.ComponentType{Name: "careless", Parse: func(d *payment.Decoder) payment.Component {
		return &careless{probe{ComponentInfo: d.Info(), Grant: d.Param("grant", true, payment.NonNegative)}}
	}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := payment.ParseModel(strings.NewReader(elderlyHeader+`  - id: c
    type: careless
    grant: [{from: 2024-01-01, value: "1", source: "s"}]
`), payment.ParseOptions{Components: types})
	if err != nil {
		t.Fatal(err)
	}
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "VC1", Kind: "primary", Owner: "public", From: vardval.D(2010, 1, 1)})
	b.AddListing(vardval.ListingRow{PersonID: "P1", UnitID: "VC1", From: vardval.D(2020, 1, 1), Sex: "F", BirthDate: vardval.D(1950, 1, 1)})
	r, _, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st, err := payment.Run(context.Background(), m, r, vardval.MonthPeriod(vardval.YearMonth{Year: 2024, Month: 1}), payment.RunOptions{})
	if st != nil || err == nil || !strings.Contains(err.Error(), "without asking for them in Need") {
		t.Errorf("got %v, %v; want no statement and an error naming Needs.Listed", st != nil, err)
	}
}
