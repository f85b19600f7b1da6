//go:build !race

package vardval

const raceEnabled = false
