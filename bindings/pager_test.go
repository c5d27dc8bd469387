package bindings_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime/runtimetest"
)

// pagedServer serves three pages of two items each in one pagination style
// and records the requests.
func pagedServer(style string) *recorder {
	rec := &recorder{}
	rec.reply = func(r *http.Request, n int) (int, []byte) {
		page := 1
		switch style {
		case "cursor", "link":
			if a := r.URL.Query().Get("starting_after"); a != "" {
				page, _ = strconv.Atoi(strings.TrimPrefix(a, "c"))
			}
		case "search":
			var body struct {
				Pagination struct {
					StartingAfter string `json:"starting_after"`
				} `json:"pagination"`
			}
			json.NewDecoder(r.Body).Decode(&body)
			if a := body.Pagination.StartingAfter; a != "" {
				page, _ = strconv.Atoi(strings.TrimPrefix(a, "c"))
			}
		case "page", "pages-only":
			if p := r.URL.Query().Get("page"); p != "" {
				page, _ = strconv.Atoi(p)
			}
		case "scroll":
			if s := r.URL.Query().Get("scroll_param"); s != "" {
				page, _ = strconv.Atoi(strings.TrimPrefix(s, "s"))
			}
		}
		items := []map[string]any{}
		if page <= 3 && n <= 100 { // n bounds a runaway walk
			items = append(items, map[string]any{"id": fmt.Sprint(page*2 - 1)}, map[string]any{"id": fmt.Sprint(page * 2)})
		}
		body := map[string]any{"type": "list", "data": items, "total_count": 6}
		switch style {
		case "cursor", "search":
			pages := map[string]any{"type": "pages", "per_page": 2}
			if page < 3 {
				pages["next"] = map[string]any{"starting_after": fmt.Sprintf("c%d", page+1)}
			}
			body["pages"] = pages
		case "link":
			pages := map[string]any{"type": "pages"}
			if page < 3 {
				pages["next"] = fmt.Sprintf("https://api.intercom.io/events?type=user&user_id=u1&starting_after=c%d", page+1)
			}
			body["pages"] = pages
			body["events"] = items
			delete(body, "data")
		case "page", "pages-only":
			body["pages"] = map[string]any{"type": "pages", "page": page, "per_page": 2, "total_pages": 3}
		case "scroll":
			body["scroll_param"] = fmt.Sprintf("s%d", page+1)
		}
		out, _ := json.Marshal(body)
		return 200, out
	}
	return rec
}

func TestPagerStyles(t *testing.T) {
	for _, c := range pagerStyleCalls {
		for _, mode := range []string{"async", "sync"} {
			t.Run(c.style+"/"+mode, func(t *testing.T) {
				rec := pagedServer(c.style)
				vm := newVM(t, rec)
				loop := `for await (const x of p) ids.push(x.id);`
				if mode == "sync" {
					loop = `for (const x of p) ids.push(x.id);`
				}
				out, err := runtimetest.Run(t, vm, `const p = `+c.call+`; const ids = []; `+loop+` console.log(ids.join(","));`)
				if err != nil {
					t.Fatal(err)
				}
				if strings.TrimSpace(out) != "1,2,3,4,5,6" {
					t.Fatalf("items %q, want 1..6", out)
				}
				want := 3
				if c.style == "scroll" {
					want = 4 // scroll ends on an empty page
				}
				if n := len(rec.requests()); n != want {
					t.Fatalf("%d requests, want %d", n, want)
				}
				if c.style == "link" {
					for _, r := range rec.requests() {
						if r.Query.Get("user_id") != "u1" || r.Path != "/events" {
							t.Errorf("link page request %s?%s", r.Path, r.Query.Encode())
						}
					}
				}
			})
		}
	}
}

func TestPagerBreakStopsFetching(t *testing.T) {
	for _, loop := range []string{"for (const x of p) { break; }", "for await (const x of p) { break; }"} {
		rec := pagedServer("cursor")
		vm := newVM(t, rec)
		if _, err := runtimetest.Run(t, vm, `const p = intercom.contacts.list(); `+loop); err != nil {
			t.Fatal(err)
		}
		// The first page, and at most the one fetched ahead of it.
		if n := len(rec.requests()); n > 2 {
			t.Fatalf("%s: %d requests after break, want at most 2", loop, n)
		}
	}
}

func TestPagerHelpers(t *testing.T) {
	vm := newVM(t, pagedServer("cursor"))
	out, err := runtimetest.Run(t, vm, `
const p = intercom.contacts.list();
const a = await p.toArray({limit: 3});
const f = await p.first();
const f2 = await p.first(2);
const n = await p.count();
let pages = 0; for await (const body of p.pages()) pages++;
const m = await p.map(async (c) => Number(c.id) * 10, {concurrency: 3});
const s = await p.forEach(async (c) => { if (c.id === "4") throw new Error("boom"); }, {concurrency: 2});
console.log(a.map(x => x.id).join(","), f.id, f2.length, n, pages, m.join(","), p.total_count, s.ok, s.failed, s.errors[0].id, s.errors[0].error, String(p));
`)
	if err != nil {
		t.Fatal(err)
	}
	want := "1,2,3 1 2 6 3 10,20,30,40,50,60 6 5 1 4 boom [Pager contacts.list]"
	if strings.TrimSpace(out) != want {
		t.Fatalf("got  %q\nwant %q", strings.TrimSpace(out), want)
	}
}

// TestPagerMapFailures: map without stopOnError runs every item and, when
// some failed, rejects with an AggregateError that carries every result
// and every failure, instead of resolving to undefined holes nobody sees.
// With stopOnError it rejects with the first failure itself.
func TestPagerMapFailures(t *testing.T) {
	vm := newVM(t, pagedServer("cursor"))
	out, err := runtimetest.Run(t, vm, `
const p = intercom.contacts.list();
let ran = 0;
try {
  await p.map(async (c) => { ran++; if (c.id === "2" || c.id === "5") throw new Error("bad " + c.id); return c.id; }, {concurrency: 2});
  console.log("resolved");
} catch (e) {
  console.log(e instanceof AggregateError, ran, e.results.join("|"), e.failures.map(f => f.id + ":" + f.error).join(","), e.errors.length, e.errors[0].message);
  console.log(e.message);
}
try {
  await p.map(async (c) => { if (c.id === "2") throw new RangeError("stop here"); return c.id; }, {stopOnError: true});
} catch (e) { console.log(e.name, e.message); }
`)
	if err != nil {
		t.Fatal(err)
	}
	want := "true 6 1||3|4||6 2:bad 2,5:bad 5 2 bad 2\n" +
		"map(): 2 of 6 items failed (the first, id 2 at script.ts:5:77: bad 2); err.results holds every result, undefined where an item failed, err.failures what failed\n" +
		"RangeError stop here"
	if got := strings.TrimSpace(out); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestPool(t *testing.T) {
	vm := newVM(t, pagedServer("cursor"))
	out, err := runtimetest.Run(t, vm, `
let inFlight = 0, most = 0;
const s = await pool([1,2,3,4,5,6,7,8], 3, async (n) => {
  inFlight++; most = Math.max(most, inFlight);
  await new Promise(r => setTimeout(r, 5));
  inFlight--;
  if (n === 5) throw new IntercomError({message: "nope", status: 404, code: "not_found"});
});
console.log(s.ok, s.failed, s.errors[0].status, s.errors[0].code, s.errors[0].index, most);
let threw = false;
try { pool(42, 2, () => {}); } catch (e) { threw = e instanceof TypeError; }
console.log(threw);
`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "7 1 404 not_found 4 3\ntrue" {
		t.Fatalf("got %q", out)
	}
}
