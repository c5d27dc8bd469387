package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// The interruption tests send SIGINT and SIGTERM to the real binary in the
// middle of a bulk job, a page fetch, a sleep and watch mode. Each run must
// stop (generous deadline; the time taken is logged, not asserted), say
// what was done and that the script did not finish, leave a complete audit
// log, exit 130 or 143, and leave no process behind.

// interruptCase is a script and where to wait before the signal.
type interruptCase struct {
	name    string
	src     string
	latency time.Duration // of the served sandbox
	watch   bool
	ready   string        // stdout text that says the script is where we want it
	settle  time.Duration // extra wait after ready, so the job is mid-flight
	applied bool          // the job must have applied mutations before the signal
}

var interruptCases = []interruptCase{
	{name: "bulk job", latency: 20 * time.Millisecond, ready: "started", settle: 300 * time.Millisecond, applied: true, src: `
const contacts = await intercom.contacts.list().toArray({ limit: 150 });
let n = 0;
await pool(contacts, 4, async (c) => {
  await intercom.contacts.update(c.id, { custom_attributes: { region: "soak-x" } });
  if (++n === 4) console.log("started");
});
console.log("finished");
`},
	{name: "page fetch", latency: 30 * time.Second, ready: "started", settle: 200 * time.Millisecond, src: `
console.log("started");
for await (const c of intercom.contacts.list()) { console.log(c.id); }
console.log("finished");
`},
	{name: "sleep", ready: "started", src: `
console.log("started");
await sleep(60000);
console.log("finished");
`},
	{name: "watch mode", watch: true, ready: "started", src: `
console.log("started");
await sleep(60000);
console.log("finished");
`},
}

func TestSignalsStopRunsCleanly(t *testing.T) {
	for _, c := range interruptCases {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			t.Run(c.name+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				interruptOnce(t, c, sig)
			})
		}
	}
}

func interruptOnce(t *testing.T, c interruptCase, sig syscall.Signal) {
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3, Latency: c.latency})
	dir, script := writeScript(t, "job.js", c.src)
	audit := filepath.Join(dir, "audit.jsonl")
	args := []string{"--base-url", base, "--audit", audit}
	if c.watch {
		args = append(args, "--watch")
	}
	p := startIcscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()}, append(args, script)...)
	p.waitStdout(c.ready, 1)
	time.Sleep(c.settle)
	sent := time.Now()
	code := p.stop(sig, 20*time.Second)
	t.Logf("%s: stopped %s after the signal", sig, time.Since(sent).Round(time.Millisecond))
	stdout, stderr := &p.stdout, &p.stderr

	want := map[syscall.Signal]int{syscall.SIGINT: exitInterrupted, syscall.SIGTERM: exitTerminated}[sig]
	if code != want {
		t.Errorf("exit code %d, want %d\nstderr:\n%s", code, want, stderr.String())
	}
	if strings.Contains(stdout.String(), "finished") {
		t.Errorf("the script finished despite %s", sig)
	}
	errOut := stderr.String()
	if !strings.Contains(errOut, "interrupted: the script did not finish") {
		t.Errorf("stderr does not say the script did not finish:\n%s", errOut)
	}
	requests, applied, ok := parseDone(errOut)
	if !ok {
		t.Fatalf("stderr does not say what was done (N requests, M mutations applied):\n%s", errOut)
	}
	if c.applied && requests < applied {
		t.Errorf("%d requests reported for %d mutations applied", requests, applied)
	}
	lines := auditLines(t, audit)
	if got := appliedInAudit(lines); got != applied {
		t.Errorf("stderr says %d mutations applied, the audit log records %d", applied, got)
	}
	if c.applied && applied == 0 {
		t.Errorf("the bulk job applied nothing before the signal:\n%s", errOut)
	}
	if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic:") {
		t.Errorf("a Go panic reached the user:\n%s", errOut)
	}
	if err := syscall.Kill(p.cmd.Process.Pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d still exists after exit: %v", p.cmd.Process.Pid, err)
	}
}

// parseDone reads "done before that: N requests, M mutations applied".
func parseDone(stderr string) (requests, applied int, ok bool) {
	_, rest, found := strings.Cut(stderr, "done before that: ")
	if !found {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(rest, "\n")
	var err1, err2 error
	f := strings.Fields(strings.ReplaceAll(line, ",", ""))
	if len(f) < 5 || strings.TrimSuffix(f[1], "s") != "request" || strings.TrimSuffix(f[3], "s") != "mutation" || f[4] != "applied" {
		return 0, 0, false
	}
	requests, err1 = strconv.Atoi(f[0])
	applied, err2 = strconv.Atoi(f[2])
	return requests, applied, err1 == nil && err2 == nil
}

// auditLines reads an audit log; every line, the last included, must be
// complete JSON.
func auditLines(t *testing.T, path string) []safety.AuditEntry {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("the audit log does not end with a complete line: %q", tail(string(data), 200))
	}
	var out []safety.AuditEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var e safety.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Errorf("audit log line %d is not complete JSON (%v): %q", n, err, sc.Text())
			continue
		}
		out = append(out, e)
	}
	return out
}

func appliedInAudit(lines []safety.AuditEntry) int {
	n := 0
	for _, e := range lines {
		if e.Phase == "done" && !e.DryRun && e.Status >= 200 && e.Status < 300 {
			n++
		}
	}
	return n
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// TestInterruptLeavesNoGoroutines runs the command in-process (run, with a
// fake signal channel) against an in-process sandbox, interrupts a bulk job,
// a sleep and watch mode, and checks the goroutine count comes back to its
// baseline: nothing of the run (loop, requests, pager fetches, the sandbox's
// server, the watcher) outlives it.
func TestInterruptLeavesNoGoroutines(t *testing.T) {
	cases := []struct {
		name  string
		watch bool
		src   string
	}{
		{"bulk job", false, `
const contacts = await intercom.contacts.list().toArray({ limit: 100 });
let n = 0;
await pool(contacts, 8, async (c) => {
  await intercom.contacts.update(c.id, { custom_attributes: { region: "soak-y" } });
  if (++n === 8) console.log("started");
  await sleep(5);
});`},
		{"pager mid-walk", false, `
let n = 0;
for await (const c of intercom.contacts.list({ per_page: 5 })) { if (++n === 3) console.log("started"); await sleep(20); }`},
		{"sleep", false, `console.log("started"); await sleep(60000);`},
		{"watch", true, `console.log("started"); await sleep(60000);`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, script := writeScript(t, "job.js", c.src)
			base := settledGoroutines(-1)
			sig := make(chan os.Signal, 1)
			stdout, stderr := &syncBuffer{}, &syncBuffer{}
			sys := testSystem(stdout, stderr)
			sys.Signals = sig
			args := []string{"--sandbox", "--quiet"}
			if c.watch {
				args = append(args, "--watch")
			}
			code := make(chan int, 1)
			go func() { code <- run(append(args, script), sys) }()
			waitFor(t, func() bool { return strings.Contains(stdout.String(), "started") })
			sig <- syscall.SIGINT
			select {
			case got := <-code:
				if got != exitInterrupted {
					t.Fatalf("exit %d, want %d\nstderr:\n%s", got, exitInterrupted, stderr.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("the run did not stop\nstderr:\n%s", stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted: the script did not finish") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			if after := settledGoroutines(base); after > base {
				buf := make([]byte, 1<<20)
				n := goruntime.Stack(buf, true)
				t.Fatalf("%d goroutines before the run, %d after it\n%s", base, after, buf[:n])
			}
		})
	}
}

// settledGoroutines waits (up to 10s) for the goroutine count to reach want
// or less, and returns it; want < 0 just lets it settle.
func settledGoroutines(want int) int {
	deadline := time.Now().Add(10 * time.Second)
	n := goruntime.NumGoroutine()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		m := goruntime.NumGoroutine()
		if (want >= 0 && m <= want) || (want < 0 && m == n) {
			return m
		}
		n = m
	}
	return n
}
