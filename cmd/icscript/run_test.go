package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/internal/testsupport"
)

func TestRunScriptEndToEnd(t *testing.T) {
	dir, _ := writeScript(t, "report.ts", `
import { label } from "./lib/label.ts";
const { twice } = require("./lib/twice.js");
const days: number = args.flag("days", 7);
const me = await intercom.me;
let n = 0;
for await (const c of intercom.contacts.list()) { n++; if (n >= 120) break; }
console.log(label(me.name), twice(days), n);
`)
	os.MkdirAll(filepath.Join(dir, "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "lib", "label.ts"), []byte(`export const label = (s: string) => "admin=" + s;`), 0o644)
	os.WriteFile(filepath.Join(dir, "lib", "twice.js"), []byte(`module.exports = { twice: (n) => n * 2 };`), 0o644)
	r := icscript(t, dir, nil, "--sandbox", "report.ts", "--days", "30").must(t, 0)
	if strings.TrimSpace(r.stdout) != "admin=Ana Silva 60 120" {
		t.Fatalf("stdout %q", r.stdout)
	}
}

func TestNoTokenMeansSandboxUnlessLive(t *testing.T) {
	dir := t.TempDir()
	r := icscript(t, dir, nil, "-e", `console.log((await intercom.me).app.name)`).must(t, 0)
	r.contains(t, "Acme (sandbox)", "running against the built-in sandbox", "INTERCOM_ACCESS_TOKEN")
	r = icscript(t, dir, nil, "--live", "-e", `1`).must(t, 2)
	r.contains(t, "no Intercom token", "INTERCOM_ACCESS_TOKEN", "--sandbox")
}

func TestBadInputGivesClearErrors(t *testing.T) {
	_, env, flags := servedSandbox(t)
	cases := []struct {
		name, src string
		env       []string
		args      []string
		code      int
		want      []string
	}{
		{"syntax error", "const x = 1;\nconst = 2;\n", nil, nil, 1, []string{"script.js:2:", "const = 2;", "^"}},
		{"thrown at a line", "const a = 1;\n\nthrow new Error(\"boom\");\n", nil, nil, 1, []string{"error: boom", "script.js:3:7", `throw new Error("boom")`}},
		{"wrong argument type", "await intercom.contacts.find(true);\n", nil, nil, 1, []string{"TypeError", "intercom.contacts.find(id): id must be a string or a number, not a boolean", "script.js:1:"}},
		{"404", "await intercom.contacts.find(\"nope\");\n", env, flags, 1, []string{"404", "not_found", "script.js:1:"}},
		{"401", "await intercom.contacts.find(\"nope\");\n", []string{"INTERCOM_ACCESS_TOKEN=wrong-token"}, flags, 1, []string{"401", "unauthorized", "INTERCOM_ACCESS_TOKEN"}},
		{"unreachable", "await intercom.contacts.find(\"x\");\n", []string{"INTERCOM_ACCESS_TOKEN=tok-unreachable-1234"}, []string{"--base-url", "http://127.0.0.1:1"}, 1, []string{"network_error", "127.0.0.1:1", "connection refused"}},
		{"unhandled rejection", "Promise.reject(new Error(\"lost\"));\nawait new Promise(r => setTimeout(r, 10));\n", nil, nil, 1, []string{"lost"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := writeScript(t, "script.js", c.src)
			args := append(append([]string{}, c.args...), "script.js")
			if c.args == nil {
				args = append([]string{"--sandbox"}, args...)
			}
			r := icscript(t, dir, c.env, args...).must(t, c.code)
			r.contains(t, c.want...)
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
				t.Fatalf("a Go panic reached the user:\n%s", r.stderr)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	icscript(t, dir, nil, "missing.js").must(t, 2).contains(t, "missing.js")
	icscript(t, dir, nil, "--concurency", "3", "x.js").must(t, 2).contains(t, "unknown flag --concurency", "did you mean --concurrency?")
	icscript(t, dir, nil, "--rate", "fast", "x.js").must(t, 2).contains(t, "--rate wants R/WINDOW")
	icscript(t, dir, nil, "ops", "nosuchthing").must(t, 2).contains(t, `no operation of API 2.10 matches "nosuchthing"`)
	icscript(t, dir, nil, "version").must(t, 0).contains(t, "icscript", "2.10")
	icscript(t, dir, nil, "--help").must(t, 0).contains(t, "--sandbox", "--dry-run", "icscript ops")
}

func TestOpsListsEveryOperation(t *testing.T) {
	r := icscript(t, t.TempDir(), nil, "ops").must(t, 0)
	// The description's operations, then the four conversation verbs.
	if n, ops := strings.Count(r.stdout, "\n"), len(testsupport.DescribedOperations(t)); n != ops+4 {
		t.Fatalf("ops printed %d lines, want %d operations and 4 verbs", n, ops)
	}
	r = icscript(t, t.TempDir(), nil, "ops", "contacts.search").must(t, 0)
	r.contains(t, "intercom.contacts.search(fields)", "POST /contacts/search", "Pager")
}

func TestExitCodeFromScript(t *testing.T) {
	dir, _ := writeScript(t, "x.js", `console.log("before"); exit(7); console.log("after");`)
	r := icscript(t, dir, nil, "--sandbox", "x.js").must(t, 7)
	if strings.Contains(r.stdout, "after") {
		t.Fatal("code after exit() ran")
	}
}

func TestTimeoutStopsAnInfiniteLoop(t *testing.T) {
	dir, _ := writeScript(t, "x.js", `while (true) {}`)
	icscript(t, dir, nil, "--sandbox", "--timeout", "300ms", "x.js").must(t, 124).contains(t, "--timeout")
}

// TestCtrlCStopsARun sends SIGINT to the binary while it waits on a slow
// call and on a sleep: it stops, says so and exits 130.
func TestCtrlCStopsARun(t *testing.T) {
	for _, src := range []string{
		`console.log("started"); await sleep(60000);`,
		`console.log("started"); await intercom.raw("GET", "/contacts", {query: {}}); await new Promise(() => setTimeout(() => {}, 60000));`,
	} {
		dir, _ := writeScript(t, "x.js", src)
		p := startIcscript(t, dir, nil, "--sandbox", "x.js")
		p.waitStdout("started", 1)
		if code := p.stop(syscall.SIGINT, 20*time.Second); code != 130 {
			t.Fatalf("exit code %d, want 130; stderr:\n%s", code, p.stderr.String())
		}
		if !strings.Contains(p.stderr.String(), "interrupted") {
			t.Fatalf("stderr does not say interrupted:\n%s", p.stderr.String())
		}
	}
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A script run twice is bundled once: the second run reads the bundle from
// $XDG_CACHE_HOME/icscript/bundles and behaves the same, warnings included.
func TestRunReusesCachedBundle(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	script := filepath.Join(dir, "hello.ts")
	if err := os.WriteFile(script, []byte("const who: string = args.positional[0] ?? 'world';\nconsole.log(`hello ${who}`, typeof import.meta);\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CACHE_HOME=" + cache}
	first := icscript(t, dir, env, "--sandbox", "hello.ts", "you")
	entries, _ := filepath.Glob(filepath.Join(cache, "icscript", "bundles", "*.json"))
	if first.code != 0 || len(entries) != 1 {
		t.Fatalf("first run: %+v, cache entries %v", first, entries)
	}
	second := icscript(t, dir, env, "--sandbox", "hello.ts", "you")
	if second != first || !strings.Contains(first.stdout, "hello you object") || !strings.Contains(first.stderr, "import.meta") {
		t.Fatalf("a cached run differs from the first:\nfirst  %+v\nsecond %+v", first, second)
	}
	// The cache entry is what the second run used: spoil its code and see it run.
	data, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	spoilt := strings.Replace(string(data), "hello ", "cached ", 1)
	if spoilt == string(data) {
		t.Fatalf("the cache entry does not hold the script's code: %s", data)
	}
	if err := os.WriteFile(entries[0], []byte(spoilt), 0o600); err != nil {
		t.Fatal(err)
	}
	if third := icscript(t, dir, env, "--sandbox", "hello.ts", "you"); !strings.Contains(third.stdout, "cached you") {
		t.Fatalf("the third run did not read the cache: %+v", third)
	}
}
