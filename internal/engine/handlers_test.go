package engine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
	"github.com/icscript/icscript/webhook"
)

// handlersIn returns Handlers for the handler file src, written as
// handlers.js in a temporary folder, each delivery in a VM against one
// sandbox, its output in out.
func handlersIn(t *testing.T, src string, out *testsupport.Buffer) (*engine.Handlers, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "handlers.js"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 1})
	c, err := intercom.New(intercom.Config{Token: sb.Token(), BaseURL: base, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &engine.Handlers{Path: "handlers.js", Dir: dir,
		NewVM: func(ctx context.Context) (*runtime.VM, error) {
			vm, _, err := engine.New(ctx, engine.Options{Stdout: out, Stderr: out, Dir: dir, File: "handlers.js",
				Client: c, Workspace: "the sandbox", Quiet: true, Version: "test"})
			return vm, err
		}}, dir
}

func delivery(t *testing.T, id, topic string) (*webhook.Event, []byte) {
	t.Helper()
	ev := webhook.NewEvent(id, "app", topic, json.RawMessage(`{"type":"contact","id":"c1"}`), 1)
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return ev, body
}

// TestHandlersRunEachDeliveryInItsOwnVM: a handler file's topics, and what
// Handle reports for a handled, an unhandled, a failing and a timed-out
// delivery; module state is not shared between deliveries.
func TestHandlersRunEachDeliveryInItsOwnVM(t *testing.T) {
	out := &testsupport.Buffer{}
	h, _ := handlersIn(t, `
let seen = 0;
export default {
  "contact.user.created": async (event) => {
    seen++;
    const c = await intercom.contacts.list().first();
    console.log("handled", event.id, event.data.item.id, seen, typeof c.id);
  },
  "conversation.admin.closed": async () => { throw new Error("bad handler"); },
  "conversation.admin.snoozed": async () => { await new Promise((r) => setTimeout(r, 60000)); },
};
`, out)
	ctx := context.Background()
	if err := h.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.Topics(), " "); got != "contact.user.created conversation.admin.closed conversation.admin.snoozed" {
		t.Fatalf("topics %q", got)
	}
	for _, id := range []string{"n1", "n2"} {
		ev, body := delivery(t, id, "contact.user.created")
		if res, err := h.Handle(ctx, ev, body); res != webhook.ResultOK || err != nil {
			t.Fatalf("%s: %s %v", id, res, err)
		}
	}
	if got := out.String(); got != "handled n1 c1 1 string\nhandled n2 c1 1 string\n" {
		t.Errorf("output %q (each delivery sees a fresh module: seen is 1 each time)", got)
	}
	ev, body := delivery(t, "n3", "contact.lead.created")
	if res, err := h.Handle(ctx, ev, body); res != webhook.ResultUnhandled || err != nil {
		t.Errorf("no handler: %s %v", res, err)
	}
	ev, body = delivery(t, "n4", "conversation.admin.closed")
	res, err := h.Handle(ctx, ev, body)
	if res != webhook.ResultError || err == nil || !strings.Contains(err.Error(), "bad handler") || !strings.Contains(err.Error(), "handlers.js:") {
		t.Errorf("failing handler: %s %v", res, err)
	}
	h.Timeout = 50 * time.Millisecond // not before: a busy machine may take that long for a handled delivery
	ev, body = delivery(t, "n5", "conversation.admin.snoozed")
	res, err = h.Handle(ctx, ev, body) // Handle applies Timeout itself
	if res != webhook.ResultTimeout || err == nil || !strings.Contains(err.Error(), "stopped after --handler-timeout 50ms") {
		t.Errorf("slow handler: %s %v", res, err)
	}
}

// TestHandlersRefuseAFileWithoutHandlers: a default export with no
// function is an error naming the file and showing the shape wanted.
func TestHandlersRefuseAFileWithoutHandlers(t *testing.T) {
	h, _ := handlersIn(t, `export default { note: "no functions here" };`, &testsupport.Buffer{})
	err := h.Load(context.Background())
	if err == nil || !strings.Contains(err.Error(), "handlers.js: the default export has no handlers") {
		t.Fatalf("Load: %v", err)
	}
}

// TestHandlersStopADeliveryAfterTheirTimeout: Handle applies Timeout
// itself, for listen and replay alike, whatever context the caller gives:
// here one with no deadline (ended after a minute only as a hang guard,
// by cancellation, which Handle would report as an error, not a timeout).
func TestHandlersStopADeliveryAfterTheirTimeout(t *testing.T) {
	h, _ := handlersIn(t, `export default { "conversation.admin.snoozed": async () => { for (;;) {} } };`, &testsupport.Buffer{})
	h.Timeout = 50 * time.Millisecond
	guard, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := time.AfterFunc(time.Minute, cancel)
	defer stop.Stop()
	if err := h.Load(guard); err != nil {
		t.Fatal(err)
	}
	ev, body := delivery(t, "n1", "conversation.admin.snoozed")
	res, err := h.Handle(guard, ev, body)
	if res != webhook.ResultTimeout || err == nil || !strings.Contains(err.Error(), "stopped after --handler-timeout 50ms while running") {
		t.Fatalf("a handler past Timeout: %s %v", res, err)
	}
	if guard.Err() != nil {
		t.Fatal("the caller's context ended: the hang guard stopped the handler, not Timeout")
	}
}
