package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// The REPL runs here as people use it: the real binary on a pseudo-terminal,
// keys in, screen out (ANSI codes stripped).

// ptyREPL is one REPL process on a pseudo-terminal.
type ptyREPL struct {
	t      *testing.T
	cmd    *exec.Cmd
	tty    *os.File
	mu     sync.Mutex
	out    bytes.Buffer
	seen   int // how much of the stripped output expect has consumed
	done   chan struct{}
	exited bool
}

// replEnv is a home of its own (history lives in its XDG state dir).
type replEnv struct {
	home, dir string
	env       []string
}

func newREPLEnv(t *testing.T, env ...string) *replEnv {
	home := t.TempDir()
	return &replEnv{home: home, dir: t.TempDir(), env: append([]string{
		"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "XDG_STATE_HOME=" + home + "/state",
		"PATH=" + os.Getenv("PATH"), "TERM=xterm", "NO_COLOR=1",
	}, env...)}
}

func (e *replEnv) historyFile() string { return filepath.Join(e.home, "state", "icscript", "history") }

func startREPL(t *testing.T, e *replEnv, args ...string) *ptyREPL {
	t.Helper()
	cmd := exec.Command(icscriptBinary(t), args...)
	cmd.Dir, cmd.Env = e.dir, e.env
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	r := &ptyREPL{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				close(r.done)
				return
			}
		}
	}()
	t.Cleanup(func() {
		if !r.exited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		_ = tty.Close()
		<-r.done
	})
	return r
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r|\a`)

func (r *ptyREPL) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ansi.ReplaceAllString(r.out.String(), "")
}

// expect waits until want appears in the output after what earlier expects
// consumed, and consumes up to it.
func (r *ptyREPL) expect(want string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := r.screen()
		if r.seen > len(s) {
			r.seen = len(s)
		}
		if i := strings.Index(s[r.seen:], want); i >= 0 {
			r.seen += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no %q within 20s; screen after the last match:\n%s", want, s[r.seen:])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *ptyREPL) send(keys string) {
	r.t.Helper()
	if _, err := io.WriteString(r.tty, keys); err != nil {
		r.t.Fatal(err)
	}
}

// line types a line and presses Enter.
func (r *ptyREPL) line(text string) {
	r.t.Helper()
	r.send(text + "\r")
}

// exit presses Ctrl-D and waits for the process to end with status 0.
func (r *ptyREPL) exit() {
	r.t.Helper()
	r.send("\x04")
	r.waitExit()
}

// waitExit waits for the process to end with status 0.
func (r *ptyREPL) waitExit() {
	r.t.Helper()
	ended := make(chan error, 1)
	go func() { ended <- r.cmd.Wait() }()
	select {
	case err := <-ended:
		if err != nil {
			r.t.Fatalf("the REPL ended with %v; screen:\n%s", err, r.screen())
		}
	case <-time.After(20 * time.Second):
		r.t.Fatalf("the REPL did not end; screen:\n%s", r.screen())
	}
	r.exited = true
}

func TestREPLAgainstTheSandbox(t *testing.T) {
	e := newREPLEnv(t)
	script := filepath.Join(e.dir, "lib.js")
	if err := os.WriteFile(script, []byte("const loadedValue = 41\nfunction bump(x) { return x + 1 }\nglobalThis.fromLoad = 'yes'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startREPL(t, e, "--sandbox")
	r.expect(`sandbox workspace "Acme (sandbox)"`)
	r.expect("admin Ana Silva")
	r.expect("> ")

	// Completion from the live objects.
	r.send("intercom.contacts.\t")
	r.expect("search")
	s := r.screen()
	for _, m := range []string{"find", "list", "archive", "update"} {
		if !strings.Contains(s, m) {
			t.Errorf("completion lacks %q:\n%s", m, s)
		}
	}
	r.send("\x03\x03") // Ctrl-C leaves the list, then clears the line
	r.expect("^C")
	r.expect("> ")
	r.send("intercom.con\t")
	r.expect("conversations")
	r.send("\x03\x03")
	r.expect("^C")
	r.expect("> ")

	// Auto-await of a call, the value printed.
	r.line("const firsts = await intercom.contacts.list().first(2)")
	r.expect("> ")
	r.line("intercom.contacts.find(firsts[1].id)")
	r.expect("type: 'contact'")
	r.line("_.id === firsts[1].id")
	r.expect("true")

	// A Pager prints as a summary.
	r.line("intercom.tags.list()")
	r.expect("Pager<tags.list>")

	// const declared again.
	r.line("const n = 1")
	r.line("const n = 2")
	r.line("n * 10")
	r.expect("20")

	// A function typed over several lines.
	r.line("function add(a, b) {")
	r.expect("... ")
	r.line("  return a + b")
	r.line("}")
	r.line("add(2, 3) * 100")
	r.expect("500")

	// .load keeps the file's names.
	r.line(".load lib.js")
	r.line("bump(loadedValue) + fromLoad")
	r.expect("'42yes'")

	// Errors take one line; the session goes on.
	r.line(`intercom.contacts.find("nope")`)
	r.expect("Uncaught IntercomError")
	r.expect("404")
	r.line("7 * 6")
	r.expect("42")
	r.exit()
}

// slowAPI answers /me, and sleeps on /contacts/slow until the request is
// cancelled (or 30 s), reporting which.
type slowAPI struct {
	*httptest.Server
	started   chan struct{}
	cancelled chan bool
}

func newSlowAPI(t *testing.T) *slowAPI {
	a := &slowAPI{started: make(chan struct{}, 1), cancelled: make(chan bool, 1)}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch req.URL.Path {
		case "/me":
			fmt.Fprint(w, `{"type":"admin","id":"1","name":"Test Admin","email":"t@example.com","app":{"type":"app","id_code":"x","name":"Test Co"}}`)
		case "/contacts/slow":
			a.started <- struct{}{}
			select {
			case <-req.Context().Done():
				a.cancelled <- true
			case <-time.After(30 * time.Second):
				a.cancelled <- false
				fmt.Fprint(w, `{"type":"contact","id":"slow"}`)
			}
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"type":"error.list","errors":[{"code":"not_found","message":"Not Found"}]}`)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

const testToken = "tok-REPL-s3cret-0123456789"

func TestREPLCtrlCCancelsACall(t *testing.T) {
	api := newSlowAPI(t)
	e := newREPLEnv(t, "INTERCOM_ACCESS_TOKEN="+testToken)
	r := startREPL(t, e, "--base-url", api.URL)
	r.expect(`workspace "Test Co"`)
	r.expect("> ")
	r.line(`const slow = await intercom.contacts.find("slow")`)
	select {
	case <-api.started:
	case <-time.After(20 * time.Second):
		t.Fatalf("the request never came; screen:\n%s", r.screen())
	}
	r.send("\x03")
	r.expect("Interrupted")
	r.expect("> ")
	select {
	case c := <-api.cancelled:
		if !c {
			t.Error("the server's request was not cancelled")
		}
	case <-time.After(10 * time.Second):
		t.Error("the server's request was not cancelled within 10s")
	}
	r.line("typeof slow")
	r.expect("'undefined'")

	// A Ctrl-C loop in JS stops too.
	r.line("for (;;) {}")
	time.Sleep(200 * time.Millisecond)
	r.send("\x03")
	r.expect("Interrupted")

	// The token never reaches the history; other lines do.
	r.line(`"` + testToken + `".length`)
	r.expect(fmt.Sprint(len(testToken)))
	r.line(`INTERCOM_ACCESS_TOKEN="abc"`)
	r.line(`"kept in history"`)
	r.expect("'kept in history'")
	r.exit()
	history, err := os.ReadFile(e.historyFile())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(history), `"kept in history"`) {
		t.Errorf("history lacks the last line:\n%s", history)
	}
	for _, secret := range []string{testToken, "INTERCOM_ACCESS_TOKEN"} {
		if strings.Contains(string(history), secret) {
			t.Errorf("history holds %q:\n%s", secret, history)
		}
	}
	if info, err := os.Stat(e.historyFile()); err == nil && info.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v, want 0600", info.Mode().Perm())
	}
}

func TestREPLHistoryPersists(t *testing.T) {
	e := newREPLEnv(t)
	r := startREPL(t, e, "--sandbox")
	r.expect("> ")
	r.line("const persisted = 1234")
	r.expect("> ")
	r.exit()

	r = startREPL(t, e, "--sandbox")
	r.expect("> ")
	r.send("\x1b[A") // up: the last line of the previous session
	r.expect("const persisted = 1234")
	r.send("\r")
	r.line("persisted + 1")
	r.expect("1235")

	// Editor mode: lines until Ctrl-D, run as one input.
	r.line(".editor")
	r.expect("Entering editor mode")
	r.line("const e1 = 6")
	r.line("e1 * 7")
	r.send("\x04")
	r.expect("42")

	// Ctrl-C twice on an empty line leaves.
	r.expect("> ")
	r.send("\x03")
	r.expect("press Ctrl+C again")
	r.send("\x03")
	r.waitExit()
}

func TestREPLPiped(t *testing.T) {
	cmd := exec.Command(icscriptBinary(t), "--sandbox")
	cmd.Dir = t.TempDir()
	cmd.Env = newREPLEnv(t).env
	cmd.Stdin = strings.NewReader("const t = await intercom.tags.list().first(1)\nt.length\n.help tags.list\nthrow new Error('x')\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		errors.As(err, &ee)
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	// The banner is on stderr: stdout holds the answers alone.
	if !strings.Contains(stderr.String(), "sandbox workspace") || strings.Contains(out, "sandbox workspace") {
		t.Errorf("banner: stdout\n%s\nstderr\n%s", out, stderr.String())
	}
	if !strings.HasPrefix(out, "1\n") {
		t.Errorf("stdout does not start with the first answer:\n%s", out)
	}
	for _, want := range []string{"intercom.tags.list(", "GET /tags", "Uncaught Error: x"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "> ") {
		t.Errorf("prompts without a terminal:\n%s", out)
	}
}

func TestREPLSIGTERMEnds(t *testing.T) {
	r := startREPL(t, newREPLEnv(t), "--sandbox")
	r.expect("> ")
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- r.cmd.Wait() }()
	select {
	case err := <-ended:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitTerminated {
			t.Errorf("ended with %v, want exit code %d", err, exitTerminated)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("SIGTERM did not end the REPL")
	}
	r.exited = true
}

// TestREPLHistoryKeepsNoTokenWhateverItsSource: a line holding the token
// never reaches the history, wherever the token came from — the four
// sources the README names (INTERCOM_ACCESS_TOKEN, INTERCOM_API_KEY, a
// profile's token_env, a profile's token_command) — nor one holding the
// token_env value of a profile not in use; other lines do.
func TestREPLHistoryKeepsNoTokenWhateverItsSource(t *testing.T) {
	_, base := sandboxtest.Start(t, sandbox.Options{Seed: 9, Token: secretToken})
	config, sources := tokenSources(base)
	for _, c := range sources {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newREPLEnv(t, c.env...)
			if err := os.MkdirAll(filepath.Join(e.home, "config", "icscript"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(e.home, "config", "icscript", "config.toml"), config)
			r := startREPL(t, e, c.args...)
			r.expect("> ")
			r.line(`typeof (await intercom.me).id`) // the token works
			r.expect("'string'")
			r.line(`"` + secretToken + `".length`)
			r.expect(fmt.Sprint(len(secretToken)))
			r.line(`"kept in history"`)
			r.expect("'kept in history'")
			r.exit()
			history, err := os.ReadFile(e.historyFile())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(history), `"kept in history"`) || !strings.Contains(string(history), "intercom.me") {
				t.Errorf("history lacks the other lines:\n%s", history)
			}
			if strings.Contains(string(history), secretToken) {
				t.Errorf("history holds the token:\n%s", history)
			}
		})
	}
}
