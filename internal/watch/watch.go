// Package watch is icscript's watch mode: it runs a script, then again
// whenever the script or a file it imports changes, cancelling the run in
// progress first. It watches the folders of the bundle's inputs (an editor's
// save by rename is seen), waits for a save's burst of events to end, and
// keeps watching while the script does not build.
//
// It reads nothing of the process but the files it watches: output, clock
// and working directory come in Options.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/icscript/icscript/runtime"
)

// debounceDelay is how long watch mode waits after a change for the burst
// an editor's save makes (write temp, rename, chmod) to end.
const debounceDelay = 100 * time.Millisecond

// ScriptExts are the files that can be part of a bundle: while the last
// build failed, a change to any of them in a watched directory rebuilds (the
// fix may be creating a missing module).
var ScriptExts = map[string]bool{".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".mts": true,
	".cts": true, ".jsx": true, ".tsx": true, ".json": true}

// Options are what a watch mode needs of the world.
type Options struct {
	// Entry is the script's file, absolute or relative to Dir.
	Entry, Dir string
	// Stderr receives the separator lines and build errors, coloured when
	// Color.
	Stderr io.Writer
	Color  bool
	// Now is the clock of the timings shown; nil means time.Now.
	Now func() time.Time
}

// ErrWatcherClosed is Loop's error when the operating system's file
// notifications stop.
var ErrWatcherClosed = errors.New("watch: the file watcher stopped")

// Loop runs the script with run, then again whenever the entry file or a
// file it imports changes, cancelling the run in progress first. A script
// that does not build is reported and watching goes on. It returns
// ctx.Err() when ctx ends (Ctrl-C), after stopping the run in progress; an
// entry that cannot be watched is an error at once.
func Loop(ctx context.Context, o Options, run func(ctx context.Context) int) error {
	entry := o.Entry
	if !filepath.IsAbs(entry) {
		entry = filepath.Join(o.Dir, entry)
	}
	if _, err := os.Stat(entry); err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	if real, err := filepath.EvalSymlinks(entry); err == nil {
		entry = real
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer fsw.Close()
	if o.Now == nil {
		o.Now = time.Now
	}
	w := &watcher{o: o, entry: entry, fsw: fsw, inputs: map[string]bool{entry: true}, dirs: map[string]bool{}}
	return w.loop(ctx, run)
}

// watcher is the state of one watch mode.
type watcher struct {
	o       Options
	entry   string // absolute, symlinks resolved
	fsw     *fsnotify.Watcher
	inputs  map[string]bool // the files of the last good bundle, and the entry
	dirs    map[string]bool // directories being watched
	buildOK bool
	reruns  int
}

// activeRun is a run in progress.
type activeRun struct {
	cancel  context.CancelFunc
	done    chan int
	started time.Time
}

func (w *watcher) loop(ctx context.Context, runOnce func(context.Context) int) error {
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	defer debounce.Stop()
	var changed []string
	cur := w.start(ctx, runOnce, "")
	for {
		var done <-chan int
		if cur != nil {
			done = cur.done
		}
		select {
		case <-ctx.Done():
			w.stop(cur)
			w.say("watch stopped")
			return ctx.Err()
		case ev, ok := <-w.fsw.Events:
			if !ok {
				w.stop(cur)
				return ErrWatcherClosed
			}
			if w.relevant(ev) {
				changed = addOnce(changed, w.display(ev.Name))
				debounce.Reset(debounceDelay)
			}
		case err, ok := <-w.fsw.Errors:
			if ok {
				fmt.Fprintf(w.o.Stderr, "icscript: watch: %v\n", err)
			}
		case code := <-done:
			w.say(fmt.Sprintf("finished in %s · exit %d · watching %s · Ctrl-C to stop", formatDuration(w.since(cur.started)), code, w.describeInputs()))
			cur = nil
		case <-debounce.C:
			if cur != nil {
				w.stop(cur)
				w.say("stopped after " + formatDuration(w.since(cur.started)))
			}
			w.reruns++
			cur = w.start(ctx, runOnce, strings.Join(changed, ", ")+" changed")
			changed = nil
		}
	}
}

// start rebuilds the watch list and starts a run, or reports why the
// script does not build and returns nil.
func (w *watcher) start(ctx context.Context, runOnce func(context.Context) int, why string) *activeRun {
	if why == "" {
		w.say(fmt.Sprintf("watch · %s · %s", w.now().Format("15:04:05"), w.display(w.entry)))
	} else {
		w.say(fmt.Sprintf("rerun %d · %s · %s", w.reruns, w.now().Format("15:04:05"), why))
	}
	if !w.rebuild() {
		w.say("not run: fix the error and save · watching " + w.describeInputs())
		return nil
	}
	runCtx, cancel := context.WithCancel(ctx)
	r := &activeRun{cancel: cancel, done: make(chan int, 1), started: w.now()}
	go func() { r.done <- runOnce(runCtx) }()
	return r
}

// stop cancels a run (its requests included) and waits for it to return.
func (w *watcher) stop(r *activeRun) {
	if r == nil {
		return
	}
	r.cancel()
	select {
	case <-r.done:
		return
	case <-time.After(2 * time.Second):
		fmt.Fprintln(w.o.Stderr, "icscript: watch: waiting for the run to stop…")
	}
	<-r.done
}

// rebuild bundles the entry to learn its files and watches their
// directories. After a failed build the previous files stay watched.
func (w *watcher) rebuild() bool {
	b, err := runtime.BundleFile(w.entry)
	w.buildOK = err == nil
	if err != nil {
		fmt.Fprint(w.o.Stderr, runtime.FormatError(err, w.o.Color))
	} else {
		w.inputs = map[string]bool{w.entry: true}
		for _, in := range b.Inputs {
			if real, err := filepath.EvalSymlinks(in); err == nil {
				in = real
			}
			w.inputs[in] = true
		}
	}
	w.watchDirs()
	return w.buildOK
}

// watchDirs watches the directories of the inputs, not the files, so that
// an editor's save by rename and a delete followed by a re-creation are
// seen; it drops the directories no longer needed.
func (w *watcher) watchDirs() {
	want := map[string]bool{}
	for in := range w.inputs {
		want[filepath.Dir(in)] = true
	}
	for dir := range w.dirs {
		if !want[dir] {
			_ = w.fsw.Remove(dir)
			delete(w.dirs, dir)
		}
	}
	for dir := range want {
		if w.dirs[dir] {
			continue
		}
		if err := w.fsw.Add(dir); err != nil {
			fmt.Fprintf(w.o.Stderr, "icscript: watch: %s: %v\n", dir, err)
			continue
		}
		w.dirs[dir] = true
	}
}

// relevant reports whether an event changes the script: a write, create,
// rename or delete of one of its files (of any script file while the last
// build failed).
func (w *watcher) relevant(ev fsnotify.Event) bool {
	if !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Rename) && !ev.Has(fsnotify.Remove) {
		return false
	}
	if w.inputs[ev.Name] {
		return true
	}
	return !w.buildOK && ScriptExts[filepath.Ext(ev.Name)] && !strings.HasPrefix(filepath.Base(ev.Name), ".")
}

// display names a file relative to the entry's directory.
func (w *watcher) display(path string) string {
	if rel, err := filepath.Rel(filepath.Dir(w.entry), path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

func (w *watcher) describeInputs() string {
	if len(w.inputs) == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", len(w.inputs))
}

// say prints a separator line: ── text ──.
func (w *watcher) say(text string) {
	fmt.Fprintf(w.o.Stderr, "── %s ──\n", text)
}

func (w *watcher) now() time.Time { return w.o.Now() }

func (w *watcher) since(t time.Time) time.Duration { return w.now().Sub(t) }

// formatDuration is short and readable: 850ms, 1.24s, 3m10s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

func addOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	list = append(list, s)
	sort.Strings(list)
	return list
}
