package vardval

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// One personnummer spelled three ways across files is one person, keyed as
// if it had been spelled the same everywhere.
func TestLoadPersonnummerSpellings(t *testing.T) {
	units := "unit_id,name,kind\nVC1,Norr,primary\n"
	listings := "person_id,unit_id,from\n19121212-1212,VC1,2020-01-01\n"
	contacts := "contact_id,person_id,unit_id,date,mode,profession\n" +
		"C1,191212121212,VC1,2024-01-02,visit,doctor\nC2,121212+1212,VC1,2024-01-03,visit,nurse\n" +
		"C3,19121212-1212,VC1,2024-01-01,phone,nurse\nC4,P-x,VC1,2024-01-01,phone,nurse\n"
	diagnoses := "person_id,date,code,contact_id\n121212+1212,2024-01-02,F32.1,C1\n191212121212,2024-01-03,I10,C2\n"
	uniform := func(s string) string {
		s = string(bytes.ReplaceAll([]byte(s), []byte("191212121212"), []byte("19121212-1212")))
		return string(bytes.ReplaceAll([]byte(s), []byte(",121212+1212"), []byte(",19121212-1212")))
	}
	load := func(l, c, d string) *Region {
		r, rep, err := Load(context.Background(), filesOf(map[string][]byte{FileUnits: []byte(units),
			FileListings: []byte(l), FileContacts: []byte(c), FileDiagnoses: []byte(d)}), LoadOptions{})
		if err != nil || rep.Status() != 0 {
			var b bytes.Buffer
			rep.WriteText(&b)
			t.Fatalf("%v\n%s", err, b.String())
		}
		return r
	}
	got := load(listings, contacts, diagnoses)
	checkIndexes(t, got)
	want := load(uniform(listings), uniform(contacts), uniform(diagnoses))
	if len(got.Persons) != 2 || len(got.Codes) != 2 {
		t.Errorf("persons = %d, codes = %v; want 2 persons, 2 codes", len(got.Persons), got.Codes)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
		t.Errorf("spellings changed the region (-uniform +mixed):\n%s", diff)
	}
}

// A region large enough to grow the person tables and to defeat the
// file-order prediction: reversing the contact, diagnosis and observation
// rows changes nothing but line numbers.
func TestLoadLargeRowOrder(t *testing.T) {
	m := bigRegion(3000)
	want := digest(t, m)
	for _, name := range []string{FileContacts, FileDiagnoses, FileObservations, FileListings} {
		lines := bytes.SplitAfter(bytes.TrimRight(m[name], "\n"), []byte("\n"))
		var b bytes.Buffer
		b.Write(bytes.TrimRight(lines[0], "\n"))
		b.WriteByte('\n')
		for i := len(lines) - 1; i >= 1; i-- {
			b.Write(bytes.TrimRight(lines[i], "\n"))
			b.WriteByte('\n')
		}
		m[name] = b.Bytes()
	}
	got := digest(t, m)
	checkIndexes(t, got.Region)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Region{})); diff != "" {
		t.Fatalf("reversed rows changed the outcome (-want +got):\n%s", diff)
	}
}

// bigRegion writes n persons (pseudonyms and personnummer-free), each with
// one or two listings, a few contacts, diagnoses naming them and
// observations, in person order.
func bigRegion(n int) map[string][]byte {
	var l, c, d, o bytes.Buffer
	l.WriteString("person_id,unit_id,from,to,sex,birth_date\n")
	c.WriteString("contact_id,person_id,unit_id,date,mode,profession,clinician,fee\n")
	d.WriteString("person_id,date,code,unit_id,contact_id\n")
	o.WriteString("person_id,date,code,value\n")
	cid := 0
	for i := range n {
		id := fmt.Sprintf("X%07d", (i*7919)%n)
		sex := "FM"[i%2 : i%2+1]
		if i%5 == 0 {
			fmt.Fprintf(&l, "%s,VC%d,2020-01-01,2023-12-31,%s,1960-01-%02d\n%s,VC%d,2024-01-01,,%s,1960-01-%02d\n",
				id, i%3, sex, 1+i%28, id, (i+1)%3, sex, 1+i%28)
		} else {
			fmt.Fprintf(&l, "%s,VC%d,2019-05-01,,%s,1970-02-%02d\n", id, i%3, sex, 1+i%28)
		}
		for k := range i % 4 {
			cid++
			fmt.Fprintf(&c, "C%d,%s,VC%d,2024-%02d-%02d,visit,doctor,D%d,%d\n", cid, id, (i+k)%3, 1+k, 1+i%28, i%50, 100*k)
			fmt.Fprintf(&d, "%s,2024-%02d-%02d,F3%d.%d,VC%d,C%d\n", id, 1+k, 1+i%28, k, i%9, (i+k)%3, cid)
			fmt.Fprintf(&o, "%s,2024-%02d-%02d,PHQ9,%d\n", id, 1+k, 1+i%28, (i+k)%28)
		}
		if i%97 == 0 { // a contact-only person and a diagnosis naming no contact
			fmt.Fprintf(&c, "C%d-x,Y%d,VC0,2024-06-01,phone,nurse,,\n", i, i)
			fmt.Fprintf(&d, "%s,2024-06-02,I10,,\n", id)
		}
	}
	return map[string][]byte{
		FileUnits:        []byte("unit_id,name,kind\nVC0,A,primary\nVC1,B,primary\nVC2,C,primary\n"),
		FileListings:     l.Bytes(),
		FileContacts:     c.Bytes(),
		FileDiagnoses:    d.Bytes(),
		FileObservations: o.Bytes(),
	}
}

// checkIndexes fails when a record refers to a person, unit, code or
// clinician that the region does not have.
func checkIndexes(t *testing.T, r *Region) {
	t.Helper()
	code := func(i int32) bool { return i >= 0 && int(i) < len(r.Codes) }
	person := func(p PersonIndex) bool { return p >= 0 && int(p) < len(r.Persons) }
	unit := func(u UnitIndex) bool { return u >= NoUnit && int(u) < len(r.Units) }
	for _, l := range r.Listings {
		if !person(l.Person) || !unit(l.Unit) || (l.ACG != -1 && !code(l.ACG)) {
			t.Fatalf("bad listing %+v", l)
		}
	}
	for _, c := range r.Contacts {
		if !person(c.Person) || !unit(c.Unit) || c.Clinician < -1 || int(c.Clinician) >= len(r.Clinicians) {
			t.Fatalf("bad contact %+v", c)
		}
	}
	for _, d := range r.Diagnoses {
		if !person(d.Person) || !unit(d.Unit) || !code(d.Code) {
			t.Fatalf("bad diagnosis %+v", d)
		}
	}
	for _, o := range r.Observations {
		if !person(o.Person) || !unit(o.Unit) || !code(o.Code) {
			t.Fatalf("bad observation %+v", o)
		}
	}
	for _, x := range r.Prescriptions {
		if !person(x.Person) || !unit(x.Unit) || !code(x.ATC) {
			t.Fatalf("bad prescription %+v", x)
		}
	}
}

// cancelAfter cancels when more than n bytes have been read through it.
type cancelAfter struct {
	r      *bytes.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n -= len(p); c.n < 0 {
		c.cancel()
	}
	return c.r.Read(p)
}

// Cancelling while the contacts are read stops Load with the context's
// error and no region, whichever goroutine notices first.
func TestLoadCancelled(t *testing.T) {
	m := bigRegion(30000)
	for _, name := range []string{FileContacts, FileListings, FileDiagnoses} {
		ctx, cancel := context.WithCancel(context.Background())
		files := filesOf(m)
		rd := &cancelAfter{r: bytes.NewReader(m[name]), n: len(m[name]) / 3, cancel: cancel}
		switch name {
		case FileContacts:
			files.Contacts = rd
		case FileListings:
			files.Listings = rd
		case FileDiagnoses:
			files.Diagnoses = rd
		}
		r, rep, err := Load(ctx, files, LoadOptions{})
		if err != context.Canceled || r != nil || rep == nil {
			t.Errorf("%s: Load = %v, %v; want no region and context.Canceled", name, r != nil, err)
		}
		cancel()
	}
}
