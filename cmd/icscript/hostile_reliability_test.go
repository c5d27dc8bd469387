package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
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

// TestProcessEnvironmentIsUnreadable: a process's environment holds the
// token icscript hides from scripts; every fs function that reads a file's
// contents refuses it, however the path reaches it.
func TestProcessEnvironmentIsUnreadable(t *testing.T) {
	const token = "tok-environ-must-not-leak-5150"
	dir := t.TempDir()
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "innocent.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/proc/self", filepath.Join(dir, "me")); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/proc/self/environ", "/proc/thread-self/environ", "/proc/self/root/proc/self/environ",
		"/proc/self/./environ", "/proc/1/environ", "innocent.txt", "me/environ"}
	reads := []string{"fs.readText(P)", "fs.readJSON(P)", "fs.readCSV(P)", "[...fs.readLines(P)]"}
	for _, p := range paths {
		for _, r := range reads {
			t.Run(p+" "+r, func(t *testing.T) {
				t.Parallel()
				src := strings.ReplaceAll(r, "P", strconv.Quote(p))
				res := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + token, "ICS_SNEAKY=" + token},
					"--sandbox", "--quiet", "-e", "console.log(String("+src+"))")
				res.must(t, exitScriptError).contains(t, "environment", "may not read it")
				if strings.Contains(res.stdout+res.stderr, token) {
					t.Fatalf("the token leaked:\n%s\n%s", res.stdout, res.stderr)
				}
			})
		}
	}
	// An ordinary file under /proc still reads.
	icscript(t, dir, nil, "--sandbox", "--quiet", "-e", `console.log(fs.readText("/proc/self/stat").length > 0)`).must(t, exitOK)
}

// TestBlockingReadsStop: a read that waits forever (a FIFO nobody writes,
// a stdin pipe held open) ends with the run at --timeout and at the first
// Ctrl-C, for every fs function that reads.
func TestBlockingReadsStop(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	reads := []string{`fs.readText("fifo")`, `fs.readJSON("fifo")`, `fs.readCSV("fifo")`, `[...fs.readLines("fifo")]`,
		`fs.readText("/dev/stdin")`, `[...fs.readLines("/dev/stdin")]`, `await prompt.input("name?")`}
	for _, r := range reads {
		src := `console.log("waiting"); try { ` + r + ` } catch (e) { console.log("caught", e.message) } console.log("after");`
		t.Run("timeout "+r, func(t *testing.T) {
			cmd := binaryCommand(t, dir, nil, "--sandbox", "--quiet", "--timeout", "1s", "-e", src)
			res, held := runHoldingStdin(t, cmd)
			defer held.Close()
			if res.code != exitTimeout || !strings.Contains(res.stderr, "--timeout 1s") || strings.Contains(res.stdout, "after") {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, exitTimeout, res.stdout, res.stderr)
			}
		})
		t.Run("ctrl-c "+r, func(t *testing.T) {
			cmd := binaryCommand(t, dir, nil, "--sandbox", "--quiet", "-e", src)
			stdin, held, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer held.Close()
			var stdout, stderr syncBuffer
			cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			stdin.Close()
			exited := make(chan struct{})
			go func() { _ = cmd.Wait(); close(exited) }()
			defer func() { _ = cmd.Process.Kill(); <-exited }()
			for deadline := time.Now().Add(30 * time.Second); !strings.Contains(stdout.String(), "waiting"); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the script never started:\n%s", stderr.String())
				}
			}
			time.Sleep(200 * time.Millisecond) // let it reach the read; a signal before it is fine too
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			select {
			case <-exited:
			case <-time.After(20 * time.Second):
				t.Fatalf("still running 20s after one SIGINT\n%s", stderr.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || strings.Contains(stdout.String(), "after") {
				t.Fatalf("exit %d after one SIGINT, want %d\nstdout:\n%s\nstderr:\n%s", code, exitInterrupted, stdout.String(), stderr.String())
			}
		})
	}
}

// runHoldingStdin runs cmd with its stdin a pipe the test keeps open and
// never writes to; the caller closes the returned writer.
func runHoldingStdin(t *testing.T, cmd *exec.Cmd) (result, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd.Stdin = r
	return runCommand(t, cmd), w
}

// TestMaxMemoryBoundsPeakMemory: scripts that grow memory as fast as they
// can (doubling a string, growing a buffer, pushing onto an array) are
// stopped with the --max-memory error near the limit: the process's peak
// resident memory stays within maxMemoryPeakFactor times the limit (it
// reached 8 times, and more at larger limits, when the guard sampled every
// 20ms and collected garbage before tripping). Doubling a 128 MiB string
// holds 384 MiB at once, so the bound cannot be much tighter.
func TestMaxMemoryBoundsPeakMemory(t *testing.T) {
	const limit = 256 << 20
	const maxMemoryPeakFactor = 4
	scripts := map[string]string{
		"string doubling": `let s = "x"; while (true) s += s;`,
		"buffer doubling": `let b = new Uint8Array(1); for (;;) { const n = new Uint8Array(b.length * 2); n.set(b); b = n; }`,
		"buffers kept":    `const keep = []; for (;;) keep.push(new Uint8Array(1 << 20).fill(1));`,
		"array push":      `const a = []; for (;;) a.push(a.length, "x" + a.length);`,
	}
	for name, src := range scripts {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := binaryCommand(t, dir, nil, "--sandbox", "--quiet", "--max-memory", "256MiB", "-e", src)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatal(err)
			}
			code := cmd.ProcessState.ExitCode()
			if code != exitScriptError || !strings.Contains(stderr.String(), "used more than 256 MiB") || !strings.Contains(stderr.String(), "--max-memory") {
				t.Fatalf("exit %d, want %d with the --max-memory error\nstderr:\n%s", code, exitScriptError, stderr.String())
			}
			peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			t.Logf("peak RSS %d MiB for a %d MiB limit", peak>>20, limit>>20)
			if peak > maxMemoryPeakFactor*limit {
				t.Fatalf("peak RSS %d MiB, over %d × the %d MiB limit", peak>>20, maxMemoryPeakFactor, limit>>20)
			}
			for _, bad := range []string{"goroutine ", "panic:", "fatal error"} {
				if strings.Contains(stderr.String(), bad) {
					t.Fatalf("stderr contains %q:\n%s", bad, stderr.String())
				}
			}
		})
	}
}

// TestErrorsShowNoGoInternals: wrong values passed to the standard library
// are described as JS values (a bigint, a boolean, a symbol), never by Go
// type names, and no error shows a Go stack.
func TestErrorsShowNoGoInternals(t *testing.T) {
	cases := map[string]string{
		`fs.readText(5n)`:                   "got the bigint 5n",
		`fs.readText(true)`:                 "got the boolean true",
		`fs.readText(Symbol("s"))`:          "got a symbol",
		`await sleep(5n)`:                   "got the bigint 5n",
		`fs.writeText("o.txt", false)`:      "got the boolean false",
		`fs.writeJSON("o.json", 10n)`:       "fs.writeJSON()",
		`await prompt.input(Symbol())`:      "got a symbol",
		`fs.readText("/proc/self/environ")`: "may not read it",
	}
	goInternals := regexp.MustCompile(`goroutine |panic:|runtime error|\*[a-z]+\.[A-Z]\w*|\bgoja\b|interface \{\}|map\[|\.go:\d+|\bbool\b|\*big\.Int`)
	dir := t.TempDir()
	for src, want := range cases {
		t.Run(src, func(t *testing.T) {
			t.Parallel()
			r := icscript(t, dir, nil, "--sandbox", "--quiet", "-e", src).must(t, exitScriptError)
			r.contains(t, want)
			if m := goInternals.FindString(r.stderr); m != "" {
				t.Fatalf("stderr shows Go internals (%q):\n%s", m, r.stderr)
			}
		})
	}
}
