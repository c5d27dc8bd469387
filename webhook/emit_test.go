package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
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

// TestEmitterReadsOffTheRequestPath: the sandbox read a notification
// needs (the workspace's app id) is not made on the API request's path. It
// is held here until the calls that imply notifications have answered: a
// call that waited for it would never answer, and the hang detector fails
// the test. Released, every notification goes out with its item.
func TestEmitterReadsOffTheRequestPath(t *testing.T) {
	events := make(chan *Event, 10)
	recv := eventReceiver(t, func(ev *Event) { events <- ev })
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

// TestNotificationItemsAreAsOfTheChange: a notification built after later
// changes still carries its objects as the change left them. The
// emitter's one read (the app id) is held while a contact is tagged and
// then deleted, and a conversation it started gets a reply: released,
// contact.tag.created still goes out with the contact (it was dropped when
// the emitter read the contact after the change: 404), and
// conversation.user.created's conversation has no reply yet.
func TestNotificationItemsAreAsOfTheChange(t *testing.T) {
	events := make(chan *Event, 10)
	recv := eventReceiver(t, func(ev *Event) { events <- ev })
	defer recv.Close()
	var logged []string
	var logMu sync.Mutex
	em := &Emitter{URLs: []string{recv.URL}, Secret: testSecret, Backoff: time.Millisecond,
		Logf: func(f string, a ...any) { logMu.Lock(); logged = append(logged, fmt.Sprintf(f, a...)); logMu.Unlock() }}
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3, OnChange: em.OnChange})
	held := make(chan struct{})
	release := sync.OnceFunc(func() { close(held) })
	defer release()
	api := sb.Handler()
	em.API, em.Token = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-held
		api.ServeHTTP(w, r)
	}), sb.Token()
	call := func(method, path string, body any) map[string]any {
		t.Helper()
		out, err := sandboxCall(base, sb.Token(), method, path, body)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	user := call("POST", "/contacts", map[string]any{"role": "user", "email": "gone@example.com"})
	id := user["id"].(string)
	msg := call("POST", "/conversations", map[string]any{"from": map[string]any{"type": "user", "id": id}, "body": "first words"})
	tag := call("POST", "/tags", map[string]any{"name": "as-of"})
	call("POST", "/contacts/"+id+"/tags", map[string]any{"id": tag["id"]})
	admins := call("GET", "/admins", nil)["admins"].([]any)
	call("POST", "/conversations/"+msg["conversation_id"].(string)+"/reply", map[string]any{
		"type": "admin", "message_type": "comment", "admin_id": admins[0].(map[string]any)["id"], "body": "a later reply"})
	call("DELETE", "/contacts/"+id, nil)
	release()
	em.Wait()
	close(events)

	got := map[string]*Event{}
	for ev := range events {
		got[ev.Topic] = ev
	}
	if ev := got["contact.tag.created"]; ev == nil {
		t.Errorf("no contact.tag.created after the contact was deleted; logged %q", logged)
	} else {
		var item struct {
			Contact struct {
				ID   string
				Tags struct{ Data []struct{ ID string } }
			}
		}
		if err := json.Unmarshal(ev.Data.Item, &item); err != nil {
			t.Fatal(err)
		}
		if item.Contact.ID != id || len(item.Contact.Tags.Data) != 1 || item.Contact.Tags.Data[0].ID != tag["id"] {
			t.Errorf("contact.tag.created: contact %s, want %s tagged %s", ev.Data.Item, id, tag["id"])
		}
	}
	if ev := got["conversation.user.created"]; ev == nil {
		t.Errorf("no conversation.user.created; logged %q", logged)
	} else if item := string(ev.Data.Item); !strings.Contains(item, "first words") || strings.Contains(item, "a later reply") {
		t.Errorf("conversation.user.created: %s, want the conversation as the message started it", item)
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

// TestEmitterWaitWhileTheSandboxServes: Wait is called while the sandbox
// still takes requests (icscript sandbox and listen wait for the emitter
// before closing it), so a change can queue a notification while Wait is
// blocked or returning. Here a delivery is held while Wait blocks, then
// released, and once Wait has returned — without the test synchronising
// with it, as a request on the sandbox's server would not — another change
// queues one. Under -race a Wait that is not safe against OnChange is
// reported; either way both notifications go out and a second Wait returns.
func TestEmitterWaitWhileTheSandboxServes(t *testing.T) {
	held := make(chan struct{})
	events := make(chan string, 2)
	recv := eventReceiver(t, func(ev *Event) {
		var item struct{ Email string }
		json.Unmarshal(ev.Data.Item, &item)
		if item.Email == "first@example.com" {
			<-held
		}
		events <- item.Email
	})
	defer recv.Close()
	release := sync.OnceFunc(func() { close(held) })
	defer release()
	em := &Emitter{URLs: []string{recv.URL}, Secret: testSecret, Backoff: time.Millisecond}
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3, OnChange: em.OnChange})
	em.API, em.Token = sb.Handler(), sb.Token()
	create := func(email string) {
		t.Helper()
		if _, err := sandboxCall(base, sb.Token(), "POST", "/contacts", map[string]any{"role": "user", "email": email}); err != nil {
			t.Fatal(err)
		}
	}

	create("first@example.com") // its delivery is held
	waited := make(chan struct{})
	go func() { em.Wait(); close(waited) }()
	untilWait(t, true) // Wait is blocked on the held delivery
	release()
	untilWait(t, false) // Wait has returned; the test does not receive from waited
	create("second@example.com")
	<-waited
	em.Wait()
	close(events)
	var got []string
	for email := range events {
		got = append(got, email)
	}
	if len(got) != 2 || got[0] != "first@example.com" || got[1] != "second@example.com" {
		t.Errorf("notifications for %v, want first@example.com then second@example.com", got)
	}
}

// eventReceiver is a receiver handing each notification it is sent to got.
func eventReceiver(t *testing.T, got func(*Event)) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := ParseEvent(body)
		if err != nil {
			t.Error(err)
			return
		}
		got(ev)
	}))
}

// untilWait polls the goroutines until one is blocked in Emitter.Wait
// (blocked true) or none is in it (false); a minute is a hang detector.
func untilWait(t *testing.T, blocked bool) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for start := time.Now(); time.Since(start) < time.Minute; runtime.Gosched() {
		seen := false // a goroutine in Wait, blocked if blocked is wanted
		for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			header, _, _ := strings.Cut(g, "\n")
			running := strings.Contains(header, "[running") || strings.Contains(header, "[runnable")
			seen = seen || strings.Contains(g, "webhook.(*Emitter).Wait(") && !(blocked && running)
		}
		if seen == blocked {
			return
		}
	}
	t.Fatalf("no goroutine got to the state blocked=%v in Emitter.Wait within a minute", blocked)
}
