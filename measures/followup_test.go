package measures

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/vardval/vardval/vardval"
)

// followupRegion is a small region with every follow-up file, each row
// placed on or just past the edge of a window; the comments say what
// each contributes (period 2024). Units VA and VB primary, AK emergency.
func followupRegion(t *testing.T) *vardval.Region {
	t.Helper()
	files := map[string]string{
		vardval.FileUnits: `unit_id,name,kind
VA,Vårdcentralen A,primary
VB,Vårdcentralen B,primary
AK,Akuten,emergency
`,
		vardval.FileListings: `person_id,unit_id,from,to,sex,birth_date
p1,VA,2020-01-01,,F,1949-12-31
p2,VA,2020-01-01,,M,1980-01-01
p3,VA,2020-01-01,,F,1990-01-01
p4,VB,2020-01-01,,M,1940-01-01
p5,VA,2020-01-01,2024-06-30,F,1945-03-03
p5,VB,2024-07-01,,F,1945-03-03
p6,VA,2020-01-01,2024-11-30,M,1960-01-01
`,
		// p1: E11 on the first day of the diagnosis window (period start −
		// 730 days); p2: I10 one day before it; p3: I15 in the period;
		// p4: E10.
		vardval.FileDiagnoses: `person_id,date,code
p1,2022-01-01,E11
p2,2021-12-31,I10
p3,2024-05-01,I15
p4,2024-02-01,E10
`,
		// p1: five ATC codes on the first day of the drug window (period
		// end − 364 days); p4: five rows, four codes; p5: six codes;
		// p6: five codes, not listed on the period's last day.
		vardval.FilePrescriptions: `person_id,date,atc
p1,2024-01-02,A10BA02
p1,2024-01-02,C09AA05
p1,2024-01-02,C10AA01
p1,2024-01-02,B01AC06
p1,2024-01-02,N02BE01
p1,2024-01-01,R03AC02
p4,2024-03-01,A10BA02
p4,2024-03-01,A10BA02
p4,2024-03-01,C09AA05
p4,2024-03-01,C10AA01
p4,2024-03-01,B01AC06
p5,2024-05-01,A10BA02
p5,2024-05-01,C09AA05
p5,2024-05-01,C10AA01
p5,2024-05-01,B01AC06
p5,2024-05-01,N02BE01
p5,2024-05-01,R03AC02
p6,2024-05-01,A10BA02
p6,2024-05-01,C09AA05
p6,2024-05-01,C10AA01
p6,2024-05-01,B01AC06
p6,2024-05-01,N02BE01
`,
		// p1: DV112 on the first day of the lifestyle window (period end −
		// 729 days), XV015, DT016; p3: DV111 (simple advice, not counted)
		// and DV112 one day before the window; p4: DV143 on the last day,
		// DT016; p5: XV016 one day before the 365-day window; p6: XV015
		// and DT016, not listed on the period's last day.
		vardval.FileProcedures: `person_id,date,unit_id,code
p1,2023-01-02,VA,DV112
p1,2024-06-01,VB,xv015
p1,2024-10-15,VA,DT016
p3,2024-05-01,VA,DV111
p3,2023-01-01,VA,DV112
p4,2024-12-31,VB,DV143
p4,2024-11-01,VB,DT016
p5,2023-12-31,VB,XV016
p6,2024-06-01,VA,XV015
p6,2024-10-01,VA,DT016
`,
		// Avoidable: p6 J44.1 twice on one day (once), I11.9 while not
		// listed; p1 I11.0 and I11.9 (both), a planned E11, an I13 (not on
		// the list), one before the period; p4 E11.9.
		vardval.FileAdmissions: `person_id,admitted,discharged,main_diagnosis,acute,hospital
p6,2024-03-01,2024-03-04,J44.1,yes,H1
p6,2024-03-01,2024-03-02,J441,yes,H2
p6,2024-12-15,,I11.9,yes,H1
p1,2024-04-01,2024-04-03,I11.0,yes,H1
p1,2024-06-01,2024-06-03,I11.9,yes,H1
p1,2024-05-01,2024-05-03,E11.9,no,H1
p1,2024-07-01,2024-07-03,I13,yes,H1
p1,2023-12-31,2024-01-03,J44.1,yes,H1
p4,2024-08-01,2024-08-02,E11.9,yes,H1
`,
		vardval.FileClinicians: `clinician,unit_id,profession,employment,from,to
D1,VA,doctor,employed,2020-01-01,
D2,VA,doctor,hired,2024-01-01,2024-06-30
D2,VA,doctor,employed,2024-07-01,
N1,VA,nurse,employed,2020-01-01,
`,
		// VA doctor contacts: D1 (employed), D2 while hired, D2 once
		// employed, none, D3 (no row); a nurse; D1 before the period.
		// VB: D1, employed at VA only. AK: a doctor at the emergency unit.
		vardval.FileContacts: `contact_id,person_id,unit_id,date,mode,profession,clinician
c1,p1,VA,2024-02-01,visit,doctor,D1
c2,p1,VA,2024-02-01,phone,doctor,D2
c3,p2,VA,2024-08-01,visit,doctor,D2
c4,p2,VA,2024-08-02,visit,doctor,
c5,p3,VA,2024-08-03,video,doctor,D3
c6,p3,VA,2024-08-03,visit,nurse,N1
c7,p3,VA,2023-12-31,visit,doctor,D1
c8,p4,VB,2024-03-01,visit,doctor,D1
c9,p4,AK,2024-03-02,visit,doctor,D9
`,
		vardval.FileCalls: `unit_id,date,calls,answered_same_day
VA,2024-01-02,100,90
VA,2024-12-31,10,5
VA,2023-12-31,50,0
VB,2024-03-01,40,40
AK,2024-03-01,30,10
`,
		// VA: delaktighet in October, another question, and a period that
		// begins before the measurement period; VB: the whole year, the
		// question in upper case.
		vardval.FileSurvey: `unit_id,period,question,respondents,positive
VA,2024-10,delaktighet,100,80
VA,2024-10,helhetsintryck,100,90
VA,2023-11..2024-02,delaktighet,50,10
VB,2024,DELAKTIGHET,60,45
`,
	}
	rd := func(name string) *strings.Reader {
		if s, ok := files[name]; ok {
			return strings.NewReader(s)
		}
		return nil
	}
	f := vardval.Files{Units: rd(vardval.FileUnits), Listings: rd(vardval.FileListings), Contacts: rd(vardval.FileContacts),
		Diagnoses: rd(vardval.FileDiagnoses), Prescriptions: rd(vardval.FilePrescriptions),
		Procedures: rd(vardval.FileProcedures), Admissions: rd(vardval.FileAdmissions), Clinicians: rd(vardval.FileClinicians),
		Calls: rd(vardval.FileCalls), Survey: rd(vardval.FileSurvey)}
	r, rep, err := vardval.Load(context.Background(), f, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status() != 0 {
		var b strings.Builder
		_ = rep.WriteText(&b)
		t.Fatalf("intake rejected rows:\n%s", b.String())
	}
	return r
}

// TestFollowupMeasures checks the measures of the follow-up files against
// counts worked out by hand from followupRegion's comments.
func TestFollowupMeasures(t *testing.T) {
	r := followupRegion(t)
	ids := []string{"influenza_vaccination_65plus", "lifestyle_advice_chronic", "medication_review_elderly",
		"avoidable_hospitalisations_per_1000", "phone_same_day", "doctor_contacts_by_employed", "patient_experience_participation"}
	rep, err := Compute(context.Background(), r, vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)},
		Options{Registry: mustRegistry(defsNoMin()), Measures: ids})
	if err != nil {
		t.Fatal(err)
	}
	type nd struct{ Num, Den string }
	got := map[string]map[string]nd{}
	for _, m := range rep.Measures {
		got[m.Definition.ID] = map[string]nd{}
		for _, row := range m.Rows {
			den := row.Denominator.String()
			if m.Definition.Kind == Rate {
				den = "py"
			}
			got[m.Definition.ID][row.UnitID] = nd{row.Numerator.String(), den}
		}
	}
	want := map[string]map[string]nd{
		// 65+ on 2024-12-31 and listed then: p1, p4, p5; vaccinated p1, p4.
		"influenza_vaccination_65plus": {"": {"2", "3"}, "VA": {"1", "1"}, "VB": {"1", "2"}},
		// p1 (E11 at the window's first day), p3 (I15), p4 (E10); advice p1 (first day), p4 (last day).
		"lifestyle_advice_chronic": {"": {"2", "3"}, "VA": {"1", "2"}, "VB": {"1", "1"}},
		// 75+ with five codes: p1 (75 on the period's last day), p5; review p1 only.
		"medication_review_elderly": {"": {"1", "2"}, "VA": {"1", "1"}, "VB": {"0", "1"}},
		// VA: p6 J44.1 (once), p1 I11.0 and I11.9; VB: p4 E11.9.
		"avoidable_hospitalisations_per_1000": {"": {"4", "py"}, "VA": {"3", "py"}, "VB": {"1", "py"}},
		"phone_same_day":                      {"": {"135", "150"}, "VA": {"95", "110"}, "VB": {"40", "40"}},
		"doctor_contacts_by_employed":         {"": {"2", "6"}, "VA": {"2", "5"}, "VB": {"0", "1"}},
		"patient_experience_participation":    {"": {"125", "160"}, "VA": {"80", "100"}, "VB": {"45", "60"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	m, _ := rep.Measure("avoidable_hospitalisations_per_1000")
	if row := m.Rows[1]; row.Method != "exact-poisson-deff-95" || row.Standardised == nil {
		t.Errorf("avoidable hospitalisations: method %q, standardised %v; want clustered and standardised", row.Method, row.Standardised)
	}
}

// The follow-up rules are held to their keys like the others.
func TestFollowupRuleErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{`rule: procedure_share
    population: {listed_on: period_end}
    windows:
      - {name: procedures, from_days: -10, to_days: 0}`, `measures[0].procedures: missing key "procedures"`},
		{`rule: procedure_share
    population: {listed_on: period_end}
    procedures: {codes: [DV1]}
    windows:
      - {name: procedures, from_days: -10, to_days: 0}`, "measures[0].procedures.codes[0]: not a KVÅ code"},
		{`rule: procedure_share
    population: {listed_on: period_end}
    procedures: {codes: [DV112]}
    min_drugs: 5
    windows:
      - {name: procedures, from_days: -10, to_days: 0}`, "measures[0].windows: window drugs: required"},
		{`rule: survey_positive
    population: {listed_on: period_end}
    survey: {question: x}`, "measures[0].population.listed_on: must be none for this rule"},
		{`rule: calls_same_day
    population: {listed_on: none}
    within_days: 3`, `measures[0].within_days: key "within_days" does not apply to rule calls_same_day`},
	} {
		def := `measures:
  - id: x
    name_sv: x
    name_en: x
    kind: proportion
    min_denominator: 0
    direction: higher
    sources: [{from: 2024-01-01, source: s}]
    ` + tc.yaml + "\n"
		_, err := ParseDefinitions(strings.NewReader(def), DefinitionOptions{File: "d.yaml"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\ngot %v\nwant %q", tc.yaml, err, tc.want)
		}
	}
}

// randomFollowupFiles writes a random region with every follow-up file as
// the contract's files (rows in the order given by perm, when set).
func randomFollowupFiles(seed uint64, shuffle uint64) map[string]string {
	rng := rand.New(rand.NewPCG(seed, 9))
	units := []string{"VA", "VB", "VC", "AK"}
	day := func() string { return vardval.D(2023, 1, 1).AddDays(rng.IntN(730)).String() }
	var listings, contacts, diags, rxs, procs, adms, calls []string
	codes := []string{"DT016", "DV112", "DV143", "XV015", "XV016", "DV111", "AU118"}
	mains := []string{"J44.1", "I50.9", "E11.6", "S72.0", "I11.0", "I11.9", "D50.0", "D50.9"}
	atcs := []string{"A10BA02", "C09AA05", "C10AA01", "B01AC06", "N02BE01", "R03AC02", "C07AB02"}
	n := 30 + rng.IntN(120)
	for p := range n {
		id := fmt.Sprintf("P%03d", p)
		u := units[rng.IntN(3)]
		to := ""
		if rng.IntN(5) == 0 {
			to = vardval.D(2024, 1, 1).AddDays(rng.IntN(366)).String()
		}
		listings = append(listings, fmt.Sprintf("%s,%s,2015-01-01,%s,%s,%s", id, u, to, "FM"[rng.IntN(2):][:1],
			vardval.D(1925, 1, 1).AddDays(rng.IntN(90*365)).String()))
		for range rng.IntN(4) {
			diags = append(diags, fmt.Sprintf("%s,%s,%s", id, day(), []string{"E11", "I10", "J06"}[rng.IntN(3)]))
		}
		for range rng.IntN(8) {
			rxs = append(rxs, fmt.Sprintf("%s,%s,%s", id, day(), atcs[rng.IntN(len(atcs))]))
		}
		for range rng.IntN(4) {
			procs = append(procs, fmt.Sprintf("%s,%s,%s,%s", id, day(), units[rng.IntN(4)], codes[rng.IntN(len(codes))]))
		}
		for range rng.IntN(3) {
			adms = append(adms, fmt.Sprintf("%s,%s,,%s,%s,H%d", id, day(), mains[rng.IntN(len(mains))], []string{"yes", "no"}[rng.IntN(2)], rng.IntN(2)))
		}
		for c := range rng.IntN(5) {
			contacts = append(contacts, fmt.Sprintf("%s-%d,%s,%s,%s,visit,%s,D%d", id, c, id, units[rng.IntN(4)], day(),
				[]string{"doctor", "nurse"}[rng.IntN(2)], rng.IntN(4)))
		}
	}
	for _, u := range units {
		for d := range 20 {
			c := rng.IntN(50)
			calls = append(calls, fmt.Sprintf("%s,%s,%d,%d", u, vardval.D(2024, 1, 1).AddDays(d*17).String(), c, rng.IntN(c+1)))
		}
	}
	staff := []string{"D0,VA,doctor,employed,2020-01-01,", "D1,VA,doctor,hired,2024-01-01,2024-06-30",
		"D1,VA,doctor,employed,2024-07-01,", "D2,VB,doctor,employed,2024-03-01,", "D3,VC,doctor,hired,2020-01-01,"}
	survey := []string{"VA,2024-10,delaktighet,60,45", "VB,2024,Delaktighet,40,31", "VB,2023-12..2024-01,delaktighet,40,1",
		"VC,2024-10,helhetsintryck,50,40", "AK,2024-10,delaktighet,50,40"}
	mix := rand.New(rand.NewPCG(shuffle, 3))
	file := func(head string, rows []string) string {
		if shuffle != 0 {
			mix.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		}
		return head + "\n" + strings.Join(rows, "\n") + "\n"
	}
	return map[string]string{
		vardval.FileUnits:         "unit_id,name,kind\nVA,A,primary\nVB,B,primary\nVC,C,primary\nAK,Akut,emergency\n",
		vardval.FileListings:      file("person_id,unit_id,from,to,sex,birth_date", listings),
		vardval.FileContacts:      file("contact_id,person_id,unit_id,date,mode,profession,clinician", contacts),
		vardval.FileDiagnoses:     file("person_id,date,code", diags),
		vardval.FilePrescriptions: file("person_id,date,atc", rxs),
		vardval.FileProcedures:    file("person_id,date,unit_id,code", procs),
		vardval.FileAdmissions:    file("person_id,admitted,discharged,main_diagnosis,acute,hospital", adms),
		vardval.FileClinicians:    file("clinician,unit_id,profession,employment,from,to", staff),
		vardval.FileCalls:         file("unit_id,date,calls,answered_same_day", calls),
		vardval.FileSurvey:        file("unit_id,period,question,respondents,positive", survey),
	}
}

// On random regions with every follow-up file, the follow-up measures'
// counts, values and intervals are consistent, and the output is the same
// whatever the row order and the number of workers.
func TestFollowupProperties(t *testing.T) {
	ids := []string{"influenza_vaccination_65plus", "lifestyle_advice_chronic", "medication_review_elderly",
		"avoidable_hospitalisations_per_1000", "phone_same_day", "doctor_contacts_by_employed", "patient_experience_participation"}
	period := vardval.Period{From: vardval.D(2024, 1, 1), To: vardval.D(2024, 12, 31)}
	load := func(files map[string]string) *vardval.Region {
		rd := func(name string) *strings.Reader { return strings.NewReader(files[name]) }
		r, _, err := vardval.Load(context.Background(), vardval.Files{Units: rd(vardval.FileUnits), Listings: rd(vardval.FileListings),
			Contacts: rd(vardval.FileContacts), Diagnoses: rd(vardval.FileDiagnoses), Prescriptions: rd(vardval.FilePrescriptions),
			Procedures: rd(vardval.FileProcedures), Admissions: rd(vardval.FileAdmissions), Clinicians: rd(vardval.FileClinicians),
			Calls: rd(vardval.FileCalls), Survey: rd(vardval.FileSurvey)}, vardval.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 25
	props := gopter.NewProperties(params)
	props.Property("consistent, and independent of row order and workers", prop.ForAll(
		func(seed, shuffle uint64, workers int) string {
			a, err := Compute(context.Background(), load(randomFollowupFiles(seed, 0)), period,
				Options{Measures: ids, Registry: mustRegistry(defsNoMin()), Workers: 1})
			if err != nil {
				return err.Error()
			}
			if msg := checkInvariants(a); msg != "" {
				return msg
			}
			b, err := Compute(context.Background(), load(randomFollowupFiles(seed, shuffle|1)), period,
				Options{Measures: ids, Registry: mustRegistry(defsNoMin()), Workers: workers})
			if err != nil {
				return err.Error()
			}
			var ba, bb bytes.Buffer
			_ = WriteJSON(&ba, a)
			_ = WriteJSON(&bb, b)
			if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
				return "output depends on row order or workers"
			}
			return ""
		},
		gen.UInt64(), gen.UInt64(), gen.IntRange(1, 4),
	))
	props.TestingRun(t)
}
