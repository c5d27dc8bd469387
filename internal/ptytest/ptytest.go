// Package ptytest runs a process on a pseudo-terminal for tests, as people
// use the REPL: keys in, the screen out (terminal codes stripped). The
// REPL's tests (cmd/icscript) and its benchmark (bench) drive the real
// binary through it. Only tests import it.
package ptytest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// hang is how long Expect and Wait wait before they call it a hang: a hang
// detector, not a timing (the machine may be slow).
const hang = time.Minute

// Terminal is one process on a pseudo-terminal of 50 rows and 160 columns.
// What the process writes is read as it comes, so that Expect returns as
// soon as its text is there.
type Terminal struct {
	Cmd *exec.Cmd // the process: its ProcessState once Wait returned

	tb      testing.TB
	tty     *os.File
	mu      sync.Mutex
	out     bytes.Buffer
	seen    int           // how much of the screen Expect has consumed
	changed chan struct{} // a token after each read
	done    chan struct{} // closed when the output is read to its end
	exited  bool
}

// Start starts cmd (its Dir and Env set by the caller) on a new
// pseudo-terminal. When the test ends, a process still running is killed.
func Start(tb testing.TB, cmd *exec.Cmd) *Terminal {
	tb.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		tb.Fatal(err)
	}
	t := &Terminal{Cmd: cmd, tb: tb, tty: tty, changed: make(chan struct{}, 1), done: make(chan struct{})}
	go t.read()
	tb.Cleanup(func() {
		if !t.exited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		_ = tty.Close()
		<-t.done
	})
	return t
}

// read copies the terminal's output into t.out until the terminal ends.
func (t *Terminal) read() {
	defer close(t.done)
	buf := make([]byte, 4096)
	for {
		n, err := t.tty.Read(buf)
		t.mu.Lock()
		t.out.Write(buf[:n])
		t.mu.Unlock()
		select {
		case t.changed <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

var terminalCodes = lazyregexp.New(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|\a`)

// Screen is everything the process wrote, terminal codes stripped.
func (t *Terminal) Screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return terminalCodes.ReplaceAllString(t.out.String(), "")
}

// Raw is everything the process wrote, terminal codes included.
func (t *Terminal) Raw() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.out.String()
}

// Expect waits until want appears on the screen after what earlier
// Expects consumed, and consumes up to it.
func (t *Terminal) Expect(want string) {
	t.tb.Helper()
	timeout := time.After(hang)
	ended := false
	for {
		s := t.Screen()
		t.seen = min(t.seen, len(s))
		if i := strings.Index(s[t.seen:], want); i >= 0 {
			t.seen += i + len(want)
			return
		}
		if ended { // the screen was read after the output's end
			t.tb.Fatalf("the process's output ended before %q; screen after the last match:\n%s", want, s[t.seen:])
		}
		select {
		case <-t.changed:
		case <-t.done:
			ended = true
		case <-timeout:
			t.tb.Fatalf("no %q within %s; screen after the last match:\n%s", want, hang, s[t.seen:])
		}
	}
}

// Send types keys.
func (t *Terminal) Send(keys string) {
	t.tb.Helper()
	if _, err := io.WriteString(t.tty, keys); err != nil {
		t.tb.Fatal(err)
	}
}

// Line types a line and presses Enter.
func (t *Terminal) Line(text string) {
	t.tb.Helper()
	t.Send(text + "\r")
}

// Prompt is the REPL's prompt.
const Prompt = "> "

// Exit leaves the REPL: at its prompt, Ctrl-D; then it waits for the
// process to end with status 0. It waits for the prompt unless the text
// Expect consumed last was one: only at a prompt does the line editor read
// keys as they come (while a line runs, the terminal is in cooked mode and
// takes Ctrl-D for the end of a line the REPL never reads).
func (t *Terminal) Exit() {
	t.tb.Helper()
	if !strings.HasSuffix(t.Screen()[:t.seen], Prompt) {
		t.Expect(Prompt)
	}
	t.Send("\x04")
	t.WaitExit()
}

// WaitExit waits for the process to end with status 0.
func (t *Terminal) WaitExit() {
	t.tb.Helper()
	if err := t.Wait(); err != nil {
		t.tb.Fatalf("the process ended with %v; screen:\n%s", err, t.Screen())
	}
}

// Wait waits for the process to end, and its last output to be read, and
// returns how it ended (exec.Cmd.Wait's error). A process still running
// after a minute is killed and reported as a hang.
func (t *Terminal) Wait() error {
	ended := make(chan error, 1)
	go func() { ended <- t.Cmd.Wait() }()
	var err error
	select {
	case err = <-ended:
	case <-time.After(hang):
		_ = t.Cmd.Process.Kill()
		<-ended
		err = fmt.Errorf("the process did not end within %s: killed", hang)
	}
	t.exited = true
	select {
	case <-t.done:
	case <-time.After(hang):
	}
	return err
}
