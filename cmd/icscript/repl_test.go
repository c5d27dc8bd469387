package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/internal/ptytest"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// The REPL runs here as people use it: the real binary on a pseudo-terminal,
// keys in, screen out (ANSI codes stripped).

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

// startREPL runs the binary with args on a pseudo-terminal, in e.
func startREPL(t *testing.T, e *replEnv, args ...string) *ptytest.Terminal {
	t.Helper()
	cmd := exec.Command(icscriptBinary(t), args...)
	cmd.Dir, cmd.Env = e.dir, e.env
	return ptytest.Start(t, cmd)
}

func TestREPLAgainstTheSandbox(t *testing.T) {
	e := newREPLEnv(t)
	script := filepath.Join(e.dir, "lib.js")
	if err := os.WriteFile(script, []byte("const loadedValue = 41\nfunction bump(x) { return x + 1 }\nglobalThis.fromLoad = 'yes'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startREPL(t, e, "--sandbox")
	r.Expect(`sandbox workspace "Acme (sandbox)"`)
	r.Expect("admin Ana Silva")
	r.Expect("> ")

	// Completion from the live objects.
	r.Send("intercom.contacts.\t")
	r.Expect("search")
	s := r.Screen()
	for _, m := range []string{"find", "list", "archive", "update"} {
		if !strings.Contains(s, m) {
			t.Errorf("completion lacks %q:\n%s", m, s)
		}
	}
	r.Send("\x03\x03") // Ctrl-C leaves the list, then clears the line
	r.Expect("^C")
	r.Expect("> ")
	r.Send("intercom.con\t")
	r.Expect("conversations")
	r.Send("\x03\x03")
	r.Expect("^C")
	r.Expect("> ")

	// Auto-await of a call, the value printed.
	r.Line("const firsts = await intercom.contacts.list().first(2)")
	r.Expect("> ")
	r.Line("intercom.contacts.find(firsts[1].id)")
	r.Expect("type: 'contact'")
	r.Line("_.id === firsts[1].id")
	r.Expect("true")

	// A Pager prints as a summary.
	r.Line("intercom.tags.list()")
	r.Expect("Pager<tags.list>")

	// const declared again.
	r.Line("const n = 1")
	r.Line("const n = 2")
	r.Line("n * 10")
	r.Expect("20")

	// A function typed over several lines.
	r.Line("function add(a, b) {")
	r.Expect("... ")
	r.Line("  return a + b")
	r.Line("}")
	r.Line("add(2, 3) * 100")
	r.Expect("500")

	// .load keeps the file's names.
	r.Line(".load lib.js")
	r.Line("bump(loadedValue) + fromLoad")
	r.Expect("'42yes'")

	// Errors take one line; the session goes on.
	r.Line(`intercom.contacts.find("nope")`)
	r.Expect("Uncaught IntercomError")
	r.Expect("404")
	r.Line("7 * 6")
	r.Expect("42")
	r.Exit()
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
	r.Expect(`workspace "Test Co"`)
	r.Expect("> ")
	r.Line(`const slow = await intercom.contacts.find("slow")`)
	select {
	case <-api.started:
	case <-time.After(20 * time.Second):
		t.Fatalf("the request never came; screen:\n%s", r.Screen())
	}
	r.Send("\x03")
	r.Expect("Interrupted")
	r.Expect("> ")
	select {
	case c := <-api.cancelled:
		if !c {
			t.Error("the server's request was not cancelled")
		}
	case <-time.After(10 * time.Second):
		t.Error("the server's request was not cancelled within 10s")
	}
	r.Line("typeof slow")
	r.Expect("'undefined'")

	// A Ctrl-C loop in JS stops too.
	r.Line("for (;;) {}")
	time.Sleep(200 * time.Millisecond)
	r.Send("\x03")
	r.Expect("Interrupted")

	// The token never reaches the history; other lines do.
	r.Line(`"` + testToken + `".length`)
	r.Expect(fmt.Sprint(len(testToken)))
	r.Line(`INTERCOM_ACCESS_TOKEN="abc"`)
	r.Line(`"kept in history"`)
	r.Expect("'kept in history'")
	r.Exit()
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
	r.Expect("> ")
	r.Line("const persisted = 1234")
	r.Expect("> ")
	r.Exit()

	r = startREPL(t, e, "--sandbox")
	r.Expect("> ")
	r.Send("\x1b[A") // up: the last line of the previous session
	r.Expect("const persisted = 1234")
	r.Send("\r")
	r.Line("persisted + 1")
	r.Expect("1235")

	// Editor mode: lines until Ctrl-D, run as one input.
	r.Line(".editor")
	r.Expect("Entering editor mode")
	r.Line("const e1 = 6")
	r.Line("e1 * 7")
	r.Send("\x04")
	r.Expect("42")

	// Ctrl-C twice on an empty line leaves.
	r.Expect("> ")
	r.Send("\x03")
	r.Expect("press Ctrl+C again")
	r.Send("\x03")
	r.WaitExit()
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
	r.Expect("> ")
	if err := r.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := r.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitTerminated {
		t.Errorf("SIGTERM: the REPL ended with %v, want exit code %d", err, exitTerminated)
	}
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
			r.Expect("> ")
			r.Line(`typeof (await intercom.me).id`) // the token works
			r.Expect("'string'")
			r.Line(`"` + secretToken + `".length`)
			r.Expect(fmt.Sprint(len(secretToken)))
			r.Line(`"kept in history"`)
			r.Expect("'kept in history'")
			r.Exit()
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

// On a terminal the REPL shows the workspace notice, then the banner
// naming the admin, then the prompt; /me is asked once, for the notice, the
// banner and intercom.me alike (the REPL's start must keep it so).
func TestREPLNoticeBannerAndOneMe(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		paths = append(paths, req.Method+" "+req.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"type":"admin","id":"1","name":"Test Admin","email":"t@example.com","app":{"type":"app","id_code":"x","name":"Test Co"}}`)
	}))
	defer api.Close()
	e := newREPLEnv(t, "INTERCOM_ACCESS_TOKEN="+testToken)
	r := startREPL(t, e, "--base-url", api.URL, "--no-audit")
	r.Expect(`icscript: workspace: "Test Co"`)
	r.Expect(`workspace "Test Co"`)
	r.Expect("admin Test Admin")
	r.Expect("> ")
	r.Line(`(await intercom.me).name`)
	r.Expect("'Test Admin'")
	r.Exit()
	mu.Lock()
	defer mu.Unlock()
	if len(paths) != 1 || paths[0] != "GET /me" {
		t.Errorf("requests %q, want one GET /me", paths)
	}
}
