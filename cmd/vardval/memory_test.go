package main

import (
	"math"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vardval/vardval/payment"
)

// The memory limit follows the input: its size (at least 800 MiB) up to
// 1.5 GiB; beyond, 0.68 of it (at least 1.5 GiB) for a region of units,
// areas, listings and contacts only, and none for the others, whose live
// heap passes that share.
func TestHeapLimit(t *testing.T) {
	const gib = int64(1) << 30
	for _, c := range []struct {
		name  string
		input int64
		core  bool
		want  int64
	}{
		{"small", 100 << 20, true, 800 << 20},
		{"Skåne-size run", 579_000_000, true, 800 << 20},
		{"Skåne-size check", 906_000_000, false, 906_000_000},
		{"1.5 GiB", 3 << 29, false, 3 << 29},
		{"just above 1.5 GiB, core", 3<<29 + 1, true, 3 << 29},
		{"Sweden-size run", 4_348_181_143, true, 4_348_181_143 / 100 * 68},
		{"Sweden-size measures", 7 * gib, false, math.MaxInt64},
	} {
		if got := heapLimit(c.input, c.core); got != c.want {
			t.Errorf("%s: heapLimit(%d, %v) = %d, want %d", c.name, c.input, c.core, got, c.want)
		}
	}
	if got := heapLimit(4_348_181_143, true); got >= 3*gib-gib/8 {
		t.Errorf("a Sweden-size run's limit %d leaves no room under 3 GiB", got)
	}
	// Intake of a large region of core files gets at most two workers.
	for _, c := range []struct {
		workers int
		input   int64
		core    bool
		want    int
	}{
		{4, 579_000_000, true, 4}, {8, 4_348_181_143, true, 2}, {4, 4_348_181_143, true, 2},
		{1, 4_348_181_143, true, 1}, {8, 7 * gib, false, 8}, {2, 4_348_181_143, true, 2},
	} {
		if got := intakeWorkers(c.workers, c.input, c.core); got != c.want {
			t.Errorf("intakeWorkers(%d, %d, %v) = %d, want %d", c.workers, c.input, c.core, got, c.want)
		}
	}
	if got := intakeWorkers(0, 4_348_181_143, true); got != min(runtime.GOMAXPROCS(0), 2) {
		t.Errorf("intakeWorkers(0, Sweden size) = %d, want %d", got, min(runtime.GOMAXPROCS(0), 2))
	}
	needs := map[string]*payment.Inputs{
		"every file (nil)": nil, "contacts": {Contacts: true}, "nothing": {},
		"diagnoses": {Contacts: true, Diagnoses: true}, "follow-up": {Followup: true},
	}
	got := map[string]bool{}
	for name, need := range needs {
		got[name] = coreOnly(need)
	}
	want := map[string]bool{"every file (nil)": false, "contacts": true, "nothing": true, "diagnoses": false, "follow-up": false}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("coreOnly (-want +got):\n%s", d)
	}
}
