//go:build race

package vardval

// raceEnabled: the race detector slows byte loops tenfold, so the
// hang guards feed less input under it.
const raceEnabled = true
