package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/icscript/icscript/sandbox"
)

// SandboxTopics lists the topics the sandbox emits, and the operations
// that imply them (see topicsOf).
var SandboxTopics = []string{
	"conversation.user.created",   // createConversation (a contact starts one)
	"conversation.user.replied",   // replyConversation with type user
	"conversation.admin.replied",  // replyConversation with type admin, message_type comment
	"conversation.admin.noted",    // replyConversation with type admin, message_type note
	"conversation.admin.closed",   // manageConversation close
	"conversation.admin.opened",   // manageConversation open
	"conversation.admin.snoozed",  // manageConversation snoozed
	"conversation.admin.assigned", // manageConversation assignment, autoAssignConversation
	"contact.user.created",        // CreateContact with role user
	"contact.lead.created",        // CreateContact with role lead
	"contact.tag.created",         // attachTagToContact
	"contact.tag.deleted",         // detachTagFromContact
	"ticket.created",              // createTicket
	"ticket.state.updated",        // updateTicket changing state
}

// emission is one topic an operation implies: its item is made from the
// change by item (the response, or objects the sandbox rendered with the
// change: nothing is read later, when the object may have changed again
// or be gone).
type emission struct {
	topic string
	item  func(c sandbox.Change, at time.Time) (json.RawMessage, error)
}

// topicsOf maps a sandbox change to the topics it implies.
func topicsOf(c sandbox.Change) []emission {
	str := func(k string) string { s, _ := c.Body[k].(string); return s }
	switch c.Operation {
	case "createConversation":
		return []emission{{"conversation.user.created", startedConversation}}
	case "replyConversation":
		switch {
		case str("type") != "admin":
			return []emission{{"conversation.user.replied", response}}
		case str("message_type") == "note":
			return []emission{{"conversation.admin.noted", response}}
		default:
			return []emission{{"conversation.admin.replied", response}}
		}
	case "manageConversation":
		topic := map[string]string{"close": "conversation.admin.closed", "open": "conversation.admin.opened",
			"snoozed": "conversation.admin.snoozed", "assignment": "conversation.admin.assigned"}[str("message_type")]
		if topic != "" {
			return []emission{{topic, response}}
		}
	case "autoAssignConversation":
		return []emission{{"conversation.admin.assigned", response}}
	case "CreateContact":
		if str("role") == "lead" {
			return []emission{{"contact.lead.created", response}}
		}
		return []emission{{"contact.user.created", response}}
	case "attachTagToContact":
		return []emission{{"contact.tag.created", contactTag}}
	case "detachTagFromContact":
		return []emission{{"contact.tag.deleted", contactTag}}
	case "createTicket":
		return []emission{{"ticket.created", response}}
	case "updateTicket":
		if str("state") != "" {
			return []emission{{"ticket.state.updated", response}}
		}
	}
	return nil
}

func response(c sandbox.Change, _ time.Time) (json.RawMessage, error) {
	return c.Response, nil
}

// startedConversation is the item of conversation.user.created: the
// conversation the contact's message started, as it was then.
func startedConversation(c sandbox.Change, _ time.Time) (json.RawMessage, error) {
	return touched(c, "conversation")
}

// contactTag is the item of contact.tag.*: the tag and the contact, as
// they were then.
func contactTag(c sandbox.Change, at time.Time) (json.RawMessage, error) {
	contact, err := touched(c, "contact")
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"type": "contact_tag", "created_at": at.Unix(),
		"tag": json.RawMessage(c.Response), "contact": contact})
}

// touched is the object of kind the change rendered (sandbox.Change.Touched).
func touched(c sandbox.Change, kind string) (json.RawMessage, error) {
	if item := c.Touched[kind]; item != nil {
		return item, nil
	}
	return nil, fmt.Errorf("%s: the sandbox gave no %s", c.Operation, kind)
}

// Emitter sends the sandbox's notifications: its OnChange is the
// sandbox's Options.OnChange. OnChange only queues the topics a change
// implies: the API request that caused them never waits for a
// notification. One goroutine builds the queued notifications in the order
// of their changes (from what the change carries, as of the change), and
// each is signed with Secret and POSTed to every
// URL from a goroutine of its own, retried with backoff when the receiver
// fails.
type Emitter struct {
	URLs    []string
	Secret  []byte
	API     http.Handler // the sandbox's, to read the workspace's app id
	Token   string       // the sandbox's token
	Client  *http.Client // nil: a client with a 10s timeout
	Retries int          // attempts after the first; 0 means 4
	Backoff time.Duration
	Logf    func(format string, args ...any)
	Now     func() time.Time

	appOnce    sync.Once
	appID      string
	clientOnce sync.Once
	httpc      *http.Client // Client, or the one made for its nil

	mu       sync.Mutex
	queue    []pending // topics implied, not yet built
	building bool      // a goroutine is draining queue
	// busy counts the queued notifications and the deliveries in
	// progress, under mu; idle is signalled when it falls to 0. Not a
	// sync.WaitGroup: OnChange adds while Wait may be waiting (the sandbox
	// still serves), which a WaitGroup does not allow.
	busy int
	idle *sync.Cond
}

// pending is a topic a change implied, waiting to be built.
type pending struct {
	change sandbox.Change
	em     emission
	at     time.Time // when the change was made: the notification's created_at
}

// OnChange queues the topics a change implies.
func (e *Emitter) OnChange(c sandbox.Change) {
	ems := topicsOf(c)
	if len(ems) == 0 {
		return
	}
	at := e.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, em := range ems {
		e.busy++
		e.queue = append(e.queue, pending{change: c, em: em, at: at})
	}
	if !e.building {
		e.building = true
		go e.build()
	}
}

// build makes the queued notifications, oldest first, and starts their
// deliveries; it returns when the queue is empty.
func (e *Emitter) build() {
	for {
		e.mu.Lock()
		if len(e.queue) == 0 {
			e.building = false
			e.mu.Unlock()
			return
		}
		p := e.queue[0]
		e.queue[0] = pending{}
		e.queue = e.queue[1:]
		e.mu.Unlock()
		e.emit(p)
		e.done()
	}
}

// emit builds one notification and sends it to every URL.
func (e *Emitter) emit(p pending) {
	item, err := p.em.item(p.change, p.at)
	if err != nil {
		e.logf("webhook %s: %v", p.em.topic, err)
		return
	}
	ev := NewEvent(NewID(), e.app(), p.em.topic, item, p.at.Unix())
	body, err := json.Marshal(ev)
	if err != nil {
		e.logf("webhook %s: %v", p.em.topic, err)
		return
	}
	e.mu.Lock()
	e.busy += len(e.URLs)
	e.mu.Unlock()
	for _, u := range e.URLs {
		go func() {
			defer e.done()
			e.deliver(u, ev, body)
		}()
	}
}

// Wait waits for the notifications queued and the deliveries in progress
// (with their retries). It may be called while changes still come in: it
// returns once there is nothing to send, and what a later change queues
// goes out as usual (another Wait waits for it).
func (e *Emitter) Wait() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for e.busy > 0 {
		e.cond().Wait()
	}
}

// done ends one queued notification or delivery, waking Wait at the last.
func (e *Emitter) done() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.busy--; e.busy == 0 {
		e.cond().Broadcast()
	}
}

// cond is idle, made on first use; e.mu is held.
func (e *Emitter) cond() *sync.Cond {
	if e.idle == nil {
		e.idle = sync.NewCond(&e.mu)
	}
	return e.idle
}

// deliver POSTs one notification, retrying on failure.
func (e *Emitter) deliver(url string, ev *Event, body []byte) {
	retries, backoff := e.Retries, e.Backoff
	if retries <= 0 {
		retries = 4
	}
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	client := e.client()
	var err error
	for attempt := 0; attempt <= retries; attempt++ {
		if attempt > 0 {
			time.Sleep(backoff << (attempt - 1))
		}
		if err = Send(context.Background(), client, url, e.Secret, body); err == nil {
			return
		}
	}
	e.logf("webhook %s %s to %s: gave up after %d attempts: %v", ev.ID, ev.Topic, url, retries+1, err)
}

// Send POSTs a notification body signed with secret and wants a 2xx.
func Send(ctx context.Context, client *http.Client, url string, secret, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Intercom-Webhook (icscript)")
	req.Header.Set(SignatureHeader, Sign(secret, body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return nil
}

// client is the one client of every delivery: Client, or one made once.
func (e *Emitter) client() *http.Client {
	e.clientOnce.Do(func() {
		e.httpc = e.Client
		if e.httpc == nil {
			e.httpc = &http.Client{Timeout: 10 * time.Second}
		}
	})
	return e.httpc
}

// get reads an object from the sandbox in-process.
func (e *Emitter) get(path string) (json.RawMessage, error) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+e.Token)
	rec := httptest.NewRecorder()
	e.API.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d", path, rec.Code)
	}
	return rec.Body.Bytes(), nil
}

// app is the sandbox workspace's app id (its /me app.id_code).
func (e *Emitter) app() string {
	e.appOnce.Do(func() {
		var me struct {
			App struct {
				IDCode string `json:"id_code"`
			} `json:"app"`
		}
		if body, err := e.get("/me"); err == nil && json.Unmarshal(body, &me) == nil {
			e.appID = me.App.IDCode
		}
	})
	return e.appID
}

func (e *Emitter) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Emitter) logf(format string, args ...any) {
	if e.Logf != nil {
		e.Logf(format, args...)
	}
}

// NewID is a fresh notification id, shaped like Intercom's.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return "notif_" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
