package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/webhook"
)

const e2eSecret = "e2e-client-secret-0123456789"

// listenURL is the address a listener printed.
func listenURL(t *testing.T, p *process) string {
	t.Helper()
	p.waitStderr("receiving at ")
	m := regexp.MustCompile(`receiving at (http://\S+/)`).FindStringSubmatch(p.stderr.String())
	if m == nil {
		t.Fatalf("no address in %s", p.stderr.String())
	}
	return m[1]
}

// deliver POSTs a signed notification of topic with id and item.
func deliver(t *testing.T, url, id, topic string, item any) int {
	t.Helper()
	code, err := send(url, id, topic, item)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// send is deliver for any goroutine.
func send(url, id, topic string, item any) (int, error) {
	raw, _ := json.Marshal(item)
	body, _ := json.Marshal(webhook.NewEvent(id, "app", topic, raw, 1700000000))
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set(webhook.SignatureHeader, webhook.Sign([]byte(e2eSecret), body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Fields(string(data))
}

// TestListenSandboxEventsDriveAHandler: a conversation created in the
// in-process sandbox reaches the handler, which tags the contact; the API
// shows the tag. A handler that throws is logged with file:line and the
// server goes on.
func TestListenSandboxEventsDriveAHandler(t *testing.T) {
	dir, _ := writeScript(t, "on-new.js", `export default {
  "conversation.user.created": async (event) => {
    const conv = event.data.item;
    if (!/refund/i.test(conv.source.body)) return;
    const tag = await intercom.tags.create({ name: "refund-request" });
    await intercom.tags.tagContact(conv.contacts.contacts[0].id, { id: tag.id });
  },
  "conversation.user.replied": async (event) => {
    throw new Error("no reply handling yet");
  },
};
`)
	p := startIcscript(t, dir, nil, "listen", "--sandbox", "--addr", "127.0.0.1:0", "on-new.js")
	listenURL(t, p)
	p.waitStderr("sends its notifications here")
	m := regexp.MustCompile(`sandbox at (\S+) \(token (\S+)\)`).FindStringSubmatch(p.stderr.String())
	base, tok := m[1], m[2]
	api := func(method, path string, body any) map[string]any {
		t.Helper()
		out, err := sandboxCall(t.Context(), base, tok, method, path, body)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		json.Unmarshal(out, &v)
		return v
	}
	contacts := api("GET", "/contacts?per_page=1", nil)
	contact := contacts["data"].([]any)[0].(map[string]any)["id"].(string)
	msg := api("POST", "/conversations", map[string]any{"from": map[string]any{"type": "user", "id": contact}, "body": "I want a refund"})
	p.waitStderr("conversation.user.created: handled")
	tags := api("GET", "/contacts/"+contact+"/tags", nil)
	if !strings.Contains(fmt.Sprint(tags), "refund-request") {
		t.Errorf("the contact's tags after the handler: %v", tags)
	}
	api("POST", "/conversations/"+msg["conversation_id"].(string)+"/reply", map[string]any{"type": "user", "message_type": "comment", "intercom_user_id": contact, "body": "hello?"})
	p.waitStderr("conversation.user.replied: handler failed: no reply handling yet")
	p.waitStderr("on-new.js:9:")
	// The server goes on after the failure.
	api("POST", "/conversations", map[string]any{"from": map[string]any{"type": "user", "id": contact}, "body": "plain question"})
	p.waitOutput(func() bool { return strings.Count(p.stderr.String(), "conversation.user.created: handled") == 2 }, "the second conversation was not handled")
	if code := p.stop(syscall.SIGINT, time.Minute); code != exitInterrupted {
		t.Errorf("exit %d after Ctrl-C", code)
	}
}

// TestListenKill9LosesNothing: deliveries acknowledged before a kill -9 of
// the listener are handled exactly once after a restart, and an id
// delivered again after it is dropped.
func TestListenKill9LosesNothing(t *testing.T) {
	dir, _ := writeScript(t, "h.js", `export default {
  "*": async (event) => {
    while (!fs.exists("gate")) await sleep(20);
    fs.appendText("handled.txt", event.id + "\n");
  },
};
`)
	env := []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}
	args := []string{"listen", "--addr", "127.0.0.1:0", "--concurrency", "1", "--sandbox", "h.js"}
	p := startIcscript(t, dir, env, args...)
	url := listenURL(t, p)
	var ids []string
	for i := range 5 {
		id := fmt.Sprintf("notif_kill_%d", i)
		ids = append(ids, id)
		if code := deliver(t, url, id, "conversation.user.created", map[string]any{"type": "conversation", "id": id}); code != http.StatusOK {
			t.Fatalf("delivery %s: %d", id, code)
		}
	}
	p.cmd.Process.Kill() // SIGKILL: no chance to tidy up
	<-p.exited
	if got := lines(t, filepath.Join(dir, "handled.txt")); len(got) != 0 {
		t.Fatalf("handled before the gate opened: %v", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "gate"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p2 := startIcscript(t, dir, env, args...)
	url = listenURL(t, p2)
	p2.waitStderr("resuming 5 deliveries")
	p2.waitOutput(func() bool { return len(lines(t, filepath.Join(dir, "handled.txt"))) >= 5 }, "not every delivery was handled after the restart")
	if code := deliver(t, url, ids[0], "conversation.user.created", map[string]any{"type": "conversation"}); code != http.StatusOK {
		t.Fatalf("replayed delivery: %d", code)
	}
	p2.waitStderr(ids[0] + " conversation.user.created: delivered before, dropped")
	if code := deliver(t, url, "notif_after", "contact.user.created", map[string]any{"type": "contact"}); code != http.StatusOK {
		t.Fatal(code)
	}
	p2.waitStderr("notif_after contact.user.created: handled")
	got := lines(t, filepath.Join(dir, "handled.txt"))
	sort.Strings(got)
	want := append(append([]string(nil), ids...), "notif_after")
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("handled %v, want each of %v once", got, want)
	}
	// Signatures are checked: an unsigned delivery is refused.
	resp, err := http.Post(url, "application/json", strings.NewReader(`{"type":"notification_event","id":"x","topic":"ping"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned delivery: %d, want 401", resp.StatusCode)
	}
	if strings.Contains(p2.stderr.String()+p2.stdout.String(), e2eSecret) {
		t.Error("the client secret was printed")
	}
}

// sandboxOf is the in-process sandbox's URL and token a listener printed.
func sandboxOf(t *testing.T, p *process) (string, string) {
	t.Helper()
	p.waitStderr("sends its notifications here")
	m := regexp.MustCompile(`sandbox at (\S+) \(token (\S+)\)`).FindStringSubmatch(p.stderr.String())
	return m[1], m[2]
}

// TestTriggerSetAndReplay: trigger sends a conversation of the listener's
// sandbox with a --set override; the handler closes it there; replay runs
// the journal's delivery again with --topic and --dry-run. A handler that
// prints the app's client secret (here a literal, as a script could read it
// from anywhere) shows it redacted, in listen and in replay.
func TestTriggerSetAndReplay(t *testing.T) {
	dir, _ := writeScript(t, "h.js", `export default {
  "conversation.user.created": async (event) => {
    console.log("body:", event.data.item.source.body);
    console.log("key:", "`+e2eSecret+`");
    await intercom.conversations.close(event.data.item.id, "closed by a handler");
  },
};
`)
	env := []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}
	p := startIcscript(t, dir, env, "listen", "--sandbox", "--addr", "127.0.0.1:0", "--journal", "events.jsonl", "h.js")
	url := listenURL(t, p)
	base, tok := sandboxOf(t, p)
	tr := icscript(t, dir, append(env, "INTERCOM_ACCESS_TOKEN="+tok), "trigger", "conversation.user.created",
		"--url", url, "--sandbox-url", base, "--set", "data.item.source.body=I want a refund")
	tr.must(t, exitOK)
	p.waitStdout("body: I want a refund", 1)
	p.waitStderr("conversation.user.created: handled")
	var item struct{ ID string }
	webhook.ReadJournal(filepath.Join(dir, "events.jsonl"), func(r *webhook.Record) {
		var ev webhook.Event
		json.Unmarshal(r.Body, &ev)
		json.Unmarshal(ev.Data.Item, &item)
	})
	conv, err := sandboxCall(t.Context(), base, tok, "GET", "/conversations/"+item.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(conv), `"state":"closed"`) {
		t.Errorf("the triggered conversation %s is not closed: %.300s", item.ID, conv)
	}
	if out := p.stdout.String() + p.stderr.String(); strings.Contains(out, e2eSecret) || !strings.Contains(out, "key:") {
		t.Errorf("listen printed the client secret, or the handler's line is missing:\n%s", out)
	}
	p.stop(syscall.SIGINT, time.Minute)

	// A wrong secret is refused by the listener.
	p = startIcscript(t, dir, env, "listen", "--addr", "127.0.0.1:0", "--journal", "other.jsonl", "--sandbox", "h.js")
	url = listenURL(t, p)
	bad := icscript(t, dir, []string{"INTERCOM_CLIENT_SECRET=not-the-secret-at-all"}, "trigger", "conversation.user.created", "--url", url)
	bad.must(t, exitScriptError)
	bad.contains(t, "401")
	p.stop(syscall.SIGINT, time.Minute)

	r := icscript(t, dir, env, "replay", "--sandbox", "--dry-run", "--topic", "conversation.user.created", "events.jsonl", "h.js")
	r.must(t, exitOK)
	r.contains(t, "body: I want a refund", "/conversations/"+item.ID, "1 delivery, 0 failed", "key:")
	if strings.Contains(r.stdout+r.stderr, e2eSecret) {
		t.Errorf("replay printed the client secret:\n%s%s", r.stdout, r.stderr)
	}
	r = icscript(t, dir, nil, "replay", "--sandbox", "--topic", "contact.user.created", "events.jsonl", "h.js")
	r.must(t, exitOK)
	r.contains(t, "0 deliveries, 0 failed")
}

// TestListenWatchReloadsOnTheSamePort: saving the handler file changes
// the handlers while the listener keeps its address.
func TestListenWatchReloadsOnTheSamePort(t *testing.T) {
	dir, path := writeScript(t, "h.js", `export default { "conversation.user.created": async () => {} };
`)
	env := []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}
	p := startIcscript(t, dir, env, "listen", "--watch", "--sandbox", "--addr", "127.0.0.1:0", "h.js")
	url := listenURL(t, p)
	deliver(t, url, "notif_w1", "contact.user.created", map[string]any{"type": "contact"})
	p.waitStderr("notif_w1 contact.user.created: unhandled")
	if err := os.WriteFile(path, []byte(`export default { "contact.user.created": async (e) => { console.log("new handler", e.id); } };
`), 0o644); err != nil {
		t.Fatal(err)
	}
	p.waitStderr("handlers reloaded: contact.user.created")
	if code := deliver(t, url, "notif_w2", "contact.user.created", map[string]any{"type": "contact"}); code != http.StatusOK {
		t.Fatalf("after the reload: %d", code)
	}
	p.waitStdout("new handler notif_w2", 1)
	p.stop(syscall.SIGINT, time.Minute)
}

// TestListen200ConcurrentDeliveries: 200 deliveries at once through the
// binary are each handled once.
func TestListen200ConcurrentDeliveries(t *testing.T) {
	dir, _ := writeScript(t, "h.js", `export default { "*": async (e) => { await sleep(5); fs.appendText("handled.txt", e.id + "\n"); } };
`)
	p := startIcscript(t, dir, []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}, "listen", "--addr", "127.0.0.1:0", "--concurrency", "16", "--sandbox", "h.js")
	url := listenURL(t, p)
	const n = 200
	codes := make(chan int, n)
	for i := range n {
		go func() {
			code, err := send(url, fmt.Sprintf("notif_c%03d", i), "conversation.admin.closed", map[string]any{"type": "conversation"})
			if err != nil {
				t.Error(err)
			}
			codes <- code
		}()
	}
	for range n {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("status %d", c)
		}
	}
	file := filepath.Join(dir, "handled.txt")
	p.waitOutput(func() bool { return len(lines(t, file)) >= n }, "not every delivery was handled")
	seen := map[string]int{}
	for _, id := range lines(t, file) {
		seen[id]++
	}
	if len(seen) != n {
		t.Errorf("%d distinct deliveries handled, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s handled %d times", id, k)
		}
	}
}

// TestInitListenScaffoldRuns: the handler file `init --listen` writes
// runs under listen --sandbox and does what it says.
func TestInitListenScaffoldRuns(t *testing.T) {
	dir := t.TempDir()
	icscript(t, dir, nil, "init", "--listen").must(t, exitOK).contains(t, "listen/handlers.ts")
	p := startIcscript(t, dir, nil, "listen", "--sandbox", "--addr", "127.0.0.1:0", "listen/handlers.ts")
	listenURL(t, p)
	base, tok := sandboxOf(t, p)
	out, err := sandboxCall(t.Context(), base, tok, "GET", "/contacts?per_page=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Data []struct{ ID string } }
	json.Unmarshal(out, &page)
	out, err = sandboxCall(t.Context(), base, tok, "POST", "/conversations", map[string]any{"from": map[string]any{"type": "user", "id": page.Data[0].ID}, "body": "Refund please"})
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		ConversationID string `json:"conversation_id"`
	}
	json.Unmarshal(out, &msg)
	p.waitStderr("conversation.user.created: handled")
	conv, err := sandboxCall(t.Context(), base, tok, "GET", "/conversations/"+msg.ConversationID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(conv), "refund-request") {
		t.Errorf("the scaffold's handler did not tag the conversation: %.400s", conv)
	}
}
