package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"sync"
	"syscall"
	"time"

	"golang.org/x/term"
)

// command is one subcommand: it returns the process exit status.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// env is what a subcommand may use: its output streams, the terminal for
// progress bars (nil when stderr is not one) and the temporary files in
// flight. Tests set stdout and stderr only.
type env struct {
	stdout, stderr io.Writer
	tty            io.Writer
	temps          *tempFiles
	interrupted    sync.Once // says "interrupted" once
	workers        int       // --workers: goroutines for reading, measuring and pricing (0: GOMAXPROCS)
}

// sayInterrupted removes the temporary files and says, once, that the
// command was interrupted.
func (e *env) sayInterrupted(w io.Writer) {
	e.interrupted.Do(func() {
		e.temps.removeAll()
		fmt.Fprintln(w, "vardval: interrupted")
	})
}

// quietWhenDone drops what is written once ctx is done: after an
// interrupt, the command's own messages about the cancelled context are
// left out and only "interrupted" is said.
type quietWhenDone struct {
	ctx context.Context
	w   io.Writer
}

func (q quietWhenDone) Write(p []byte) (int, error) {
	if q.ctx.Err() != nil {
		return len(p), nil
	}
	return q.w.Write(p)
}

func commands() map[string]command {
	return map[string]command{
		"check":    {"validate a region's files and report every rejected row", cmdCheck},
		"synth":    {"write a deterministic synthetic region", cmdSynth},
		"run":      {"compute payment statements under a model", cmdRun},
		"explain":  {"explain one unit's statement line by line", cmdExplain},
		"models":   {"list the embedded payment models", cmdModels},
		"model":    {"model check FILE: validate a model file", cmdModel},
		"measures": {"compute follow-up measures with intervals", cmdMeasures},
		"compare":  {"compare two models (or a model and a proposal, or a sweep of proposals: --vary) unit by unit", cmdCompare},
		"web":      {"serve the browser calculator, or --export DIR a static site", cmdWeb},
		"help":     {"show this help", nil},
	}
}

func main() {
	// An interrupt cancels the command; whatever phase it is in (some,
	// such as parsing a model or writing a file, do not poll), the process
	// ends within interruptGrace, or at once on a second interrupt, with
	// its temporary files removed. The handler is installed first.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newStreamWriter(os.Stdout), newStreamWriter(os.Stderr)
	e := &env{stdout: stdout, stderr: stderr, temps: &tempFiles{}}
	if term.IsTerminal(int(os.Stderr.Fd())) {
		e.tty = os.Stderr
	}
	var exitOnce sync.Once
	exit := func(code int) {
		exitOnce.Do(func() {
			if code == exitInterrupted {
				// Straight to stderr: the streams' locks may be held by
				// a write that blocks.
				e.sayInterrupted(os.Stderr)
			}
			pprof.StopCPUProfile()
			os.Exit(code)
		})
	}
	go func() {
		<-sig
		cancel()
		select {
		case <-sig:
		case <-time.After(interruptGrace):
		}
		exit(exitInterrupted)
	}()
	// VARDVAL_CPUPROFILE=FILE writes a pprof CPU profile of the whole command
	// (docs/performance.md); it is a developer's switch, not a flag.
	if path := os.Getenv("VARDVAL_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	code := runMain(ctx, e, os.Args[1:])
	if ferr := flushStreams(stdout, stderr); code == 0 {
		code = ferr
	}
	exit(code)
}

// exitInterrupted is the exit status of an interrupted command (128 +
// SIGINT, as shells report it).
const exitInterrupted = 130

// interruptGrace is how long an interrupted command has to stop by itself.
const interruptGrace = 250 * time.Millisecond

// runMain runs a command; an interrupted one exits 130 and says only
// "interrupted" (what it would print about the cancelled context is left
// out).
func runMain(ctx context.Context, e *env, args []string) int {
	stderr := e.stderr
	inner := &env{stdout: e.stdout, stderr: quietWhenDone{ctx, stderr}, tty: e.tty, temps: e.temps}
	code := dispatch(ctx, inner, args)
	if ctx.Err() != nil {
		e.sayInterrupted(stderr)
		return exitInterrupted
	}
	return code
}

// flushStreams writes what is left of standard output and error; a write
// that failed (a full disk, a closed pipe) makes the command fail.
func flushStreams(stdout, stderr *streamWriter) int {
	if err := stdout.Flush(); err != nil {
		stderr.Flush()
		fmt.Fprintf(os.Stderr, "vardval: cannot write standard output: %s\n", pathlessError(err))
		return 2
	}
	stderr.Flush()
	return 0
}

func dispatch(ctx context.Context, e *env, args []string) int {
	if _, err := componentRegistry(); err != nil {
		// A fork's component types clash (cmd/vardval/components.go).
		fmt.Fprintf(e.stderr, "vardval: cmd/vardval/components.go: %v\n", err)
		return 2
	}
	if len(args) == 0 {
		return cmdDefault(ctx, e)
	}
	cmds := commands()
	c, ok := cmds[args[0]]
	if !ok || c.run == nil {
		if !ok && args[0] != "-h" && args[0] != "--help" {
			fmt.Fprintf(e.stderr, "vardval: unknown command %q\n\n", args[0])
		}
		usage(e.stderr, cmds)
		if ok || args[0] == "-h" || args[0] == "--help" {
			return 0
		}
		return 2
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: vardval [command] [flags]   (no command: a demo on the embedded synthetic region)")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
}
