//go:build race

package arena

// raceEnabled: the race detector slows byte loops tenfold; the arena has no
// goroutines of its own, so its property tests try fewer cases under it.
const raceEnabled = true
