package webhook

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// TestSandboxEmitsTopics drives a served sandbox over HTTP and checks the
// signed notifications its changes send.
func TestSandboxEmitsTopics(t *testing.T) {
	var mu sync.Mutex
	got := map[string]*Event{}
	failOnce := true
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !Verify(testSecret, body, r.Header.Get(SignatureHeader)) {
			t.Errorf("a notification with a bad signature")
		}
		mu.Lock()
		defer mu.Unlock()
		if failOnce { // the emitter retries
			failOnce = false
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		ev, err := ParseEvent(body)
		if err != nil {
			t.Error(err)
			return
		}
		got[ev.Topic] = ev
	}))
	defer recv.Close()
	em := &Emitter{URLs: []string{recv.URL}, Secret: testSecret, Backoff: time.Millisecond}
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3, OnChange: em.OnChange})
	em.API, em.Token = sb.Handler(), sb.Token()

	call := func(method, path string, body any) map[string]any {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+sb.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, out)
		}
		return out
	}
	me := call("GET", "/me", nil)
	lead := call("POST", "/contacts", map[string]any{"role": "lead", "name": "Lee"})
	user := call("POST", "/contacts", map[string]any{"role": "user", "email": "u@example.com"})
	msg := call("POST", "/conversations", map[string]any{"from": map[string]any{"type": "user", "id": user["id"]}, "body": "I want a refund"})
	conv := msg["conversation_id"].(string)
	call("POST", "/conversations/"+conv+"/reply", map[string]any{"type": "user", "message_type": "comment", "intercom_user_id": user["id"], "body": "hello?"})
	call("POST", "/conversations/"+conv+"/reply", map[string]any{"type": "admin", "message_type": "comment", "admin_id": me["id"], "body": "hi"})
	call("POST", "/conversations/"+conv+"/parts", map[string]any{"message_type": "close", "type": "admin", "admin_id": me["id"]})
	tag := call("POST", "/tags", map[string]any{"name": "vip"})
	call("POST", "/contacts/"+user["id"].(string)+"/tags", map[string]any{"id": tag["id"]})
	// The other topics of SandboxTopics, so that every one is seen below.
	call("POST", "/conversations/"+conv+"/reply", map[string]any{"type": "admin", "message_type": "note", "admin_id": me["id"], "body": "internal"})
	call("POST", "/conversations/"+conv+"/parts", map[string]any{"message_type": "open", "type": "admin", "admin_id": me["id"]})
	call("POST", "/conversations/"+conv+"/parts", map[string]any{"message_type": "snoozed", "type": "admin", "admin_id": me["id"], "snoozed_until": time.Now().Add(time.Hour).Unix()})
	call("POST", "/conversations/"+conv+"/parts", map[string]any{"message_type": "assignment", "type": "admin", "admin_id": me["id"], "assignee_id": me["id"]})
	call("DELETE", "/contacts/"+user["id"].(string)+"/tags/"+tag["id"].(string), nil)
	types := call("GET", "/ticket_types", nil)["data"].([]any)
	ticket := call("POST", "/tickets", map[string]any{"ticket_type_id": types[0].(map[string]any)["id"], "contacts": []any{map[string]any{"id": user["id"]}}})
	call("PUT", "/tickets/"+ticket["id"].(string), map[string]any{"state": "in_progress"})
	em.Wait()

	mu.Lock()
	defer mu.Unlock()
	want := map[string]string{ // topic → the item's id
		"contact.lead.created": lead["id"].(string), "contact.user.created": user["id"].(string),
		"conversation.user.created": conv, "conversation.user.replied": conv,
		"conversation.admin.replied": conv, "conversation.admin.closed": conv,
	}
	for _, topic := range SandboxTopics {
		if got[topic] == nil {
			t.Errorf("no %s notification: every topic of SandboxTopics is driven above", topic)
		}
	}
	for topic, id := range want {
		ev := got[topic]
		if ev == nil {
			t.Errorf("no %s notification (got %d topics)", topic, len(got))
			continue
		}
		var item struct{ ID, Type string }
		json.Unmarshal(ev.Data.Item, &item)
		if item.ID != id || ev.Type != "notification_event" || ev.Data.Type != "notification_event_data" || ev.ID == "" || ev.CreatedAt == 0 || ev.AppID == "" {
			t.Errorf("%s: envelope %+v item %s", topic, ev, ev.Data.Item)
		}
	}
	ct := got["contact.tag.created"]
	if ct == nil {
		t.Fatal("no contact.tag.created")
	}
	var item struct {
		Type    string
		Tag     struct{ ID string }
		Contact struct{ ID string }
	}
	json.Unmarshal(ct.Data.Item, &item)
	if item.Type != "contact_tag" || item.Tag.ID != tag["id"] || item.Contact.ID != user["id"] {
		t.Errorf("contact.tag.created item: %s", ct.Data.Item)
	}
}
