package safety

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/jsonl"
)

// AuditLog appends one JSON line per mutation phase: a "start" line before
// the request, so that a crash leaves a trace, and a "done" line after.
// Each line is built whole and written with one write(2) on a file opened
// O_APPEND, under a mutex within the process and an flock(2) between
// processes, so that runs sharing one log never interleave, however long
// the line; a line written only in part (a full disk, a file size limit)
// is cut back out under the lock. Lines are not fsynced: a written line survives the process
// (kill -9), not a power cut.
type AuditLog struct {
	mu     sync.Mutex
	f      *os.File
	path   string
	script string
	bodies bool
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Time       string          `json:"time"`
	Phase      string          `json:"phase"`
	Script     string          `json:"script,omitempty"`
	Operation  string          `json:"operation,omitempty"`
	Method     string          `json:"method"`
	Path       string          `json:"path"`
	DryRun     bool            `json:"dry_run,omitempty"`
	Status     int             `json:"status,omitempty"`
	RequestID  string          `json:"request_id,omitempty"`
	DurationMS int64           `json:"duration_ms,omitempty"`
	Error      string          `json:"error,omitempty"`
	Body       json.RawMessage `json:"body,omitempty"`
}

// AuditPath is where a run's audit log goes: flag (--audit) when set,
// else .icscript/audit.jsonl in scriptDir (the script's folder, or the
// working directory for -e and the REPL).
func AuditPath(flag, scriptDir string) string {
	if flag != "" {
		return flag
	}
	return filepath.Join(scriptDir, ".icscript", "audit.jsonl")
}

// OpenAudit prepares the audit log at path; script names the run's script
// in every line, and bodies adds the request bodies. A file that exists is
// opened now; a new one is created at the first mutation, so a read-only
// run leaves no empty log behind. Either way a path that cannot hold the
// log (a file where a folder should be, a folder not writable) is refused
// now, before anything is sent.
func OpenAudit(path, script string, bodies bool) (*AuditLog, error) {
	a := &AuditLog{path: path, script: script, bodies: bodies}
	if _, err := os.Stat(path); err == nil {
		return a, a.open()
	}
	dir := filepath.Dir(path)
	for {
		st, err := os.Stat(dir)
		if err == nil {
			if !st.IsDir() {
				return nil, fmt.Errorf("audit log: %s is not a folder", dir)
			}
			if err := syscall.Access(dir, 2 /* W_OK */); err != nil {
				return nil, fmt.Errorf("audit log: cannot write in %s: %w", dir, err)
			}
			return a, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		dir = parent
	}
}

// open opens (and if need be creates) the file; the caller holds mu or
// owns a alone.
func (a *AuditLog) open() error {
	if err := os.MkdirAll(filepath.Dir(a.path), 0o700); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(a.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	a.f = f
	return nil
}

// Line is the JSON line of one event, newline included.
func (a *AuditLog) Line(ev intercom.MutationEvent) []byte {
	e := AuditEntry{
		Time: ev.Time.UTC().Format(time.RFC3339Nano), Phase: ev.Phase, Script: a.script,
		Operation: opName(ev), Method: ev.Method, Path: ev.Path, DryRun: ev.DryRun,
		Status: ev.Status, RequestID: ev.RequestID, DurationMS: ev.Duration.Milliseconds(),
	}
	if e.Operation == "" {
		e.Operation = "raw" // a raw call that matches no operation
	}
	if ev.Err != nil {
		e.Error = ev.Err.Error()
	}
	if a.bodies && json.Valid(ev.Body) {
		e.Body = ev.Body
	}
	line, _ := json.Marshal(e)
	return append(line, '\n')
}

// Record writes one event; the error says the line is not in the file.
func (a *AuditLog) Record(ev intercom.MutationEvent) error {
	return a.write(a.Line(ev))
}

func (a *AuditLog) write(line []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		if err := a.open(); err != nil {
			return err
		}
	}
	_, err := jsonl.Append(a.f, line, jsonl.Options{Lock: true})
	return err
}

// Close closes the file; a nil log, or one never written, has nothing to close.
func (a *AuditLog) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	return a.f.Close()
}

// Hook is the client's mutation hook that records each event in the log.
// A line that cannot be written stops the run through rails: a mutation
// whose start line is not in the log is not sent; the done line of one
// already sent is printed on stderr so that it is not lost.
func (a *AuditLog) Hook(rails *Rails, stderr io.Writer) func(intercom.MutationEvent) {
	return func(ev intercom.MutationEvent) {
		if err := a.Record(ev); err != nil {
			a.failed(ev, err, rails, stderr)
		}
	}
}

func (a *AuditLog) failed(ev intercom.MutationEvent, err error, rails *Rails, stderr io.Writer) {
	name := fmt.Sprintf("%s (%s %s)", opName(ev), ev.Method, ev.Path)
	if ev.Operation == "" {
		name = fmt.Sprintf("raw %s %s", ev.Method, ev.Path)
	}
	if ev.Phase == "start" {
		rails.Stop(&StopError{msg: fmt.Sprintf("the audit log %s could not be written (%v), so %s was not sent", a.path, err, name)})
		return
	}
	fmt.Fprintf(stderr, "icscript: the audit log %s could not be written (%v); its line for %s is:\n%s", a.path, err, name, a.Line(ev))
	rails.Stop(&StopError{msg: fmt.Sprintf("the audit log %s could not be written (%v) after %s was sent (its line is above)", a.path, err, name)})
}

// opName is the JS name of an event's operation, in the run's API version,
// for people reading logs; its operationId when it has none.
func opName(ev intercom.MutationEvent) string {
	if ev.Op != nil {
		return ev.Op.JSName()
	}
	return ev.Operation
}
