package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/icscript/icscript/internal/jsonl"
)

// DefaultJournalMax is the size past which a journal file is rotated.
const DefaultJournalMax = 64 << 20

// Record is one line of the journal: a delivery received (with its body),
// or the end of its handling.
type Record struct {
	Kind   string          `json:"kind"` // "received" or "done"
	ID     string          `json:"id"`   // the notification's id
	Topic  string          `json:"topic,omitempty"`
	At     time.Time       `json:"at"`
	Body   json.RawMessage `json:"body,omitempty"`   // received: the notification
	Result string          `json:"result,omitempty"` // done: ok, error, timeout or unhandled
	Error  string          `json:"error,omitempty"`  // done: what went wrong
}

// Results of a handled delivery.
const (
	ResultOK        = "ok"
	ResultError     = "error"
	ResultTimeout   = "timeout"
	ResultUnhandled = "unhandled"
)

// Journal is the receiver's durable record: every delivery is appended and
// fsync'd before it is acknowledged, and its end after it was handled. A
// restart reads it back: deliveries received and not done are handled, ids
// seen are dropped if delivered again.
//
// It is bounded: when the file passes max bytes it is renamed to PATH.1
// (replacing the previous one) and a new file starts with the deliveries
// still pending. Ids are remembered over the two files, so the duplicate
// window is at least one full file.
type Journal struct {
	mu      sync.Mutex
	path    string
	max     int64
	f       *os.File
	size    int64
	prevIDs map[string]bool // ids in PATH.1
	curIDs  map[string]bool // ids in PATH
	pending []*Record       // received, not done, in order
	now     func() time.Time
}

// OpenJournal opens (or creates) the journal at path; max <= 0 means
// DefaultJournalMax.
func OpenJournal(path string, max int64) (*Journal, error) {
	if max <= 0 {
		max = DefaultJournalMax
	}
	j := &Journal{path: path, max: max, prevIDs: map[string]bool{}, curIDs: map[string]bool{}, now: time.Now}
	// A crash in the middle of a rotation left the new file as PATH.tmp.
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(path+".tmp", path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("journal: %w", err)
		}
	}
	if _, err := j.load(path+".1", j.prevIDs, nil); err != nil {
		return nil, err
	}
	tornAt, err := j.load(path, j.curIDs, &j.pending)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	// The torn line load skipped is cut, so that the next record starts
	// on a line of its own.
	if tornAt >= 0 {
		if err := f.Truncate(tornAt); err != nil {
			f.Close()
			return nil, fmt.Errorf("journal: %w", err)
		}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: %w", err)
	}
	j.f, j.size = f, st.Size()
	return j, nil
}

// load reads the records of one file: ids into ids, and, when pending is
// not nil, the deliveries received and not done. tornAt is where a torn
// last line starts (-1 when there is none).
func (j *Journal) load(path string, ids map[string]bool, pending *[]*Record) (tornAt int64, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return -1, nil
	}
	if err != nil {
		return -1, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	var open []*Record
	tornAt, err = readRecords(f, path, func(r *Record) {
		ids[r.ID] = true
		switch r.Kind {
		case "received":
			open = append(open, r)
		case "done":
			for i, p := range open {
				if p.ID == r.ID {
					open = append(open[:i], open[i+1:]...)
					break
				}
			}
		}
	})
	if pending != nil {
		*pending = open
	}
	return tornAt, err
}

// ReadJournal calls fn with every record of the journal file at path, in
// order: what `icscript replay` runs; OpenJournal reads its files alike. A
// last line cut short by a crash (without its "\n": jsonl.Reader's torn
// line) is no record, however much of it was written: its delivery was
// never acknowledged. Any other bad line is an error naming it.
func ReadJournal(path string, fn func(*Record)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = readRecords(f, path, fn)
	return err
}

// readRecords reads the records of the journal file at path from in, and
// says where a torn last line starts (-1 when there is none).
func readRecords(in io.Reader, path string, fn func(*Record)) (tornAt int64, err error) {
	r := jsonl.NewReader(in)
	for r.Next() {
		rec, ok := parseRecord(r.Line())
		if !ok {
			return -1, fmt.Errorf("journal %s:%d: not a journal record", path, r.N())
		}
		fn(rec)
	}
	if err := r.Err(); err != nil {
		return -1, fmt.Errorf("journal %s: %w", path, err)
	}
	if r.Torn() != nil {
		return r.Valid(), nil
	}
	return -1, nil
}

// parseRecord reads one line of the journal.
func parseRecord(line []byte) (*Record, bool) {
	var rec Record
	if err := json.Unmarshal(line, &rec); err != nil || rec.ID == "" {
		return nil, false
	}
	return &rec, true
}

// Receive records a delivery. dup is true, and nothing is written, when
// its id was seen before.
func (j *Journal) Receive(id, topic string, body []byte) (dup bool, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.prevIDs[id] || j.curIDs[id] {
		return true, nil
	}
	rec := &Record{Kind: "received", ID: id, Topic: topic, At: j.now().UTC(), Body: body}
	if err := j.append(rec); err != nil {
		return false, err
	}
	j.curIDs[id] = true
	j.pending = append(j.pending, rec)
	return false, j.rotateIfFull()
}

// Done records the end of a delivery's handling.
func (j *Journal) Done(id, result, errText string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.append(&Record{Kind: "done", ID: id, At: j.now().UTC(), Result: result, Error: errText}); err != nil {
		return err
	}
	for i, p := range j.pending {
		if p.ID == id {
			j.pending = append(j.pending[:i], j.pending[i+1:]...)
			break
		}
	}
	return j.rotateIfFull()
}

// Pending returns the deliveries received and not done, oldest first.
func (j *Journal) Pending() []*Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]*Record(nil), j.pending...)
}

// Close closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.f.Close()
}

// append writes one line and fsyncs it. A line written only in part (a
// full disk) is cut back out: the next one starts on a line of its own.
func (j *Journal) append(rec *Record) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	line = append(line, '\n')
	n, err := jsonl.Append(j.f, line, jsonl.Options{Sync: true, Sole: true})
	if err == nil {
		j.size += int64(n)
	}
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// rotateIfFull starts a new file when this one passed max: the old one
// becomes PATH.1, the new one starts with the pending deliveries.
func (j *Journal) rotateIfFull() error {
	if j.size < j.max {
		return nil
	}
	if err := j.f.Close(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	tmp := j.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.f, j.size = f, 0
	ids := map[string]bool{}
	for _, p := range j.pending {
		if err := j.append(p); err != nil {
			return err
		}
		ids[p.ID] = true
	}
	// PATH.1 first: a crash between the renames leaves the pending
	// deliveries in PATH.tmp and PATH.1, and PATH.1 is read at open.
	if err := os.Rename(j.path, j.path+".1"); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.prevIDs, j.curIDs = j.curIDs, ids
	return nil
}
