package vardval

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// bigListings writes the listings of n persons (one to three rows each, in
// person order, a few persons listed again far later in the file), with
// rows of every kind the row checks and the checks across a person's rows
// reject, 50 ACG codes met in an order of their own and one only near the end, and a '"' in row
// quoteAt (-1: none).
func bigListings(n, quoteAt int) []byte {
	var b bytes.Buffer
	b.WriteString("person_id,unit_id,from,to,sex,birth_date,area,acg,acg_weight\n")
	row := 0
	// person returns person i's id, and the sex and birth date its rows
	// carry (empty for a personnummer, which gives them).
	person := func(i int) (id, sex, birth string) {
		if i%2 == 0 {
			k := i / 2
			nine := fmt.Sprintf("%02d%02d%02d%03d", 30+k/6720, 1+(k/28)%12, 1+k%28, 980+(k/336)%20)
			id = "19" + nine[:6] + "-" + nine[6:] + string(luhn(nine))
			if i%61 == 0 {
				id = id[:12] + string('0'+(id[12]-'0'+1)%10) // wrong check digit
			}
			return id, "", ""
		}
		return fmt.Sprintf("SYN%07d", i), []string{"F", "M"}[i%4/2], fmt.Sprintf("19%02d-%02d-%02d", 30+i%60, 1+i%12, 1+i%28)
	}
	write := func(i int, from, to string, k int) {
		id, sex, birth := person(i)
		unit, area, weight := []string{"VC1", "VC2"}[(i+k)%2], []string{"A1", "A2"}[i%2], fmt.Sprintf("%d.%02d", i%4, i%100)
		switch {
		case i%67 == 0 && k == 0:
			unit = "VC9"
		case i%73 == 0:
			area = "A9"
		case i%71 == 0 && k == 1:
			weight = "abc"
		case i%59 == 1 && k == 1 && sex != "":
			sex = map[string]string{"F": "M", "M": "F"}[sex]
		}
		if row == quoteAt {
			weight = `"1,5"`
		}
		acg := fmt.Sprintf("ACG-%04d", (i*7+k)%50)
		if i > n*9/10 && i%7 == 0 {
			acg = "ACG-LATE" // met only in the last part: its code must be kept as used
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", id, unit, from, to, sex, birth, area, acg, weight)
		row++
	}
	for i := range n {
		switch 1 + i%3 {
		case 1:
			write(i, "2020-01-01", "", 0)
		case 2:
			write(i, "2020-01-01", "2021-12-31", 0)
			write(i, "2022-01-01", "", 1)
		case 3:
			write(i, "2020-01-01", "2020-12-31", 0)
			from := "2021-01-01"
			if i%53 == 2 {
				from = "2020-06-01" // overlaps the row before
			}
			write(i, from, "2022-06-30", 1)
			write(i, "2022-07-01", "2029-12-31", 2)
		}
		if i%29 == 0 && i >= 1000 {
			write(i-999, "2030-01-01", "", 3) // a person met again, far from its other rows
		}
	}
	return b.Bytes()
}

// With four workers or more the listings file is cut into parts that
// further workers check row by row (split_listings.go); the Region and
// report are those of reading it in one part (ReadAt hidden), also when a
// '"' in a part before the last makes the cuts unsafe and the listings are
// read again whole, and in Check.
func TestListingPartsMatchOnePart(t *testing.T) {
	base := readDir(t, "testdata/intake/clean")
	const persons = 12000
	plainFile := bigListings(persons, -1)
	rows := bytes.Count(plainFile, []byte("\n")) - 1
	for _, c := range []struct {
		name      string
		listings  []byte
		wantSplit bool           // cut into parts
		wantAgain func(int) bool // and read again whole, with so many workers
	}{
		{"no quote", plainFile, true, never},
		{"quote read before the cuts", bigListings(persons, 3), false, never},
		{"quote in b's part after the cuts", bigListings(persons, rows*3/10), true, always},
		// With 8 workers (four parts) row 6/10 is in the third part, with
		// fewer in the last.
		{"quote in a middle part", bigListings(persons, rows*6/10), true, func(w int) bool { return w >= 8 }},
		{"quote in the last part", bigListings(persons, rows-2), true, never},
	} {
		m := map[string][]byte{}
		for k, v := range base {
			m[k] = v
		}
		m[FileListings] = c.listings
		counts := []int{4, 5, 8}
		if raceEnabled {
			counts = []int{8} // the most parts at once: the race detector makes each load slow
		}
		for _, w := range counts {
			name := fmt.Sprintf("%s, %d workers", c.name, w)
			files := filesOf(m)
			files.Listings = plain{files.Listings}
			want, wantRep, err := load(context.Background(), files, LoadOptions{Workers: w}, loadKnobs{splitMin: 1})
			if err != nil {
				t.Fatal(err)
			}
			if wantRep.Files[2].Rejected < 100 || wantRep.Files[2].Accepted < rows/2 {
				t.Fatalf("%s: %d listings rejected and %d accepted: the test file lost its faults or rows", name, wantRep.Files[2].Rejected, wantRep.Files[2].Accepted)
			}
			var seen listingSplitSeen
			loadsAsOnePart(t, name, m, w, loadKnobs{splitMin: 1, listings: &seen}, want, wantRep)
			if wantParts := listingParts(w) - 1; (seen.extras == wantParts) != c.wantSplit || (seen.extras != 0) != c.wantSplit || seen.again != c.wantAgain(w) {
				t.Errorf("%s: %d further parts (again %v), want split %v (%d parts), again %v", name, seen.extras, seen.again, c.wantSplit, wantParts, c.wantAgain(w))
			}
		}
	}
}

func never(int) bool  { return false }
func always(int) bool { return true }

// Below four workers the listings are read in one part.
func TestListingPartsFromFourWorkers(t *testing.T) {
	for w, want := range map[int]int{1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 8: 4, 64: 32} {
		if got := listingParts(w); got != want {
			t.Errorf("listingParts(%d) = %d, want %d", w, got, want)
		}
	}
}
