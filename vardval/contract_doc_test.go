package vardval_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

// contractColumns are the columns intake reads, per file, required first.
// TestContractColumnsKnown checks them against intake itself.
var contractColumns = map[string]struct{ required, optional []string }{
	vardval.FileUnits:         {[]string{"unit_id", "name", "kind"}, []string{"municipality", "owner", "from", "to"}},
	vardval.FileAreas:         {[]string{"area"}, []string{"name", "cni"}},
	vardval.FileListings:      {[]string{"person_id", "unit_id", "from"}, []string{"to", "sex", "birth_date", "area", "acg", "acg_weight"}},
	vardval.FileContacts:      {[]string{"contact_id", "person_id", "unit_id", "date", "mode", "profession"}, []string{"urgent", "fee", "requested", "new_problem", "clinician"}},
	vardval.FileDiagnoses:     {[]string{"person_id", "date", "code"}, []string{"unit_id", "contact_id"}},
	vardval.FileObservations:  {[]string{"person_id", "date", "code", "value"}, []string{"unit_id"}},
	vardval.FilePrescriptions: {[]string{"person_id", "date", "atc"}, []string{"unit_id", "ddd"}},
	vardval.FileProcedures:    {[]string{"person_id", "date", "unit_id", "code"}, []string{"clinician"}},
	vardval.FileAdmissions:    {[]string{"person_id", "admitted", "discharged", "main_diagnosis", "acute", "hospital"}, nil},
	vardval.FileClinicians:    {[]string{"clinician", "unit_id", "profession", "employment", "from"}, []string{"to"}},
	vardval.FileCalls:         {[]string{"unit_id", "date", "calls", "answered_same_day"}, nil},
	vardval.FileSurvey:        {[]string{"unit_id", "period", "question", "respondents", "positive"}, nil},
}

// moduleRoot walks up from the package directory to the directory holding
// go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = up
	}
}

// repoFiles lists the repository's tracked files (git ls-files), or, with
// no git, every file under root; .git and testdata directories are left out.
func repoFiles(t *testing.T, root string) []string {
	t.Helper()
	skip := func(rel string) bool {
		for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
			if part == ".git" || part == "testdata" {
				return true
			}
		}
		return false
	}
	var files []string
	if out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output(); err == nil {
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" && !skip(f) {
				files = append(files, f)
			}
		}
		return files
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && skip(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !skip(rel) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestNoPointersOutsideRepository fails when a file of the repository
// points to the project workspace outside it: the data contract and the
// domain facts live in the repository (docs/data-contract.md, or inline
// with their public sources).
// privateNote matches a note of the project workspace cited by path (the
// pattern is spelled with a class so that this file does not match it).
var privateNote = regexp.MustCompile(`\bdomai[n]/[a-z0-9-]+\.md\b`)

func TestNoPointersOutsideRepository(t *testing.T) {
	root := moduleRoot(t)
	// Spelled in parts so that this file does not match itself.
	const shared = "shared"
	banned := []string{"../" + shared, shared + "/spec", shared + "/domain"}
	for _, f := range repoFiles(t, root) {
		b, err := os.ReadFile(filepath.Join(root, f))
		if errors.Is(err, fs.ErrNotExist) {
			continue // tracked but deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range banned {
			if i := bytes.Index(b, []byte(s)); i >= 0 {
				line := 1 + bytes.Count(b[:i], []byte("\n"))
				t.Errorf("%s:%d: points outside the repository (%q); use docs/data-contract.md or state the fact with its public source", f, line, s)
			}
		}
		// A private note of the workspace cited by its path.
		if loc := privateNote.FindIndex(b); loc != nil {
			line := 1 + bytes.Count(b[:loc[0]], []byte("\n"))
			t.Errorf("%s:%d: points outside the repository (%q); state the fact with its public source", f, line, b[loc[0]:loc[1]])
		}
	}
}

// TestContractColumnsKnown checks contractColumns against intake: a header
// of all of a file's columns leaves none ignored, and a header without one
// of its required columns makes the file unreadable.
func TestContractColumnsKnown(t *testing.T) {
	header := func(cols []string) []byte { return []byte(strings.Join(cols, ",") + "\n") }
	all := func(name string) []string {
		c := contractColumns[name]
		return append(slices.Clone(c.required), c.optional...)
	}
	full := fstest.MapFS{}
	for _, name := range vardval.FileNames() {
		full[name] = &fstest.MapFile{Data: header(append(all(name), "not_a_contract_column"))}
	}
	rep, err := vardval.CheckFS(context.Background(), full, vardval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Files {
		if f.Error != "" {
			t.Errorf("%s: %s", f.File, f.Error)
		}
		if !slices.Equal(f.Ignored, []string{"not_a_contract_column"}) {
			t.Errorf("%s: ignored columns %q, want only not_a_contract_column", f.File, f.Ignored)
		}
	}
	for _, name := range vardval.FileNames() {
		for _, req := range contractColumns[name].required {
			fsys := fstest.MapFS{}
			for k, v := range full {
				fsys[k] = v
			}
			fsys[name] = &fstest.MapFile{Data: header(slices.DeleteFunc(all(name), func(c string) bool { return c == req }))}
			rep, err := vardval.CheckFS(context.Background(), fsys, vardval.LoadOptions{})
			if rep == nil {
				t.Fatal(err) // a required file that cannot be read is also an error
			}
			for _, f := range rep.Files {
				if f.File == name && f.Fatal() == nil {
					t.Errorf("%s without %s was read; it is listed as required", name, req)
				}
			}
		}
	}
}

// TestDataContractDocNamesColumns checks that docs/data-contract.md names
// every contract file and, in that file's section, every column intake
// reads and every column the synthetic generator writes.
func TestDataContractDocNamesColumns(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(moduleRoot(t), "docs", "data-contract.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := synth.GenerateFiles(context.Background(), synth.Config{Persons: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	for _, name := range vardval.FileNames() {
		head := "\n### " + name
		i := strings.Index(text, head)
		if i < 0 {
			t.Errorf("docs/data-contract.md has no section %q", strings.TrimSpace(head))
			continue
		}
		section := text[i+len(head):]
		if j := strings.Index(section, "\n#"); j >= 0 {
			section = section[:j]
		}
		c := contractColumns[name]
		cols := append(slices.Clone(c.required), c.optional...)
		if data, ok := files[name]; ok {
			first, _, _ := strings.Cut(string(data), "\n")
			for _, col := range strings.Split(strings.TrimSpace(first), ",") {
				if !slices.Contains(cols, col) {
					cols = append(cols, col)
				}
			}
		} else {
			t.Errorf("synth does not write %s", name)
		}
		for _, col := range cols {
			if !strings.Contains(section, "`"+col+"`") {
				t.Errorf("docs/data-contract.md, section %s, does not name column `%s`", name, col)
			}
		}
	}
}
