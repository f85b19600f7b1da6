package synth

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// contractColumns are the columns of docs/data-contract.md, in the order the
// generator writes them.
func contractColumns() map[string][]string {
	return map[string][]string{
		"units.csv":         {"unit_id", "name", "kind", "municipality", "owner", "from", "to"},
		"listings.csv":      {"person_id", "unit_id", "from", "to", "sex", "birth_date", "area", "acg", "acg_weight"},
		"contacts.csv":      {"contact_id", "person_id", "unit_id", "date", "mode", "profession", "urgent", "fee", "requested", "new_problem", "clinician"},
		"diagnoses.csv":     {"person_id", "date", "code", "unit_id", "contact_id"},
		"observations.csv":  {"person_id", "date", "code", "value", "unit_id"},
		"prescriptions.csv": {"person_id", "date", "atc", "unit_id", "ddd"},
		"areas.csv":         {"area", "name", "cni"},
	}
}

// personnummerShaped reports whether s looks like a personnummer or
// samordningsnummer: 10 or 12 digits, optionally with '-' or '+' before
// the last four.
func personnummerShaped(s string) bool {
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		if i != len(s)-5 {
			return false
		}
		s = s[:i] + s[i+1:]
	}
	if len(s) != 10 && len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validDate(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, e1 := strconv.Atoi(s[:4])
	m, e2 := strconv.Atoi(s[5:7])
	d, e3 := strconv.Atoi(s[8:10])
	if e1 != nil || e2 != nil || e3 != nil || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	n := dayNumber(y, m, d)
	if yy, mm, dd := civil(n); yy != y || mm != m || dd != d {
		return 0, false
	}
	return n, true
}

func icdShaped(s string) bool {
	c := strings.Replace(s, ".", "", 1)
	if len(c) < 3 || len(c) > 7 || c[0] < 'A' || c[0] > 'Z' || c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9' {
		return false
	}
	return !strings.Contains(s, ".") || strings.Index(s, ".") == 3
}

func atcShaped(s string) bool {
	if len(s) != 7 {
		return false
	}
	for i, c := range []byte(s) {
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i == 0 || i == 3 || i == 4) && !letter || (i == 1 || i == 2 || i == 5 || i == 6) && !digit {
			return false
		}
	}
	return true
}

// decimals returns the number of decimals of a plain decimal string, or -1
// when s is not one.
func decimals(s string) int {
	if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "eE+") {
		return -1
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// checkContract checks every rule of the data contract that intake
// enforces, plus the generator's own promises, and returns the problems
// found as "file:line: problem".
func checkContract(t testing.TB, files map[string][]byte, year int) []string {
	t.Helper()
	var probs []string
	bad := func(file string, line int, format string, args ...any) {
		if len(probs) < 50 {
			probs = append(probs, fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
		}
	}
	y0, y1 := dayNumber(year, 1, 1), dayNumber(year, 12, 31)
	inYear := func(file string, line int, s string) int {
		n, ok := validDate(s)
		if !ok || n < y0 || n > y1 {
			bad(file, line, "date %q not in the data year", s)
		}
		return n
	}
	rows := map[string][][]string{}
	for name, cols := range contractColumns() {
		b, ok := files[name]
		if !ok {
			bad(name, 0, "missing")
			continue
		}
		rs := readCSV(t, name, b)
		if len(rs) == 0 || strings.Join(rs[0], ",") != strings.Join(cols, ",") {
			bad(name, 1, "header %v, want %v", rs[0], cols)
			continue
		}
		for i, r := range rs {
			for _, v := range r {
				if personnummerShaped(v) {
					bad(name, i+1, "value %q has the shape of a personnummer", v)
				}
			}
		}
		rows[name] = rs[1:]
	}
	units := map[string]string{}
	for i, r := range rows["units.csv"] {
		line := i + 2
		if _, dup := units[r[0]]; dup || r[0] == "" || r[1] == "" {
			bad("units.csv", line, "bad or duplicate unit %q", r[0])
		}
		units[r[0]] = r[2]
		switch r[2] {
		case "primary", "emergency", "specialist", "digital":
		default:
			bad("units.csv", line, "kind %q", r[2])
		}
		if len(r[3]) != 4 || !strings.HasPrefix(r[3], "13") {
			bad("units.csv", line, "municipality %q", r[3])
		}
		if r[4] != "public" && r[4] != "private" {
			bad("units.csv", line, "owner %q", r[4])
		}
		if n, ok := validDate(r[5]); !ok || n >= y0 {
			bad("units.csv", line, "from %q", r[5])
		}
		if r[6] != "" {
			bad("units.csv", line, "to %q", r[6])
		}
	}
	areas := map[string]bool{}
	for i, r := range rows["areas.csv"] {
		if areas[r[0]] {
			bad("areas.csv", i+2, "duplicate area %q", r[0])
		}
		areas[r[0]] = true
		c, err := strconv.ParseFloat(r[2], 64)
		if err != nil || c < 0.6 || c > 2.5 || decimals(r[2]) > 4 {
			bad("areas.csv", i+2, "cni %q", r[2])
		}
	}
	type span struct{ from, to int }
	persons := map[string][]span{}
	birth := map[string]int{}
	for i, r := range rows["listings.csv"] {
		line := i + 2
		if units[r[1]] != "primary" {
			bad("listings.csv", line, "unit %q is not a primary unit", r[1])
		}
		from, ok := validDate(r[2])
		if !ok || from > y1 {
			bad("listings.csv", line, "from %q", r[2])
		}
		to := y1 + 1
		if r[3] != "" {
			if to, ok = validDate(r[3]); !ok || to < from || to < y0 || to > y1 {
				bad("listings.csv", line, "to %q", r[3])
			}
		}
		if r[4] != "F" && r[4] != "M" {
			bad("listings.csv", line, "sex %q", r[4])
		}
		b, ok := validDate(r[5])
		if !ok || b > from || b > y1 {
			bad("listings.csv", line, "birth_date %q (from %q)", r[5], r[2])
		}
		if prev, seen := birth[r[0]]; seen && prev != b {
			bad("listings.csv", line, "birth_date differs between listings")
		}
		birth[r[0]] = b
		if !areas[r[6]] {
			bad("listings.csv", line, "area %q not in areas.csv", r[6])
		}
		if !strings.HasPrefix(r[7], "ACG-") {
			bad("listings.csv", line, "acg %q", r[7])
		}
		w, err := strconv.ParseFloat(r[8], 64)
		if err != nil || w < 0.1 || w > 15 || decimals(r[8]) > 4 {
			bad("listings.csv", line, "acg_weight %q", r[8])
		}
		for _, s := range persons[r[0]] {
			if from <= s.to && s.from <= to {
				bad("listings.csv", line, "listing overlaps an earlier one of the same person")
			}
			if from != s.to+1 {
				bad("listings.csv", line, "second listing does not start the day after the first ends")
			}
		}
		persons[r[0]] = append(persons[r[0]], span{from, to})
	}
	listedOn := func(person string, day int) bool {
		for _, s := range persons[person] {
			if day >= max(s.from, y0) && day <= s.to {
				return true
			}
		}
		return false
	}
	type cinfo struct {
		person, unit, date string
	}
	contacts := map[string]cinfo{}
	modes := map[string]bool{"visit": true, "home": true, "phone": true, "video": true, "chat": true}
	profs := map[string]bool{"doctor": true, "nurse": true, "psychologist": true, "physio": true,
		"occupational_therapist": true, "counsellor": true, "dietitian": true, "other": true}
	for i, r := range rows["contacts.csv"] {
		line := i + 2
		f := "contacts.csv"
		if _, dup := contacts[r[0]]; dup || !strings.HasPrefix(r[0], "C") {
			bad(f, line, "contact_id %q", r[0])
		}
		contacts[r[0]] = cinfo{r[1], r[2], r[3]}
		if units[r[2]] == "" {
			bad(f, line, "unknown unit %q", r[2])
		}
		day := inYear(f, line, r[3])
		if !listedOn(r[1], day) {
			bad(f, line, "contact on a day the person is not listed")
		}
		if !modes[r[4]] || !profs[r[5]] {
			bad(f, line, "mode %q or profession %q", r[4], r[5])
		}
		if r[6] != "yes" && r[6] != "no" {
			bad(f, line, "urgent %q", r[6])
		}
		if fee, err := strconv.Atoi(r[7]); err != nil || fee < 0 || fee > 300 {
			bad(f, line, "fee %q", r[7])
		}
		switch r[9] {
		case "yes":
			req := inYear(f, line, r[8])
			if req > day || day-req > 90 {
				bad(f, line, "requested %q for date %q", r[8], r[3])
			}
		case "no":
			if r[8] != "" {
				bad(f, line, "requested without a new problem")
			}
		default:
			bad(f, line, "new_problem %q", r[9])
		}
		if r[10] != "" && (len(r[10]) < 5 || !strings.Contains("DNT", r[10][:1])) {
			bad(f, line, "clinician %q", r[10])
		}
	}
	for i, r := range rows["diagnoses.csv"] {
		line := i + 2
		c, ok := contacts[r[4]]
		if !ok || c.person != r[0] || c.unit != r[3] || c.date != r[1] {
			bad("diagnoses.csv", line, "does not match its contact %q", r[4])
		}
		if !icdShaped(r[2]) {
			bad("diagnoses.csv", line, "code %q", r[2])
		}
	}
	ranges := map[string][2]float64{"PHQ9": {0, 27}, "MADRSS": {0, 54}, "HBA1C": {35, 110},
		"BPSYS": {50, 300}, "BPDIA": {30, 200}, "BMI": {10, 80}}
	for i, r := range rows["observations.csv"] {
		line := i + 2
		inYear("observations.csv", line, r[1])
		rg, ok := ranges[r[2]]
		v, err := strconv.ParseFloat(r[3], 64)
		if !ok || err != nil || v < rg[0] || v > rg[1] {
			bad("observations.csv", line, "%s = %q", r[2], r[3])
		}
		if units[r[4]] == "" {
			bad("observations.csv", line, "unit %q", r[4])
		}
	}
	for i, r := range rows["prescriptions.csv"] {
		line := i + 2
		inYear("prescriptions.csv", line, r[1])
		if !atcShaped(r[2]) || units[r[3]] == "" {
			bad("prescriptions.csv", line, "atc %q unit %q", r[2], r[3])
		}
		if d, err := strconv.ParseFloat(r[4], 64); err != nil || d <= 0 || decimals(r[4]) > 2 {
			bad("prescriptions.csv", line, "ddd %q", r[4])
		}
	}
	return probs
}
