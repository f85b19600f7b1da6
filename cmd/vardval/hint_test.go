package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// personsHint counts rows from the file's size and its first rows' length.
func TestPersonsHint(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		text string
		min  int
		max  int
	}{
		{"short rows", "h\n" + strings.Repeat("SYN1,VC1,2024-01-01\n", 10000), 9000, 11000},
		{"wide rows", "h\n" + strings.Repeat("SYN1,VC1,2024-01-01,"+strings.Repeat("x", 500)+"\n", 2000), 1800, 2200},
		{"one line", "person_id,unit_id,from", 0, 0},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := personsHint(path); got < c.min || got > c.max {
			t.Errorf("%s: hint %d, want %d to %d", c.name, got, c.min, c.max)
		}
	}
	if got := personsHint(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("missing file: hint %d", got)
	}
}
