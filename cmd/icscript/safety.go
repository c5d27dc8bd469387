package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/runtime"
)

// auditLog appends one JSON line per mutation phase: a "start" line before
// the request, so that a crash leaves a trace, and a "done" line after.
// Each line is built whole and written with one write(2) on a file opened
// O_APPEND, under a mutex within the process and an flock(2) between
// processes, so that runs sharing one log never interleave, however long
// the line; a line written only in part (a full disk, a file size limit)
// is cut back out under the lock. Lines are not fsynced: a written line survives the process
// (kill -9), not a power cut.
type auditLog struct {
	mu     sync.Mutex
	f      *os.File
	path   string
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

// openAudit prepares the audit log. A file that exists is opened now; a new
// one is created at the first mutation, so a read-only run leaves no empty
// log behind. Either way a path that cannot hold the log (a file where a
// folder should be, a folder not writable) is refused now, before anything
// is sent.
func openAudit(path, script string, bodies bool) (*auditLog, error) {
	a := &auditLog{path: path, script: script, bodies: bodies}
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
func (a *auditLog) open() error {
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

// line is the JSON line of one event, newline included.
func (a *auditLog) line(ev intercom.MutationEvent) []byte {
	e := auditEntry{
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

// record writes one event; the error says the line is not in the file.
func (a *auditLog) record(ev intercom.MutationEvent) error {
	return a.write(a.line(ev))
}

func (a *auditLog) write(line []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		if err := a.open(); err != nil {
			return err
		}
	}
	fd := int(a.f.Fd())
	// A file system without locks (some NFS) still gets the single write.
	locked := syscall.Flock(fd, syscall.LOCK_EX) == nil
	var before int64 = -1
	if st, err := a.f.Stat(); err == nil {
		before = st.Size()
	}
	n, err := a.f.Write(line)
	if err == nil && n < len(line) {
		err = fmt.Errorf("short write (%d of %d bytes)", n, len(line))
	}
	if err != nil && n > 0 && before >= 0 && locked {
		// A torn line would make the log unreadable to tools that parse
		// every line: cut it back out. Only under the lock is the size read
		// above sure to be where this line started.
		_ = a.f.Truncate(before)
	}
	if locked {
		_ = syscall.Flock(fd, syscall.LOCK_UN)
	}
	return err
}

func (a *auditLog) close() error {
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

// opName is the JS name of an event's operation, in the run's API version,
// for people reading logs; its operationId when it has none.
func opName(ev intercom.MutationEvent) string {
	if ev.Op != nil {
		return ev.Op.JSName()
	}
	return ev.Operation
}

// callName names a call for people: the operation, else "raw".
func callName(op *catalog.Operation) string {
	if op == nil {
		return "raw"
	}
	return op.JSName()
}

// dryRunPrinter prints each mutation a dry run skips, one line each; the
// request summary at the end of the run counts them.
type dryRunPrinter struct {
	mu  sync.Mutex
	sys *System
}

func (d *dryRunPrinter) print(ev intercom.MutationEvent) {
	if !ev.DryRun || ev.Phase != "start" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	name := opName(ev)
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

// stopError is why a safety rail stopped a run: an irreversible call not
// confirmed, or an audit line that could not be written. The run's VM is
// interrupted with it (try/catch and the bulk helpers cannot swallow it)
// and nothing more is sent.
type stopError struct{ msg string }

func (e *stopError) Error() string { return e.msg }

// runRails stops a run from inside. While a script runs, stop interrupts
// its VM and halts the transport: no request of any kind leaves the
// process afterwards. In the REPL (no run begun) an unconfirmed call is
// only refused, but a broken audit log still halts the transport.
type runRails struct {
	mu        sync.Mutex
	interrupt func(any) // the running script's VM.Interrupt; nil in the REPL
	cause     *stopError
	halted    atomic.Bool
}

// stop records the first cause, halts the transport and interrupts the
// running script. It returns the cause in effect.
func (r *runRails) stop(e *stopError) *stopError {
	r.mu.Lock()
	if r.cause == nil {
		r.cause = e
	}
	e = r.cause
	r.halted.Store(true)
	interrupt := r.interrupt
	r.mu.Unlock()
	if interrupt != nil {
		interrupt(e)
	}
	return e
}

// running reports whether a script run (not the REPL) is going.
func (r *runRails) running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.interrupt != nil
}

func (r *runRails) stopped() *stopError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cause
}

// beginRun arms the rails for one script run; the function returned ends
// it and returns the run's error, which is the stop when there was one.
func (ws *workspace) beginRun(interrupt func(any)) func(error) error {
	r := ws.stopper
	r.mu.Lock()
	r.interrupt, r.cause = interrupt, nil
	r.halted.Store(false)
	r.mu.Unlock()
	if ws.guard != nil {
		ws.guard.reset()
	}
	return func(err error) error {
		r.mu.Lock()
		cause := r.cause
		r.interrupt = nil
		r.mu.Unlock()
		var se *stopError
		if cause != nil && !errors.As(err, &se) {
			return fmt.Errorf("%w: %w", runtime.ErrInterrupted, cause)
		}
		return err
	}
}

// reportStop says why a safety rail stopped the run and what was done
// before, and returns the exit code.
func reportStop(sys *System, stop *stopError, c *intercom.Client, before intercom.Stats) int {
	fmt.Fprintf(sys.Stderr, "icscript: stopped: %s\nicscript: nothing was sent after that; done before the stop: %s\n",
		stop.msg, doneSummary(statsSince(before, settledStats(c))))
	return exitStopped
}

// gatedTransport is the last step before the wire. Once the run is
// stopped it sends nothing; and it guards what the catalogue cannot vouch
// for: a mutation whose wire path matches no operation (intercom.raw to an
// unknown or encoded path) has an unknown effect, so it is treated as
// irreversible, as is one that matches an irreversible operation.
type gatedTransport struct {
	next   http.RoundTripper
	rails  *runRails
	guard  *irreversibleGuard // nil for the sandbox
	prefix string             // the base URL's path, stripped before matching
}

func (g *gatedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if g.rails.halted.Load() {
		if req.Body != nil {
			req.Body.Close()
		}
		msg := "not sent: the run was stopped"
		if s := g.rails.stopped(); s != nil {
			msg += ": " + s.msg
		}
		return nil, errors.New(msg)
	}
	if g.guard != nil && mutatingMethod(req.Method) {
		if err := g.guard.checkWire(req.Method, g.wirePaths(req.URL)); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	return g.next.RoundTrip(req)
}

// wirePaths are the request's path as sent and decoded, without the base
// URL's own path.
func (g *gatedTransport) wirePaths(u *url.URL) []string {
	var out []string
	for _, p := range []string{u.EscapedPath(), u.Path} {
		if g.prefix != "" {
			p = strings.TrimPrefix(p, g.prefix)
		}
		if len(out) == 0 || out[0] != p {
			out = append(out, p)
		}
	}
	return out
}

func mutatingMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// irreversibleGuard asks once per run before the first irreversible
// operation against a real workspace; without a terminal the run needs
// --yes. A "no", or no terminal, stops the run (see runRails). The sandbox
// is never guarded.
type irreversibleGuard struct {
	mu       sync.Mutex
	sys      *System
	yes      bool
	label    string // workspace and region, for the question
	rails    *runRails
	answered bool
	allowed  bool
	cat      *catalog.Catalog // the run's API version, to match paths on the wire in
}

func (g *irreversibleGuard) reset() {
	g.mu.Lock()
	g.answered, g.allowed = false, false
	g.mu.Unlock()
}

// check is the client's Guard: asked before an irreversible catalogue call.
func (g *irreversibleGuard) check(op *catalog.Operation) error {
	return g.confirm(op, op.Method, op.Path)
}

// checkWire guards a mutation as it goes on the wire: when any of its
// paths (as sent, decoded) matches no operation or an irreversible one.
func (g *irreversibleGuard) checkWire(method string, paths []string) error {
	for _, p := range paths {
		op := intercom.MatchOperationIn(g.cat, method, p)
		if op == nil || op.Irreversible {
			return g.confirm(op, method, paths[0])
		}
	}
	return nil
}

// confirm allows an irreversible call, asks, or refuses it; op is nil for a
// call that matches no operation (its effect is unknown).
func (g *irreversibleGuard) confirm(op *catalog.Operation, method, path string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.yes {
		return nil
	}
	if s := g.rails.stopped(); s != nil {
		return s
	}
	what := fmt.Sprintf("%s (%s %s)", callName(op), method, path)
	why := "is irreversible"
	if op == nil {
		what = fmt.Sprintf("raw %s %s", method, path)
		why = "matches no operation of the catalogue, so its effect is unknown and it is treated as irreversible"
	}
	refuse := func(msg string) error {
		e := &stopError{msg: msg}
		if g.rails.running() {
			return g.rails.stop(e)
		}
		return e
	}
	if g.answered {
		if g.allowed {
			return nil
		}
		return refuse(fmt.Sprintf("%s %s and irreversible operations were not confirmed for %s", what, why, g.label))
	}
	g.answered = true
	if !g.sys.StdinTTY || !g.sys.StderrTTY {
		return refuse(fmt.Sprintf("%s %s: against %s it needs confirmation, and there is no terminal to ask, so it was not sent; rerun with --yes to allow irreversible operations, or with --dry-run to see what the run would change", what, why, g.label))
	}
	which := "which cannot be undone"
	if op == nil {
		which = "which matches no operation of the catalogue (its effect is unknown, so it is treated as irreversible)"
	}
	fmt.Fprintf(g.sys.Stderr, "This run is about to call %s, %s, against %s.\nAllow irreversible operations for the rest of this run? [y/N] ", what, which, g.label)
	answer, _ := bufio.NewReader(g.sys.Stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	g.allowed = answer == "y" || answer == "yes"
	if !g.allowed {
		return refuse(fmt.Sprintf("%s %s and you did not confirm it, so it was not sent and the run ends here (--dry-run shows what the run would change)", what, why))
	}
	return nil
}

// auditFailed stops the run when the audit log cannot be written: a
// mutation whose start line is not in the log is not sent; the done line
// of one already sent is printed on stderr so that it is not lost.
func (ws *workspace) auditFailed(ev intercom.MutationEvent, err error) {
	name := fmt.Sprintf("%s (%s %s)", opName(ev), ev.Method, ev.Path)
	if ev.Operation == "" {
		name = fmt.Sprintf("raw %s %s", ev.Method, ev.Path)
	}
	if ev.Phase == "start" {
		ws.stopper.stop(&stopError{msg: fmt.Sprintf("the audit log %s could not be written (%v), so %s was not sent", ws.audit.path, err, name)})
		return
	}
	fmt.Fprintf(ws.sys.Stderr, "icscript: the audit log %s could not be written (%v); its line for %s is:\n%s", ws.audit.path, err, name, ws.audit.line(ev))
	ws.stopper.stop(&stopError{msg: fmt.Sprintf("the audit log %s could not be written (%v) after %s was sent (its line is above)", ws.audit.path, err, name)})
}
