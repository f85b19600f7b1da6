package vardval

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"slices"

	"github.com/vardval/vardval/internal/redact"
)

// Reasons of the [FileError] of a file that [LoadFS] could not open.
const (
	// ReasonNotRegular: a FIFO, device, socket or directory is where a
	// contract file is expected. It is refused before it is opened
	// (opening a FIFO would block).
	ReasonNotRegular = "not a regular file"
	// ReasonDanglingLink: the name is a symbolic link to nothing. The file
	// was given but cannot be read, which is not the same as not given.
	ReasonDanglingLink = "a symlink to a file that does not exist"
)

// openFailed stands, in [Files], for a file LoadFS found but could not
// open: intake reports it as unreadable, never as missing.
type openFailed struct{ err *FileError }

func (o openFailed) Read([]byte) (int, error) { return 0, o.err }

// notOpened stands, in [Files], for a file that is given but that
// LoadOptions.Skip says not to read; it is never read.
type notOpened struct{}

func (notOpened) Read([]byte) (int, error) { return 0, io.EOF }

// LoadFS reads the contract's files ([FileNames]) from the root of fsys
// (os.DirFS, embed.FS, fstest.MapFS, a *zip.Reader, …) and loads them as
// [Load] does, with the same Region and report for the same bytes.
//
// A file that is not in fsys is not given: a missing optional file is
// left out, a missing required one is reported as Load reports it. A name
// that is there but cannot be read is a [FileError] in its report,
// never a silent skip: a FIFO, device, socket or directory (refused
// before it is opened, [ReasonNotRegular]), a symbolic link to nothing
// ([ReasonDanglingLink]; found through [fs.ReadLinkFS], which os.DirFS
// implements), or a file that fsys fails to stat or open (the
// [FileError] wraps fsys's error). Files named in opts.Skip are not
// opened.
//
// The error is non-nil when the Region could not be built or should not
// be used: when Load's would be (a required file unreadable, ctx
// cancelled), and also when any given file could not be read at all
// (the first such *FileError, as [IntakeReport.Err]): an optional file
// that was given but unreadable would otherwise be priced as if absent.
// The Region is nil then; the report is always returned. Rows rejected by
// intake are not an error (see [IntakeReport.Status]).
//
// When the contacts file as opened implements [io.ReaderAt] and its Stat
// gives its size (os.DirFS, fstest.MapFS, embed.FS), it is read in two
// parts on two goroutines, as Load does for an [io.SectionReader]. Every
// file LoadFS opens is closed before it returns.
func LoadFS(ctx context.Context, fsys fs.FS, opts LoadOptions) (*Region, *IntakeReport, error) {
	files, closeAll := openFS(fsys, opts)
	defer closeAll()
	r, rep, err := Load(ctx, files, opts)
	if err == nil {
		if err = rep.Err(); err != nil {
			r = nil
		}
	}
	return r, rep, err
}

// CheckFS reads the files of fsys as [LoadFS] does and returns [Check]'s
// report. The error is as LoadFS's; the report is always returned.
func CheckFS(ctx context.Context, fsys fs.FS, opts LoadOptions) (*IntakeReport, error) {
	files, closeAll := openFS(fsys, opts)
	defer closeAll()
	rep, err := Check(ctx, files, opts)
	if err == nil {
		err = rep.Err()
	}
	return rep, err
}

// openFS opens the contract's files in fsys by LoadFS's rules and
// returns them as Files for Load or Check, with a func that closes
// what was opened (call it once Load or Check has returned). A file that
// could not be opened is given as a reader whose every Read fails with
// its *FileError, so that intake reports it as unreadable, not missing.
func openFS(fsys fs.FS, opts LoadOptions) (Files, func()) {
	var closers []io.Closer
	open := func(name string, required bool) io.Reader {
		if !required && slices.Contains(opts.Skip, name) {
			if exists(fsys, name) {
				return notOpened{}
			}
			return nil
		}
		f, given, ferr := openRegular(fsys, name)
		if !given {
			return nil
		}
		if ferr != nil {
			return openFailed{ferr}
		}
		closers = append(closers, f)
		// Read at any offset, so that intake may read it in two parts.
		if ra, ok := f.(io.ReaderAt); ok && name == FileContacts {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				return io.NewSectionReader(ra, 0, st.Size())
			}
		}
		return bufio.NewReaderSize(f, 1<<20)
	}
	files := Files{
		Units:         open(FileUnits, true),
		Areas:         open(FileAreas, false),
		Listings:      open(FileListings, true),
		Contacts:      open(FileContacts, false),
		Diagnoses:     open(FileDiagnoses, false),
		Observations:  open(FileObservations, false),
		Prescriptions: open(FilePrescriptions, false),
		Procedures:    open(FileProcedures, false),
		Admissions:    open(FileAdmissions, false),
		Clinicians:    open(FileClinicians, false),
		Calls:         open(FileCalls, false),
		Survey:        open(FileSurvey, false),
	}
	return files, func() {
		for _, c := range closers {
			c.Close()
		}
		closers = nil
	}
}

// exists reports whether anything (a dangling symlink or a file that
// cannot be opened included) is at name.
func exists(fsys fs.FS, name string) bool {
	if _, err := fs.Stat(fsys, name); !errors.Is(err, fs.ErrNotExist) {
		return true
	}
	_, err := fs.Lstat(fsys, name)
	return err == nil
}

// openRegular opens name in fsys. given is false when there is nothing
// at the name; else the error is a symlink to nothing, anything but a
// regular file (checked by Stat before opening), or a failed stat or
// open.
func openRegular(fsys fs.FS, name string) (f fs.File, given bool, ferr *FileError) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if _, lerr := fs.Lstat(fsys, name); lerr == nil {
				return nil, true, &FileError{File: name, Reason: ReasonDanglingLink}
			}
			return nil, false, nil
		}
		return nil, true, &FileError{File: name, Reason: redact.Text(err.Error()), Err: err}
	}
	if !st.Mode().IsRegular() {
		return nil, true, &FileError{File: name, Reason: ReasonNotRegular}
	}
	f, err = fsys.Open(name)
	if err != nil {
		return nil, true, &FileError{File: name, Reason: redact.Text(err.Error()), Err: err}
	}
	// It may have been replaced since the Stat.
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, true, &FileError{File: name, Reason: ReasonNotRegular}
	}
	return f, true, nil
}
