package csvin

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// contactsFile generates a contacts.csv-like file of about size bytes:
// contact_id,person_id,unit_id,date,mode,profession,urgent,fee,requested,
// new_problem,clinician. With excel it uses ';', CRLF and Windows-1252
// clinician names with å/ä/ö; quoted puts every clinician in quotes.
func contactsFile(size int, excel, quoted bool) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	d, eol := byte(','), "\n"
	if excel {
		d, eol = ';', "\r\n"
	}
	modes := []string{"visit", "visit", "visit", "phone", "video", "chat", "home"}
	profs := []string{"doctor", "nurse", "nurse", "psychologist", "physio", "counsellor", "other"}
	names := []string{"K0001", "K0002", "K0100", "K1234"}
	if excel {
		names = []string{"\xC5sa L\xF6f", "B\xE4rbel", "K0100", "\xD6rjan"}
	}
	var b bytes.Buffer
	b.Grow(size + 200)
	fmt.Fprintf(&b, "contact_id%[1]cperson_id%[1]cunit_id%[1]cdate%[1]cmode%[1]cprofession%[1]curgent%[1]cfee%[1]crequested%[1]cnew_problem%[1]cclinician%[2]s", d, eol)
	for id := 1; b.Len() < size; id++ {
		m, day := 1+rng.IntN(12), 1+rng.IntN(28)
		fee := []string{"0", "200", "100", "0"}[rng.IntN(4)]
		urgent := []string{"no", "yes", "no", "no"}[rng.IntN(4)]
		name := names[rng.IntN(len(names))]
		if quoted {
			name = `"` + name + `"`
		}
		fields := []string{
			fmt.Sprintf("C%09d", id),
			fmt.Sprintf("P%08d", rng.IntN(1_400_000)),
			fmt.Sprintf("VC%03d", rng.IntN(150)),
			fmt.Sprintf("2024-%02d-%02d", m, day),
			modes[rng.IntN(len(modes))],
			profs[rng.IntN(len(profs))],
			urgent,
			fee,
			fmt.Sprintf("2024-%02d-%02d", m, max(1, day-rng.IntN(3))),
			[]string{"yes", "no"}[rng.IntN(2)],
			name,
		}
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(d)
			}
			b.WriteString(f)
		}
		b.WriteString(eol)
	}
	return b.Bytes()
}

func benchReader(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rd, err := NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			r, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(r.Fields)
		}
		if n == 0 {
			b.Fatal("no fields")
		}
	}
}

const benchSize = 20 << 20

func BenchmarkReader(b *testing.B) { benchReader(b, contactsFile(benchSize, false, false)) }

func BenchmarkReaderExcel1252(b *testing.B) { benchReader(b, contactsFile(benchSize, true, false)) }

func BenchmarkReaderQuoted(b *testing.B) { benchReader(b, contactsFile(benchSize, false, true)) }

func BenchmarkEncodingCSV(b *testing.B) {
	data := contactsFile(benchSize, false, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.ReuseRecord = true
		cr.FieldsPerRecord = -1
		n := 0
		for {
			r, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(r)
		}
		if n == 0 {
			b.Fatal("no fields")
		}
	}
}
