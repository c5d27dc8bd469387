package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
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
		out, err := sandboxCall(base, sb.Token(), method, path, body)
		if err != nil {
			t.Fatal(err)
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

// sandboxCall makes one call to a served sandbox and wants a 200.
func sandboxCall(base, token, method, path string, body any) (map[string]any, error) {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s %s: %d %v", method, path, resp.StatusCode, out)
	}
	return out, nil
}

// TestEmitterReadsOffTheRequestPath: the sandbox reads a notification
// needs (the workspace's app id, the conversation a message started, the
// contact a tag was attached to) are not made on the API request's path.
// They are held here until the calls that imply them have answered: a
// call that waited for them would never answer, and the hang detector
// fails the test. Released, every notification goes out with its item.
func TestEmitterReadsOffTheRequestPath(t *testing.T) {
	events := make(chan *Event, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := ParseEvent(body)
		if err != nil {
			t.Error(err)
			return
		}
		events <- ev
	}))
	defer recv.Close()
	em := &Emitter{URLs: []string{recv.URL}, Secret: testSecret, Backoff: time.Millisecond}
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3, OnChange: em.OnChange})
	held := make(chan struct{})
	release := sync.OnceFunc(func() { close(held) })
	defer release() // before the sandbox's server closes, on any path
	api := sb.Handler()
	em.API, em.Token = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-held
		api.ServeHTTP(w, r)
	}), sb.Token()

	call := func(method, path string, body any) map[string]any {
		t.Helper()
		type answer struct {
			out map[string]any
			err error
		}
		answered := make(chan answer, 1)
		go func() {
			out, err := sandboxCall(base, sb.Token(), method, path, body)
			answered <- answer{out, err}
		}()
		select {
		case a := <-answered:
			if a.err != nil {
				t.Fatal(a.err)
			}
			return a.out
		case <-time.After(time.Minute): // a hang detector, not a timing
			t.Fatalf("%s %s did not answer: it waits for its notification's reads", method, path)
			return nil
		}
	}
	user := call("POST", "/contacts", map[string]any{"role": "user", "email": "held@example.com"})
	msg := call("POST", "/conversations", map[string]any{"from": map[string]any{"type": "user", "id": user["id"]}, "body": "hello"})
	tag := call("POST", "/tags", map[string]any{"name": "held"})
	call("POST", "/contacts/"+user["id"].(string)+"/tags", map[string]any{"id": tag["id"]})
	release()
	em.Wait()
	close(events)

	got := map[string]*Event{}
	for ev := range events {
		got[ev.Topic] = ev
	}
	var item struct {
		ID      string
		Tag     struct{ ID string }
		Contact struct{ ID string }
	}
	for topic, want := range map[string]string{"contact.user.created": user["id"].(string),
		"conversation.user.created": msg["conversation_id"].(string), "contact.tag.created": user["id"].(string)} {
		ev := got[topic]
		if ev == nil {
			t.Errorf("no %s notification; got %d", topic, len(got))
			continue
		}
		item.ID, item.Contact.ID = "", ""
		if err := json.Unmarshal(ev.Data.Item, &item); err != nil {
			t.Fatal(err)
		}
		id := item.ID
		if topic == "contact.tag.created" {
			id = item.Contact.ID
			if item.Tag.ID != tag["id"] {
				t.Errorf("%s: tag %q, want %q", topic, item.Tag.ID, tag["id"])
			}
		}
		if id != want || ev.AppID == "" {
			t.Errorf("%s: item %s, app %q; want the item %s and the workspace's app id", topic, ev.Data.Item, ev.AppID, want)
		}
	}
}

// TestEmitterHasOneClient: every delivery goes through the same client.
func TestEmitterHasOneClient(t *testing.T) {
	em := &Emitter{}
	if a, b := em.client(), em.client(); a != b {
		t.Error("a new http.Client per delivery")
	}
	own := &http.Client{}
	if got := (&Emitter{Client: own}).client(); got != own {
		t.Error("the Emitter's Client is not the one used")
	}
}
