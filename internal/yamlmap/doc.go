// Package yamlmap reads YAML mappings key by key for the project's file
// parsers (payment's model files, measures' definition files): a
// [Mapping] holds a mapping's keys in file order, remembers which ones a
// parser took, and reports the problems every such parser shares (not a
// mapping, a key that is not a plain word, a duplicate key, an alias, a
// list or mapping where one value belongs) through the caller's [Fail], so
// that each parser keeps its own error type. Key paths are written as
// "components[0].rate" with [Join] and [Index].
//
// A Mapping is for one goroutine. The zero Mapping has no keys.
package yamlmap
