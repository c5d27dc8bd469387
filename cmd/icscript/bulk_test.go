package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// Bulk jobs run by the real binary against a served sandbox: at the
// server's rate limit without tripping it, through injected faults without
// losing or duplicating work, and stopped by Ctrl-C.

// bulkUpdateScript updates the sandbox's contacts --n times in all (round
// robin) with --concurrency in flight, and prints the summary as JSON with
// the time the pool took.
const bulkUpdateScript = `
const n = args.flag("n", 3000), conc = args.flag("concurrency", 16);
const ids = (await intercom.contacts.list({ per_page: 150 }).toArray()).map((c) => c.id);
const rows = Array.from({ length: n }, (_, i) => ({ id: ids[i % ids.length], seats: i }));
const t0 = Date.now();
const s = await pool(rows, conc, (r) => intercom.contacts.update(r.id, { custom_attributes: { seats: r.seats } }));
console.log(JSON.stringify({ ok: s.ok, failed: s.failed, ms: Date.now() - t0, errors: s.errors.slice(0, 5) }));
`

func TestBulkRateLimitReachedNotTripped(t *testing.T) {
	const limit, calls = 500, 3000
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 7, RateLimit: limit, RateWindow: time.Second})
	dir, script := writeScript(t, "update.js", bulkUpdateScript)
	r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()},
		"--base-url", base, script, "--n", fmt.Sprint(calls)).must(t, 0)
	var out struct{ OK, Failed, Ms int }
	if err := json.Unmarshal([]byte(bulkLastLine(r.stdout)), &out); err != nil {
		t.Fatalf("summary: %v\n%s", err, r.stdout)
	}
	st := sb.Stats()
	rate := float64(out.OK) / (float64(out.Ms) / 1000)
	ratio := rate / limit
	t.Logf("%d updates in %dms: %.0f calls/s = %.2f of the %d/s limit; %d requests, %d answered 429; stderr: %q",
		out.OK, out.Ms, rate, ratio, limit, st.Requests, st.RateLimited, r.stderr)
	if out.OK != calls || out.Failed != 0 {
		t.Errorf("ok %d, failed %d; want %d, 0\n%s", out.OK, out.Failed, calls, r.stdout)
	}
	if float64(st.RateLimited) > 0.01*float64(st.Requests) {
		t.Errorf("%d of %d requests answered 429: more than 1%%", st.RateLimited, st.Requests)
	}
	if ratio < 0.9 {
		t.Errorf("measured rate %.0f/s is %.2f of the %d/s limit: want at least 0.90", rate, ratio, limit)
	}
}

// bulkCreateScript creates --n leads through pool, then resolves its
// failures the safe way: a failure whose outcome is unknown (ambiguous: the
// connection dropped after the create was sent, or a 5xx) is looked up by
// email first and created again only when absent; a failure known not to
// have been applied is simply retried. Leads may share an email, so a blind
// retry would duplicate them.
const bulkCreateScript = `
const n = args.flag("n", 2000), prefix = args.flag("prefix", "bulk");
const rows = Array.from({ length: n }, (_, i) => ({ email: prefix + "-" + i + "@bulk.test" }));
const create = (row) => intercom.contacts.create({ role: "lead", email: row.email, name: "Bulk " + row.email });

let failures = [];
const summary = await pool(rows, 16, (row) =>
  create(row).catch((err) => { failures.push({ row, err }); throw err; }));
const report = (f) => console.log("failed " + f.row.email + ": status " + f.err.status + " " + f.err.code +
  (f.err.ambiguous ? " ambiguous" : "") + ": " + f.err.message);
failures.forEach(report);
console.log("created " + summary.ok + ", failed " + summary.failed + " (" + summary.errors.length + " errors listed)");

let present = 0, recreated = 0;
for (let round = 1; failures.length > 0 && round <= 5; round++) {
  const again = [];
  await pool(failures, 8, async (f) => {
    if (f.err.ambiguous) {
      const found = await intercom.contacts.search({ query: { field: "email", operator: "=", value: f.row.email } }).first();
      if (found) { present++; return; }
    }
    try { await create(f.row); recreated++; }
    catch (err) { again.push({ row: f.row, err }); }
  });
  failures = again;
  failures.forEach(report);
}
console.log("resolved: " + present + " already present, " + recreated + " created again, " + failures.length + " unresolved");
if (failures.length > 0) exit(1);
`

func TestBulkCreatesThroughFaults(t *testing.T) {
	const n = 2000
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 11, Faults: "429=0.003,500=0.02,drop=0.015"})
	dir, script := writeScript(t, "create.js", bulkCreateScript)
	r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()},
		"--base-url", base, script, "--n", fmt.Sprint(n), "--prefix", "bulk").must(t, 0)
	st := sb.Stats()
	t.Logf("sandbox: %d requests, faults %v; stderr: %q", st.Requests, st.Faults, r.stderr)
	for _, kind := range []string{"429", "500", "drop"} {
		if st.Faults[kind] == 0 {
			t.Errorf("no %s fault was injected: the test proves nothing about it", kind)
		}
	}

	// Every failure is reported, with the email it tried and its error.
	failed := summaryNumber(t, r.stdout, `created \d+, failed (\d+) \((\d+) errors listed\)`)
	listed := summaryNumber(t, r.stdout, `failed \d+ \((\d+) errors listed\)`)
	lines := regexp.MustCompile(`(?m)^failed (bulk-\d+@bulk\.test): status \d+ \w+( ambiguous)?: .+$`).FindAllStringSubmatch(r.stdout, -1)
	firstRound := 0
	for _, l := range lines {
		if strings.Contains(r.stdout[:strings.Index(r.stdout, "created ")], l[0]) {
			firstRound++
		}
	}
	if failed == 0 || listed != failed || firstRound != failed {
		t.Errorf("pool reported %d failures and listed %d; the script printed %d before the summary\n%s", failed, listed, firstRound, r.stdout)
	}
	present := summaryNumber(t, r.stdout, `resolved: (\d+) already present`)
	again := summaryNumber(t, r.stdout, `(\d+) created again`)
	if present == 0 || again == 0 {
		t.Errorf("%d failures were applied anyway and %d were not: want some of each (drops and 500s)\n%s", present, again, r.stdout)
	}

	// Listing the workspace: every email exactly once.
	counts := map[string]int{}
	for _, c := range listContacts(t, sb, base) {
		if email, _ := c["email"].(string); strings.HasSuffix(email, "@bulk.test") {
			counts[email]++
		}
	}
	total := 0
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("bulk-%d@bulk.test", i)
		switch counts[email] {
		case 1:
		case 0:
			t.Errorf("%s was never created", email)
		default:
			t.Errorf("%s was created %d times", email, counts[email])
		}
		total += counts[email]
	}
	if len(counts) != n || total != n {
		t.Errorf("%d contacts with %d distinct test emails, want %d and %d", total, len(counts), n, n)
	}
}

// listContacts lists every contact through the API, with a client that
// retries what the sandbox's faults break.
func listContacts(t *testing.T, sb *sandbox.Sandbox, base string) []map[string]any {
	t.Helper()
	c, err := intercom.New(intercom.Config{Token: sb.Token(), BaseURL: base, MaxRetries: 10, BackoffBase: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	op := catalog.ByID("ListContacts")
	var out []map[string]any
	q := url.Values{"per_page": {"150"}}
	for {
		resp, err := c.Do(context.Background(), &intercom.Request{Op: op, Query: q})
		if err != nil {
			t.Fatalf("listing contacts: %v", err)
		}
		var page struct {
			Data  []map[string]any `json:"data"`
			Pages struct {
				Next struct {
					StartingAfter string `json:"starting_after"`
				} `json:"next"`
			} `json:"pages"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Data...)
		if page.Pages.Next.StartingAfter == "" || len(page.Data) == 0 {
			return out
		}
		q = url.Values{"per_page": {"150"}, "starting_after": {page.Pages.Next.StartingAfter}}
	}
}

// TestBulkInterrupt sends SIGINT to the binary in the middle of a long pool
// job: it stops at once, sends nothing more, exits 130 and prints how far
// it got (with --verbose, the request summary line).
func TestBulkInterrupt(t *testing.T) {
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 7, Latency: 2 * time.Millisecond})
	dir, script := writeScript(t, "update.js", bulkUpdateScript)
	p := startIcscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()}, "--base-url", base, "--verbose", script, "--n", "1000000")
	deadline := time.Now().Add(20 * time.Second)
	for sb.Stats().Requests < 500 {
		if p.done() {
			t.Fatalf("icscript exited before the job got going\nstdout:\n%s\nstderr:\n%s", p.stdout.String(), bulkTail(p.stderr.String(), 20))
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d requests after 20s", sb.Stats().Requests)
		}
		time.Sleep(5 * time.Millisecond)
	}
	sent := time.Now()
	code := p.stop(syscall.SIGINT, 10*time.Second)
	stdout, stderr := &p.stdout, &p.stderr
	stopped := time.Since(sent)
	requests := sb.Stats().Requests
	time.Sleep(200 * time.Millisecond)
	if after := sb.Stats().Requests; after != requests {
		t.Errorf("%d requests reached the sandbox after icscript exited", after-requests)
	}
	t.Logf("exited %s after SIGINT, %d requests in all; last stderr lines:\n%s", stopped.Round(time.Millisecond), requests, bulkTail(stderr.String(), 3))

	if code != exitInterrupted {
		t.Errorf("exit code %d, want %d", code, exitInterrupted)
	}
	if strings.Contains(stdout.String(), `"ok"`) {
		t.Errorf("the job finished before the interrupt: %s", stdout.String())
	}
	errText := stderr.String()
	m := regexp.MustCompile(`(?m)^icscript: (\d+) requests`).FindStringSubmatch(errText)
	if m == nil {
		t.Errorf("no request summary line on stderr:\n%s", bulkTail(errText, 10))
	} else if n, _ := fmt.Sscan(m[1], new(int)); n != 1 {
		t.Errorf("bad summary line %q", m[0])
	}
	if !strings.Contains(errText, "icscript: interrupted") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", bulkTail(errText, 10))
	}
}

func bulkLastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func bulkTail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestBulkIterate100kHeapBounded walks 100,000 contacts with for-await in
// the binary and reads the live heap after every garbage collection from the
// Go runtime (GODEBUG=gctrace=1, on the same stream as the script's page
// counts): it must not grow with the contacts seen, since a Pager holds the
// page being read and the one fetched ahead, nothing more. The sandbox is a
// separate `icscript sandbox` process, so the heap measured is the
// script's alone, and neither is slowed down by -race.
func TestBulkIterate100kHeapBounded(t *testing.T) {
	const contacts = 100000
	base, token := bulkServeSandbox(t, "--seed-contacts", fmt.Sprint(contacts), "--seed-companies", "10", "--seed-conversations", "10")
	dir, script := writeScript(t, "walk.js", `
let seen = 0;
for await (const c of intercom.contacts.list({ per_page: 150 })) {
  if (!c.id) throw new Error("contact without id");
  if (++seen % 5000 === 0) console.log("seen " + seen);
}
console.log("walked " + seen);
`)
	cmd := binaryCommand(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + token, "GODEBUG=gctrace=1"}, "--base-url", base, script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out // one pipe: GC lines and page counts in order
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, bulkTail(out.String(), 30))
	}
	if !strings.Contains(out.String(), fmt.Sprintf("walked %d\n", contacts)) {
		t.Fatalf("the walk did not see %d contacts:\n%s", contacts, bulkTail(out.String(), 30))
	}

	// "gc 12 @1.234s 2%: …, 9->10->4 MB, 9 MB goal, …": 4 MB live after the GC.
	gcLine := regexp.MustCompile(`^gc \d+ @.* (\d+)->(\d+)->(\d+) MB`)
	type sample struct{ seen, live int }
	var samples []sample
	seen := 0
	for _, line := range strings.Split(out.String(), "\n") {
		if n, ok := strings.CutPrefix(line, "seen "); ok {
			fmt.Sscan(n, &seen)
		} else if m := gcLine.FindStringSubmatch(line); m != nil {
			var live int
			fmt.Sscan(m[3], &live)
			samples = append(samples, sample{seen, live})
		}
	}
	var early, late, peak sample
	n := 0
	for _, s := range samples {
		if s.seen < 10000 {
			continue // startup: bundling, the first pages
		}
		n++
		if s.live > peak.live {
			peak = s
		}
		if s.seen < contacts/2 {
			early.live = max(early.live, s.live)
		} else {
			late.live = max(late.live, s.live)
		}
	}
	t.Logf("%d GCs while walking %d contacts; live heap after GC: peak %d MB (after %d contacts), first half ≤ %d MB, second half ≤ %d MB",
		n, contacts, peak.live, peak.seen, early.live, late.live)
	if n < 10 {
		t.Fatalf("only %d GCs after the first 10,000 contacts: too few samples\n%s", n, bulkTail(out.String(), 30))
	}
	// 100,000 contacts as JS objects take hundreds of MB: any retention shows.
	if peak.live > 64 {
		t.Errorf("live heap reached %d MB after %d contacts: want ≤ 64 MB", peak.live, peak.seen)
	}
	if late.live > early.live+16 {
		t.Errorf("live heap grew from ≤ %d MB in the first half of the walk to %d MB in the second", early.live, late.live)
	}
}

// bulkServeSandbox starts `icscript sandbox` with flags on a free loopback
// port and returns its base URL and token; it is stopped when the test ends.
func bulkServeSandbox(t *testing.T, flags ...string) (base, token string) {
	t.Helper()
	cmd := exec.Command(icscriptBinary(t), append([]string{"sandbox", "--addr", "127.0.0.1:0"}, flags...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	timeout := time.After(60 * time.Second)
	for base == "" || token == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("icscript sandbox exited: %s", &stderr)
			}
			if u, ok := strings.CutPrefix(line, "icscript sandbox: serving Intercom API 2.10 at "); ok {
				base = strings.TrimSpace(u)
			}
			if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "token:"); ok {
				token = strings.TrimSpace(tok)
			}
		case <-timeout:
			t.Fatalf("icscript sandbox did not start within 60s: %s", &stderr)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return base, token
}
