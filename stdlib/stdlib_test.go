package stdlib_test

import (
	"errors"
	"github.com/icscript/icscript/internal/testsupport"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
	"github.com/icscript/icscript/stdlib"
)

// jsHelpers are appended to every test script (function declarations are
// hoisted, so line numbers of the test's own code are kept).
const jsHelpers = `
function eq(got, want, what) {
	const g = JSON.stringify(got), w = JSON.stringify(want);
	if (g !== w) throw new Error((what || "value") + ": got " + g + ", want " + w);
}
function throws(fn, want, what) {
	try { fn(); } catch (e) { return checkError(e, want, what); }
	throw new Error((what || "call") + ": did not throw (wanted " + JSON.stringify(want) + ")");
}
async function rejects(p, want, what) {
	try { await p; } catch (e) { return checkError(e, want, what); }
	throw new Error((what || "promise") + ": did not reject (wanted " + JSON.stringify(want) + ")");
}
function checkError(e, want, what) {
	const m = String(e && e.message);
	if (!m.includes(want)) throw new Error((what || "error") + ": got " + JSON.stringify(m) + ", want it to contain " + JSON.stringify(want));
	return e;
}
`

// fixedNow is the clock of the tests: 2024-05-01T12:00:00Z.
var fixedNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type harness struct {
	vm     *runtime.VM
	env    stdlib.Env
	stdout *syncBuffer // Env.Stdout (args --help); console output is runtimetest's
	stderr *syncBuffer // Env.Stderr (prompts, progress)

	mu    sync.Mutex
	exits []int
}

// setup returns a VM with the stdlib installed on an Env of buffers, the
// script directory a fresh temporary one; mod adjusts the Env first.
func setup(t testing.TB, mod func(*stdlib.Env)) *harness {
	t.Helper()
	h := &harness{vm: runtimetest.New(t), stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	h.env = stdlib.Env{
		Stdin:      strings.NewReader(""),
		Stdout:     h.stdout,
		Stderr:     h.stderr,
		Environ:    []string{"HOME=/home/ops", "REGION=eu"},
		ScriptDir:  t.TempDir(),
		ScriptArgs: []string{},
		Now:        func() time.Time { return fixedNow },
		Exit: func(code int) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.exits = append(h.exits, code)
		},
	}
	if mod != nil {
		mod(&h.env)
	}
	if err := stdlib.Install(h.vm, h.env); err != nil {
		t.Fatal(err)
	}
	return h
}

// run runs src (with the helpers) and returns what console printed.
func (h *harness) run(t testing.TB, src string) (string, error) {
	t.Helper()
	return runtimetest.Run(t, h.vm, src+jsHelpers)
}

// ok runs src and fails the test on any error.
func (h *harness) ok(t testing.TB, src string) string {
	t.Helper()
	out, err := h.run(t, src)
	if err != nil {
		t.Fatalf("script failed:\n%s", runtime.FormatError(err, false))
	}
	return out
}

func (h *harness) exitCodes() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int(nil), h.exits...)
}

// syncBuffer is written by a goroutine while the test reads.
type syncBuffer = testsupport.Buffer

func TestGlobalsAndModules(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `
import fsDefault, { readText } from "icscript:fs";
import * as jsonNS from "icscript:json";
import fetchDefault, { fetch as fetchNamed } from "icscript:fetch";
import sleepFn from "icscript:sleep";
const timeReq = require("icscript:time");

eq(fsDefault === fs, true, "default import is the fs global");
eq(readText === fs.readText, true, "named import");
eq(typeof jsonNS.get, "function", "namespace import");
eq(fetchDefault === fetch && fetchNamed === fetch, true, "function modules import both ways");
eq(sleepFn === sleep, true, "sleep module");
eq(timeReq === time, true, "require");
for (const name of ["args", "env", "fs", "json", "time", "sleep", "prompt", "fetch", "exit", "progress"]) {
	eq(typeof globalThis[name] !== "undefined", true, name + " is a global");
	eq(require("icscript:" + name) === globalThis[name], true, name + " is a module");
}
eq(fs.readCSV.name, "readCSV", "function names");
`)
}

func TestErrorsAreJSErrors(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `
const e = throws(() => fs.readText("nope.txt"), 'fs.readText(): no such file "nope.txt"');
eq(e instanceof Error, true, "an Error");
eq(e.name, "Error", "not a GoError");
const te = throws(() => fs.writeCSV("x.csv", "not rows"), "fs.writeCSV(): the rows must be an array");
eq(te instanceof TypeError, true, "a TypeError");
`)
}

func TestExit(t *testing.T) {
	h := setup(t, nil)
	_, err := h.run(t, `
console.log("before");
exit(3);
console.log("after");
`)
	var ee *stdlib.ExitError
	if !errors.As(err, &ee) || ee.Code != 3 {
		t.Fatalf("run error = %v; want an *ExitError with code 3", err)
	}
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("run error = %v; want it to wrap runtime.ErrInterrupted", err)
	}
	if got := h.exitCodes(); len(got) != 1 || got[0] != 3 {
		t.Fatalf("Env.Exit calls = %v; want [3]", got)
	}
}

func TestExitCannotBeCaught(t *testing.T) {
	h := setup(t, nil)
	out, err := h.run(t, `
try { exit(0); } catch (e) { console.log("caught", e); }
console.log("after");
`)
	var ee *stdlib.ExitError
	if !errors.As(err, &ee) || ee.Code != 0 {
		t.Fatalf("run error = %v; want an *ExitError with code 0", err)
	}
	if out != "" {
		t.Fatalf("output %q; nothing should run after exit", out)
	}
}

func TestExitBadCode(t *testing.T) {
	h := setup(t, nil)
	h.ok(t, `
throws(() => exit("1"), "exit(): the code must be a number");
throws(() => exit(1.5), "exit(): the code must be an integer from 0 to 255");
throws(() => exit(300), "exit(): the code must be an integer from 0 to 255");
`)
	if got := h.exitCodes(); len(got) != 0 {
		t.Fatalf("Env.Exit called with %v", got)
	}
}
