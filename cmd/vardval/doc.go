// Command vardval runs vardval's intake checks, payment models, follow-up
// measures, synthetic regions and the web calculator from the terminal.
//
// Usage:
//
//	vardval                      the embedded synthetic region under the newest Halland model
//	vardval check DIR [--format json] [--lang sv|en]
//	vardval synth --persons N --seed S --out DIR
//	vardval run --model NAME|FILE --data DIR [--period P] [--definitions FILE] [--format table|csv|json|xlsx] [--out FILE] [--lang sv|en]
//	vardval explain --model M --data DIR --unit U [--period P] [--definitions FILE] [--lang sv|en]
//	vardval models
//	vardval model check FILE [--definitions FILE]
//	vardval measures --data DIR [--measures ids] [--definitions FILE] [--period P] [--format table|csv|json] [--plot DIR] [--lang sv|en]
//	vardval compare --model A --model B --data DIR [--set key=value] [--definitions FILE] [--format table|csv|json|xlsx] [--waterfall DIR] [--unit U] [--lang sv|en]
//	vardval web [--addr 127.0.0.1:8080] | vardval web --export DIR
//
// --definitions FILE reads a region's own measure definitions (the form
// of measures/definitions.yaml, described in docs/data-contract.md),
// which extend the built-in measures: measures computes them, and the
// goal components of the models of run, explain, compare and model check
// may name them.
//
// --lang sv|en (check, run, explain, measures, compare) writes the texts
// people read in Swedish or English: rejection reasons and file errors,
// line names, explanations, notes, assumptions, sources, measure names;
// without it every output is as before (English), and keys never change.
//
// --workers N (check, run, explain, measures, compare) sets how many
// goroutines read, measure and price (default: GOMAXPROCS, every core);
// the output is byte-identical whatever N is. A region of more than
// 1.5 GiB of which only units, areas, listings and contacts are read (a
// Sweden-size run --model skane-2023) is read by at most two, which keeps
// it under 3 GiB; pricing still uses N.
//
// Only this command touches the file system; the library reads
// io.Readers. Exit statuses: 0 success, 1 (check) rows were rejected or
// (model check) the model has errors, 2 bad usage or a file that could not
// be read at all.
//
// Environment: GOMEMLIMIT overrides the soft memory limit the commands that
// read a region set (the size of its files, at least 800 MiB, for regions
// up to 1.5 GiB; above, 0.68 of it when only units, areas, listings and
// contacts are read); VARDVAL_CPUPROFILE=FILE writes a pprof CPU profile of
// the command (docs/performance.md).
package main
