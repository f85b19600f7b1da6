package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// The command's memory target. The library never collects or touches the
// memory limit itself (issue 16): what used to be done inside intake is
// done here, through vardval.LoadOptions.Reclaim, at the same points.

// limitHeap sets a soft memory limit for a region of size input bytes:
// the garbage collector then works harder before the heap passes it
// instead of letting it double, which keeps a Skåne-size year under
// 1 GiB at peak whatever the timing of collections, and lets intake skip
// handing memory back to the OS. The limit is the input size, at least
// 800 MiB: the loaded region needs less than its files. Regions over
// 1.5 GiB of files get no limit (reclaim then hands memory back, which
// keeps a Sweden-size peak lower than a limit that large would).
// GOMEMLIMIT, when set, wins.
func limitHeap(input int64) {
	if os.Getenv("GOMEMLIMIT") != "" || input > 3<<29 {
		return
	}
	debug.SetMemoryLimit(max(800<<20, input))
}

// reclaim is the command's vardval.LoadOptions.Reclaim, called before
// intake makes its final copies (need bytes) and after the contacts are
// copied (need 0). Under a memory limit (limitHeap, GOMEMLIMIT) the
// collector keeps the heap under it, with one collection when the copies
// would pass it; without one, memory is handed back to the system.
func reclaim(need int64) {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		debug.FreeOSMemory()
		return
	}
	if need > 0 {
		collectBefore(need, limit)
	}
}

// collectBefore runs a collection when the heap's objects and need more
// bytes would pass the memory limit. The final copies are a few large
// allocations, which a collection already under way cannot hold back: the
// heap would overshoot the limit (by 0.3 GB at Skåne size). Collected
// first, the copies reuse the memory of the chunks and tables that are
// garbage by then.
func collectBefore(need, limit int64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 && int64(s[0].Value.Uint64())+need > limit {
		runtime.GC()
	}
}
