package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vardval/vardval/internal/i18n"
	"github.com/vardval/vardval/payment"
	"github.com/vardval/vardval/vardval"
)

// regionFS is the region directory dir as a file system whose reads count
// into bar, after checking that dir is a directory.
func regionFS(dir string, bar *progress) (fs.FS, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	return bar.fs(os.DirFS(dir)), nil
}

// unreadFiles names the optional files a computation that needs need does
// not read (none when need is nil).
func unreadFiles(need *payment.Inputs) map[string]bool {
	if need == nil {
		return nil
	}
	return map[string]bool{vardval.FileContacts: !need.Contacts, vardval.FileDiagnoses: !need.Diagnoses,
		vardval.FileObservations: !need.Observations, vardval.FilePrescriptions: !need.Prescriptions,
		vardval.FileProcedures: !need.Followup, vardval.FileAdmissions: !need.Followup, vardval.FileClinicians: !need.Followup,
		vardval.FileCalls: !need.Followup, vardval.FileSurvey: !need.Followup}
}

// coreOnly reports whether a computation that needs need reads at most the
// units, areas, listings and contacts (limitHeap).
func coreOnly(need *payment.Inputs) bool {
	return need != nil && !need.Diagnoses && !need.Observations && !need.Prescriptions && !need.Followup
}

// loadOptions are the intake options for the region in dir: the persons
// hint, the files need leaves out (LoadOptions.Skip, in the contract's
// order) and the command's memory hook.
func loadOptions(e *env, dir string, need *payment.Inputs) vardval.LoadOptions {
	opts := vardval.LoadOptions{PersonsHint: personsHint(filepath.Join(dir, vardval.FileListings)), Reclaim: newReclaim(), Workers: e.workers}
	unread := unreadFiles(need)
	for _, name := range vardval.FileNames() {
		if unread[name] {
			opts.Skip = append(opts.Skip, name)
		}
	}
	return opts
}

// loadDir loads a region directory, printing a fatal intake error. With a
// non-nil need, optional files the computation does not read are not
// opened, and the report marks them as skipped.
func loadDir(ctx context.Context, e *env, dir string, need *payment.Inputs) (*vardval.Region, *vardval.IntakeReport, bool) {
	return loadDirLang(ctx, e, dir, need, "")
}

// loadDirLang is loadDir with its messages in lang (--lang; "" English).
func loadDirLang(ctx context.Context, e *env, dir string, need *payment.Inputs, lang i18n.Lang) (*vardval.Region, *vardval.IntakeReport, bool) {
	// The bar and the memory limit count the files that are read.
	size := dirSize(dir, need)
	limitHeap(size, coreOnly(need))
	bar := newProgress(e.tty, "reading "+filepath.Base(dir), size)
	defer bar.finish()
	fsys, err := regionFS(dir, bar)
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return nil, nil, false
	}
	opts := loadOptions(e, dir, need)
	opts.Workers = intakeWorkers(e.workers, size, coreOnly(need))
	r, rep, err := loadWithin(func() (*vardval.Region, *vardval.IntakeReport, error) {
		return vardval.LoadFS(ctx, fsys, opts)
	})
	// An optional file that was given but could not be read would silently
	// price or measure without it: LoadFS makes that an error too, after
	// the rows that were rejected are noted.
	required := ctx.Err() != nil || rep.File(vardval.FileUnits).Fatal() != nil || rep.File(vardval.FileListings).Fatal() != nil
	if err != nil && required {
		fmt.Fprintf(e.stderr, "vardval: %s: %s\n", dir, intakeError(err, lang))
		return nil, rep, false
	}
	if _, _, rej := rep.Totals(); rej > 0 {
		if lang == i18n.Swedish {
			fmt.Fprintf(e.stderr, "vardval: anmärkning: inläsningen avvisade %d rader; de är utelämnade (se vardval check %s --lang sv)\n", rej, dir)
		} else {
			fmt.Fprintf(e.stderr, "vardval: note: intake rejected %d rows; they are left out (see vardval check %s)\n", rej, dir)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: %s: %s\n", dir, intakeError(err, lang))
		return nil, rep, false
	}
	return r, rep, true
}

// maxWorkers bounds --workers.
const maxWorkers = 1024

// workersFlag declares --workers N, the goroutines the command reads,
// measures and prices with (default 0: runtime.GOMAXPROCS, every core the
// process may use). Outputs are byte-identical whatever N is.
func workersFlag(fs *flag.FlagSet, e *env) {
	fs.Func("workers", "goroutines for reading, measuring and pricing, 1 to 1024 (default: every core)", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxWorkers {
			return fmt.Errorf("want a whole number from 1 to %d", maxWorkers)
		}
		e.workers = n
		return nil
	})
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
	workersFlag(fs, e)
	langText := langFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "usage: vardval check DIR [--format json] [--workers N] [--lang sv|en]")
		return 2
	}
	lang, ok := parseLang(e, *langText)
	if !ok {
		return 2
	}
	size := dirSize(pos[0], nil)
	limitHeap(size, false)
	bar := newProgress(e.tty, "checking "+filepath.Base(pos[0]), size)
	fsys, err := regionFS(pos[0], bar)
	if err != nil {
		bar.finish()
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	// The report says what could not be read (exit status 2).
	rep, _ := vardval.CheckFS(ctx, fsys, loadOptions(e, pos[0], nil))
	bar.finish()
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %s: %v\n", pos[0], err)
		return 2
	}
	switch *format {
	case "json":
		err = writeCheck(e.stdout, rep, "json", lang)
	case "text", "table":
		err = writeCheck(e.stdout, rep, "text", lang)
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
	// A FIFO or device is not opened (opening a FIFO blocks).
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return 0
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
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

// intakeError is an error of the intake in lang: a file that could not be
// read is said in Swedish with --lang sv (i18n.FileReason); any other
// error as it is.
func intakeError(err error, lang i18n.Lang) string {
	var fe *vardval.FileError
	if lang != i18n.Swedish || !errors.As(err, &fe) {
		return err.Error()
	}
	if fe.Column != "" {
		return fe.File + ": kolumnen " + fe.Column + ": " + i18n.FileReason(fe, lang)
	}
	return fe.File + ": " + i18n.FileReason(fe, lang)
}
