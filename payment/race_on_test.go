//go:build race

package payment

// raceEnabled: the race detector slows pricing tenfold, so the tests that
// price a region many times over check a share of the cases under it.
const raceEnabled = true
