// Package chunk holds vardval's intake records while it reads: [Seq], an
// append-only sequence in fixed-size chunks (growing it never copies a
// large slice nor leaves one behind as garbage), and [WriteEachPage],
// which touches every page of a fresh table once so that it faults once.
// They are speed structures only: the rules of intake do not depend on
// them, and chunk_test.go checks Seq against a plain slice.
package chunk
