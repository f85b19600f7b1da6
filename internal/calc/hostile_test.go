package calc

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestRegionFileNameMasked: a file name that holds a personnummer (a user
// names exports after a patient) is not echoed in the error (issue 15).
func TestRegionFileNameMasked(t *testing.T) {
	files := append(asFiles(synthFiles(t, 100, 1)), File{Name: "19121212-1212\x1b[2J.csv", Reader: strings.NewReader("a\n")})
	_, err := shared.Region(context.Background(), RegionRequest{Model: "vgr-2017"}, files, nil)
	if err == nil {
		t.Fatal("no error for a file that is not of the contract")
	}
	if regexp.MustCompile(`\d{6}[-+ ]?\d{4}|\d{10}|\x1b`).MatchString(err.Error()) {
		t.Errorf("error echoes the file name: %q", err.Error())
	}
}
