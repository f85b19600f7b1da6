package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"testing"
)

// regionStats are the rates a generated region is checked against,
// computed from the CSV files alone (as a user of the files would).
type regionStats struct {
	persons, men                  int
	units, primaries              int
	meanListedPerPrimary          float64
	personYears                   float64
	primaryPerPY, doctorPerPY     float64
	edPerPY, digitalPerPY         float64
	otherUnitShare                float64
	newProblemShare               float64
	antibioticsPer1000            float64
	depressedShare, diabeticAdult float64
	hypertensive40                float64
	movers, closed                int
	meanACG, minACG, maxACG       float64
	minCNI, maxCNI, meanCNI       float64
	phq9Persons, hba1cPersons     int
	bpPersons                     int
}

// readCSV parses a whole file with encoding/csv.
func readCSV(t testing.TB, name string, b []byte) [][]string {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(b))
	rd.ReuseRecord = false
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

func computeStats(t testing.TB, files map[string][]byte, year int) regionStats {
	t.Helper()
	var s regionStats
	kind := map[string]string{}
	for _, row := range readCSV(t, "units.csv", files["units.csv"])[1:] {
		kind[row[0]] = row[2]
		s.units++
		if row[2] == "primary" {
			s.primaries++
		}
	}
	y0 := dayNumber(year, 1, 1)
	ndays := daysInYear(year)
	listedAt := map[string]string{} // person → first listing unit
	personDays := map[string]int{}
	age := map[string]int{}
	listings := readCSV(t, "listings.csv", files["listings.csv"])[1:]
	count := map[string]int{}
	sumACG := 0.0
	s.minACG = 1e9
	for _, row := range listings {
		id := row[0]
		count[id]++
		if _, ok := listedAt[id]; !ok {
			listedAt[id] = row[1]
			s.persons++
			if row[4] == "M" {
				s.men++
			}
			by, _ := strconv.Atoi(row[5][:4])
			age[id] = year - by
			w, _ := strconv.ParseFloat(row[8], 64)
			sumACG += w
			s.minACG = min(s.minACG, w)
			s.maxACG = max(s.maxACG, w)
		}
		from := parseDay(row[2])
		to := y0 + ndays - 1
		if row[3] != "" {
			to = parseDay(row[3])
			if count[id] == 1 && len(listings) > 0 {
				s.closed++
			}
		}
		from = max(from, y0)
		if to >= from {
			personDays[id] += to - from + 1
		}
	}
	for _, n := range count {
		if n == 2 {
			s.movers++
			s.closed--
		}
	}
	s.meanACG = sumACG / float64(s.persons)
	for _, d := range personDays {
		s.personYears += float64(d) / float64(ndays)
	}
	s.meanListedPerPrimary = float64(s.persons) / float64(s.primaries)
	var primary, doctor, ed, dig, other, newp int
	for _, row := range readCSV(t, "contacts.csv", files["contacts.csv"])[1:] {
		switch kind[row[2]] {
		case "primary":
			primary++
			if row[5] == "doctor" {
				doctor++
			}
			if row[2] != listedAt[row[1]] {
				other++
			}
			if row[9] == "yes" {
				newp++
			}
		case "emergency":
			ed++
		case "digital":
			dig++
		}
	}
	s.primaryPerPY = float64(primary) / s.personYears
	s.doctorPerPY = float64(doctor) / s.personYears
	s.edPerPY = float64(ed) / s.personYears
	s.digitalPerPY = float64(dig) / s.personYears
	s.otherUnitShare = float64(other) / float64(primary)
	s.newProblemShare = float64(newp) / float64(primary)
	abx := 0
	for _, row := range readCSV(t, "prescriptions.csv", files["prescriptions.csv"])[1:] {
		if strings.HasPrefix(row[2], "J01") {
			abx++
		}
	}
	s.antibioticsPer1000 = 1000 * float64(abx) / s.personYears
	dep, dm, htn := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, row := range readCSV(t, "diagnoses.csv", files["diagnoses.csv"])[1:] {
		switch {
		case strings.HasPrefix(row[2], "F32") || strings.HasPrefix(row[2], "F33"):
			dep[row[0]] = true
		case strings.HasPrefix(row[2], "E10") || strings.HasPrefix(row[2], "E11"):
			dm[row[0]] = true
		case strings.HasPrefix(row[2], "I10"):
			htn[row[0]] = true
		}
	}
	adults, over40 := 0, 0
	for id, a := range age {
		if a >= 18 {
			adults++
		}
		if a >= 40 {
			over40++
		}
		_ = id
	}
	dmAdults, htn40 := 0, 0
	for id := range dm {
		if age[id] >= 18 {
			dmAdults++
		}
	}
	for id := range htn {
		if age[id] >= 40 {
			htn40++
		}
	}
	s.depressedShare = float64(len(dep)) / float64(adults)
	s.diabeticAdult = float64(dmAdults) / float64(adults)
	s.hypertensive40 = float64(htn40) / float64(over40)
	phq, hb, bp := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, row := range readCSV(t, "observations.csv", files["observations.csv"])[1:] {
		switch row[2] {
		case "PHQ9", "MADRSS":
			phq[row[0]] = true
		case "HBA1C":
			hb[row[0]] = true
		case "BPSYS":
			bp[row[0]] = true
		}
	}
	s.phq9Persons, s.hba1cPersons, s.bpPersons = len(phq), len(hb), len(bp)
	s.minCNI = 1e9
	areas := readCSV(t, "areas.csv", files["areas.csv"])[1:]
	for _, row := range areas {
		c, _ := strconv.ParseFloat(row[2], 64)
		s.minCNI = min(s.minCNI, c)
		s.maxCNI = max(s.maxCNI, c)
		s.meanCNI += c / float64(len(areas))
	}
	return s
}

func parseDay(s string) int {
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:10])
	return dayNumber(y, m, d)
}

func generateT(t testing.TB, cfg Config) (map[string][]byte, Summary) {
	t.Helper()
	files, sum, err := GenerateFiles(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return files, sum
}

var _ = io.Discard
