package vardval

import "strings"

// upper returns b upper-cased (as strings.ToUpper would) in w's scratch
// buffer, valid until the next call.
func (w *worker) upper(b []byte) []byte {
	var ok bool
	if w.scratch, ok = asciiUpper(w.scratch[:0], b); !ok {
		w.scratch = append(w.scratch[:0], strings.ToUpper(string(b))...)
	}
	return w.scratch
}
