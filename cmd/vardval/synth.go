package main

import (
	"bufio"
	"context"
	"fmt"
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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() != 0 || *persons <= 0 {
		fmt.Fprintln(e.stderr, "usage: vardval synth --persons N --seed S --out DIR")
		return 2
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "vardval: %v\n", err)
		return 2
	}
	type outFile struct {
		f *os.File
		w *bufio.Writer
	}
	var files []outFile
	create := func(name string) *bufio.Writer {
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			fmt.Fprintf(e.stderr, "vardval: %v\n", err)
			return nil
		}
		w := bufio.NewWriterSize(f, 1<<20)
		files = append(files, outFile{f, w})
		return w
	}
	w := synth.Writers{}
	ws := map[string]*bufio.Writer{}
	for _, name := range vardval.FileNames() {
		bw := create(name)
		if bw == nil {
			return 2
		}
		ws[name] = bw
	}
	w.Units, w.Areas, w.Listings = ws[vardval.FileUnits], ws[vardval.FileAreas], ws[vardval.FileListings]
	w.Contacts, w.Diagnoses = ws[vardval.FileContacts], ws[vardval.FileDiagnoses]
	w.Observations, w.Prescriptions = ws[vardval.FileObservations], ws[vardval.FilePrescriptions]
	sum, err := synth.Generate(ctx, synth.Config{Persons: *persons, Seed: *seed, Year: *year}, w)
	for _, f := range files {
		if ferr := f.w.Flush(); ferr != nil && err == nil {
			err = ferr
		}
		if cerr := f.f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vardval: synth: %v\n", err)
		return 2
	}
	fmt.Fprintf(e.stdout, "wrote a synthetic region of %d persons (seed %d, year %d) to %s\n%v\n", *persons, *seed, *year, *out, sum)
	return 0
}
