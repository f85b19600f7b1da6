package synth

import (
	"sort"
	"strconv"
	"testing"
)

// depressionOutcomes classifies persons with a PHQ-9 series by the
// Halland-style measure (PHQ-9 remission < 5, Kroenke 2001 and
// http://ps.psychiatryonline.org/doi/full/10.1176/appi.ps.201900295): index = first
// score; remission = a score < 5 within 90 days of the index; sustained =
// a score < 5 at 180 ± 60 days after the first remission score.
type depressionOutcomes struct {
	indexed, moderate, sustained, relapsed, noFollowUp, outsideBand int
}

func computeDepression(t testing.TB, files map[string][]byte) depressionOutcomes {
	t.Helper()
	type score struct{ day, v int }
	series := map[string][]score{}
	for _, r := range readCSV(t, "observations.csv", files["observations.csv"])[1:] {
		if r[2] == "PHQ9" {
			v, _ := strconv.Atoi(r[3])
			series[r[0]] = append(series[r[0]], score{parseDay(r[1]), v})
		}
	}
	var o depressionOutcomes
	for _, s := range series {
		sort.SliceStable(s, func(i, j int) bool { return s[i].day < s[j].day })
		o.indexed++
		if s[0].v < 10 || s[0].v > 14 {
			o.outsideBand++
			continue
		}
		o.moderate++
		if len(s) == 1 {
			o.noFollowUp++
			continue
		}
		rem := -1
		for _, x := range s[1:] {
			if x.v < 5 && x.day-s[0].day <= 90 {
				rem = x.day
				break
			}
		}
		if rem < 0 {
			continue
		}
		for _, x := range s {
			if d := x.day - rem; d >= 120 && d <= 240 {
				if x.v < 5 {
					o.sustained++
				} else {
					o.relapsed++
				}
				break
			}
		}
	}
	return o
}

// Depressed persons have PHQ-9 trajectories of every kind the measure
// must tell apart.
func TestDepressionTrajectories(t *testing.T) {
	files, _ := generateT(t, Config{Persons: 20000, Seed: 11})
	o := computeDepression(t, files)
	t.Logf("%+v", o)
	if o.moderate < 300 {
		t.Fatalf("only %d persons with a moderate index score", o.moderate)
	}
	share := func(n int) float64 { return float64(n) / float64(o.moderate) }
	for _, c := range []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"sustained remission", share(o.sustained), 0.08, 0.35},
		{"relapse after remission", share(o.relapsed), 0.04, 0.25},
		{"never followed up", share(o.noFollowUp), 0.12, 0.4},
		{"index outside 10–14", float64(o.outsideBand) / float64(o.indexed), 0.15, 0.35},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.3f, want %g–%g", c.name, c.got, c.lo, c.hi)
		}
	}
}
