package payment_test

import (
	"context"
	"log"
	"os"
	"strings"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// ExplainWith writes the fixed words of an explanation in another
// language; the statement's own texts are the caller's to translate.
func ExampleExplainWith() {
	region, _, err := vardval.Load(context.Background(), vardval.Files{
		Units:    strings.NewReader("unit_id,name,kind\nVC2,Vårdcentral Två,primary\n"),
		Listings: strings.NewReader("person_id,unit_id,from,sex,birth_date\nP3,VC2,2010-01-01,F,1940-01-15\n"),
	}, vardval.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	model, err := payment.ParseModel(strings.NewReader(`model: example-2024
region: Exempelregionen
title: Exempel
valid: {from: 2024-01-01}
currency: SEK
rounding: line-ore-half-even
components:
  - id: cap
    type: capitation
    name: Vårdpeng
    per: month
    rates: [{ages: 0-, values: [{from: 2024-01-01, value: "1250", source: "exempel §2"}]}]
`), payment.ParseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	st, err := payment.Run(context.Background(), model, region, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 1, 31)}, payment.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	wd := payment.EnglishWords()
	wd.Total, wd.Line, wd.Parameter, wd.Source = "totalt %s kr", "%2d. %s  %s kr", "parameter %s, gäller från %s", "källa: %s"
	wd.Money = func(s string) string { return strings.Replace(s, ".", ",", 1) }
	if err := payment.ExplainWith(os.Stdout, st, "VC2", wd); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Vårdcentral Två (VC2) — Exempel
	// model example-2024, Exempelregionen, period 2024-01, rounding line-ore-half-even
	// totalt 1250,00 kr
	//
	//  1. Vårdpeng 0+  1250,00 kr
	//     1 listed persons aged 0+ × 1250 SEK per person-month (listed on 2024-01-31).
	//     parameter components[0].rates[0].values[0], gäller från 2024-01-01
	//     källa: exempel §2
	//
	// month    lines    total
	// -----------------------
	// 2024-01      1  1250,00
	// -----------------------
	// period       1  1250,00
}
