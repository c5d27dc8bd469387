package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// loggedSandbox is a served sandbox that records every request it
// receives ("METHOD /path"), the wire's own account of what was sent.
type loggedSandbox struct {
	sb     *sandbox.Sandbox
	base   string
	mu     sync.Mutex
	reqs   []string
	logged int64 // all requests logged so far
}

func startLoggedSandbox(t *testing.T) *loggedSandbox {
	t.Helper()
	l := &loggedSandbox{}
	l.sb, l.base = sandboxtest.Start(t, sandbox.Options{Seed: 7, Contacts: 8, Logf: func(format string, args ...any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.reqs = append(l.reqs, fmt.Sprintf("%s %s", args[0], args[1]))
		l.logged++
	}})
	return l
}

func (l *loggedSandbox) env() []string   { return []string{"INTERCOM_ACCESS_TOKEN=" + l.sb.Token()} }
func (l *loggedSandbox) flags() []string { return []string{"--base-url", l.base} }

// requests returns the requests received since the last call. The
// sandbox logs a request after answering it, so it first waits (a bound,
// not a timing check) until every request it counted is logged.
func (l *loggedSandbox) requests() []string {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		l.mu.Lock()
		done := l.logged >= l.sb.Stats().Requests
		l.mu.Unlock()
		if done {
			break
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// contacts lists the sandbox's contacts over HTTP: id → name.
func (l *loggedSandbox) contacts(t *testing.T) (ids []string, names map[string]string) {
	t.Helper()
	req, _ := http.NewRequest("GET", l.base+"/contacts?per_page=50", nil)
	req.Header.Set("Authorization", "Bearer "+l.sb.Token())
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data []struct{ ID, Name string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	names = map[string]string{}
	for _, c := range body.Data {
		ids = append(ids, c.ID)
		names[c.ID] = c.Name
	}
	sort.Strings(ids)
	l.requests() // the test's own
	return ids, names
}

// TestIrreversibleStopsTheWholeRun: without a terminal and without --yes,
// an irreversible call stops the run wherever it stands — in pool,
// forEach, Promise.all or try/catch: nothing is sent after it (the
// sandbox's request log), the exit code is 3 and stderr says why.
func TestIrreversibleStopsTheWholeRun(t *testing.T) {
	l := startLoggedSandbox(t)
	ids, _ := l.contacts(t)
	a, b, c, d, e := ids[0], ids[1], ids[2], ids[3], ids[4]
	upd := func(id string) string { return fmt.Sprintf(`intercom.contacts.update(%q, { name: "after-stop" })`, id) }
	jobs := fmt.Sprintf(`[["u", %q], ["u", %q], ["d", %q], ["u", %q], ["u", %q]]`, a, b, c, d, e)
	do := `async ([k, id]) => k === "d" ? intercom.contacts.delete(id) : intercom.contacts.update(id, { name: "after-stop" })`
	modes := []struct {
		name, src string
		before    []string // requests sent before the refusal
	}{
		{"pool", `const s = await pool(` + jobs + `, 1, ` + do + `); console.log("finished", JSON.stringify(s));`,
			[]string{"PUT /contacts/" + a, "PUT /contacts/" + b}},
		{"forEach", `let n = 0;
const s = await intercom.contacts.list({ per_page: 50 }).forEach(async (ct) => {
  const i = n++;
  return i === 2 ? intercom.contacts.delete(ct.id) : intercom.contacts.update(ct.id, { name: "after-stop" });
}, { concurrency: 1 }); console.log("finished", JSON.stringify(s));`, nil},
		{"Promise.all", `await ` + upd(a) + `;
const del = intercom.contacts.delete(` + fmt.Sprintf("%q", c) + `);
await Promise.all([del, ...[` + fmt.Sprintf("%q, %q", d, e) + `].map((id) => del.catch(() => {}).then(() => intercom.contacts.update(id, { name: "after-stop" })))]);
console.log("finished");`, []string{"PUT /contacts/" + a}},
		{"try/catch", `await ` + upd(a) + `;
try { await intercom.contacts.delete(` + fmt.Sprintf("%q", c) + `); } catch (err) { console.log("caught", err.message); }
await ` + upd(d) + `; await intercom.contacts.find(` + fmt.Sprintf("%q", e) + `);
console.log("finished");`, []string{"PUT /contacts/" + a}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			l.sb.Close()
			l = startLoggedSandbox(t)
			l.contacts(t)
			dir, _ := writeScript(t, "x.js", m.src)
			r := icscript(t, dir, l.env(), append(l.flags(), "x.js")...).must(t, 3)
			got := l.requests()
			if m.name == "forEach" {
				// The page read, then the updates of the first two contacts in list order.
				if len(got) < 1 || !strings.HasPrefix(got[0], "GET /contacts") {
					t.Fatalf("requests %v", got)
				}
				for _, g := range got[1:] {
					if !strings.HasPrefix(g, "PUT /contacts/") {
						t.Errorf("unexpected request %q", g)
					}
				}
				if len(got) != 3 {
					t.Errorf("%d requests; after the refused delete (third item) nothing should be sent: %v", len(got), got)
				}
			} else if strings.Join(got, "\n") != strings.Join(m.before, "\n") {
				t.Errorf("requests received:\n%s\nwant only those before the refusal:\n%s", strings.Join(got, "\n"), strings.Join(m.before, "\n"))
			}
			if strings.Contains(r.stdout, "finished") || strings.Contains(r.stdout, "caught") {
				t.Errorf("the script went on after the refusal:\n%s", r.stdout)
			}
			r.contains(t, "icscript: stopped:", "contacts.delete", "irreversible", l.base, "--yes", "--dry-run", "nothing was sent after that")
			applied := len(m.before)
			if m.before == nil {
				applied = 2
			}
			r.contains(t, intercom.Count(int64(applied), "mutation", "mutations")+" applied")
			// The contact to delete is still there.
			ids2, _ := l.contacts(t)
			if len(ids2) != len(ids) {
				t.Errorf("%d contacts after the run, want %d", len(ids2), len(ids))
			}
		})
	}
}

// irreversibleByRule is the set of irreversible operations, read from the
// description by the README's rule: deleting a resource (a DELETE whose
// path has one parameter, the resource's own id — not a detach), merging
// (by the summary, or the description's first words for converting a
// visitor), redacting, sending a message and a phone redirect.
func irreversibleByRule(t *testing.T) map[string]struct{ method, path string } {
	t.Helper()
	raw, err := os.ReadFile(testsupport.SharedFile(t, "intercom-2.10.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
			Summary     string `yaml:"summary"`
			Description string `yaml:"description"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	out := map[string]struct{ method, path string }{}
	for p, ops := range doc.Paths {
		for m, op := range ops {
			m = strings.ToUpper(m)
			switch {
			case m == "DELETE" && len(param.FindAllString(p, -1)) == 1,
				m == "POST" && (strings.HasPrefix(op.Summary, "Merge") || strings.HasPrefix(op.Summary, "Redact")),
				m == "POST" && strings.HasPrefix(op.Description, "You can merge"), // convertVisitor: "Convert a visitor" merges it into a contact
				m == "POST" && (p == "/messages" || p == "/phone_call_redirects"):
				out[op.OperationID] = struct{ method, path string }{m, p}
			}
		}
	}
	return out
}

// TestGuardRefusesEveryIrreversibleOperation: each irreversible operation
// of the description, reached with intercom.raw, is refused without a
// terminal and nothing reaches the server; so are encoded paths and
// mutations to paths that match no operation (their effect is unknown).
func TestGuardRefusesEveryIrreversibleOperation(t *testing.T) {
	want := irreversibleByRule(t)
	for _, op := range catalog.Operations {
		_, in := want[op.ID]
		if op.Irreversible != in {
			t.Errorf("%s: catalogue says irreversible=%v, the rule says %v", op.ID, op.Irreversible, in)
		}
	}
	type call struct{ name, method, path string }
	var calls []call
	param := regexp.MustCompile(`\{[^}]+\}`)
	for id, w := range want {
		calls = append(calls, call{id, w.method, param.ReplaceAllString(w.path, "x1")})
	}
	sort.Slice(calls, func(i, j int) bool { return calls[i].name < calls[j].name })
	calls = append(calls,
		call{"encoded letter", "DELETE", "/%63ontacts/x1"},
		call{"encoded merge", "POST", "/%63ontacts/merge"},
		call{"unknown path", "POST", "/no/such/thing"},
		call{"unknown delete", "DELETE", "/contacts/x1/no-such"},
	)
	l := startLoggedSandbox(t)
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := writeScript(t, "x.js", fmt.Sprintf(`
try { await intercom.raw(%q, %q, { body: {} }); console.log("sent"); } catch (e) { console.log("caught", e.message); }
console.log("finished");`, c.method, c.path))
			l.requests()
			r := icscript(t, dir, l.env(), append(l.flags(), "x.js")...).must(t, 3)
			r.contains(t, "icscript: stopped:", c.method, "--yes")
			if got := l.requests(); len(got) != 0 {
				t.Errorf("the server received %v", got)
			}
			if strings.Contains(r.stdout, "finished") {
				t.Errorf("the script went on:\n%s", r.stdout)
			}
			// Nothing applied: the log holds the refusal's lines, or (created at
			// the first line) is not there at all.
			if _, err := os.Stat(filepath.Join(dir, ".icscript", "audit.jsonl")); err != nil {
				return
			}
			if audit := readAudit(t, filepath.Join(dir, ".icscript", "audit.jsonl")); len(audit) > 0 && audit[0].Operation == "" {
				t.Errorf("the audit line names no operation: %+v", audit[0])
			}
		})
	}
	// An encoded slash is ambiguous (servers differ on whether it splits the
	// path): intercom.raw refuses it with a TypeError, nothing sent.
	dir0, _ := writeScript(t, "x.js", `try { await intercom.raw("DELETE", "/contacts%2Fx1", { body: {} }); } catch (e) { console.log(e.name, e.message); }`)
	l.requests()
	r0 := icscript(t, dir0, l.env(), append(l.flags(), "x.js")...).must(t, 0)
	r0.contains(t, "TypeError", `encoded "/"`)
	if got := l.requests(); len(got) != 0 {
		t.Errorf("the server received %v", got)
	}
	// A read to any path is not guarded; --yes lets a raw delete through.
	dir, _ := writeScript(t, "x.js", `await intercom.raw("GET", "/contacts"); console.log("read");`)
	icscript(t, dir, l.env(), append(l.flags(), "x.js")...).must(t, 0).contains(t, "read")
	ids, _ := l.contacts(t)
	dir, _ = writeScript(t, "y.js", fmt.Sprintf(`await intercom.raw("DELETE", "/contacts/%s"); console.log("deleted");`, ids[0]))
	icscript(t, dir, l.env(), append(l.flags(), "--yes", "y.js")...).must(t, 0).contains(t, "deleted")
	if a := readAudit(t, filepath.Join(dir, ".icscript", "audit.jsonl")); len(a) != 2 || a[0].Operation != "contacts.delete" {
		t.Errorf("audit of a raw delete: %+v", a)
	}
}

// TestAuditUnwritableStopsTheRun: a mutation whose audit line cannot be
// written is not sent; the run stops naming the file and the OS error.
func TestAuditUnwritableStopsTheRun(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	l := startLoggedSandbox(t)
	ids, names := l.contacts(t)
	dir, _ := writeScript(t, "x.js", fmt.Sprintf(`
await intercom.contacts.find(%[1]q);
try { await intercom.contacts.update(%[1]q, { name: "unaudited" }); } catch (e) { console.log("caught"); }
await intercom.contacts.update(%[1]q, { name: "unaudited2" });
console.log("finished");`, ids[0]))
	r := icscript(t, dir, l.env(), append(l.flags(), "--audit", "/dev/full", "x.js")...).must(t, 3)
	r.contains(t, "audit log /dev/full could not be written", "no space left on device", "contacts.update", "was not sent")
	if got := l.requests(); len(got) != 1 || !strings.HasPrefix(got[0], "GET ") {
		t.Errorf("requests received: %v; want only the read", got)
	}
	if _, after := l.contacts(t); after[ids[0]] != names[ids[0]] {
		t.Errorf("the contact was renamed to %q", after[ids[0]])
	}
	// A log that cannot be opened stops the run before anything is sent.
	r = icscript(t, dir, l.env(), append(l.flags(), "--audit", filepath.Join(dir, "x.js", "audit.jsonl"), "x.js")...)
	if r.code == 0 || !strings.Contains(r.stderr, "audit log") {
		t.Errorf("an unopenable audit log: exit %d\n%s", r.code, r.stderr)
	}
	if got := l.requests(); len(got) != 0 {
		t.Errorf("requests received: %v", got)
	}
}

// TestAuditDoneLineUnwritable: a file size limit (ulimit -f, which Go
// programs meet as EFBIG, not as a signal) lets a mutation's start line in
// and not its done line. The mutation was sent and applied; the run stops
// there (exit 3, nothing sent after it), prints the done line on stderr so
// it is not lost, and leaves no torn line in the log.
func TestAuditDoneLineUnwritable(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for ulimit")
	}
	l := startLoggedSandbox(t)
	ids, names := l.contacts(t)
	dir, _ := writeScript(t, "x.js", fmt.Sprintf(`
await intercom.contacts.update(%[1]q, { name: "first" });
await intercom.contacts.update(%[2]q, { name: "second" });
console.log("finished");`, ids[0], ids[1]))
	audit := filepath.Join(t.TempDir(), "audit.jsonl")

	// The start line's length, from a dry run writing to the same path
	// (same script, same path, same operation: only the time's digits vary).
	icscript(t, dir, l.env(), append(l.flags(), "--dry-run", "--audit", audit, "x.js")...).must(t, 0)
	raw, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	start := len(strings.SplitAfter(string(raw), "\n")[0])
	if len(l.requests()) != 0 {
		t.Fatal("the dry run sent requests")
	}

	// Fill the log so that the start line (±9 digits of nanoseconds) fits
	// under a 4 KiB limit and the done line (status, request id and
	// duration added: 40 bytes and more) does not.
	const limit = 4 * 1024
	pad := limit - start - 12 - len(`{"filler":""}`+"\n")
	filler := `{"filler":"` + strings.Repeat("x", pad) + `"}` + "\n"
	if err := os.WriteFile(audit, []byte(filler), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := binaryCommand(t, dir, l.env(), append(l.flags(), "--audit", audit, "x.js")...)
	cmd.Args = append([]string{bash, "-c", `ulimit -f 4 && exec "$@"`, "bash", cmd.Path}, cmd.Args[1:]...)
	cmd.Path = bash
	r := runCommand(t, cmd)
	r.must(t, 3).contains(t, "could not be written", "file too large", "its line for contacts.update", `"phase":"done"`, `"status":200`, "after contacts.update")
	if strings.Contains(r.stdout, "finished") {
		t.Error("the script went on after the stop")
	}
	if got := l.requests(); len(got) != 1 || !strings.HasPrefix(got[0], "PUT ") {
		t.Errorf("requests received: %v; want the first update only", got)
	}
	if _, after := l.contacts(t); after[ids[0]] != "first" || after[ids[1]] != names[ids[1]] {
		t.Errorf("names after the run: %q, %q; want the first renamed, the second not", after[ids[0]], after[ids[1]])
	}
	raw, err = os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if !strings.HasSuffix(string(raw), "\n") || len(lines) != 2 {
		t.Fatalf("the log holds %d lines (want the filler and the start line), whole lines only; the last: %q", len(lines), lines[len(lines)-1])
	}
	var e safety.AuditEntry
	if err := json.Unmarshal([]byte(lines[1]), &e); err != nil || e.Phase != "start" || e.Operation != "contacts.update" {
		t.Errorf("second line %q: %v", lines[1], err)
	}
}

// TestAuditConcurrentRunsWriteWholeLines: four runs append long lines
// (bodies of 20 kB, far past PIPE_BUF) to one audit file at once; every
// line is whole JSON and none is lost.
func TestAuditConcurrentRunsWriteWholeLines(t *testing.T) {
	l := startLoggedSandbox(t)
	ids, _ := l.contacts(t)
	const perRun, runs = 40, 4
	dir, _ := writeScript(t, "x.js", fmt.Sprintf(`
const ids = %s;
const s = await pool(Array.from({ length: %d }, (_, i) => i), 4, (i) =>
  intercom.contacts.update(ids[i %% ids.length], { name: "n" + args.positional[0] + "-" + i + "-" + "x".repeat(20000) }));
console.log(s.ok, s.failed);`, string(mustJSON(ids)), perRun))
	audit := filepath.Join(t.TempDir(), "audit.jsonl")
	var wg sync.WaitGroup
	results := make([]result, runs)
	for i := 0; i < runs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = icscript(t, dir, l.env(), append(l.flags(), "--audit", audit, "--audit-bodies", "x.js", fmt.Sprint(i))...)
		}(i)
	}
	wg.Wait()
	for i, r := range results {
		r.must(t, 0).contains(t, fmt.Sprintf("%d 0", perRun))
		_ = i
	}
	raw, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	bad := 0
	for _, line := range lines {
		var e safety.AuditEntry
		if json.Unmarshal([]byte(line), &e) != nil || len(e.Body) < 20000 {
			bad++
		}
	}
	if bad > 0 || len(lines) != 2*perRun*runs {
		t.Fatalf("%d lines (want %d), %d of them not a whole JSON line with its body", len(lines), 2*perRun*runs, bad)
	}
}

// TestIrreversibleAnsweredNoStopsTheRun: on a terminal the run asks once;
// "no" ends the run there (the rest of its work is not done silently),
// "yes" allows the run's irreversible calls.
func TestIrreversibleAnsweredNoStopsTheRun(t *testing.T) {
	l := startLoggedSandbox(t)
	ids, _ := l.contacts(t)
	src := fmt.Sprintf(`
await intercom.contacts.update(%[1]q, { name: "before" });
try { await intercom.contacts.delete(%[2]q); } catch (e) { console.log("caught"); }
await intercom.contacts.update(%[3]q, { name: "after" });
console.log("finished");`, ids[0], ids[1], ids[2])
	for _, answer := range []string{"n", "y"} {
		t.Run(answer, func(t *testing.T) {
			e := newREPLEnv(t, l.env()...)
			if err := os.WriteFile(filepath.Join(e.dir, "x.js"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			l.requests()
			r := startREPL(t, e, append(l.flags(), "x.js")...)
			r.Expect("contacts.delete")
			r.Expect("[y/N]")
			r.Line(answer)
			if err := r.Wait(); err != nil && answer == "y" {
				t.Fatalf("%v\n%s", err, r.Screen())
			}
			// On a terminal the workspace notice reads GET /me first; the
			// script's own requests follow.
			got := l.requests()
			if len(got) > 0 && got[0] == "GET /me" {
				got = got[1:]
			}
			if answer == "n" {
				if code := r.Cmd.ProcessState.ExitCode(); code != exitStopped {
					t.Errorf("exit %d, want %d\n%s", code, exitStopped, r.Screen())
				}
				if len(got) != 1 || strings.Contains(r.Screen(), "finished") || strings.Contains(r.Screen(), "caught") {
					t.Errorf("after the no: requests %v\n%s", got, r.Screen())
				}
				r.Expect("you did not confirm it")
				r.Expect("1 mutation applied")
			} else {
				if len(got) != 3 {
					t.Errorf("after the yes: requests %v\n%s", got, r.Screen())
				}
				r.Expect("finished")
			}
		})
	}
}
