package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/webhook"
)

func TestListenFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{}, "listen wants one handler file, got 0"},
		{[]string{"a.js", "b.js"}, "listen wants one handler file, got 2"},
		{[]string{"--webhook", "http://x/", "h.js"}, "--webhook only means something with --sandbox"},
		{[]string{"--timeout", "1s", "h.js"}, "--handler-timeout limits each handler"},
		{[]string{"-e", "1", "h.js"}, "listen runs the handler file it is given: -e does not apply"},
		{[]string{"--handler-timeout", "-1s", "h.js"}, "--handler-timeout wants a positive duration"},
		{[]string{"--concurrency", "0", "h.js"}, "--concurrency wants a whole number"},
		{[]string{"--secret-evn", "X", "h.js"}, "unknown flag --secret-evn (did you mean --secret-env?)"},
	} {
		_, err := parseListenArgs(tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("listen %v: error %v, want %q", tc.args, err, tc.err)
		}
	}
	o, err := parseListenArgs([]string{"--sandbox", "--concurrency", "3", "--handler-timeout", "5s", "dir/h.js"})
	if err != nil {
		t.Fatal(err)
	}
	if o.run.concurrency != 3 || o.handlerTimeout.String() != "5s" || !strings.HasSuffix(o.journal, "dir/.icscript/webhooks.jsonl") {
		t.Errorf("parsed %+v", o)
	}
	if o, _ := parseListenArgs([]string{"h.js"}); o.run.concurrency != defaultHandlerConcurrency || o.addr != defaultListenAddr {
		t.Errorf("defaults: concurrency %d addr %s", o.run.concurrency, o.addr)
	}
}

func TestListenNeedsTheSecret(t *testing.T) {
	dir, _ := writeScript(t, "h.js", `export default { "*": () => {} };`)
	r := icscript(t, dir, nil, "listen", "--addr", "127.0.0.1:0", "h.js")
	r.must(t, exitUsage)
	r.contains(t, "set INTERCOM_CLIENT_SECRET")
	r = icscript(t, dir, nil, "trigger", "conversation.user.created")
	r.must(t, exitUsage)
	r.contains(t, "set INTERCOM_CLIENT_SECRET")
	r = icscript(t, dir, []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}, "trigger", "no.such.topic")
	r.must(t, exitUsage)
	r.contains(t, `no fixture for topic "no.such.topic"`, "conversation.user.created")
	r = icscript(t, dir, []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}, "trigger", "conversation.user.created", "--set", "data.item.source.body.x=1", "--url", "http://127.0.0.1:1/")
	r.must(t, exitUsage)
	r.contains(t, "data.item.source.body is not an object")
	if strings.Contains(r.stdout+r.stderr, e2eSecret) {
		t.Error("the secret was printed")
	}
}

// TestListenHandlerTimeout: a handler that never returns is stopped at
// --handler-timeout, logged with its file and line, and frees its slot.
func TestListenHandlerTimeout(t *testing.T) {
	dir, _ := writeScript(t, "h.js", `export default {
  "conversation.admin.closed": () => {
    for (;;) {}
  },
  "contact.user.created": (e) => console.log("handled", e.id),
};
`)
	p := startIcscript(t, dir, []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}, "listen", "--addr", "127.0.0.1:0",
		"--concurrency", "1", "--handler-timeout", "1s", "--sandbox", "h.js")
	url := listenURL(t, p)
	deliver(t, url, "notif_slow", "conversation.admin.closed", map[string]any{"type": "conversation"})
	deliver(t, url, "notif_next", "contact.user.created", map[string]any{"type": "contact"})
	p.waitStderr("notif_slow conversation.admin.closed: handler timed out")
	p.waitStderr("at conversation.admin.closed (h.js:2")
	p.waitStdout("handled notif_next", 1)
}

// TestSandboxCommandSendsWebhooks: `icscript sandbox --webhook URL` signs
// its notifications with the secret of --secret-env's variable.
func TestSandboxCommandSendsWebhooks(t *testing.T) {
	got := make(chan string, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !webhook.Verify([]byte(e2eSecret), body, r.Header.Get(webhook.SignatureHeader)) {
			t.Errorf("bad signature on %s", body)
		}
		ev, err := webhook.ParseEvent(body)
		if err != nil {
			t.Error(err)
			return
		}
		got <- ev.Topic
	}))
	defer recv.Close()
	p := startIcscript(t, t.TempDir(), []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}, "sandbox", "--addr", "127.0.0.1:0", "--webhook", recv.URL)
	p.waitStdout("Ctrl-C stops it.", 1)
	m := regexp.MustCompile(`serving Intercom API 2.10 at (\S+)\n  token:  (\S+)`).FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("no URL and token in %s", p.stdout.String())
	}
	if strings.Contains(p.stdout.String(), e2eSecret) {
		t.Error("the secret from the environment was printed")
	}
	if _, err := sandboxCall(t.Context(), m[1], m[2], "POST", "/contacts", map[string]any{"role": "lead", "name": "L"}); err != nil {
		t.Fatal(err)
	}
	if topic := <-got; topic != "contact.lead.created" {
		t.Errorf("topic %s, want contact.lead.created", topic)
	}
}

func TestReplayFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"j.jsonl"}, "replay wants JOURNAL and HANDLERS.js, got 1"},
		{[]string{"--watch", "j.jsonl", "h.js"}, "replay runs the journal once: --watch does not apply"},
		{[]string{"-e", "1", "j.jsonl", "h.js"}, "replay runs the handler file it is given: -e does not apply"},
		{[]string{"--handler-timeout", "-1s", "j.jsonl", "h.js"}, "--handler-timeout wants a positive duration"},
		{[]string{"--topik", "x", "j.jsonl", "h.js"}, "unknown flag --topik (did you mean --topic?)"},
	} {
		_, err := parseReplayArgs(tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("replay %v: error %v, want %q", tc.args, err, tc.err)
		}
	}
	o, err := parseReplayArgs([]string{"j.jsonl", "--topic", "contact.user.created", "h.js"})
	if err != nil || o.journal != "j.jsonl" || o.run.file != "h.js" || o.topic != "contact.user.created" {
		t.Errorf("parsed %+v, %v", o, err)
	}
}

// TestHandlerTimeoutOnceInListenAndReplay: --handler-timeout is applied in
// one place (engine.Handlers) for listen and replay: each stops a handler
// that never returns once, reports it once with the flag's value, and
// records one end of the delivery.
func TestHandlerTimeoutOnceInListenAndReplay(t *testing.T) {
	dir, _ := writeScript(t, "h.js", `export default { "conversation.admin.closed": () => { for (;;) {} } };
`)
	env := []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}
	p := startIcscript(t, dir, env, "listen", "--addr", "127.0.0.1:0", "--handler-timeout", "1s", "--journal", "j.jsonl", "--sandbox", "h.js")
	url := listenURL(t, p)
	deliver(t, url, "notif_loop", "conversation.admin.closed", map[string]any{"type": "conversation"})
	p.waitStderr("notif_loop conversation.admin.closed: handler timed out: stopped after --handler-timeout 1s while running")
	p.stop(syscall.SIGINT, time.Minute)
	if n := strings.Count(p.stderr.String(), "handler timed out"); n != 1 {
		t.Errorf("listen reported %d timeouts of one delivery:\n%s", n, p.stderr.String())
	}
	var ends []string
	if err := webhook.ReadJournal(filepath.Join(dir, "j.jsonl"), func(r *webhook.Record) {
		if r.Kind == "done" {
			ends = append(ends, r.Result)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if len(ends) != 1 || ends[0] != webhook.ResultTimeout {
		t.Errorf("the journal records the delivery's end as %v, want one timeout", ends)
	}

	r := icscript(t, dir, env, "replay", "--sandbox", "--handler-timeout", "1s", "j.jsonl", "h.js").must(t, exitScriptError)
	r.contains(t, "notif_loop conversation.admin.closed: timeout: stopped after --handler-timeout 1s while running", "1 delivery, 1 failed")
	if n := strings.Count(r.stderr, "stopped after --handler-timeout"); n != 1 {
		t.Errorf("replay reported %d timeouts of one delivery:\n%s", n, r.stderr)
	}
}
