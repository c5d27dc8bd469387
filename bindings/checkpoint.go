package bindings

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/internal/jsonl"
)

// A checkpoint file records the progress of one bulk job (forEach or pool
// with {checkpoint: "job.ckpt"}) so that a run stopped part way — Ctrl-C, a
// crash, kill -9 — can be run again with --resume and apply nothing twice.
//
// The file is JSON lines, each ending in "\n":
//
//	{"checkpoint":1,"script":"/abs/job.js","name":"job.ckpt","created_at":"2026-12-02T13:30:00Z","icscript":"0.1.0","api":"https://api.intercom.io"}
//	{"start":"id:6a1f…"}                  the item's fn is about to run
//	{"done":"id:6a1f…"}                   it resolved
//	{"failed":"id:6a1f…","error":"…"}     it threw or rejected
//	{"page":"","keys":["id:6a1f…",…]}      a Pager's page: where it starts, its items
//
// A page line records where a page of a Pager with cursors (starting_after
// in the query or a search body) can be fetched again: "" for the first
// page, else the request as JSON ({"method","path","query","body"}). A
// resume starts the walk at the first recorded page holding an item not
// done or started (or at the last page recorded, when all are), and skips
// the done items whatever it starts at. Page-number and scroll walks record
// no pages and start again from the first page.
//
// The first line is the header: the job it belongs to. A key is "id:<id>"
// for an item with an id (a Pager's items, or objects with an id), else
// "i:<index>:<hash>": the item's position in the input and the first 16 hex
// digits of the SHA-256 of its JSON, so a changed element is a new item.
//
// A start line is written and fsync'd before the item's fn runs; done and
// failed lines are written but not synced on their own (the next start's
// fsync carries them): a done line lost in a crash leaves a start without
// an outcome, which a resume treats as the safe case below. The fsync is
// done off the script's thread and shared: the start lines of the items
// begun while one fsync runs are made durable by the next, and each item's
// fn runs once its own line is durable.
//
// On resume, the last line about a key decides: done is skipped; failed is
// run again; a start without an outcome (the run stopped during the call,
// whose change may have been applied) is not run again but reported as
// "needs check". A last line without its "\n" (torn by kill -9 mid-write)
// is dropped with a note; any other line that does not read is an error.
type Checkpoint struct {
	path    string
	header  checkpointHeader
	dryRun  bool
	resumed bool // the file was there: this run carries on an earlier one

	mu    sync.Mutex
	f     *os.File // nil in a dry run, and once closed
	state map[string]string
	pages []ckPage // the page lines read, in order
	// written counts the lines written, synced those made durable; an
	// fsync covers every line written before it began.
	written, synced uint64
	closeErr        error // Finish's fsync failed: the lines not synced may be lost

	// syncMu is held for an fsync, and by Finish: one at a time, and none
	// on a closed file. It is taken before mu.
	syncMu sync.Mutex
}

// ckPage is a page line: where the page starts and the keys of its items.
type ckPage struct {
	from string
	keys []string
}

type checkpointHeader struct {
	Checkpoint int    `json:"checkpoint"`
	Script     string `json:"script"`
	Name       string `json:"name"`
	CreatedAt  string `json:"created_at"`
	Icscript   string `json:"icscript"`
	API        string `json:"api"`
}

// checkpointFormat is the header's "checkpoint": the file format's version.
const checkpointFormat = 1

// Item states of a checkpoint.
const (
	ckStarted = "started"
	ckDone    = "done"
	ckFailed  = "failed"
)

// CheckpointConfig says what a run's checkpoints belong to.
type CheckpointConfig struct {
	Dir     string // relative checkpoint paths resolve here (the script's folder)
	Script  string // the script's absolute path, or "<-e>"
	Resume  bool   // --resume
	DryRun  bool   // --dry-run: read, never write
	Version string // icscript's version
	API     string // the API base URL the run talks to
	Now     func() time.Time
	// Note prints one line on stderr; it may be called from any goroutine
	// (nil: console.warn, on the loop only).
	Note func(string)
}

// CheckpointError is a checkpoint that cannot be used as asked: it exists
// without --resume, belongs to another job, or does not read. The run stops
// with exit 2.
type CheckpointError struct{ Msg string }

func (e *CheckpointError) Error() string { return e.Msg }

// OpenCheckpoint opens the checkpoint name for a job. Without resume the
// file must not exist; with resume a missing file starts afresh and an
// existing one must carry the same script, name and API base. A dry run
// reads the file, if any, and never writes.
func OpenCheckpoint(cfg CheckpointConfig, name string) (*Checkpoint, error) {
	if strings.TrimSpace(name) == "" {
		return nil, &CheckpointError{Msg: "checkpoint: the name of the file is empty"}
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(cfg.Dir, path)
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	note := cfg.Note
	if note == nil {
		note = func(string) {}
	}
	c := &Checkpoint{path: path, dryRun: cfg.DryRun, state: map[string]string{},
		header: checkpointHeader{Checkpoint: checkpointFormat, Script: cfg.Script, Name: name,
			CreatedAt: now().UTC().Format(time.RFC3339), Icscript: cfg.Version, API: cfg.API}}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if cfg.Resume {
			note(fmt.Sprintf("icscript: --resume: no checkpoint %s yet: starting afresh", path))
		}
		if cfg.DryRun {
			return c, nil
		}
		return c, c.create()
	case err != nil:
		return nil, &CheckpointError{Msg: fmt.Sprintf("checkpoint %s: %v", path, errors.Unwrap(err))}
	case !cfg.Resume:
		return nil, &CheckpointError{Msg: fmt.Sprintf("checkpoint %s exists: a run of this job stopped before it finished. "+
			"Run again with --resume to carry on where it stopped (done items are skipped), or delete %s to start over", path, path)}
	}
	valid, err := c.load(data, note)
	if err != nil {
		return nil, err
	}
	c.resumed = true
	if cfg.DryRun {
		return c, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err == nil && valid < len(data) {
		err = f.Truncate(int64(valid)) // drop a torn last line before appending
	}
	if err == nil {
		_, err = f.Seek(int64(valid), 0)
	}
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, &CheckpointError{Msg: fmt.Sprintf("checkpoint %s: %v", path, err)}
	}
	c.f = f
	return c, nil
}

// create writes a new file with its header, durably.
func (c *Checkpoint) create() error {
	f, err := os.OpenFile(c.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return &CheckpointError{Msg: fmt.Sprintf("checkpoint %s: %v", c.path, errors.Unwrap(err))}
	}
	c.f = f
	if err := c.write(c.header, true); err != nil {
		_ = f.Close()
		_ = os.Remove(c.path)
		c.f = nil
		return err
	}
	return nil
}

// load reads an existing file into the state and returns the length of
// its valid part (all but a torn last line).
func (c *Checkpoint) load(data []byte, note func(string)) (int, error) {
	r := jsonl.NewReader(bytes.NewReader(data))
	for r.Next() {
		if err := c.apply(r.N(), r.Line()); err != nil {
			return 0, err
		}
	}
	if r.Torn() != nil {
		note(fmt.Sprintf("icscript: checkpoint %s: line %d was cut short (the run was killed while writing it): ignored", c.path, r.N()))
	}
	valid := int(r.Valid())
	if valid == 0 {
		return 0, &CheckpointError{Msg: fmt.Sprintf("checkpoint %s has no header line: it is not a checkpoint of icscript; delete it to start over", c.path)}
	}
	return valid, nil
}

// apply reads line n of the file.
func (c *Checkpoint) apply(n int, line []byte) error {
	bad := func(why string) error {
		return &CheckpointError{Msg: fmt.Sprintf("checkpoint %s line %d: %s: %.80q; the file was changed by hand or is not a checkpoint — fix or delete it", c.path, n, why, line)}
	}
	if n == 1 {
		var h checkpointHeader
		if err := json.Unmarshal(line, &h); err != nil || h.Checkpoint == 0 {
			return bad("not a checkpoint header")
		}
		return c.match(h)
	}
	var r struct {
		Start  *string  `json:"start"`
		Done   *string  `json:"done"`
		Failed *string  `json:"failed"`
		Error  string   `json:"error"`
		Page   *string  `json:"page"`
		Keys   []string `json:"keys"`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return bad("not a checkpoint record")
	}
	switch {
	case r.Page != nil && r.Start == nil && r.Done == nil && r.Failed == nil:
		c.pages = append(c.pages, ckPage{from: *r.Page, keys: r.Keys})
	case r.Page != nil || r.Keys != nil:
		return bad("not a checkpoint record")
	case r.Start != nil && r.Done == nil && r.Failed == nil:
		c.state[*r.Start] = ckStarted
	case r.Done != nil && r.Start == nil && r.Failed == nil:
		c.state[*r.Done] = ckDone
	case r.Failed != nil && r.Start == nil && r.Done == nil:
		c.state[*r.Failed] = ckFailed
	default:
		return bad("not a checkpoint record")
	}
	return nil
}

// match refuses a file written for another job.
func (c *Checkpoint) match(h checkpointHeader) error {
	want := c.header
	var diff []string
	if h.Checkpoint != checkpointFormat {
		diff = append(diff, fmt.Sprintf("format %d, this icscript writes %d", h.Checkpoint, checkpointFormat))
	}
	if h.Script != want.Script {
		diff = append(diff, fmt.Sprintf("script %s, this run is %s", h.Script, want.Script))
	}
	if h.Name != want.Name {
		diff = append(diff, fmt.Sprintf("checkpoint name %q, this job's is %q", h.Name, want.Name))
	}
	if h.API != want.API {
		diff = append(diff, fmt.Sprintf("API %s, this run talks to %s", h.API, want.API))
	}
	if len(diff) > 0 {
		return &CheckpointError{Msg: fmt.Sprintf("checkpoint %s (written %s) belongs to another job: %s; run that job with --resume, or delete the file to start over",
			c.path, h.CreatedAt, strings.Join(diff, "; "))}
	}
	return nil
}

// write appends one line with a single write(2); sync makes it durable.
func (c *Checkpoint) write(rec any, sync bool) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if c.f == nil {
		return &CheckpointError{Msg: fmt.Sprintf("checkpoint %s is closed", c.path)}
	}
	if _, err := jsonl.Append(c.f, line, jsonl.Options{Sync: sync}); err != nil {
		return c.progressError(err)
	}
	c.written++
	if sync {
		c.synced = c.written
	}
	return nil
}

func (c *Checkpoint) progressError(err error) error {
	return &CheckpointError{Msg: fmt.Sprintf("checkpoint %s: cannot record progress: %v", c.path, err)}
}

// durable returns once line seq (a count of lines written) is on disk. An
// fsync in progress may not cover it: the caller waits for it and then, if
// no one else did, runs the next one, which covers every line written so
// far — so starts begun together share one fsync.
func (c *Checkpoint) durable(seq uint64) error {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	c.mu.Lock()
	f, upto, done, closeErr := c.f, c.written, c.synced >= seq, c.closeErr
	c.mu.Unlock()
	switch {
	case done:
		return nil
	case f == nil: // Finish synced everything written, or says why not
		if closeErr != nil {
			return c.progressError(closeErr)
		}
		return nil
	}
	if err := f.Sync(); err != nil {
		return c.progressError(err)
	}
	c.mu.Lock()
	c.synced = max(c.synced, upto)
	c.mu.Unlock()
	return nil
}

// State is what the file says of key: "done", "failed", "started" (no
// outcome), or "" (never started).
func (c *Checkpoint) State(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state[key]
}

// Start records, durably, that key's fn is about to run. In a dry run it
// records nothing.
func (c *Checkpoint) Start(key string) error {
	seq, err := c.begin(key)
	if err != nil {
		return err
	}
	return c.durable(seq)
}

// begin writes key's start line, not yet durable, and returns its place for
// durable (0 in a dry run: nothing to wait for).
func (c *Checkpoint) begin(key string) (uint64, error) {
	if err := c.record(key, ckStarted, ""); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written, nil
}

// Done records that key's fn resolved.
func (c *Checkpoint) Done(key string) error { return c.record(key, ckDone, "") }

// Failed records that key's fn threw msg.
func (c *Checkpoint) Failed(key, msg string) error { return c.record(key, ckFailed, msg) }

func (c *Checkpoint) record(key, state, msg string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dryRun {
		return nil
	}
	var rec any
	switch state {
	case ckStarted:
		rec = struct {
			Start string `json:"start"`
		}{key}
	case ckDone:
		rec = struct {
			Done string `json:"done"`
		}{key}
	default:
		rec = struct {
			Failed string `json:"failed"`
			Error  string `json:"error,omitempty"`
		}{key, msg}
	}
	if err := c.write(rec, false); err != nil {
		return err
	}
	c.state[key] = state
	return nil
}

// Page records where a page of a Pager starts and its items' keys.
func (c *Checkpoint) Page(from string, keys []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dryRun {
		return nil
	}
	if keys == nil {
		keys = []string{}
	}
	return c.write(struct {
		Page string   `json:"page"`
		Keys []string `json:"keys"`
	}{from, keys}, false)
}

// ResumeFrom is where a resumed walk starts: the position of the first
// page read from the file holding an item neither done nor started, else of
// the last page read; "" (the first page) when the file recorded none.
func (c *Checkpoint) ResumeFrom() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.pages {
		for _, k := range p.keys {
			if s := c.state[k]; s != ckDone && s != ckStarted {
				return p.from
			}
		}
	}
	if len(c.pages) == 0 {
		return ""
	}
	return c.pages[len(c.pages)-1].from
}

// Unfinished lists the keys started without an outcome, sorted.
func (c *Checkpoint) Unfinished() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k, s := range c.state {
		if s == ckStarted {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Finish ends the job: when it completed (every item done, none needing a
// check) the file is removed; otherwise it is kept, synced, for --resume.
// It reports whether the file was kept.
func (c *Checkpoint) Finish(completed bool) (kept bool, err error) {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.f == nil {
		return !c.dryRun, nil
	}
	f := c.f
	c.f = nil
	err = f.Sync()
	if err == nil {
		c.synced = c.written
	} else {
		c.closeErr = err
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if completed && err == nil {
		if err = os.Remove(c.path); err == nil {
			return false, nil
		}
	}
	return true, err
}

// Path is the file's path.
func (c *Checkpoint) Path() string { return c.path }

// itemHash is the first 16 hex digits of the SHA-256 of s.
func itemHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// checkpoint is define.checkpoint(name): the JS face of a Checkpoint, or a
// stop of the run (exit 2) when it cannot be used.
func (b *Bindings) checkpoint(name string) *goja.Object {
	cfg := b.opts.Checkpoint
	if cfg.Note == nil {
		cfg.Note = b.warn
	}
	note := cfg.Note
	if cfg.Script == "" {
		cfg.Script = "<-e>"
	}
	c, err := OpenCheckpoint(cfg, name)
	if err != nil {
		b.stop(err)
	}
	rt := b.rt
	check := func(err error) {
		if err != nil {
			b.stop(err)
		}
	}
	o := rt.NewObject()
	_ = o.Set("path", c.Path())
	_ = o.Set("dryRun", c.dryRun)
	_ = o.Set("resumed", c.resumed)
	_ = o.Set("state", c.State)
	// start writes key's start line and returns a promise settled once the
	// line is durable (undefined in a dry run): the item's fn waits for it,
	// the script's thread does not.
	_ = o.Set("start", func(key string) goja.Value {
		seq, err := c.begin(key)
		check(err)
		if seq == 0 {
			return goja.Undefined()
		}
		return b.rt.ToValue(b.host.Async(func(context.Context) (any, error) {
			return c.durable(seq), nil
		}, func(_ *goja.Runtime, v any) (goja.Value, error) {
			if err, _ := v.(error); err != nil {
				if b.opts.Stop != nil {
					b.opts.Stop(err) // as check does, on the loop
				}
				return nil, err
			}
			return goja.Undefined(), nil
		}))
	})
	_ = o.Set("done", func(key string) { check(c.Done(key)) })
	_ = o.Set("failed", func(key, msg string) { check(c.Failed(key, msg)) })
	_ = o.Set("hash", itemHash)
	_ = o.Set("page", func(from string, keys []string) { check(c.Page(from, keys)) })
	_ = o.Set("resumeFrom", c.ResumeFrom)
	_ = o.Set("note", note)
	_ = o.Set("finish", func(completed bool) bool {
		kept, err := c.Finish(completed)
		if err != nil {
			b.warn(fmt.Sprintf("icscript: warning: checkpoint %s: %v", c.Path(), err))
		}
		return kept
	})
	return o
}

// stop ends the run for err: through Options.Stop (exit 2 for a
// CheckpointError) and, in case the script catches what is thrown, a throw.
func (b *Bindings) stop(err error) {
	if b.opts.Stop != nil {
		b.opts.Stop(err)
	}
	panic(b.rt.NewGoError(err))
}
