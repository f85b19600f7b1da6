package vardval

import (
	"context"
	"testing"
)

// FuzzLoadListings feeds arbitrary bytes as listings.csv (the file with the
// most rules) next to valid units and areas: intake must never panic, must
// account for every row, and must never put a personnummer in a reason.
func FuzzLoadListings(f *testing.F) {
	clean := readDir(f, "testdata/intake/clean")
	faults := readDir(f, "testdata/intake/faults")
	f.Add(clean[FileListings])
	f.Add(faults[FileListings])
	f.Add([]byte("person_id;unit_id;from\r\n\"19121212-1212\";VC1;2024-01-01\r\n"))
	f.Add([]byte("\xef\xbb\xbfperson_id,unit_id,from,to\n191212121212,VC1,2024-01-01,2023-01-01\n"))
	f.Fuzz(func(t *testing.T, listings []byte) {
		m := map[string][]byte{FileUnits: clean[FileUnits], FileAreas: clean[FileAreas], FileListings: listings,
			FileContacts: clean[FileContacts]}
		r, rep, _ := Load(context.Background(), filesOf(m), LoadOptions{})
		// Load seals what it returns as valid: it must pass the full check.
		if r != nil {
			if err := r.check(); err != nil {
				t.Fatalf("Load returned a region that fails the full check: %v", err)
			}
		}
		for _, fr := range rep.Files {
			if fr.Read != fr.Accepted+fr.Rejected || fr.Rejected != len(fr.Rejections) {
				t.Fatalf("%s: read %d != accepted %d + rejected %d", fr.File, fr.Read, fr.Accepted, fr.Rejected)
			}
			for _, r := range fr.Rejections {
				if personnummerLike.MatchString(r.Reason) {
					t.Fatalf("%s:%d: reason shows a personnummer-shaped value: %q", fr.File, r.Line, r.Reason)
				}
			}
		}
	})
}

// FuzzLoadOtherFiles feeds arbitrary bytes as one of the other files next to
// a clean region: never a panic, every row accounted for, no personnummer in
// a reason, and the Region keeps exactly the accepted records.
func FuzzLoadOtherFiles(f *testing.F) {
	clean := readDir(f, "testdata/intake/clean")
	names := []string{FileContacts, FileDiagnoses, FileObservations, FilePrescriptions, FileUnits, FileAreas}
	for i, n := range names {
		f.Add(uint8(i), clean[n])
	}
	f.Add(uint8(0), []byte("contact_id;person_id;unit_id;date;mode;profession\r\nC1;19121212-1212;VC1;2024-02-30;visit;doctor\r\n"))
	f.Add(uint8(2), []byte("person_id,date,code,value\nP-anna,2024-01-01,PHQ9,\"2,5\"\n"))
	// census shares of the Care Need Index: all seven, some, out of range
	f.Add(uint8(5), []byte("area,share_elderly_alone,share_born_outside_europe,share_unemployed,share_single_parent,share_moved_in,share_under_5,share_low_education\n"+
		"A1,0.02,0.10,0.05,0.03,0.12,0.06,0.09\nA2,0.02,,0.05,0.03,0.12,0.06,0.09\nA3,1.5,0,0,0,0,0,0\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		m := map[string][]byte{}
		for k, v := range clean {
			m[k] = v
		}
		m[names[int(which)%len(names)]] = data
		r, rep, _ := Load(context.Background(), filesOf(m), LoadOptions{})
		for _, fr := range rep.Files {
			if fr.Read != fr.Accepted+fr.Rejected || fr.Rejected != len(fr.Rejections) || fr.Accepted < 0 {
				t.Fatalf("%s: read %d accepted %d rejected %d", fr.File, fr.Read, fr.Accepted, fr.Rejected)
			}
			for _, x := range fr.Rejections {
				if personnummerLike.MatchString(x.Reason) {
					t.Fatalf("%s:%d: reason shows a personnummer-shaped value: %q", fr.File, x.Line, x.Reason)
				}
			}
		}
		if r == nil {
			return
		}
		// Load seals what it returns as valid: it must pass the full check.
		if err := r.check(); err != nil {
			t.Fatalf("Load returned a region that fails the full check: %v", err)
		}
		for _, c := range []struct {
			file string
			kept int
		}{{FileContacts, len(r.Contacts)}, {FileDiagnoses, len(r.Diagnoses)}, {FileObservations, len(r.Observations)},
			{FilePrescriptions, len(r.Prescriptions)}, {FileUnits, len(r.Units)}, {FileAreas, len(r.Areas)}} {
			if want := rep.File(c.file).Accepted; c.kept != want {
				t.Fatalf("%s: region keeps %d records, report accepted %d", c.file, c.kept, want)
			}
		}
	})
}
