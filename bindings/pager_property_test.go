package bindings_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/icscript/icscript/runtime/runtimetest"
)

// The Pager's promise, for every pagination style: whatever the server does
// between two pages (inserts, deletes, updates that move items) and however
// it misbehaves (repeats a page, hands back a cursor that does not move,
// reports a page number lagging behind total_pages, claims more pages
// forever, or sends a cursor list's last page without next but with page <
// total_pages as in issue 18), a walk yields no item twice and ends by
// itself. Without writes or faults it yields every item once, in order.

// walkServer serves one mutable collection in one pagination style. Its
// cursors are offsets into the current order, which shifts under writes, as
// a server sorting by something other than id does.
type walkServer struct {
	mu        sync.Mutex
	style     string
	mode      string // calm, writes, repeat, stale, lag, endless, issue18
	rng       *rand.Rand
	items     []walkItem // ordered by key, then id
	nextID    int
	per       int
	scrollAt  int
	last      []byte
	requests  int
	runaway   bool // the walk did not end by itself
	initially []string
}

type walkItem struct {
	id  string
	key int
}

// maxWalkRequests bounds a walk that would not end: past it the server
// answers empty pages and the test fails.
const maxWalkRequests = 400

func newWalkServer(style, mode string, seed int64) *walkServer {
	s := &walkServer{style: style, mode: mode, rng: rand.New(rand.NewSource(seed)), per: 3}
	n := 5 + s.rng.Intn(20)
	for i := 0; i < n; i++ {
		s.insert()
	}
	for _, it := range s.items {
		s.initially = append(s.initially, it.id)
	}
	return s
}

func (s *walkServer) insert() {
	s.nextID++
	s.items = append(s.items, walkItem{id: fmt.Sprintf("i%d", s.nextID), key: s.rng.Intn(1000)})
	s.sort()
}

func (s *walkServer) sort() {
	sort.Slice(s.items, func(i, j int) bool {
		a, b := s.items[i], s.items[j]
		if a.key != b.key {
			return a.key < b.key
		}
		return a.id < b.id
	})
}

// write makes up to two random changes: an insert, a delete or an update
// that moves an item.
func (s *walkServer) write() {
	for k := s.rng.Intn(3); k > 0; k-- {
		switch r := s.rng.Float64(); {
		case r < 0.4 || len(s.items) == 0:
			s.insert()
		case r < 0.7:
			i := s.rng.Intn(len(s.items))
			s.items = append(s.items[:i], s.items[i+1:]...)
		default:
			s.items[s.rng.Intn(len(s.items))].key = s.rng.Intn(1000)
			s.sort()
		}
	}
}

func (s *walkServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	w.Header().Set("Content-Type", "application/json")
	if s.requests > maxWalkRequests {
		s.runaway = true
		fmt.Fprint(w, `{"type":"list","data":[],"events":[]}`)
		return
	}
	if s.mode != "calm" && s.requests > 1 {
		s.write()
	}
	if s.mode == "repeat" && s.last != nil && s.rng.Float64() < 0.4 {
		w.Write(s.last)
		return
	}
	body := s.page(r)
	s.last, _ = json.Marshal(body)
	w.Write(s.last)
}

func offset(cursor string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(cursor, "o"))
	return n
}

// page serves the page a request asks for, in the server's style and mode.
func (s *walkServer) page(r *http.Request) map[string]any {
	q := r.URL.Query()
	cursor := q.Get("starting_after")
	if s.style == "search" {
		var b struct {
			Pagination struct {
				StartingAfter string `json:"starting_after"`
			} `json:"pagination"`
		}
		json.NewDecoder(r.Body).Decode(&b)
		cursor = b.Pagination.StartingAfter
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	var start int
	switch s.style {
	case "cursor", "search", "link":
		start = offset(cursor)
		if s.mode == "issue18" {
			start = 0 // ignores page on a cursor list; there is one cursor page
		}
	case "page", "pages-only":
		start = (pageNo - 1) * s.per
	case "scroll":
		if q.Get("scroll_param") == "" {
			s.scrollAt = 0
		}
		start = s.scrollAt
	}
	if s.mode == "endless" {
		start = 0 // the same items, while always claiming more
	}
	start = min(start, len(s.items))
	end := min(start+s.per, len(s.items))
	items := []map[string]any{}
	for _, it := range s.items[start:end] {
		items = append(items, map[string]any{"type": "thing", "id": it.id, "key": it.key})
	}
	total := (len(s.items) + s.per - 1) / s.per
	body := map[string]any{"type": "list", "data": items, "total_count": len(s.items)}
	more := end < len(s.items) || s.mode == "endless"
	nextCursor := fmt.Sprintf("o%d", end)
	switch {
	case s.mode == "endless":
		nextCursor = fmt.Sprintf("o%dr%d", end, s.requests)
	case s.mode == "stale" && s.rng.Float64() < 0.4:
		nextCursor = cursor // does not move
		if nextCursor == "" {
			nextCursor = "o0"
		}
	}
	pages := map[string]any{"type": "pages", "per_page": s.per, "page": start/s.per + 1, "total_pages": total}
	switch s.style {
	case "cursor", "search":
		if more && s.mode != "issue18" {
			pages["next"] = map[string]any{"per_page": s.per, "starting_after": nextCursor}
		}
		if s.mode == "issue18" {
			pages["page"], pages["total_pages"] = 1, total+1
		}
		body["pages"] = pages
	case "link":
		if more && s.mode != "issue18" {
			pages["next"] = "https://api.intercom.io/events?type=user&user_id=u1&starting_after=" + nextCursor
		}
		if s.mode == "issue18" {
			pages["page"], pages["total_pages"] = 1, total+1
		}
		body["pages"] = pages
		body["events"] = items
		delete(body, "data")
	case "page", "pages-only":
		pages["page"] = pageNo
		switch s.mode {
		case "lag":
			pages["page"], pages["total_pages"] = max(1, pageNo-1), total+1
		case "endless":
			pages["total_pages"] = pageNo + 1
		case "stale":
			if s.rng.Float64() < 0.4 {
				pages["page"] = 1
			}
		}
		body["pages"] = pages
	case "scroll":
		if !(s.mode == "stale" && s.rng.Float64() < 0.4) && s.mode != "endless" {
			s.scrollAt = end
		}
		body["scroll_param"] = "sc1" // Intercom's stays the same through a scroll
		delete(body, "total_count")
	}
	return body
}

var pagerStyleCalls = []struct{ style, call string }{
	{"cursor", `intercom.contacts.list()`},
	{"search", `intercom.contacts.search({field: "role", operator: "=", value: "user"})`},
	{"page", `intercom.articles.list()`},
	{"pages-only", `intercom.news.items.list()`},
	{"scroll", `intercom.companies.scroll()`},
	{"link", `intercom.events.list({filter: {user_id: "u1"}, type: "user"})`},
}

func TestPagerPropertyNoRepeatsAndEnds(t *testing.T) {
	modes := []string{"calm", "writes", "repeat", "stale", "lag", "endless", "issue18"}
	const seeds = 6
	for _, c := range pagerStyleCalls {
		for _, mode := range modes {
			for _, loop := range []string{"async", "sync"} {
				t.Run(c.style+"/"+mode+"/"+loop, func(t *testing.T) {
					for seed := int64(1); seed <= seeds; seed++ {
						checkWalk(t, c.style, c.call, mode, loop, seed)
					}
				})
			}
		}
	}
}

func checkWalk(t *testing.T, style, call, mode, loop string, seed int64) {
	t.Helper()
	srv := newWalkServer(style, mode, seed)
	vm := newVM(t, srv)
	walk := `for await (const x of p) ids.push(x.id);`
	if loop == "sync" {
		walk = `for (const x of p) ids.push(x.id);`
	}
	out, err := runtimetest.Run(t, vm, `const p = `+call+`; const ids = []; `+walk+` console.log(JSON.stringify(ids));`)
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	var ids []string
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &ids); err != nil {
		t.Fatalf("seed %d: output %q: %v", seed, out, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.runaway {
		t.Fatalf("seed %d: the walk did not end: %d requests, %d items yielded", seed, srv.requests, len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("seed %d: %s yielded twice in %v", seed, id, ids)
		}
		seen[id] = true
	}
	if mode == "calm" && strings.Join(ids, ",") != strings.Join(srv.initially, ",") {
		t.Fatalf("seed %d: yielded %v, want %v", seed, ids, srv.initially)
	}
}
