package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vardval/vardval/examples"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// demoPersons is the size of the embedded default region: small enough to
// run in a second, large enough for three vårdcentraler.
const demoPersons = 27000

// newestModel returns the embedded model of a region with the latest
// validity start.
func newestModel(region string) (*payment.Model, error) {
	var best *payment.Model
	for _, em := range examples.Models() {
		if !strings.HasPrefix(em.Name, region+"-") {
			continue
		}
		m, err := payment.ParseModel(bytes.NewReader(em.Data), parseOptions(em.Path))
		if err != nil {
			return nil, err
		}
		if best == nil || m.Valid.From.After(best.Valid.From) {
			best = m
		}
	}
	if best == nil {
		return nil, fmt.Errorf("no embedded model for region %q", region)
	}
	return best, nil
}

// demoRegion generates the embedded synthetic region for a data year.
func demoRegion(ctx context.Context, year int) (*vardval.Region, *vardval.IntakeReport, error) {
	files, _, err := synth.GenerateFiles(ctx, synth.Config{Persons: demoPersons, Seed: 1, Year: year})
	if err != nil {
		return nil, nil, err
	}
	rd := func(name string) io.Reader {
		if b, ok := files[name]; ok {
			return bytes.NewReader(b)
		}
		return nil
	}
	return vardval.Load(ctx, vardval.Files{Units: rd(vardval.FileUnits), Areas: rd(vardval.FileAreas),
		Listings: rd(vardval.FileListings), Contacts: rd(vardval.FileContacts), Diagnoses: rd(vardval.FileDiagnoses),
		Observations: rd(vardval.FileObservations), Prescriptions: rd(vardval.FilePrescriptions),
		Procedures: rd(vardval.FileProcedures), Admissions: rd(vardval.FileAdmissions), Clinicians: rd(vardval.FileClinicians),
		Calls: rd(vardval.FileCalls), Survey: rd(vardval.FileSurvey)}, vardval.LoadOptions{})
}

// cmdDefault is `vardval` with no arguments: the embedded synthetic region
// priced by the newest Halland model, a region summary and one unit's
// explained statement.
func cmdDefault(ctx context.Context, e *env) int {
	m, err := newestModel("halland")
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	year := int(m.Valid.From.Year)
	r, rep, err := demoRegion(ctx, year)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	st, err := price(ctx, e, m, r, fmt.Sprint(year), "", nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	read, acc, rej := rep.Totals()
	fmt.Fprintf(e.stdout, "vardval demo: a synthetic region of %d persons (vardval synth --persons %d --seed 1 --year %d)\n",
		demoPersons, demoPersons, year)
	fmt.Fprintf(e.stdout, "intake: %d rows read, %d accepted, %d rejected\n", read, acc, rej)
	fmt.Fprintf(e.stdout, "model: %s (%s), period %s\n\n", m.Name, m.Title, st.Period.Label())
	if err := payment.WriteTable(e.stdout, st); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	if len(st.Units) > 0 {
		fmt.Fprintln(e.stdout)
		if err := payment.Explain(e.stdout, st, st.Units[0].UnitID); err != nil {
			fmt.Fprintf(e.stderr, "vardval: %v\n", err)
			return 2
		}
	}
	fmt.Fprintln(e.stdout, "\nNext: vardval models; vardval synth --persons 20000 --out DIR; vardval run --model skane-2023 --data DIR; vardval help")
	return 0
}
