package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/internal/testsupport"
)

// watchHarness runs Loop on a script in a temp dir with a fake
// runOnce that reports each run's context and, when block is set, waits
// for it to be cancelled.
type watchHarness struct {
	t      *testing.T
	dir    string
	stderr *testsupport.Buffer
	runs   chan context.Context
	block  bool
	cancel context.CancelFunc
	result chan error
}

const waitLong = 10 * time.Second

func newWatchHarness(t *testing.T, files map[string]string, block bool) *watchHarness {
	t.Helper()
	h := &watchHarness{t: t, dir: t.TempDir(), stderr: &testsupport.Buffer{}, runs: make(chan context.Context, 10), block: block, result: make(chan error, 1)}
	for name, text := range files {
		h.write(name, text)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	runOnce := func(ctx context.Context) int {
		h.runs <- ctx
		if h.block {
			<-ctx.Done()
		}
		return 0
	}
	go func() { h.result <- Loop(ctx, Options{Entry: "main.ts", Dir: h.dir, Stderr: h.stderr}, runOnce) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.result:
		case <-time.After(waitLong):
			t.Error("Loop did not return after its context was cancelled")
		}
	})
	return h
}

func (h *watchHarness) write(name, text string) {
	h.t.Helper()
	path := filepath.Join(h.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// saveAtomically saves as many editors do: write a temp file, rename it over.
func (h *watchHarness) saveAtomically(name, text string) {
	h.t.Helper()
	tmp := filepath.Join(h.dir, "."+name+".tmp")
	h.write("."+name+".tmp", text)
	if err := os.Rename(tmp, filepath.Join(h.dir, name)); err != nil {
		h.t.Fatal(err)
	}
}

func (h *watchHarness) waitRun(what string) context.Context {
	h.t.Helper()
	select {
	case ctx := <-h.runs:
		return ctx
	case <-time.After(waitLong):
		h.t.Fatalf("%s: no run; output:\n%s", what, h.stderr.String())
		return nil
	}
}

func (h *watchHarness) waitOutput(what, want string) {
	h.t.Helper()
	deadline := time.Now().Add(waitLong)
	for !strings.Contains(h.stderr.String(), want) {
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: output lacks %q:\n%s", what, want, h.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitIdle waits for the current run to be reported finished, so that the
// next change is not folded into the same debounce.
func (h *watchHarness) waitIdle(n int) {
	h.t.Helper()
	deadline := time.Now().Add(waitLong)
	for strings.Count(h.stderr.String(), "── finished in ") < n {
		if time.Now().After(deadline) {
			h.t.Fatalf("run %d never finished:\n%s", n, h.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWatchRerunsOnSave(t *testing.T) {
	h := newWatchHarness(t, map[string]string{
		"main.ts":        "import { n } from \"./lib/util.ts\";\nconsole.log(n);\n",
		"lib/util.ts":    "export const n = 1;\n",
		"unrelated.ts":   "export const x = 1;\n",
		"lib/notused.ts": "export const y = 1;\n",
	}, false)
	h.waitRun("first run")
	h.waitIdle(1)

	h.saveAtomically("main.ts", "import { n } from \"./lib/util.ts\";\nconsole.log(n + 1);\n")
	h.waitRun("atomic save of the entry")
	h.waitOutput("separator", "── rerun 1 · ")
	h.waitOutput("separator", "main.ts changed ──")
	h.waitIdle(2)

	h.write("main.ts", "import { n } from \"./lib/util.ts\";\nconsole.log(n + 2);\n")
	h.waitRun("in-place write of the entry")
	h.waitIdle(3)

	h.write("lib/util.ts", "export const n = 2;\n")
	h.waitRun("edit of an imported module")
	h.waitOutput("separator", "lib/util.ts changed")
	h.waitIdle(4)

	// Files outside the bundle do not rerun it.
	h.write("unrelated.ts", "export const x = 2;\n")
	h.write("lib/notused.ts", "export const y = 2;\n")
	select {
	case <-h.runs:
		t.Fatalf("a file outside the bundle caused a rerun:\n%s", h.stderr.String())
	case <-time.After(5 * debounceDelay):
	}
}

func TestWatchSyntaxErrorThenFix(t *testing.T) {
	h := newWatchHarness(t, map[string]string{"main.ts": "console.log(1);\n"}, false)
	h.waitRun("first run")
	h.waitIdle(1)

	h.write("main.ts", "console.log(1;\n")
	h.waitOutput("syntax error", "main.ts:1:")
	h.waitOutput("syntax error", "not run: fix the error and save")
	select {
	case <-h.runs:
		t.Fatal("a script with a syntax error was run")
	default:
	}

	h.saveAtomically("main.ts", "console.log(2);\n")
	h.waitRun("run after the fix")
}

func TestWatchMissingImportThenCreated(t *testing.T) {
	h := newWatchHarness(t, map[string]string{"main.ts": "import { n } from \"./later.ts\";\nconsole.log(n);\n"}, false)
	h.waitOutput("missing import", "later.ts")
	h.waitOutput("missing import", "not run")
	h.write("later.ts", "export const n = 1;\n")
	h.waitRun("run once the module exists")
}

func TestWatchCancelsLongRun(t *testing.T) {
	h := newWatchHarness(t, map[string]string{"main.ts": "await new Promise(() => {});\n"}, true)
	first := h.waitRun("first run")
	h.saveAtomically("main.ts", "await new Promise(() => {}); // edited\n")
	select {
	case <-first.Done():
	case <-time.After(waitLong):
		t.Fatalf("the running script's context was not cancelled by a save:\n%s", h.stderr.String())
	}
	second := h.waitRun("rerun")
	if second.Err() != nil {
		t.Fatal("the rerun's context is already cancelled")
	}
	h.waitOutput("stopped line", "── stopped after ")
}

func TestWatchCtrlCStopsTheRun(t *testing.T) {
	h := newWatchHarness(t, map[string]string{"main.ts": "await new Promise(() => {});\n"}, true)
	run := h.waitRun("first run")
	h.cancel()
	select {
	case err := <-h.result:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Loop returned %v, want context.Canceled", err)
		}
		h.result <- err // for the cleanup
	case <-time.After(waitLong):
		t.Fatal("Loop did not return on Ctrl-C")
	}
	if run.Err() == nil {
		t.Error("the run's context was not cancelled")
	}
	h.waitOutput("last line", "── watch stopped ──")
}

func TestWatchMissingEntry(t *testing.T) {
	err := Loop(context.Background(), Options{Entry: "nope.ts", Dir: t.TempDir(), Stderr: &testsupport.Buffer{}}, func(context.Context) int { return 0 })
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nope.ts") {
		t.Fatalf("Loop on a missing entry: %v", err)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:  "850ms",
		1234 * time.Millisecond: "1.23s",
		190 * time.Second:       "3m10s",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
