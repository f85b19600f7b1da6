package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/vardval/vardval/internal/redact"
)

// Every file the CLI writes goes through writeFile: a temporary file in the
// target's directory, synced, then renamed into place. A reader (or a
// second vardval writing the same file) sees the old file or the new one,
// whole; an error or an interrupt leaves the old file byte for byte and
// removes the temporary one. Rename replaces a symlink at the target
// instead of following it, so a writer never writes outside the target's
// directory through a link.

// tempFiles are the temporary files being written, so that an interrupt
// can remove them before the process exits. The zero value is ready; a nil
// *tempFiles tracks nothing.
type tempFiles struct {
	mu    sync.Mutex
	paths map[string]bool
}

func (t *tempFiles) add(path string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.paths == nil {
		t.paths = map[string]bool{}
	}
	t.paths[path] = true
}

func (t *tempFiles) done(path string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.paths, path)
}

// removeAll removes every temporary file still being written.
func (t *tempFiles) removeAll() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for p := range t.paths {
		os.Remove(p)
		delete(t.paths, p)
	}
}

// outputError is a file the CLI could not write; the previous file, if
// any, is unchanged.
type outputError struct {
	Path string
	Err  error
}

func (e *outputError) Error() string {
	return fmt.Sprintf("cannot write %s: %s (any previous file is unchanged)", e.Path, pathlessError(e.Err))
}

func (e *outputError) Unwrap() error { return e.Err }

// pathlessError is err's text without the path an *fs.PathError repeats.
func pathlessError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// writeFile writes data to path atomically (see above).
func (e *env) writeFile(path string, data []byte) error {
	return e.writeFileFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeFileFunc is writeFile for content written by fill. A target that
// is a device or a pipe (/dev/null, /dev/stdout, a FIFO) has no previous
// content to keep and cannot be replaced: it is written in place, and a
// write error still names it.
func (e *env) writeFileFunc(path string, fill func(io.Writer) error) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return &outputError{Path: path, Err: errors.New("is a directory")}
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return &outputError{Path: path, Err: err}
		}
		err = fill(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return &outputError{Path: path, Err: err}
		}
		return nil
	}
	tmp, err := e.createTemp(path)
	if err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		e.abandon(tmp)
		return &outputError{Path: path, Err: err}
	}
	return e.commit(tmp, path)
}

// createTemp creates the hidden temporary file that will become path.
func (e *env) createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, &outputError{Path: path, Err: err}
	}
	e.temps.add(f.Name())
	return f, nil
}

// abandon closes and removes a temporary file after a failure.
func (e *env) abandon(f *os.File) {
	f.Close()
	os.Remove(f.Name())
	e.temps.done(f.Name())
}

// commit syncs, closes and renames a temporary file into path.
func (e *env) commit(f *os.File, path string) error {
	err := f.Chmod(0o644)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		e.temps.done(f.Name())
		return &outputError{Path: path, Err: err}
	}
	e.temps.done(f.Name())
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// outputDir prepares dir for a command that writes several files into it
// (--plot, --waterfall, web --export, synth --out): it is created when
// missing; when it holds anything, it is refused unless force is set, and
// then only the files the command writes are replaced.
func outputDir(dir, flagName string, force bool) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s %s: not a directory", flagName, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &outputError{Path: dir, Err: err}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &outputError{Path: dir, Err: err}
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("%s %s: the directory is not empty; add --force to replace the files vardval writes there (nothing else is touched)", flagName, dir)
	}
	return nil
}

// fileNames maps ids from the data (unit ids) to distinct, safe file
// names, in order, with extension ext: letters, digits, '.', '-' and '_' are kept,
// anything else becomes '_', a personnummer shape is masked, and a name
// that would be hidden, empty or taken gets a suffix.
func fileNames(ids []string, ext string) []string {
	out := make([]string, len(ids))
	taken := map[string]bool{}
	for i, id := range ids {
		var b strings.Builder
		for _, r := range redact.Text(id) {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
				b.WriteRune(r)
			default:
				b.WriteByte('_')
			}
		}
		name := b.String()
		if name == "" || name[0] == '.' {
			name = "unit" + name
		}
		base := name
		for n := 2; taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[strings.ToLower(name)] = true
		out[i] = name + ext
	}
	return out
}

// maxModelBytes bounds what is read of a model file.
const maxModelBytes = 16 << 20

// readInput reads a file named on the command line (a model, a results
// file, a module): it must be a regular file, so a FIFO, device or socket
// is refused before it is read, and at most limit bytes are read.
func readInput(path, what string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if _, lerr := os.Lstat(path); lerr == nil {
			return nil, fmt.Errorf("%s %s: a symlink to a file that does not exist", what, path)
		}
		return nil, fmt.Errorf("%s %s: %s", what, path, pathlessError(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %s: not a regular file", what, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %s", what, path, pathlessError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s %s: not a regular file", what, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %s", what, path, pathlessError(err))
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s %s: larger than %d MiB; not read", what, path, limit>>20)
	}
	return b, nil
}

// streamWriter is standard output or error as the CLI writes it: whole
// lines, with personnummer shapes masked and control characters replaced
// (redact.Terminal), the first write error kept (a full or closed standard
// output fails the command).
type streamWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
	err error
}

func newStreamWriter(w io.Writer) *streamWriter {
	return &streamWriter{w: w}
}

func (s *streamWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	s.buf = append(s.buf, p...)
	if i := bytes.LastIndexByte(s.buf, '\n'); i >= 0 {
		s.emit(s.buf[:i+1])
		s.buf = append(s.buf[:0], s.buf[i+1:]...)
	}
	if s.err != nil {
		return 0, s.err
	}
	return len(p), nil
}

// Flush writes what is left of the last line and returns the first error.
func (s *streamWriter) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) > 0 && s.err == nil {
		s.emit(s.buf)
		s.buf = s.buf[:0]
	}
	return s.err
}

func (s *streamWriter) emit(b []byte) {
	if _, err := s.w.Write(redact.Terminal(b)); err != nil {
		s.err = err
	}
}
