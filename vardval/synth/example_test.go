package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/vardval/vardval/vardval/synth"
)

func ExampleOutputFiles() {
	for _, name := range synth.OutputFiles() {
		fmt.Println(name, "—", synth.Header(name))
	}
	// Output:
	// units.csv — unit_id,name,kind,municipality,owner,from,to
	// listings.csv — person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight
	// contacts.csv — contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician
	// diagnoses.csv — person_id,date,code,unit_id,contact_id
	// observations.csv — person_id,date,code,value,unit_id
	// prescriptions.csv — person_id,date,atc,unit_id,ddd
	// areas.csv — area,name,cni
	// procedures.csv — person_id,date,unit_id,code,clinician
	// admissions.csv — person_id,admitted,discharged,main_diagnosis,acute,hospital
	// clinicians.csv — clinician,unit_id,profession,employment,from,to
	// calls.csv — unit_id,date,calls,answered_same_day
	// survey.csv — unit_id,period,question,respondents,positive
}

func ExampleGenerate() {
	var units, listings bytes.Buffer
	sum, err := synth.Generate(context.Background(), synth.Config{Persons: 3, Seed: 1},
		synth.Writers{Units: &units, Listings: &listings})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(units.String())
	fmt.Print(listings.String())
	fmt.Println(sum)
	// Output:
	// unit_id,name,kind,municipality,owner,from,to
	// VC001,Vårdcentralen Kvarnsta,primary,1380,public,2007-01-01,
	// VC002,Vårdcentralen Furufors,primary,1382,public,2007-01-01,
	// VC003,Vårdcentralen Sandryd,primary,1384,public,2007-01-01,
	// AKUT1,Akutmottagningen Halmstad,emergency,1380,public,2007-01-01,
	// DIGI1,Digitalkliniken Halland,digital,1380,private,2021-01-01,
	// SPEC1,Specialistmottagningen Halmstad,specialist,1380,public,2007-01-01,
	// person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight
	// SYN000000001,VC001,2014-03-30,2024-04-02,F,1929-04-04,1380B0002,ACG-1711,1.1284
	// SYN000000002,VC003,2014-08-31,,M,1987-01-06,1384C0005,ACG-0400,0.4651
	// SYN000000003,VC003,2014-10-27,,M,2010-03-05,1384C0008,ACG-0500,0.4395
	// 3 persons; units.csv 6 rows; listings.csv 3 rows; contacts.csv 6 rows; diagnoses.csv 6 rows; observations.csv 4 rows; prescriptions.csv 4 rows; areas.csv 91 rows; procedures.csv 0 rows; admissions.csv 0 rows; clinicians.csv 190 rows; calls.csv 786 rows; survey.csv 6 rows; 0.0 MB written
}

func ExampleGenerateFiles() {
	files, sum, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 1000, Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	first := strings.SplitN(string(files["contacts.csv"]), "\n", 3)
	fmt.Println(first[0])
	fmt.Println(sum.Rows("contacts.csv") > 3000, sum.Rows("listings.csv") >= 1000)
	// Output:
	// contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,new_problem,clinician
	// true true
}
