package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/vardval/vardval/internal/redact"
)

// progress draws a bar on a terminal from the bytes read so far out of the
// total size of the input files that are read, with the seconds since it
// started; once every byte is read it names the work that follows (after,
// e.g. "checking and grouping"), so that a long finish does not look like a
// hang. A bar without a total (a phase such as "pricing") shows only its
// label and the seconds. It draws nothing when stderr is not a terminal, so
// logs and pipes stay clean.
type progress struct {
	w     io.Writer
	label string
	after string
	total int64
	start time.Time
	done  atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
	width int // of the last line drawn, to clear it
}

// newProgress starts a bar when out is a terminal; it returns nil otherwise
// (a nil *progress is valid and does nothing). total 0 draws no bar.
func newProgress(out io.Writer, label string, total int64) *progress {
	if out == nil {
		return nil
	}
	f, ok := out.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total < 0 {
		return nil
	}
	return startProgress(out, label, total, 150*time.Millisecond)
}

// startProgress starts a bar on w whatever w is, redrawn every tick.
func startProgress(w io.Writer, label string, total int64, tick time.Duration) *progress {
	p := &progress{w: w, label: redact.Text(label), total: total, start: time.Now(), stop: make(chan struct{})}
	if total > 0 {
		p.after = "checking and grouping"
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw(time.Since(p.start))
			}
		}
	}()
	return p
}

// line is what the bar shows after elapsed.
func (p *progress) line(elapsed time.Duration) string {
	secs := fmt.Sprintf("%.1f s", elapsed.Seconds())
	if p.total <= 0 {
		return p.label + "… " + secs
	}
	const width = 30
	done := p.done.Load()
	frac := min(float64(done)/float64(p.total), 1)
	n := int(frac * width)
	s := fmt.Sprintf("%s [%s%s] %3.0f%% of %.0f MB, %s", p.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, float64(p.total)/1e6, secs)
	if done >= p.total && p.after != "" {
		s += ", " + p.after + "…"
	}
	return s
}

func (p *progress) draw(elapsed time.Duration) {
	s := p.line(elapsed)
	pad := max(0, p.width-len(s))
	p.width = len(s)
	fmt.Fprintf(p.w, "\r%s%s", s, strings.Repeat(" ", pad))
}

// finish stops the bar and clears its line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", max(p.width, len(p.label)+60)))
}

// fs counts into the bar what is read from the files of fsys. It keeps
// what intake relies on: Stat and Lstat without opening (a FIFO must not
// be opened), and io.ReaderAt on files that have it (the contacts are read
// in two parts at once).
func (p *progress) fs(fsys fs.FS) fs.FS {
	if p == nil {
		return fsys
	}
	return &countingFS{fsys: fsys, n: &p.done}
}

type countingFS struct {
	fsys fs.FS
	n    *atomic.Int64
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if ra, ok := f.(io.ReaderAt); ok {
		return &countingFileAt{countingFile{f, c.n}, ra}, nil
	}
	return &countingFile{f, c.n}, nil
}

func (c *countingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.fsys, name) }

func (c *countingFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(c.fsys, name) }

func (c *countingFS) ReadLink(name string) (string, error) { return fs.ReadLink(c.fsys, name) }

type countingFile struct {
	fs.File
	n *atomic.Int64
}

func (c *countingFile) Read(b []byte) (int, error) {
	n, err := c.File.Read(b)
	c.n.Add(int64(n))
	return n, err
}

type countingFileAt struct {
	countingFile
	ra io.ReaderAt
}

func (c *countingFileAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.ra.ReadAt(b, off)
	c.n.Add(int64(n))
	return n, err
}
