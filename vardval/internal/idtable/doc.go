// Package idtable maps the person ids of intake (a pseudonym as written or
// a personnummer's 12 digits) to dense indexes 0, 1, 2, ... in the order
// they were added: an open-addressing [Table] whose slots hold no
// pointers, with batched look-ups ([Table.GetBatch]) whose cache misses
// overlap and a fast path for files sorted by person ([Table.Beyond]). A
// 32-bit hash only finds the slot: an id is found only when its bytes are
// the same. It is a speed structure only; idtable_test.go checks it
// against a map, also under a hash that makes every id collide.
package idtable
