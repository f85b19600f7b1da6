package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// openDir opens the contract's files in dir. Missing files are left nil
// (intake reports required ones); the returned func closes what was opened.
func openDir(dir string, bar *progress) (vardval.Files, func(), error) {
	st, err := os.Stat(dir)
	if err != nil {
		return vardval.Files{}, func() {}, err
	}
	if !st.IsDir() {
		return vardval.Files{}, func() {}, fmt.Errorf("%s is not a directory", dir)
	}
	var closers []io.Closer
	open := func(name string) io.Reader {
		f, err := openRegular(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return errReader{err}
		}
		closers = append(closers, f)
		if name == vardval.FileContacts {
			// Read at any offset, so that intake may read it in two
			// parts on both cores.
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				return bar.readerAt(io.NewSectionReader(f, 0, st.Size()))
			}
		}
		return bar.reader(bufio.NewReaderSize(f, 1<<20))
	}
	files := vardval.Files{
		Units:         open(vardval.FileUnits),
		Areas:         open(vardval.FileAreas),
		Listings:      open(vardval.FileListings),
		Contacts:      open(vardval.FileContacts),
		Diagnoses:     open(vardval.FileDiagnoses),
		Observations:  open(vardval.FileObservations),
		Prescriptions: open(vardval.FilePrescriptions),
	}
	return files, func() {
		for _, c := range closers {
			c.Close()
		}
	}, nil
}

// errNotRegular refuses a FIFO, device, socket or directory where a file
// is expected, before anything is read from it (a FIFO would hang).
var errNotRegular = errors.New("not a regular file")

// errDanglingLink is a symlink whose target does not exist: the file was
// given but cannot be read, which is not the same as not given.
var errDanglingLink = errors.New("a symlink to a file that does not exist")

// openRegular opens a region file: fs.ErrNotExist when there is nothing
// at path (the file is not given), errDanglingLink for a symlink to
// nothing, errNotRegular for anything but a regular file.
func openRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		if _, lerr := os.Lstat(path); lerr == nil && errors.Is(err, fs.ErrNotExist) {
			return nil, errDanglingLink
		}
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}

// unreadFiles names the optional files a computation that needs need does
// not read (none when need is nil).
func unreadFiles(need *payment.Inputs) map[string]bool {
	if need == nil {
		return nil
	}
	return map[string]bool{vardval.FileContacts: !need.Contacts, vardval.FileDiagnoses: !need.Diagnoses,
		vardval.FileObservations: !need.Observations, vardval.FilePrescriptions: !need.Prescriptions}
}

// errReader turns an open error into a read error, so intake reports the
// file as unreadable (exit status 2) instead of missing.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// loadDir loads a region directory, printing a fatal intake error. With a
// non-nil need, optional files the computation does not read are not
// opened, and the report marks them as skipped.
func loadDir(ctx context.Context, e *env, dir string, need *payment.Inputs) (*vardval.Region, *vardval.IntakeReport, bool) {
	// The bar and the memory limit count the files that are read.
	size := dirSize(dir, need)
	limitHeap(size)
	bar := newProgress(e.tty, "reading "+filepath.Base(dir), size)
	files, closeAll, err := openDir(dir, bar)
	defer closeAll()
	defer bar.finish()
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return nil, nil, false
	}
	var skipped []string
	unread := unreadFiles(need)
	for name, rd := range map[string]*io.Reader{vardval.FileContacts: &files.Contacts, vardval.FileDiagnoses: &files.Diagnoses,
		vardval.FileObservations: &files.Observations, vardval.FilePrescriptions: &files.Prescriptions} {
		if unread[name] && *rd != nil {
			*rd = nil
			skipped = append(skipped, name)
		}
	}
	hint := personsHint(filepath.Join(dir, vardval.FileListings))
	r, rep, err := vardval.Load(ctx, files, vardval.LoadOptions{PersonsHint: hint})
	for _, name := range skipped {
		if fr := rep.File(name); fr != nil {
			fr.Skipped = true
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %s: %v\n", dir, err)
		return nil, rep, false
	}
	if _, _, rej := rep.Totals(); rej > 0 {
		fmt.Fprintf(e.stderr, "vardval: note: intake rejected %d rows; they are left out (see vardval check %s)\n", rej, dir)
	}
	// An optional file that was given but could not be read would silently
	// price or measure without it: that is an error, not a note.
	for _, f := range rep.Files {
		if f.Fatal() != nil {
			fmt.Fprintf(e.stderr, "vardval: %s: %v\n", dir, f.Fatal())
			return nil, rep, false
		}
	}
	return r, rep, true
}

func newFlags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("vardval "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseInterleaved parses flags that may come before or after positional
// arguments (vardval check DIR --format json).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	return parseArgs(fs, args, -1)
}

// parseFlags parses a command that takes flags only: a stray positional
// argument is an error rather than silently ignored.
func parseFlags(fs *flag.FlagSet, args []string) error {
	_, err := parseArgs(fs, args, 0)
	return err
}

// parseArgs parses flags interleaved with at most maxPos positional
// arguments (-1: any number).
func parseArgs(fs *flag.FlagSet, args []string, maxPos int) ([]string, error) {
	pos, err := parseAll(fs, args)
	if err != nil {
		return nil, err
	}
	if maxPos >= 0 && len(pos) > maxPos {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), pos[maxPos])
		return nil, flag.ErrHelp
	}
	return pos, nil
}

func parseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func cmdCheck(ctx context.Context, e *env, args []string) int {
	fs := newFlags("check", e)
	format := fs.String("format", "text", "report format: text or json")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "usage: vardval check DIR [--format json]")
		return 2
	}
	size := dirSize(pos[0], nil)
	limitHeap(size)
	bar := newProgress(e.tty, "checking "+filepath.Base(pos[0]), size)
	files, closeAll, err := openDir(pos[0], bar)
	defer closeAll()
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	rep, _ := vardval.Check(ctx, files, vardval.LoadOptions{PersonsHint: personsHint(filepath.Join(pos[0], vardval.FileListings))})
	bar.finish()
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %s: %v\n", pos[0], err)
		return 2
	}
	switch *format {
	case "json":
		err = rep.WriteJSON(e.stdout)
	case "text", "table":
		err = rep.WriteText(e.stdout)
	default:
		fmt.Fprintf(e.stderr, "vardval: unknown format %q (text or json)\n", *format)
		return 2
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	return rep.Status()
}

// personsHint guesses how many persons a listings file names, one per row,
// from its size and the length of its first rows, to size the person
// table ahead (a hint, never a limit: 0 when the file cannot be read).
func personsHint(path string) int {
	f, err := openRegular(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	rows := bytes.Count(head[:n], []byte("\n"))
	if rows < 2 || n == 0 {
		return 0
	}
	return int(st.Size() / int64(n/rows))
}

// limitHeap sets a soft memory limit for a region of size input bytes:
// the garbage collector then works harder before the heap passes it
// instead of letting it double, which keeps a Skåne-size year under
// 1 GiB at peak whatever the timing of collections, and lets intake skip
// handing memory back to the OS. The limit is the input size, at least
// 800 MiB: the loaded region needs less than its files. Regions over
// 1.5 GiB of files get no limit (intake then hands memory back itself,
// which keeps a Sweden-size peak lower than a limit that large would).
// GOMEMLIMIT, when set, wins.
func limitHeap(input int64) {
	if os.Getenv("GOMEMLIMIT") != "" || input > 3<<29 {
		return
	}
	debug.SetMemoryLimit(max(800<<20, input))
}

// dirSize is the total size of the contract's files in dir that are read
// (all of them when need is nil; else not the optional files need leaves
// out), 0 if unknown.
func dirSize(dir string, need *payment.Inputs) int64 {
	unread := unreadFiles(need)
	var n int64
	for _, name := range vardval.FileNames() {
		if unread[name] {
			continue
		}
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
			n += st.Size()
		}
	}
	return n
}
