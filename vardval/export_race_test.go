package vardval

// RaceEnabled tells the external tests (package vardval_test) whether the
// race detector is on, to size their regions as the internal tests do.
const RaceEnabled = raceEnabled
