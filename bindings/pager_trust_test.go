package bindings_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/engine/enginetest"
	"github.com/icscript/icscript/runtime/runtimetest"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// A list operation may answer one object rather than a list: retrieveCompany
// does for company_id or name (its description: "You can fetch a single
// company by passing in company_id or name"). The Pager yields that object.
func TestPagerRetrieveOneCompanyFromSandbox(t *testing.T) {
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3})
	vm := enginetest.NewOn(t, sb, base, func(o *engine.Options) { o.Admin = "1" })
	out, err := runtimetest.Run(t, vm, `
const co = await intercom.companies.list().first();
const byId = await intercom.companies.retrieve({company_id: co.company_id}).first();
const byName = await intercom.companies.retrieve({name: co.name}).toArray();
const n = await intercom.companies.retrieve({company_id: co.company_id}).count();
let sync = 0; for (const x of intercom.companies.retrieve({company_id: co.company_id})) sync++;
console.log(byId.id === co.id, byId.type, byName.length, byName[0].id === co.id, n, sync);
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out); got != "true company 1 true 1 1" {
		t.Fatalf("got %q, want the one company each time", got)
	}
}

// Every list operation: a response that is one object with an id, not a
// list, yields that object once.
func TestPagerSingleObjectEveryListing(t *testing.T) {
	var calls []any
	for _, op := range catalog.Operations {
		if op.Listing() {
			calls = append(calls, []any{op.JSName(), planCall(op).args})
		}
	}
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) {
		return 200, []byte(`{"type":"thing","id":"one","tags":{"type":"tag.list","tags":[]},"pages":{"page":1,"total_pages":3}}`)
	}
	vm := newVM(t, rec)
	script, _ := json.Marshal(calls)
	out, err := runtimetest.Run(t, vm, `
const bad = [];
for (const [name, args] of `+string(script)+`) {
  const fn = name.split(".").reduce((o, k) => o[k], intercom);
  const all = await fn(...args).toArray();
  if (all.length !== 1 || all[0].id !== "one") bad.push(name + ": " + JSON.stringify(all));
}
console.log(bad.length ? bad.join("\n") : "ok");
`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "ok" {
		t.Fatalf("list operations not yielding the single object:\n%s", out)
	}
	if n := len(rec.requests()); n != len(calls) {
		t.Fatalf("%d requests for %d walks: a single object has no next page", n, len(calls))
	}
}

// Workers sharing one iterator each get distinct items, and together all of
// them, whether they share the async or the sync iterator.
func TestPagerSharedIterator(t *testing.T) {
	for _, kind := range []string{"Symbol.asyncIterator", "Symbol.iterator"} {
		t.Run(kind, func(t *testing.T) {
			srv := newWalkServer("cursor", "calm", 9)
			srv.items = nil
			for i := 0; i < 200; i++ {
				srv.insert()
			}
			srv.per = 7
			vm := newVM(t, srv)
			out, err := runtimetest.Run(t, vm, `
const it = intercom.contacts.list()[`+kind+`]();
const got = [];
async function worker() {
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    got.push(r.value.id);
    await new Promise((res) => setTimeout(res, 0));
  }
}
await Promise.all(Array.from({length: 8}, worker));
console.log(got.length, new Set(got).size);
`)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(out) != "200 200" {
				t.Fatalf("got %q, want 200 items, 200 distinct", out)
			}
		})
	}
}

// A page that repeats ends the walk with one warning on stderr; the items
// of the page are yielded once.
func TestPagerRepeatedPageWarns(t *testing.T) {
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) {
		if n > 50 {
			return 200, []byte(`{"type":"list","data":[]}`)
		}
		// The page never moves, though it says there is more.
		return 200, []byte(`{"type":"list","data":[{"id":"a"},{"id":"b"}],"pages":{"type":"pages","page":1,"total_pages":9,"next":{"starting_after":"` + fmt.Sprint("c", n) + `"}}}`)
	}
	vm := newVM(t, rec)
	out, err := runtimetest.Run(t, vm, `const ids = []; for await (const x of intercom.contacts.list()) ids.push(x.id); console.log(ids.join(","));`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "a,b" {
		t.Fatalf("items %q, want a,b", out)
	}
	if n := len(rec.requests()); n != 2 {
		t.Fatalf("%d requests, want 2: the second page brought nothing new", n)
	}
	if e := runtimetest.Stderr(vm); strings.Count(e, "warning: contacts.list: the server sent a page of items already seen") != 1 {
		t.Fatalf("stderr %q, want one warning naming the walk", e)
	}
}

// Pages of items without ids: a page identical to one seen before ends the
// walk; the walk yields its items once.
func TestPagerIdlessPagesRepeat(t *testing.T) {
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) {
		if n > 50 {
			return 200, []byte(`{"type":"event.summary","events":[]}`)
		}
		return 200, []byte(`{"type":"event.summary","events":[{"event_name":"e1"},{"event_name":"e2"}],"pages":{"next":"https://api.intercom.io/events?type=user&user_id=u1&n=` + fmt.Sprint(n) + `"}}`)
	}
	vm := newVM(t, rec)
	out, err := runtimetest.Run(t, vm, `const ids = []; for (const x of intercom.events.list({filter: {user_id: "u1"}, type: "user"})) ids.push(x.event_name); console.log(ids.join(","));`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "e1,e2" || len(rec.requests()) != 2 {
		t.Fatalf("items %q after %d requests, want e1,e2 after 2", out, len(rec.requests()))
	}
}

// A next page never carries both a cursor and a page number.
func TestPagerNeverMixesCursorAndPage(t *testing.T) {
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) {
		switch n {
		case 1: // a page number first ...
			return 200, []byte(`{"type":"list","data":[{"id":"1"}],"pages":{"type":"pages","page":1,"total_pages":3}}`)
		case 2: // ... then a cursor ...
			return 200, []byte(`{"type":"list","data":[{"id":"2"}],"pages":{"type":"pages","page":2,"total_pages":3,"next":{"starting_after":"x"}}}`)
		case 3: // ... then a page number again
			return 200, []byte(`{"type":"list","data":[{"id":"3"}],"pages":{"type":"pages","page":2,"total_pages":4}}`)
		}
		return 200, []byte(`{"type":"list","data":[]}`)
	}
	vm := newVM(t, rec)
	if _, err := runtimetest.Run(t, vm, `for await (const x of intercom.articles.list()) {}`); err != nil {
		t.Fatal(err)
	}
	for i, r := range rec.requests() {
		if r.Query.Has("page") && r.Query.Has("starting_after") {
			t.Errorf("request %d sends both: %s", i+1, r.Query.Encode())
		}
	}
	if q := rec.requests()[3].Query; q.Get("page") != "3" {
		t.Errorf("request 4 asks page %q: a page lagging behind the one asked for must not send the walk back", q.Get("page"))
	}
}

// A Pager left after first() or a break abandons the page it fetched ahead:
// that is not a failed request.
func TestPagerAbandonedReadAheadIsNotAFailure(t *testing.T) {
	for _, src := range []string{
		`await intercom.contacts.list().first();`,
		`for await (const c of intercom.contacts.list()) break;`,
		`for (const c of intercom.contacts.list()) break;`,
		`await intercom.contacts.list().toArray({limit: 2});`,
	} {
		t.Run(src, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if r.URL.Query().Get("starting_after") != "" {
					<-r.Context().Done() // answers only once given up
					return
				}
				fmt.Fprint(w, `{"type":"list","data":[{"id":"1"},{"id":"2"}],"pages":{"type":"pages","next":{"starting_after":"c2"}}}`)
			})
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			c, err := intercom.New(intercom.Config{Token: testToken, BaseURL: srv.URL, MaxRetries: 1})
			if err != nil {
				t.Fatal(err)
			}
			vm := runtimetest.New(t)
			if _, err := bindings.Install(vm, bindings.Options{Client: c, Admin: "1"}); err != nil {
				t.Fatal(err)
			}
			if _, err := runtimetest.Run(t, vm, src); err != nil {
				t.Fatal(err)
			}
			for st := c.Stats(); st.Calls < 2 || st.InFlight > 0; st = c.Stats() {
				time.Sleep(time.Millisecond) // the read-ahead is on its way, then given up
			}
			if st := c.Stats(); st.Failures != 0 {
				t.Fatalf("stats %+v: %q counts the abandoned read-ahead as failed", st, st.String())
			}
		})
	}
}
