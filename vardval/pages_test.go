package vardval

import (
	"slices"
	"testing"

	"github.com/vardval/vardval/vardval/internal/chunk"
)

// writeEachPage leaves fresh slices as they were (zero), whatever their
// element size, including an empty element type and a slice of persons
// (whose keys are pointers), and writes nothing outside them (go test
// -race checks the unsafe pointer arithmetic).
func TestWriteEachPageKeepsZeros(t *testing.T) {
	chunk.WriteEachPage(make([]struct{}, 10))
	chunk.WriteEachPage([]int32(nil))
	persons := make([]Person, 3000)
	chunk.WriteEachPage(persons)
	if i := slices.IndexFunc(persons, func(p Person) bool { return p != Person{} }); i >= 0 {
		t.Errorf("person %d changed: %+v", i, persons[i])
	}
	ints := make([]int32, 10_000)
	chunk.WriteEachPage(ints)
	if slices.ContainsFunc(ints, func(v int32) bool { return v != 0 }) {
		t.Error("int32 slice changed")
	}
	odd := make([][3]byte, 5_000)
	chunk.WriteEachPage(odd)
	if slices.ContainsFunc(odd, func(v [3]byte) bool { return v != [3]byte{} }) {
		t.Error("[3]byte slice changed")
	}
}
