package main

import (
	"strings"
	"testing"
	"time"
)

// Hostile scripts are contained: each ends with a clear message and the
// documented exit code, never a Go crash, a hang or an OOM kill.
func TestHostileScriptsAreContained(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		flags []string
		code  int
		want  []string
	}{
		{"infinite loop", `for (;;) {}`, []string{"--timeout", "500ms"}, exitTimeout, []string{"stopped after --timeout 500ms"}},
		{"infinite microtask loop", `async function spin() { for (;;) await null; } await spin();`, []string{"--timeout", "500ms"}, exitTimeout, []string{"--timeout"}},
		{"infinite timer loop", `setInterval(() => {}, 0);`, []string{"--timeout", "500ms"}, exitTimeout, []string{"--timeout"}},
		{"deep recursion", `function down(n) { return down(n + 1) + 1; } down(0);`, nil, exitScriptError, []string{"RangeError: Maximum call stack size exceeded", "script.js:1:"}},
		{"async recursion", `async function down(n) { return await down(n + 1); } await down(0);`, nil, exitScriptError, []string{"RangeError: Maximum call stack size exceeded"}},
		// JSON.stringify recurses in Go, calling toJSON at each level with a
		// JS stack one frame deep: goja's call-depth limit does not see it
		// (the Go stack grows slowly instead), but --timeout stops it.
		{"recursion inside a native call", `const o = { toJSON() { return { o }; } }; JSON.stringify(o);`, []string{"--timeout", "1s"}, exitTimeout, []string{"--timeout"}},
		{"huge array", `const a = new Array(1e9).fill(0); console.log(a.length);`, []string{"--max-memory", "256MiB"}, exitScriptError, []string{"used more than 256 MiB", "--max-memory"}},
		{"string doubling", `let s = "x"; for (let i = 0; i < 40; i++) s += s; console.log(s.length);`, []string{"--max-memory", "256MiB"}, exitScriptError, []string{"used more than 256 MiB", "--max-memory"}},
		{"unbounded push", `const a = []; for (;;) a.push({ i: a.length });`, []string{"--max-memory", "256MiB"}, exitScriptError, []string{"used more than 256 MiB"}},
		{"never settles", `await new Promise(() => {}); console.log("after");`, nil, exitScriptError, []string{"script never finished", "can no longer settle"}},
		{"never settles in a chain", `const stuck = new Promise(() => {}); await stuck.then(() => 1); console.log("after");`, nil, exitScriptError, []string{"script never finished"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, _ := writeScript(t, "script.js", c.src)
			args := append(append([]string{"--sandbox", "--quiet"}, c.flags...), "script.js")
			start := time.Now()
			r := icscript(t, dir, nil, args...).must(t, c.code)
			t.Logf("ended in %s", time.Since(start).Round(time.Millisecond))
			r.contains(t, c.want...)
			for _, bad := range []string{"goroutine ", "panic:", "fatal error"} {
				if strings.Contains(r.stdout+r.stderr, bad) {
					t.Errorf("output contains %q:\n%s\n%s", bad, r.stdout, r.stderr)
				}
			}
			if strings.Contains(r.stdout, "after") {
				t.Errorf("the script went on after the statement that should have stopped it:\n%s", r.stdout)
			}
		})
	}
}

func TestMaxMemoryFlag(t *testing.T) {
	dir := t.TempDir()
	icscript(t, dir, nil, "--sandbox", "--max-memory", "lots", "-e", "1").must(t, exitUsage).contains(t, "max-memory", "512MiB")
	icscript(t, dir, nil, "--sandbox", "--max-memory", "0", "-e", "console.log(1)").must(t, exitOK)
	icscript(t, dir, nil, "--help").must(t, exitOK).contains(t, "--max-memory")
	var b byteSize
	for in, want := range map[string]int64{"2GiB": 2 << 30, "512MiB": 512 << 20, "1.5g": 3 << 29, "100MB": 100e6, "0": 0, "4096": 4096} {
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, b, err, want)
		}
	}
}
