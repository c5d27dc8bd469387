package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// walkAndMutate is issue 18's reproduction: walk the contacts while deleting
// some and adding a note to the rest. It stops itself after 1,000 items so
// that a Pager that loops fails the test instead of running to the timeout.
const walkAndMutate = `
const me = await intercom.me;
const seen = new Set(); let yielded = 0, deleted = 0;
const noted = [];
for await (const c of intercom.contacts.list({per_page: 25})) {
  if (++yielded > 1000) break;
  seen.add(c.id);
  if (yielded % 4 === 0) { await intercom.contacts.delete(c.id); deleted++; continue; }
  await intercom.notes.create(c.id, {body: "checked", admin_id: me.id});
  noted.push(c.id);
}
let most = 0;
for (const id of noted) {
  const notes = await intercom.notes.list(id).toArray();
  most = Math.max(most, notes.filter((n) => n.body.includes("checked")).length);
}
console.log("yielded", yielded, "distinct", seen.size, "deleted", deleted, "most notes", most);
`

// TestPagerWalkWhileDeletingEnds: the walk ends, yields each contact once,
// and so adds at most one note to each (issue 18: 11,269 notes for 200).
func TestPagerWalkWhileDeletingEnds(t *testing.T) {
	_, env, flags := servedSandbox(t)
	dir, _ := writeScript(t, "walk.js", walkAndMutate)
	r := icscript(t, dir, env, append(flags, "--yes", "--no-audit", "--timeout", "120s", "walk.js")...).must(t, 0)
	var yielded, distinct, deleted, most int
	if _, err := fmt.Sscanf(strings.TrimSpace(r.stdout), "yielded %d distinct %d deleted %d most notes %d", &yielded, &distinct, &deleted, &most); err != nil {
		t.Fatalf("output %q: %v\nstderr:\n%s", r.stdout, err, r.stderr)
	}
	if yielded != distinct || yielded > 200 || most != 1 {
		t.Fatalf("%d contacts yielded, %d distinct (the sandbox holds 200), at most %d notes on one: want each once, one note each\nstderr:\n%s", yielded, distinct, most, r.stderr)
	}
}

// TestPagerLaggingServerDoesNotRepeatMutations: the server issue 18 met
// answers the cursor list's last page without pages.next but with page <
// total_pages, and ignores page on a cursor list. The walk must end there:
// one note per contact, not one per loop.
func TestPagerLaggingServerDoesNotRepeatMutations(t *testing.T) {
	var mu sync.Mutex
	notes := map[string]int{}
	lists := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.Method == "GET" && r.URL.Path == "/contacts":
			lists++
			fmt.Fprint(w, `{"type":"list","data":[{"type":"contact","id":"c1"},{"type":"contact","id":"c2"},{"type":"contact","id":"c3"}],"total_count":5,"pages":{"type":"pages","page":1,"per_page":3,"total_pages":2}}`)
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/notes"):
			id := strings.Split(r.URL.Path, "/")[2]
			notes[id]++
			fmt.Fprintf(w, `{"type":"note","id":"n%d","body":"checked"}`, len(notes))
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `{"type":"error.list","errors":[{"code":"not_found","message":"no"}]}`)
		}
	}))
	t.Cleanup(srv.Close)
	dir, _ := writeScript(t, "walk.js", `
let n = 0;
for await (const c of intercom.contacts.list()) {
  if (++n > 100) break;
  await intercom.notes.create(c.id, {body: "checked", admin_id: "1"});
}
console.log("yielded", n);
`)
	r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=tok"}, "--base-url", srv.URL, "--no-audit", "--timeout", "60s", "walk.js").must(t, 0)
	mu.Lock()
	defer mu.Unlock()
	if strings.TrimSpace(r.stdout) != "yielded 3" || len(notes) != 3 || notes["c1"] != 1 || notes["c2"] != 1 || notes["c3"] != 1 {
		t.Fatalf("output %q, notes per contact %v after %d list requests: want each contact once, one note each\nstderr:\n%s", r.stdout, notes, lists, r.stderr)
	}
}
