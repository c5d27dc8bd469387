package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/internal/safety"
)

// tenMutations changes the workspace ten times, reading in between.
const tenMutations = `
const contacts = await intercom.contacts.list().first(3);
const tag = await intercom.tags.create({ name: "dry-run-test" });
for (const c of contacts) {
  await intercom.contacts.update(c.id, { name: "Renamed " + c.id });
  await intercom.tags.tagContact(c.id, { id: tag.id || "1" });
}
await intercom.contacts.create({ email: "new1@example.com" });
await intercom.contacts.create({ email: "new2@example.com" });
await intercom.conversations.close((await intercom.conversations.list().first()).id, "bye");
console.log("done");
`

func TestDryRunChangesNothing(t *testing.T) {
	sb, env, flags := servedSandbox(t)
	before, err := sb.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := writeScript(t, "x.js", tenMutations)
	r := icscript(t, dir, env, append(flags, "--dry-run", "x.js")...).must(t, 0)
	after, _ := sb.Snapshot()
	if !bytes.Equal(before, after) {
		t.Fatal("a dry run changed the sandbox")
	}
	if n := strings.Count(r.stderr, "dry run: would "); n != 10 {
		t.Fatalf("%d dry-run lines, want 10:\n%s", n, r.stderr)
	}
	r.contains(t, "dry run: would contacts.update PUT /contacts/", `"name":"Renamed `, "10 mutations not sent (dry run)")
}

func TestIrreversibleNeedsYesWithoutATerminal(t *testing.T) {
	sb, env, flags := servedSandbox(t)
	dir, _ := writeScript(t, "x.js", `
const c = await intercom.contacts.list().first();
console.log("deleting", c.id);
await intercom.contacts.delete(c.id);
console.log("deleted");
`)
	before, _ := sb.Snapshot()
	r := icscript(t, dir, env, append(flags, "x.js")...).must(t, exitStopped)
	r.contains(t, "contacts.delete", "irreversible", "--yes")
	if strings.Contains(r.stdout, "deleted\n") {
		t.Fatal("the delete went through")
	}
	after, _ := sb.Snapshot()
	if !bytes.Equal(before, after) {
		t.Fatal("a refused delete changed the sandbox")
	}
	icscript(t, dir, env, append(flags, "--yes", "x.js")...).must(t, 0).contains(t, "deleted")
	// The in-process sandbox is never guarded.
	icscript(t, dir, nil, "--sandbox", "x.js").must(t, 0).contains(t, "deleted")
}

func TestAuditLogRecordsEveryMutation(t *testing.T) {
	_, env, flags := servedSandbox(t)
	dir, _ := writeScript(t, "x.js", `
const c = await intercom.contacts.list().first();
await intercom.contacts.update(c.id, { name: "Audited" });
try { await intercom.contacts.update("no-such-contact", { name: "x" }); } catch (e) { console.log("failed", e.status); }
await intercom.contacts.find(c.id);
`)
	icscript(t, dir, env, append(flags, "x.js")...).must(t, 0).contains(t, "failed 404")
	entries := readAudit(t, filepath.Join(dir, ".icscript", "audit.jsonl"))
	if len(entries) != 4 {
		t.Fatalf("%d audit lines, want 4 (start and done of two updates): %v", len(entries), entries)
	}
	for i, e := range entries {
		wantPhase := []string{"start", "done"}[i%2]
		if e.Phase != wantPhase || e.Operation != "contacts.update" || e.Method != "PUT" || e.Script != "x.js" {
			t.Errorf("line %d: %+v", i, e)
		}
		if e.Body != nil {
			t.Errorf("line %d has a body without --audit-bodies", i)
		}
	}
	if entries[1].Status != 200 || entries[1].RequestID == "" || entries[3].Status != 404 || entries[3].Error == "" {
		t.Errorf("done lines lack status, request id or error: %+v / %+v", entries[1], entries[3])
	}
	// --audit FILE --audit-bodies; --no-audit writes nothing.
	other := filepath.Join(t.TempDir(), "audit.jsonl")
	icscript(t, dir, env, append(flags, "--audit", other, "--audit-bodies", "x.js")...).must(t, 0)
	if e := readAudit(t, other); len(e) != 4 || !strings.Contains(string(e[0].Body), "Audited") {
		t.Fatalf("--audit-bodies: %+v", e)
	}
	os.RemoveAll(filepath.Join(dir, ".icscript"))
	icscript(t, dir, env, append(flags, "--no-audit", "x.js")...).must(t, 0)
	if _, err := os.Stat(filepath.Join(dir, ".icscript")); err == nil {
		t.Fatal("--no-audit wrote an audit log")
	}
}

func readAudit(t *testing.T, path string) []safety.AuditEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []safety.AuditEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e safety.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line is not JSON: %q", sc.Text())
		}
		out = append(out, e)
	}
	return out
}

func TestProfiles(t *testing.T) {
	sb, _, flags := servedSandbox(t)
	home := t.TempDir()
	cfgDir := filepath.Join(home, "icscript")
	os.MkdirAll(cfgDir, 0o755)
	os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(`
[profile.sb]
token_env = "SB_TOKEN"
[profile.cmd]
token_command = "echo `+sb.Token()+`"
[profile.broken]
token_command = "echo nope >&2; exit 3"
`), 0o600)
	dir, _ := writeScript(t, "x.js", `console.log((await intercom.me).name)`)
	env := []string{"XDG_CONFIG_HOME=" + home, "SB_TOKEN=" + sb.Token()}
	run := func(args ...string) result {
		return icscript(t, dir, env, append(append([]string{}, flags...), args...)...)
	}
	run("--profile", "sb", "x.js").must(t, 0).contains(t, "Ana Silva")
	run("--profile", "cmd", "x.js").must(t, 0).contains(t, "Ana Silva")
	run("--profile", "sbb", "x.js").must(t, 2).contains(t, `no profile "sbb"`, `did you mean "sb"?`)
	run("--profile", "broken", "x.js").must(t, 2).contains(t, `profile "broken": token_command failed`, "nope")
	icscript(t, dir, []string{"XDG_CONFIG_HOME=" + home}, append(append([]string{}, flags...), "--profile", "sb", "x.js")...).
		must(t, 2).contains(t, "$SB_TOKEN, which is not set")
}

// TestSecretsNeverPrinted runs with a recognisable token and --verbose
// through successes, API errors and a crash: the token appears nowhere.
func TestSecretsNeverPrinted(t *testing.T) {
	_, _, flags := servedSandbox(t)
	const secret = "tok_SECRET_4242_do_not_print"
	dir, _ := writeScript(t, "x.js", `
console.log(env);
console.log(JSON.stringify(env));
try { await intercom.contacts.find("x"); } catch (e) { console.log(e, e.stack, JSON.stringify(e)); }
await intercom.contacts.update("y", { name: "z" });
`)
	env := []string{"INTERCOM_ACCESS_TOKEN=" + secret}
	r := icscript(t, dir, env, append(flags, "--verbose", "--audit-bodies", "x.js")...)
	if r.code == 0 {
		t.Fatal("the run with a wrong token should fail")
	}
	audit, _ := os.ReadFile(filepath.Join(dir, ".icscript", "audit.jsonl"))
	for name, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "audit": string(audit)} {
		if strings.Contains(text, secret) || strings.Contains(text, "SECRET_4242") {
			t.Errorf("the token appears in %s:\n%s", name, text)
		}
	}
	if !strings.Contains(r.stderr, "401") {
		t.Errorf("expected the 401 in stderr:\n%s", r.stderr)
	}
}
