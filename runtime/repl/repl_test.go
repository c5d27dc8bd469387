package repl

import (
	"context"
	"github.com/icscript/icscript/internal/testsupport"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// lockedBuffer is written by a goroutine while the test reads.
type lockedBuffer = testsupport.Buffer

// runSession runs a piped session over input and returns its output.
func runSession(t *testing.T, input string, tweak func(*Config)) string {
	t.Helper()
	out := &lockedBuffer{}
	cfg := Config{
		NewVM: func() (*runtime.VM, error) {
			return runtime.New(context.Background(), runtime.Options{Stdout: out, Stderr: out}), nil
		},
		In: strings.NewReader(input), Out: out, Err: out,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), cfg) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v\noutput:\n%s", err, out)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the session did not end; output:\n%s", out)
	}
	return out.String()
}

func wantLines(t *testing.T, out string, want ...string) {
	t.Helper()
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("output lacks %q (in order)\noutput:\n%s", w, out)
			return
		}
		rest = rest[i+len(w):]
	}
}

func TestSessionEvaluates(t *testing.T) {
	out := runSession(t, strings.Join([]string{
		`1 + 1`,
		`const x = 1`,
		`const x = 2`,
		`let l = 1; let l2`,
		`let l = 5`,
		`class A { v() { return "a" } }`,
		`class A { v() { return "b" } }`,
		`new A().v() + x + l`,
		`const c = await Promise.resolve({ id: "6657a", custom_attributes: { plan: "pro" } })`,
		`c.custom_attributes`,
		`Promise.resolve([1, 2, 3])`,
		`_.length`,
		`function f() {`,
		`  return 41 + 1`,
		`}`,
		`f()`,
		`undefined`,
		`console.log("logged")`,
		`({ a: 1 })`,
		`{ b: 2 }`,
		"`multi",
		"line`",
		`for (const t of [1, 2]) console.log("t" + t)`,
	}, "\n"), nil)
	wantLines(t, out, "2\n", "'b25'", "{ plan: 'pro' }", "[ 1, 2, 3 ]", "3\n", "42\n", "logged\n", "{ a: 1 }", "{ b: 2 }", "'multi\\nline'", "t1\nt2\n")
	for _, bad := range []string{"Uncaught", "undefined"} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q:\n%s", bad, out)
		}
	}
}

func TestSessionErrors(t *testing.T) {
	out := runSession(t, strings.Join([]string{
		`throw new TypeError("bad")`,
		`_error.message`,
		`a b`,
		`class IntercomError extends Error { constructor() { super("Contact not found"); this.name = "IntercomError"; this.status = 404; this.code = "not_found"; this.requestId = "req-1"; } }`,
		`Promise.reject(new IntercomError())`,
		`await Promise.reject(new IntercomError())`,
		`nope.x`,
		`"still here"`,
	}, "\n"), nil)
	wantLines(t, out,
		"Uncaught TypeError: bad\n", "'bad'",
		"Uncaught SyntaxError: Unexpected identifier",
		"Uncaught IntercomError: Contact not found (status 404, code not_found, request id req-1)\n",
		"Uncaught IntercomError: Contact not found (status 404, code not_found, request id req-1)\n",
		"Uncaught ReferenceError: nope is not defined", "'still here'")
}

func TestSessionPager(t *testing.T) {
	out := runSession(t, strings.Join([]string{
		`class Pager { constructor(op) { Object.defineProperty(this, "operation", { value: op, enumerable: true }); } get total_count() { globalThis.fetched = true; return 3; } }`,
		`new Pager("contacts.list")`,
		`typeof fetched`,
	}, "\n"), nil)
	wantLines(t, out, "Pager<contacts.list> — iterate with for…of, or .first(n), .toArray({limit})", "'undefined'")
}

func TestSessionCommands(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "lib.js")
	if err := os.WriteFile(script, []byte("const loaded = 3\nfunction twice(x) { return 2 * x }\nconsole.log('loading')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	module := filepath.Join(dir, "mod.ts")
	if err := os.WriteFile(module, []byte("const n: number = await Promise.resolve(7)\nglobalThis.fromModule = n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var asked []string
	out := runSession(t, strings.Join([]string{
		`.help`,
		`.help contacts.find`,
		`.help nope`,
		`.load ` + script,
		`twice(loaded)`,
		`.load ` + module,
		`fromModule`,
		`.load ` + filepath.Join(dir, "missing.js"),
		`.clear`,
		`typeof loaded`,
		`.bogus`,
		`.exit`,
		`"never"`,
	}, "\n"), func(c *Config) {
		c.Help = func(topic string) (string, bool) {
			asked = append(asked, topic)
			return "help for " + topic, topic != "nope"
		}
	})
	wantLines(t, out, ".load FILE", "A short tour", "help for contacts.find", "help for nope",
		"loading\n", "6\n", "7\n", "Uncaught .load: open", "Clearing context", "'undefined'", "Invalid REPL keyword .bogus")
	if strings.Contains(out, "never") {
		t.Errorf(".exit did not end the session:\n%s", out)
	}
	if strings.Join(asked, ",") != "contacts.find,nope" {
		t.Errorf("Help asked for %q", asked)
	}
}

func TestSessionEditorAndBreak(t *testing.T) {
	out := runSession(t, "function g() {\n.break\n1 + 2\n", nil)
	wantLines(t, out, "3\n")
	out = runSession(t, ".editor\nconst e = 5\ne * 2\n", nil) // the end of input ends editor mode
	wantLines(t, out, "Entering editor mode", "10\n")
}

func TestSessionCtrlCCancelsTheEvaluation(t *testing.T) {
	interrupts := make(chan struct{}, 1)
	started := make(chan struct{})
	out := runSession(t, "spin()\n\"after\"\n", func(c *Config) {
		c.Interrupts = interrupts
		newVM := c.NewVM
		c.NewVM = func() (*runtime.VM, error) {
			vm, err := newVM()
			if err == nil {
				_ = vm.Set("spin", func(goja.FunctionCall) goja.Value {
					close(started)
					go func() { time.Sleep(50 * time.Millisecond); interrupts <- struct{}{} }()
					_, _ = vm.Runtime().RunString(`for (;;) {}`)
					return goja.Undefined()
				})
			}
			return vm, err
		}
	})
	wantLines(t, out, "Interrupted", "'after'")
}

func TestSessionCtrlCTwiceExits(t *testing.T) {
	interrupts := make(chan struct{})
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		interrupts <- struct{}{}
		interrupts <- struct{}{}
	}()
	out := runSession(t, "", func(c *Config) { c.In = r; c.Interrupts = interrupts })
	_ = w.Close()
	wantLines(t, out, "(To exit, press Ctrl+C again or Ctrl+D or type .exit)")
}
