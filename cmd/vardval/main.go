package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
)

// command is one subcommand: it returns the process exit status.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// env is what a subcommand may use: its output streams.
type env struct {
	stdout, stderr io.Writer
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
		"compare":  {"compare two models (or a model and a proposal) unit by unit", cmdCompare},
		"web":      {"serve the browser calculator, or --export DIR a static site", cmdWeb},
		"help":     {"show this help", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	// VARDVAL_CPUPROFILE=FILE writes a pprof CPU profile of the whole command
	// (README "Performance"); it is a developer's switch, not a flag.
	if path := os.Getenv("VARDVAL_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	code := dispatch(ctx, &env{stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:])
	stop()
	if code != 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
}

func dispatch(ctx context.Context, e *env, args []string) int {
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
