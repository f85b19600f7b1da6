package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progress draws a bar on a terminal from the bytes read so far out of the
// total size of the input files. It draws nothing when stderr is not a
// terminal, so logs and pipes stay clean.
type progress struct {
	w     io.Writer
	label string
	total int64
	done  atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
}

// newProgress starts a bar when out is a terminal; it returns nil otherwise
// (a nil *progress is valid and does nothing).
func newProgress(out io.Writer, label string, total int64) *progress {
	f, ok := out.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total <= 0 {
		return nil
	}
	p := &progress{w: out, label: label, total: total, stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				p.draw()
			}
		}
	}()
	return p
}

func (p *progress) draw() {
	const width = 30
	frac := float64(p.done.Load()) / float64(p.total)
	if frac > 1 {
		frac = 1
	}
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% of %.0f MB", p.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, float64(p.total)/1e6)
}

// reader counts the bytes read through r into the bar.
func (p *progress) reader(r io.Reader) io.Reader {
	if p == nil || r == nil {
		return r
	}
	return &countingReader{r: r, n: &p.done}
}

// finish stops the bar and clears its line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", len(p.label)+60))
}

// readerAt counts what is read from a file that intake may read in two
// parts at once (it keeps io.ReaderAt and Size).
func (p *progress) readerAt(r *io.SectionReader) io.Reader {
	if p == nil {
		return r
	}
	return &countingReaderAt{SectionReader: r, n: &p.done}
}

type countingReaderAt struct {
	*io.SectionReader
	n *atomic.Int64
}

func (c *countingReaderAt) Read(b []byte) (int, error) {
	n, err := c.SectionReader.Read(b)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.SectionReader.ReadAt(b, off)
	c.n.Add(int64(n))
	return n, err
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}
