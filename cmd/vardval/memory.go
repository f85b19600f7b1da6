package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/vardval/vardval/vardval"
)

// The command's memory target. The library never collects or touches the
// memory limit itself (issue 16): what used to be done inside intake is
// done here, through vardval.LoadOptions.Reclaim, at the same points.

// limitHeap sets a soft memory limit for a region of size input bytes:
// the garbage collector then works harder before the heap passes it
// instead of letting it double. The limit is the input size, at least
// 800 MiB, which keeps a Skåne-size year under 1 GiB at peak whatever the
// timing of collections. Above 1.5 GiB of input a region of only units,
// areas, listings and contacts (core: what run --model skane-2023 reads)
// gets 0.68 of its size, at least 1.5 GiB, which keeps a Sweden-size run
// (4 GiB of input) under 3 GiB at peak: its live heap is at most about
// 0.66 of its input, and a limit below the live heap would make the
// collector run without end. Other large regions get no limit (their live
// heap passes 0.68 of their input: 0.84 for measures, 0.67 for check at
// Sweden size). GOMEMLIMIT, when set, wins.
func limitHeap(input int64, core bool) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(heapLimit(input, core))
}

// heapLimit is limitHeap's limit for input bytes (math.MaxInt64: none).
func heapLimit(input int64, core bool) int64 {
	switch {
	case input <= 3<<29:
		return max(800<<20, input)
	case core:
		return max(3<<29, input/100*68)
	}
	return math.MaxInt64
}

// intakeWorkers is how many workers intake gets for a region of input
// bytes that the command reads with workers (--workers; 0: every core):
// at most two for a region under the large-input limit of limitHeap (core,
// above 1.5 GiB), whose live heap is within a few percent of the limit
// when its files are read. With more, the contacts are read by several
// workers at once and are all in memory before the listings are checked
// and grouped (half a gigabyte of copies at Sweden size), and their parts,
// merged, leave free memory that the contacts' final copy, made ahead in
// fresh memory (newReclaim), may then be placed over and zeroed at once:
// a Sweden-size run peaked at 3.3-4.4 GiB with four workers, against under
// 3 GiB with two. The Region is the same for any number of workers;
// pricing keeps every worker.
func intakeWorkers(workers int, input int64, core bool) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if core && input > 3<<29 {
		return min(workers, 2)
	}
	return workers
}

// newReclaim returns the command's vardval.LoadOptions.Reclaim, called
// when intake is about to make its final copies (need bytes; a large
// contacts copy gets a call of its own, right after the files are read),
// with a negative need while the contacts are copied into that copy, and
// once the contacts are copied (need 0).
//
// Under a memory limit (limitHeap, GOMEMLIMIT) the collector keeps the heap
// under it, with one collection first when the copies would pass it
// (collectBefore). Copies that pass it even so (the contacts of a
// Sweden-size region, made ahead in fresh memory that takes pages only as
// it is written) lift the limit by their size until the contacts are
// copied, so that the collector does not run without end for memory that
// is not used yet; while they are copied, what is garbage is collected
// and handed back to the system at each call, which keeps the two copies
// from adding up. Without a limit, memory is handed back at each call.
func newReclaim() func(need int64) {
	lifted := int64(-1) // the limit before it was lifted
	return func(need int64) {
		limit := debug.SetMemoryLimit(-1)
		switch {
		case limit == math.MaxInt64 || need < 0:
			debug.FreeOSMemory()
		case need > 0:
			if !collectBefore(need, limit) {
				if lifted < 0 {
					lifted = limit
				}
				debug.SetMemoryLimit(limit + need)
			}
		case lifted >= 0:
			debug.SetMemoryLimit(lifted)
			lifted = -1
		}
	}
}

// loadWithin runs load and then sets the memory limit back to what it was
// before, should intake have lifted it for its copies (newReclaim) and not
// put it back (a cancelled load).
func loadWithin(load func() (*vardval.Region, *vardval.IntakeReport, error)) (*vardval.Region, *vardval.IntakeReport, error) {
	limit := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(limit)
	return load()
}

// collectBefore runs a collection when the heap's objects and need more
// bytes would pass the memory limit, and reports whether they fit under it
// then. The final copies are a few large allocations, which a collection
// already under way cannot hold back: the heap would overshoot the limit
// (by 0.3 GB at Skåne size). Collected first, the copies reuse the memory
// of the chunks and tables that are garbage by then.
func collectBefore(need, limit int64) bool {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	objects := func() int64 {
		metrics.Read(s)
		if s[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(s[0].Value.Uint64())
	}
	if objects()+need <= limit {
		return true
	}
	runtime.GC()
	return objects()+need <= limit
}
