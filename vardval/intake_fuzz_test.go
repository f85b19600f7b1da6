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
		_, rep, _ := Load(context.Background(), filesOf(m), LoadOptions{})
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
