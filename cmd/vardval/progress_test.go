package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// The bar's line: a share of the bytes read with the seconds so far; once
// every byte is read, the work that follows; a phase without bytes shows
// its label and the seconds.
func TestProgressLine(t *testing.T) {
	bar := strings.Repeat("=", 30)
	for _, c := range []struct {
		name        string
		label       string
		total, done int64
		want        string
	}{
		{"start", "reading skane", 2e6, 0, "reading skane [" + strings.Repeat(" ", 30) + "]   0% of 2 MB, 1.5 s"},
		{"half", "reading skane", 2e6, 1e6, "reading skane [" + bar[:15] + strings.Repeat(" ", 15) + "]  50% of 2 MB, 1.5 s"},
		{"all read", "reading skane", 2e6, 2e6, "reading skane [" + bar + "] 100% of 2 MB, 1.5 s, checking and grouping…"},
		{"more than the total", "reading skane", 2e6, 3e6, "reading skane [" + bar + "] 100% of 2 MB, 1.5 s, checking and grouping…"},
		{"a phase", "pricing", 0, 0, "pricing… 1.5 s"},
	} {
		p := startProgress(&strings.Builder{}, c.label, c.total, time.Hour)
		p.done.Store(c.done)
		got := p.line(1500 * time.Millisecond)
		p.finish()
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

// The bar and the memory limit count only the files a computation reads:
// the Skåne model does not read the diagnoses, observations or
// prescriptions, and a bar over all seven files stopped at 64% on a
// Skåne-size run.
func TestDirSizeCountsTheFilesRead(t *testing.T) {
	dir := t.TempDir()
	sizes := map[string]int64{}
	for i, name := range vardval.FileNames() {
		sizes[name] = int64(100 * (i + 1))
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, sizes[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var all int64
	for _, n := range sizes {
		all += n
	}
	m, err := loadModel("skane-2023")
	if err != nil {
		t.Fatal(err)
	}
	need := m.Inputs()
	if need.Diagnoses || need.Observations || need.Prescriptions || !need.Contacts {
		t.Fatalf("skane-2023 needs %+v: the test's premise changed", need)
	}
	read := sizes[vardval.FileUnits] + sizes[vardval.FileAreas] + sizes[vardval.FileListings] + sizes[vardval.FileContacts]
	for _, c := range []struct {
		name string
		need *payment.Inputs
		want int64
	}{
		{"every file", nil, all},
		{"skane-2023", &need, read},
	} {
		if got := dirSize(dir, c.need); got != c.want {
			t.Errorf("%s: dirSize = %d, want %d", c.name, got, c.want)
		}
	}
}
