package vardval_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/vardval/vardval/vardval"
)

// LoadFS reads a region's files from any file system: here an in-memory
// one; os.DirFS(dir), an embed.FS or a *zip.Reader work alike. A file that
// is not there is not given; one that cannot be read is an error.
func ExampleLoadFS() {
	fsys := fstest.MapFS{
		"units.csv": {Data: []byte("unit_id,name,kind\nVC1,Vårdcentralen Ett,primary\n")},
		"listings.csv": {Data: []byte("person_id,unit_id,from,sex,birth_date\n" +
			"P1,VC1,2020-01-01,F,1950-05-17\n" +
			"P2,VC1,2021-03-01,M,1988-11-02\n")},
		"contacts.csv": {Data: []byte("contact_id,person_id,unit_id,date,mode,profession\n" +
			"C1,P1,VC1,2024-02-03,visit,doctor\n" +
			"C2,P1,VC9,2024-02-04,phone,nurse\n")}, // no such unit
	}
	r, rep, err := vardval.LoadFS(context.Background(), fsys, vardval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(r.Persons), "persons,", len(r.Contacts), "contact; exit status", rep.Status())
	for _, f := range rep.Files {
		switch {
		case !f.Present:
			fmt.Println(f.File, "not given")
		case f.Rejected > 0:
			fmt.Printf("%s: %d read, %d rejected: line %d: %s\n", f.File, f.Read, f.Rejected, f.Rejections[0].Line, f.Rejections[0].Reason)
		}
	}

	// A directory where a file is expected is refused, never skipped.
	fsys["diagnoses.csv"] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	_, _, err = vardval.LoadFS(context.Background(), fsys, vardval.LoadOptions{})
	var fe *vardval.FileError
	fmt.Println(errors.As(err, &fe), err)
	// Output:
	// 2 persons, 1 contact; exit status 1
	// areas.csv not given
	// contacts.csv: 2 read, 1 rejected: line 3: unit_id "VC9" is not in units.csv
	// diagnoses.csv not given
	// observations.csv not given
	// prescriptions.csv not given
	// procedures.csv not given
	// admissions.csv not given
	// clinicians.csv not given
	// calls.csv not given
	// survey.csv not given
	// true diagnoses.csv: not a regular file
}
