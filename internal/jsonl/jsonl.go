// Package jsonl is the care icscript's append-only JSON-lines files share
// (the bulk-job checkpoint, the webhook journal, the audit log): a record
// is one line, built whole and appended with a single write(2), so that a
// process killed mid-write leaves at most its last line torn — without
// its "\n" — and a reader can tell that line, which it drops, from a
// corrupt one in the middle, which it refuses. What a line holds, and what
// a file does on top (headers, rotation, what a bad line says), is the
// caller's.
package jsonl

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"syscall"
)

// Options say how Append writes a line.
type Options struct {
	// Sync makes the line durable (fsync) before Append returns: it
	// survives a power cut, not only the process.
	Sync bool
	// Lock takes an exclusive flock(2) around the write, for files that
	// several processes append to; a line written only in part (a full
	// disk, a file size limit) is then cut back out under the lock. A file
	// system without locks (some NFS) still gets the single write.
	Lock bool
	// Sole says the caller is the file's only writer, under a mutex of its
	// own: a line written only in part is cut back out, as under Lock.
	Sole bool
}

// Append writes line, which ends in "\n", to f with one write(2). n is how
// much of it reached the file before an error; a write that stops short
// is an error.
func Append(f *os.File, line []byte, o Options) (n int, err error) {
	locked := false
	if o.Lock {
		fd := int(f.Fd())
		locked = syscall.Flock(fd, syscall.LOCK_EX) == nil
		if locked {
			defer func() { _ = syscall.Flock(fd, syscall.LOCK_UN) }()
		}
	}
	var before int64 = -1
	if locked || o.Sole {
		if st, err := f.Stat(); err == nil {
			before = st.Size()
		}
	}
	n, err = f.Write(line)
	if err == nil && n < len(line) {
		err = fmt.Errorf("short write (%d of %d bytes)", n, len(line))
	}
	if err != nil && n > 0 && before >= 0 {
		// A torn line would make the file unreadable to tools that parse
		// every line, and the next line appended would be glued to it: cut
		// it back out. Only under the lock, or with no other writer, is the
		// size read above sure to be where this line started. The offset
		// goes back too, for a file not opened O_APPEND.
		if f.Truncate(before) == nil {
			_, _ = f.Seek(before, io.SeekStart)
		}
	}
	if err == nil && o.Sync {
		err = f.Sync()
	}
	return n, err
}

// Reader reads a JSON-lines file line by line, with no limit on a line's
// length, and keeps apart a last line without its "\n": the one a write
// cut short leaves.
type Reader struct {
	r     *bufio.Reader
	line  []byte
	n     int
	valid int64
	torn  []byte
	err   error
}

// NewReader reads the lines of r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReader(r)} }

// Next moves to the next whole line; false at the end of the input, at a
// torn last line (see Torn), or on a read error (see Err).
func (s *Reader) Next() bool {
	if s.err != nil || s.torn != nil {
		return false
	}
	line, err := s.r.ReadBytes('\n')
	switch {
	case err == io.EOF:
		if len(line) > 0 {
			s.torn, s.n = line, s.n+1
		}
		return false
	case err != nil:
		s.err = err
		return false
	}
	s.n++
	s.valid += int64(len(line))
	s.line = line[:len(line)-1]
	return true
}

// Line is the current line, without its "\n".
func (s *Reader) Line() []byte { return s.line }

// N is the number of the current line (from 1), or of the torn line once
// Next returned false on it.
func (s *Reader) N() int { return s.n }

// Torn is the last line when it has no "\n" (nil when there is none),
// once Next returned false.
func (s *Reader) Torn() []byte { return s.torn }

// Valid is the length of the whole lines read: where a torn line starts.
func (s *Reader) Valid() int64 { return s.valid }

// Err is the read error that stopped Next, if any.
func (s *Reader) Err() error { return s.err }
