// Package arena keeps the short ids intake meets by the million (person,
// contact and cell ids of at most 255 bytes) without a pointer each: a
// [Key] holds an id of up to 15 bytes inline, a longer one as a reference
// into an [Arena] of large byte chunks, so the garbage collector never
// looks inside them; a [Slab] packs a sequence of ids front-coded (each
// after the prefix it shares with the one before), for ids kept by the
// million and read mostly in order (contact ids).
// These are speed structures only; arena_test.go checks them against
// plain strings.
package arena
