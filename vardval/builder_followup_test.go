package vardval_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vardval/vardval/vardval"
)

// The Builder's follow-up rows give the Region and report that Load gives
// for the same rows written as the contract's files, faulty rows included.
func TestBuilderFollowup(t *testing.T) {
	num := func(n int64) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.NewFromInt(n)) }
	b := vardval.NewBuilder(vardval.LoadOptions{})
	b.AddUnit(vardval.UnitRow{UnitID: "VC1", Name: "Ett", Kind: "primary"})
	b.AddListing(vardval.ListingRow{PersonID: "P1", UnitID: "VC1", From: vardval.D(2020, 1, 1), Sex: "F", BirthDate: vardval.D(1940, 1, 1)})
	b.AddProcedure(vardval.ProcedureRow{PersonID: "P1", Date: vardval.D(2024, 3, 1), UnitID: "VC1", Code: "XV015", Clinician: "D1"})
	b.AddProcedure(vardval.ProcedureRow{PersonID: "P1", Date: vardval.D(2024, 3, 1), UnitID: "VC1", Code: "XV01"})
	b.AddAdmission(vardval.AdmissionRow{PersonID: "P1", Admitted: vardval.D(2024, 2, 1), Discharged: vardval.D(2024, 2, 3), MainDiagnosis: "J44.1", Acute: "yes", Hospital: "H1"})
	b.AddAdmission(vardval.AdmissionRow{PersonID: "P1", Admitted: vardval.D(2024, 2, 1), MainDiagnosis: "J44.1", Hospital: "H1"})
	b.AddClinician(vardval.ClinicianRow{Clinician: "D1", UnitID: "VC1", Profession: "doctor", Employment: "hired", From: vardval.D(2024, 1, 1), To: vardval.D(2024, 6, 30)})
	b.AddClinician(vardval.ClinicianRow{Clinician: "D1", UnitID: "VC1", Profession: "doctor", Employment: "employed", From: vardval.D(2024, 7, 1)})
	b.AddCall(vardval.CallRow{UnitID: "VC1", Date: vardval.D(2024, 3, 1), Calls: num(10), AnsweredSameDay: num(9)})
	b.AddCall(vardval.CallRow{UnitID: "VC1", Date: vardval.D(2024, 3, 4), Calls: num(10)})
	b.AddSurvey(vardval.SurveyRow{UnitID: "VC1", Period: "2024-10", Question: "delaktighet", Respondents: num(50), Positive: num(40)})
	b.AddSurvey(vardval.SurveyRow{UnitID: "VC1", Period: "2024-10", Question: "x,y", Respondents: num(50), Positive: num(51)})
	r2, rep2, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rd := func(s string) *strings.Reader { return strings.NewReader("\ufeff" + s) }
	r1, rep1, err := vardval.Load(context.Background(), vardval.Files{
		Units:      rd("unit_id,name,kind,municipality,owner,from,to\nVC1,Ett,primary,,,,\n"),
		Listings:   rd("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\nP1,VC1,2020-01-01,,F,1940-01-01,,,\n"),
		Procedures: rd("person_id,date,unit_id,code,clinician\nP1,2024-03-01,VC1,XV015,D1\nP1,2024-03-01,VC1,XV01,\n"),
		Admissions: rd("person_id,admitted,discharged,main_diagnosis,acute,hospital\n" +
			"P1,2024-02-01,2024-02-03,J44.1,yes,H1\nP1,2024-02-01,,J44.1,,H1\n"),
		Clinicians: rd("clinician,unit_id,profession,employment,from,to\n" +
			"D1,VC1,doctor,hired,2024-01-01,2024-06-30\nD1,VC1,doctor,employed,2024-07-01,\n"),
		Calls: rd("unit_id,date,calls,answered_same_day\nVC1,2024-03-01,10,9\nVC1,2024-03-04,10,\n"),
		Survey: rd("unit_id,period,question,respondents,positive\n" +
			"VC1,2024-10,delaktighet,50,40\nVC1,2024-10,\"x,y\",50,51\n"),
	}, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(rep1, rep2, compareRegions...); d != "" {
		t.Errorf("reports differ (-csv +builder):\n%s", d)
	}
	if !r1.Followup().Equal(r2.Followup()) || len(r2.Followup().Staff) != 2 || len(r2.Followup().Procedures) != 1 {
		t.Errorf("follow-up records differ (-csv +builder):\n%s", cmp.Diff(r1.Followup(), r2.Followup()))
	}
	if n := len(rep2.File(vardval.FileSurvey).Rejections); n != 1 {
		t.Errorf("%d survey rows rejected, want 1", n)
	}
}
