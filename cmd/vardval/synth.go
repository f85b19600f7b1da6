package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vardval/vardval/vardval"
	"github.com/vardval/vardval/vardval/synth"
)

func cmdSynth(ctx context.Context, e *env, args []string) int {
	fs := newFlags("synth", e)
	persons := fs.Int("persons", 20000, "number of persons in the region")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same files)")
	year := fs.Int("year", 2024, "the data year")
	out := fs.String("out", "", "directory to write the CSV files to (created if missing)")
	force := fs.Bool("force", false, "write into a directory that is not empty, replacing only the region's files")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() != 0 || *persons <= 0 {
		fmt.Fprintln(e.stderr, "usage: vardval synth --persons N --seed S --out DIR [--year Y] [--force]")
		return 2
	}
	var sum synth.Summary
	if err := outputDir(*out, "--out", *force); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	if err := writeSynth(ctx, e, *out, synth.Config{Persons: *persons, Seed: *seed, Year: *year}, &sum); err != nil {
		fmt.Fprintf(e.stderr, "vardval: synth: %v\n", err)
		return 2
	}
	fmt.Fprintf(e.stdout, "wrote a synthetic region of %d persons (seed %d, year %d) to %s\n%v\n", *persons, *seed, *year, *out, sum)
	return 0
}

// writeSynth writes a synthetic region into dir without ever leaving a
// partial region that check would take for a real one: every file is
// written to a hidden temporary file first; only when all are complete are
// they renamed into place, the units file last, after any old units file
// was removed. An interrupt or error before that leaves the old files as
// they were (and removes the temporary ones); one in the middle of the
// renames leaves no units file, which check refuses.
func writeSynth(ctx context.Context, e *env, dir string, cfg synth.Config, sum *synth.Summary) error {
	names := vardval.FileNames()
	temps := make([]*os.File, len(names))
	bufs := map[string]*bufio.Writer{}
	abandon := func() {
		for _, f := range temps {
			if f != nil {
				e.abandon(f)
			}
		}
	}
	for i, name := range names {
		f, err := e.createTemp(filepath.Join(dir, name))
		if err != nil {
			abandon()
			return err
		}
		temps[i] = f
		bufs[name] = bufio.NewWriterSize(f, 1<<20)
	}
	w := synth.Writers{Units: bufs[vardval.FileUnits], Areas: bufs[vardval.FileAreas], Listings: bufs[vardval.FileListings],
		Contacts: bufs[vardval.FileContacts], Diagnoses: bufs[vardval.FileDiagnoses],
		Observations: bufs[vardval.FileObservations], Prescriptions: bufs[vardval.FilePrescriptions],
		Procedures: bufs[vardval.FileProcedures], Admissions: bufs[vardval.FileAdmissions],
		Clinicians: bufs[vardval.FileClinicians], Calls: bufs[vardval.FileCalls], Survey: bufs[vardval.FileSurvey]}
	s, err := synth.Generate(ctx, cfg, w)
	if err == nil {
		err = ctx.Err()
	}
	for _, name := range names {
		if ferr := bufs[name].Flush(); ferr != nil && err == nil {
			err = &outputError{Path: filepath.Join(dir, name), Err: ferr}
		}
	}
	if err != nil {
		abandon()
		return err
	}
	// The old units file goes first and the new one comes last.
	units := filepath.Join(dir, vardval.FileUnits)
	if err := os.Remove(units); err != nil && !errors.Is(err, fs.ErrNotExist) {
		abandon()
		return &outputError{Path: units, Err: err}
	}
	order := make([]int, 0, len(names))
	last := -1
	for i, name := range names {
		if name == vardval.FileUnits {
			last = i
			continue
		}
		order = append(order, i)
	}
	order = append(order, last)
	for k, i := range order {
		if err := e.commit(temps[i], filepath.Join(dir, names[i])); err != nil {
			for _, j := range order[k+1:] {
				e.abandon(temps[j])
			}
			return err
		}
		temps[i] = nil
	}
	*sum = s
	return nil
}
