package vardval

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
)

// reportBytes is a report in both of its written forms.
func reportBytes(t *testing.T, rep *IntakeReport) string {
	t.Helper()
	var js, txt bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	return js.String() + txt.String()
}

// copyDir copies the contract's files of a testdata directory to a new
// temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range readDir(t, src) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// LoadFS on os.DirFS, an fstest.MapFS and a zip gives byte for byte the
// report Load gives on the same bytes, and an equal Region; CheckFS gives
// Check's report.
func TestLoadFSMatchesLoad(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"clean", "faults"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata/intake", name)
			m := readDir(t, dir)
			wantR, wantRep, wantErr := Load(ctx, filesOf(m), LoadOptions{})
			want := reportBytes(t, wantRep)
			checkRep, _ := Check(ctx, filesOf(m), LoadOptions{})
			wantCheck := reportBytes(t, checkRep)

			mfs := fstest.MapFS{}
			var zb bytes.Buffer
			zw := zip.NewWriter(&zb)
			for n, b := range m {
				mfs[n] = &fstest.MapFile{Data: b, Mode: 0o644}
				w, err := zw.Create(n) // deflated: its files have no ReadAt
				if err != nil {
					t.Fatal(err)
				}
				w.Write(b)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(zb.Bytes()), int64(zb.Len()))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name string
				fsys fs.FS
			}{{"DirFS", os.DirFS(dir)}, {"MapFS", mfs}, {"zip", zr}} {
				r, rep, err := LoadFS(ctx, c.fsys, LoadOptions{})
				if got := reportBytes(t, rep); got != want {
					t.Errorf("%s: LoadFS's report differs from Load's:\n%s\nwant\n%s", c.name, got, want)
				}
				if (err == nil) != (wantErr == nil && wantRep.Err() == nil) {
					t.Errorf("%s: LoadFS error %v; Load's %v, report's %v", c.name, err, wantErr, wantRep.Err())
				}
				if err == nil && !reflect.DeepEqual(r, wantR) {
					t.Errorf("%s: LoadFS's Region differs from Load's", c.name)
				}
				crep, _ := CheckFS(ctx, c.fsys, LoadOptions{})
				if got := reportBytes(t, crep); got != wantCheck {
					t.Errorf("%s: CheckFS's report differs from Check's:\n%s\nwant\n%s", c.name, got, wantCheck)
				}
			}
		})
	}
}

// A missing optional file is not given; a missing required one is Load's
// *FileError.
func TestLoadFSMissingFiles(t *testing.T) {
	m := readDir(t, "testdata/intake/clean")
	mfs := fstest.MapFS{}
	for n, b := range m {
		if n != FileAreas && n != FileDiagnoses {
			mfs[n] = &fstest.MapFile{Data: b}
		}
	}
	r, rep, err := LoadFS(context.Background(), mfs, LoadOptions{})
	if err != nil || r == nil {
		t.Fatalf("LoadFS without optional files: %v", err)
	}
	for _, n := range []string{FileAreas, FileDiagnoses} {
		if f := rep.File(n); f.Present || f.NotRead() || f.Fatal() != nil {
			t.Errorf("%s: %+v, want not given", n, *f)
		}
	}
	delete(mfs, FileListings)
	_, rep, err = LoadFS(context.Background(), mfs, LoadOptions{})
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != FileListings || fe.Reason != "required file is missing" {
		t.Fatalf("LoadFS without listings.csv: %v, want listings.csv's FileError", err)
	}
	if rep.Status() != 2 {
		t.Errorf("status %d, want 2", rep.Status())
	}
}

// failFS is an fs.FS whose Open (and Stat) of one name fails.
type failFS struct {
	fs.FS
	name string
	err  error
}

func (f failFS) Open(name string) (fs.File, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: f.err}
	}
	return f.FS.Open(name)
}

// A file that the file system fails to open is a *FileError wrapping the
// file system's error, for required and optional files alike: LoadFS
// returns it (an optional file is never skipped silently), and its report
// says so.
func TestLoadFSOpenFails(t *testing.T) {
	mfs := fstest.MapFS{}
	for n, b := range readDir(t, "testdata/intake/clean") {
		mfs[n] = &fstest.MapFile{Data: b}
	}
	for _, name := range []string{FileUnits, FileDiagnoses, FileContacts} {
		fsys := failFS{FS: mfs, name: name, err: fs.ErrPermission}
		r, rep, err := LoadFS(context.Background(), fsys, LoadOptions{})
		var fe *FileError
		if !errors.As(err, &fe) || fe.File != name || !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%s: LoadFS error %v, want a FileError for it wrapping fs.ErrPermission", name, err)
		}
		if r != nil {
			t.Errorf("%s: a Region from a region with an unreadable file", name)
		}
		if f := rep.File(name); !f.Present || f.Fatal() == nil || !f.NotRead() || rep.Status() != 2 {
			t.Errorf("%s: report %+v, status %d; want present and not read, status 2", name, *f, rep.Status())
		}
		rep, err = CheckFS(context.Background(), fsys, LoadOptions{})
		if !errors.As(err, &fe) || fe.File != name || rep.Status() != 2 {
			t.Errorf("%s: CheckFS error %v, status %d", name, err, rep.Status())
		}
	}
}

// Files named in LoadOptions.Skip are not opened and are reported as
// skipped when given; a skipped file that is not given is not given.
func TestLoadFSSkip(t *testing.T) {
	mfs := fstest.MapFS{}
	for n, b := range readDir(t, "testdata/intake/clean") {
		if n != FileObservations {
			mfs[n] = &fstest.MapFile{Data: b}
		}
	}
	// Opening diagnoses.csv would fail.
	fsys := failFS{FS: mfs, name: FileDiagnoses, err: fs.ErrPermission}
	opts := LoadOptions{Skip: []string{FileDiagnoses, FileObservations, FileUnits}}
	r, rep, err := LoadFS(context.Background(), fsys, opts)
	if err != nil || r == nil {
		t.Fatalf("LoadFS: %v", err)
	}
	if f := rep.File(FileDiagnoses); !f.Skipped || !f.NotRead() || f.Fatal() != nil {
		t.Errorf("diagnoses: %+v, want skipped", *f)
	}
	if f := rep.File(FileObservations); f.Skipped || f.Present {
		t.Errorf("observations: %+v, want not given", *f)
	}
	if f := rep.File(FileUnits); f.Skipped || f.Read == 0 {
		t.Errorf("units (required, cannot be skipped): %+v", *f)
	}
	if len(r.Diagnoses) != 0 {
		t.Errorf("%d diagnoses from a skipped file", len(r.Diagnoses))
	}
	// Load skips them likewise.
	_, lrep, _ := Load(context.Background(), filesOf(readDir(t, "testdata/intake/clean")), opts)
	if f := lrep.File(FileDiagnoses); !f.Skipped || f.Read != 0 {
		t.Errorf("Load: diagnoses %+v, want skipped", *f)
	}
}

// The contacts of os.DirFS and fstest.MapFS are handed to intake as an
// io.SectionReader, which it may read in two parts; a zip's compressed
// file is read as a stream.
func TestLoadFSContactsSplittable(t *testing.T) {
	m := readDir(t, "testdata/intake/clean")
	mfs := fstest.MapFS{}
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for n, b := range m {
		mfs[n] = &fstest.MapFile{Data: b}
		w, _ := zw.Create(n)
		w.Write(b)
	}
	zw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(zb.Bytes()), int64(zb.Len()))
	for _, c := range []struct {
		name  string
		fsys  fs.FS
		split bool
	}{{"DirFS", os.DirFS("testdata/intake/clean"), true}, {"MapFS", mfs, true}, {"zip", zr, false}} {
		files, closeAll := openFS(c.fsys, LoadOptions{})
		_, ok := splittable(files.Contacts)
		if ok != c.split {
			t.Errorf("%s: contacts splittable %v, want %v (%T)", c.name, ok, c.split, files.Contacts)
		}
		if b, err := io.ReadAll(files.Units); err != nil || !bytes.Equal(b, m[FileUnits]) {
			t.Errorf("%s: units read %q, %v", c.name, b, err)
		}
		closeAll()
	}
}
