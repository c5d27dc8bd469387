package bindings_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime/runtimetest"
)

func okServer() *recorder {
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) {
		if r.URL.Path == "/me" {
			return 200, []byte(`{"type":"admin","id":"777","email":"ana@example.com"}`)
		}
		if strings.HasSuffix(r.URL.Path, "/missing") {
			return 404, []byte(`{"type":"error.list","request_id":"rid-404","errors":[{"code":"not_found","message":"Contact Not Found"}]}`)
		}
		return 200, []byte(`{"type":"thing","id":"1"}`)
	}
	return rec
}

func TestWrongCallsThrowTypeErrorsBeforeSending(t *testing.T) {
	cases := map[string]string{
		`intercom.contacts.find()`:                           "intercom.contacts.find(id): missing id",
		`intercom.contacts.find({})`:                         "intercom.contacts.find(id): missing id",
		`intercom.contacts.find(true)`:                       "id must be a string or a number, not a boolean",
		`intercom.contacts.find("")`:                         "id must not be empty",
		`intercom.contacts.create({email: 42})`:              "email: must be a string, not a number",
		`intercom.contacts.update("1", "x")`:                 "the fields must be an object, not a string",
		`intercom.contacts.list({per_pag: 5})`:               `unknown parameter "per_pag" (did you mean "per_page"?)`,
		`intercom.admins.away(1, {away_mode_enabled: true})`: "away_mode_reassign: is required",
		`intercom.conversations.manage("1", {message_type: "shut", admin_id: "1", type: "admin"})`: "must be one of",
		`intercom.conversations.snooze("1", "not a date")`:                                         "until must be unix seconds",
		`intercom.conversations.assign("1", {type: "robot", id: 1})`:                               `assignee.type must be "admin" or "team"`,
		`intercom.raw("FETCH", "/x")`:                                                              "method must be GET, POST, PUT, DELETE or PATCH",
	}
	throwBeforeSending(t, cases)
}

// throwBeforeSending runs each call and wants a TypeError holding its
// message, with no request sent.
func throwBeforeSending(t *testing.T, cases map[string]string) {
	t.Helper()
	for call, want := range cases {
		rec := okServer()
		vm := newVM(t, rec)
		_, err := runtimetest.Run(t, vm, `try { `+call+`; throw new Error("no throw"); } catch (e) { if (!(e instanceof TypeError)) throw new Error("not a TypeError: " + e); throw e; }`)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", call, err, want)
		}
		if n := len(rec.requests()); n != 0 {
			t.Errorf("%s: sent %d requests", call, n)
		}
	}
}

func TestAPIErrorsBecomeIntercomErrors(t *testing.T) {
	vm := newVM(t, okServer())
	out, err := runtimetest.Run(t, vm, `
try { await intercom.contacts.find("missing"); }
catch (e) { console.log(e instanceof IntercomError, e instanceof Error, e.status, e.code, e.requestId, e.operation, e.method, e.path, e.attempts, e.errors[0].message); console.log(e.message); }`)
	if err != nil {
		t.Fatal(err)
	}
	want := "true true 404 not_found rid-404 ShowContact GET /contacts/missing 1 Contact Not Found\n" +
		"intercom.contacts.find (GET /contacts/missing): 404 not_found: Contact Not Found [request rid-404]"
	if strings.TrimSpace(out) != want {
		t.Fatalf("got  %q\nwant %q", strings.TrimSpace(out), want)
	}
}

func TestUncaughtAPIErrorFailsTheRunWithItsLine(t *testing.T) {
	vm := newVM(t, okServer())
	_, err := runtimetest.Run(t, vm, "const x = 1;\nawait intercom.contacts.find(\"missing\");\n")
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("error %v, want the 404", err)
	}
}

func TestCallShapes(t *testing.T) {
	rec := okServer()
	vm := newVM(t, rec)
	_, err := runtimetest.Run(t, vm, `
await intercom.contacts.find({contact_id: "c 1"});
await intercom.contacts.update({id: "c2", email: "a@b.c"});
await intercom.contacts.update(3, {name: "N"});
await intercom.conversations.close("9", "Closing: no reply");
await intercom.conversations.open(9);
await intercom.conversations.snooze("9", 1700000000);
await intercom.conversations.assign("9", {type: "team", id: 5}, "over to you");
intercom.actAs("42");
await intercom.conversations.close("9");
await intercom.raw("GET", "/contacts/1", {query: {x: 1}});
const me = await intercom.me;
if (me.id !== "777") throw new Error("me " + JSON.stringify(me));
`)
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	var lines []string
	for _, r := range reqs {
		lines = append(lines, r.Method+" "+r.RawPath+" "+string(r.Body))
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		"GET /contacts/c%201 ",
		`PUT /contacts/c2 {"email":"a@b.c"}`,
		`PUT /contacts/3 {"name":"N"}`,
		`POST /conversations/9/parts {"admin_id":"991","body":"Closing: no reply","message_type":"close","type":"admin"}`,
		`POST /conversations/9/parts {"admin_id":"991","message_type":"open"}`,
		`POST /conversations/9/parts {"admin_id":"991","message_type":"snoozed","snoozed_until":1700000000}`,
		`POST /conversations/9/parts {"admin_id":"991","assignee_id":"5","body":"over to you","message_type":"assignment","type":"team"}`,
		`POST /conversations/9/parts {"admin_id":"42","message_type":"close","type":"admin"}`,
		"GET /contacts/1 ",
		"GET /me ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no request %q in:\n%s", want, got)
		}
	}
}

func TestActingAdminDefaultsToMe(t *testing.T) {
	rec2 := okServer()
	vm2 := newVMWithAdmin(t, rec2, "")
	if _, err := runtimetest.Run(t, vm2, `await intercom.conversations.close("1"); await intercom.conversations.open("1");`); err != nil {
		t.Fatal(err)
	}
	reqs := rec2.requests()
	if len(reqs) != 3 || reqs[0].Path != "/me" {
		t.Fatalf("want /me then two manage calls, got %d requests", len(reqs))
	}
	var body map[string]any
	json.Unmarshal(reqs[2].Body, &body)
	if body["admin_id"] != "777" {
		t.Fatalf("acting admin %v, want /me's 777", body["admin_id"])
	}
}

func TestDryRunResolvesToTheMutation(t *testing.T) {
	rec := okServer()
	vm := newVM(t, rec, func(c *intercom.Config) { c.DryRun = true })
	out, err := runtimetest.Run(t, vm, `
const r = await intercom.contacts.create({email: "x@y.z"});
const f = await intercom.contacts.find("1");
console.log(r.dry_run, r.operation, r.method, r.path, r.body.email, f.id);`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "true contacts.create POST /contacts x@y.z 1" {
		t.Fatalf("got %q", out)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("%d requests sent, want only the read", n)
	}
}

// TestIntercomErrorCountsAttempts: a read retried after 503s reports every
// request it sent.
func TestIntercomErrorCountsAttempts(t *testing.T) {
	var sent atomic.Int64
	vm := newVM(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"type":"error.list","errors":[{"code":"service_unavailable","message":"down"}]}`))
	}), func(c *intercom.Config) {
		c.MaxRetries, c.BackoffBase, c.BackoffMax = 2, time.Millisecond, time.Millisecond
	})
	out, err := runtimetest.Run(t, vm, `try { await intercom.contacts.find("c1"); } catch (e) { console.log(e.status, e.attempts); }`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out); got != "503 3" || sent.Load() != 3 {
		t.Fatalf("got %q after %d requests, want \"503 3\" after 3", got, sent.Load())
	}
}

// TestVerbsRefusePlaceholdersAsEveryCallDoes: outside a dry run the verbs
// refuse a dry run's placeholder id with the check every call makes
// (checkPlaceholders), wherever it is — the conversation, the assignee, the
// acting admin — naming the verb and where, and send nothing.
func TestVerbsRefusePlaceholdersAsEveryCallDoes(t *testing.T) {
	const held = " holds a dry run's placeholder id (dry-run:…), which names nothing: this run is not a dry run, so pass a real id"
	throwBeforeSending(t, map[string]string{
		`intercom.conversations.close("dry-run:conversations.create:1")`:                   "intercom.conversations.close(id, body?): the path /conversations/dry-run:conversations.create:1/parts" + held,
		`intercom.conversations.snooze("dry-run:conversations.create:1", 1700000000)`:      "intercom.conversations.snooze(id, until): the path /conversations/dry-run:conversations.create:1/parts" + held,
		`intercom.conversations.assign("9", {type: "team", id: "dry-run:teams.create:1"})`: "intercom.conversations.assign(id, assignee, body?): body.assignee_id" + held,
		`intercom.actAs("dry-run:admins.create:1"); intercom.conversations.open("9")`:      "intercom.conversations.open(id): body.admin_id" + held,
	})
}
