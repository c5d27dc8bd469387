package main

import (
	"bytes"
	"io"
	"sync"
)

// termLine keeps a progress bar and other output apart on a terminal. A
// bar redraws its line in place (\r, no newline); a line written by anything
// else (console.log, dry-run lines, notices) would land on the bar's line
// and mix with it. So every other writer first clears the bar's line; the
// bar draws itself again below at its next tick.
type termLine struct {
	mu    sync.Mutex
	out   io.Writer // the terminal (stderr) the bar draws on
	dirty bool      // the bar's line is on the screen, not ended by a newline
}

// barWriter is what a bar writes through.
func (t *termLine) barWriter() io.Writer { return termBarWriter{t} }

// guard wraps another writer of the same terminal.
func (t *termLine) guard(w io.Writer) io.Writer { return termGuard{t, w} }

type termBarWriter struct{ t *termLine }

func (b termBarWriter) Write(p []byte) (int, error) {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	if len(p) > 0 {
		b.t.dirty = p[len(p)-1] != '\n'
	}
	return b.t.out.Write(p)
}

type termGuard struct {
	t *termLine
	w io.Writer
}

// clearLine returns the cursor to the start of the line and erases it.
var clearLine = []byte("\r\x1b[K")

func (g termGuard) Write(p []byte) (int, error) {
	g.t.mu.Lock()
	defer g.t.mu.Unlock()
	if g.t.dirty && len(bytes.TrimSpace(p)) > 0 {
		_, _ = g.t.out.Write(clearLine)
		g.t.dirty = false
	}
	return g.w.Write(p)
}

// withTermLine is sys with its terminal output guarded against a bar's
// line, and the writer bars draw with; sys itself when stderr is no
// terminal (then there are no bars).
func (s *System) withTermLine() *System {
	if !s.StderrTTY {
		return s
	}
	t := &termLine{out: s.Stderr}
	c := *s
	c.Stderr = t.guard(s.Stderr)
	if s.StdoutTTY {
		c.Stdout = t.guard(s.Stdout)
	}
	c.progressOut = t.barWriter()
	return &c
}
