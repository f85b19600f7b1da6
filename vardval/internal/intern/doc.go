// Package intern gives the codes and clinicians of intake dense indexes:
// an [Interner] numbers each distinct string in first-seen order and
// marks those used by accepted records, [Merge] joins interners into one
// sorted list, and a [Cache] in front of the map answers the short ids
// met on nearly every row ([Pack]) without hashing a string. It is a speed
// structure only; intern_test.go checks it against a plain map.
package intern
