package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/icscript/icscript/bindings/catalog"
	"github.com/icscript/icscript/bindings/client"
)

// auditLog appends one JSON line per mutation phase: a "start" line before
// the request, so that a crash leaves a trace, and a "done" line after.
type auditLog struct {
	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	script string
	bodies bool
}

// auditEntry is one line of the audit log.
type auditEntry struct {
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

// auditPath is where a run's audit log goes: --audit, else
// .icscript/audit.jsonl beside the script (or in the working directory).
func auditPath(o *runOptions) string {
	if o.audit != "" {
		return o.audit
	}
	return filepath.Join(scriptDir(o.file), ".icscript", "audit.jsonl")
}

func openAudit(path, script string, bodies bool) (*auditLog, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return &auditLog{f: f, w: bufio.NewWriter(f), script: script, bodies: bodies}, nil
}

// record writes one event and flushes it: each line reaches the file before
// the request is sent.
func (a *auditLog) record(ev client.MutationEvent) {
	e := auditEntry{
		Time: ev.Time.UTC().Format(time.RFC3339Nano), Phase: ev.Phase, Script: a.script,
		Operation: opName(ev.Operation), Method: ev.Method, Path: ev.Path, DryRun: ev.DryRun,
		Status: ev.Status, RequestID: ev.RequestID, DurationMS: ev.Duration.Milliseconds(),
	}
	if ev.Err != nil {
		e.Error = ev.Err.Error()
	}
	if a.bodies && json.Valid(ev.Body) {
		e.Body = ev.Body
	}
	line, _ := json.Marshal(e)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.w.Write(line)
	a.w.WriteByte('\n')
	a.w.Flush()
}

func (a *auditLog) close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.w.Flush()
	return a.f.Close()
}

// opName is the JS name of an operationId, for people reading logs.
func opName(id string) string {
	if op := catalog.ByID(id); op != nil {
		return op.JSName()
	}
	return id
}

// dryRunPrinter prints each mutation a dry run skips, one line each; the
// request summary at the end of the run counts them.
type dryRunPrinter struct {
	mu  sync.Mutex
	sys *System
}

func (d *dryRunPrinter) print(ev client.MutationEvent) {
	if !ev.DryRun || ev.Phase != "start" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	name := opName(ev.Operation)
	if name == "" {
		name = "raw"
	}
	line := fmt.Sprintf("dry run: would %s %s %s", name, ev.Method, ev.Path)
	if len(ev.Body) > 0 {
		line += " " + truncate(string(ev.Body), 400)
	}
	fmt.Fprintln(d.sys.Stderr, line)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// irreversibleGuard asks once per run before the first irreversible
// operation against a real workspace; without a terminal the run needs
// --yes. The sandbox is never guarded.
type irreversibleGuard struct {
	mu       sync.Mutex
	sys      *System
	yes      bool
	label    string // workspace and region, for the question
	answered bool
	allowed  bool
}

func (g *irreversibleGuard) check(op *catalog.Operation) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.yes {
		return nil
	}
	if g.answered {
		if g.allowed {
			return nil
		}
		return fmt.Errorf("%s is irreversible and was not confirmed", op.JSName())
	}
	g.answered = true
	if !g.sys.StdinTTY || !g.sys.StderrTTY {
		return fmt.Errorf("%s (%s %s) is irreversible: against %s it needs confirmation, and there is no terminal to ask; rerun with --yes to allow irreversible operations, or with --dry-run to see them", op.JSName(), op.Method, op.Path, g.label)
	}
	fmt.Fprintf(g.sys.Stderr, "This run is about to call %s (%s %s), which cannot be undone, against %s.\nAllow irreversible operations for the rest of this run? [y/N] ", op.JSName(), op.Method, op.Path, g.label)
	answer, _ := bufio.NewReader(g.sys.Stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	g.allowed = answer == "y" || answer == "yes"
	if !g.allowed {
		return fmt.Errorf("%s is irreversible and was not confirmed", op.JSName())
	}
	return nil
}
