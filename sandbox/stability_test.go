package sandbox_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// writer changes the listing's records between two page fetches: it may
// create records, delete some of the ones listed at the start (seen already
// or not yet) and update others so that their sort key moves; it returns the
// ids it deleted.
type writer func(c *client, step int, seen, unseen []string) (deleted []string)

// del deletes the first seen and the last unseen record through path+id.
func del(path string) func(c *client, seen, unseen []string) []string {
	return func(c *client, seen, unseen []string) []string {
		var out []string
		for _, ids := range [][]string{seen, unseen} {
			if len(ids) == 0 {
				continue
			}
			id := ids[0]
			if len(out) > 0 {
				id = ids[len(ids)-1]
			}
			if r := c.do("DELETE", path+id, nil); r.status == 200 {
				out = append(out, id)
			}
		}
		return out
	}
}

// update sends body to the last seen and the first unseen record: their sort
// keys swap sides of the walk's position.
func update(method, path string, seenBody, unseenBody func(step int) any) func(c *client, step int, seen, unseen []string) {
	return func(c *client, step int, seen, unseen []string) {
		if len(seen) > 0 {
			c.do(method, path+seen[len(seen)-1], seenBody(step))
		}
		if len(unseen) > 0 {
			c.do(method, path+unseen[0], unseenBody(step))
		}
	}
}

func named(name string) func(int) any {
	return func(step int) any { return obj{"name": fmt.Sprintf("%s %03d", name, step)} }
}

// stabilityWriters: for every paged listing, the writes its records can take.
var stabilityWriters = map[string]writer{}

// addStabilityWriters adds the writers of one namespace's listings (a nil
// writer: nothing a client can write changes its records). Each namespace's
// are in its own test file, beside its sweep cases.
func addStabilityWriters(ws map[string]writer) { addEntries("stability writers", stabilityWriters, ws) }

func contactWrites(c *client, step int, seen, unseen []string) []string {
	c.ok("POST", "/contacts", obj{"email": fmt.Sprintf("new-%d@new.example", step), "role": "user", "name": "Aaron New"})
	update("PUT", "/contacts/", named("Zed"), named("Aaa"))(c, step, seen, unseen)
	return del("/contacts/")(c, seen, unseen)
}

func companyWrites(c *client, step int, seen, unseen []string) []string {
	c.ok("POST", "/companies", obj{"company_id": fmt.Sprintf("new-%d", step), "name": "New"})
	return del("/companies/")(c, seen, unseen)
}

func articleWrites(c *client, step int, seen, unseen []string) []string {
	var col int64
	fmt.Sscan(collectionID(c), &col)
	c.ok("POST", "/articles", obj{"title": "New invoice", "author_id": c.adminNum(), "state": "published", "parent_id": col, "body": "invoice"})
	return del("/articles/")(c, seen, unseen)
}

// stabilityCompany is the company whose contacts ListAttachedContacts walks.
func stabilityCompany(c *client) string { return s(c.firstOf("/companies?per_page=1", "data")["id"]) }

// stabilitySorts: the sort of each search walk, by a field the writes change.
var stabilitySorts = map[string]any{
	"SearchContacts":      obj{"field": "name", "order": "ascending"},
	"searchConversations": obj{"field": "read", "order": "descending"},
	"searchTickets":       obj{"field": "state", "order": "ascending"},
}

// TestPagingIsStableUnderWrites walks every paged listing of the catalogue,
// by its own pagination style, over HTTP, with writes between page fetches
// (creates, deletes of records seen and not yet seen, updates that move sort
// keys): every record listed before the walk and not deleted during it is
// served exactly once, no record twice, and the walk ends. Searches are
// walked unsorted and sorted by a field the writes change.
func TestPagingIsStableUnderWrites(t *testing.T) {
	for _, op := range catalog.Operations {
		if !op.Listing() || op.Pagination == catalog.PageNone {
			continue
		}
		w, ok := stabilityWriters[op.ID]
		if !ok {
			t.Errorf("%s (%s): no writer in stabilityWriters; say what writes its records can take", op.ID, op.Pagination)
			continue
		}
		sorts := []any{nil}
		if op.Pagination == catalog.PageSearch {
			sorts = append(sorts, stabilitySorts[op.ID])
		}
		for _, sortBy := range sorts {
			t.Run(fmt.Sprintf("%s/%s/sort=%v", op.Pagination, op.ID, sortBy != nil), func(t *testing.T) {
				c := start(t, testOptions())
				before := walkListing(t, c, op, sortBy, nil)
				if len(before) < 3 && w != nil {
					t.Logf("only %d records", len(before))
				}
				deleted := map[string]bool{}
				seen := walkListing(t, c, op, sortBy, func(step int, seenIDs []string) {
					if w == nil || step > 8 { // writes that never stop would keep a live listing going
						return
					}
					var unseen []string
					got := map[string]bool{}
					for _, id := range seenIDs {
						got[id] = true
					}
					for _, id := range before {
						if !got[id] && !deleted[id] {
							unseen = append(unseen, id)
						}
					}
					var live []string
					for _, id := range seenIDs {
						if !deleted[id] {
							live = append(live, id)
						}
					}
					for _, id := range w(c, step, live, unseen) {
						deleted[id] = true
					}
				})
				count := map[string]int{}
				for _, id := range seen {
					count[id]++
					if count[id] == 2 {
						t.Errorf("%s served twice", id)
					}
				}
				for _, id := range before {
					if !deleted[id] && count[id] == 0 {
						t.Errorf("%s existed throughout the walk and was not served", id)
					}
				}
			})
		}
	}
}

// walkListing pages through op's listing by its pagination style, calling
// between (when not nil) after each page, and returns the ids served in order.
func walkListing(t *testing.T, c *client, op *catalog.Operation, sortBy any, between func(step int, seen []string)) []string {
	t.Helper()
	params, query, body := sweepCases[op.ID](c)
	path := op.Path
	for k, v := range params {
		path = strings.Replace(path, "{"+k+"}", url.PathEscape(v), 1)
	}
	if op.ID == "ListAttachedContacts" {
		path = "/companies/" + stabilityCompany(c) + "/contacts"
	}
	q, _ := url.ParseQuery(query)
	if op.Pagination != catalog.PageScroll && op.Pagination != catalog.PageSearch && op.Pagination != catalog.PagePagesOnly {
		q.Set("per_page", "3")
	}
	var search obj
	if op.Pagination == catalog.PageSearch {
		search = obj{"query": m(body)["query"], "pagination": obj{"per_page": 3}}
		if sortBy != nil {
			search["sort"] = sortBy
		}
	}
	var ids []string
	for step := 1; ; step++ {
		if step > 500 {
			t.Fatalf("the walk did not end after %d pages", step)
		}
		target := path
		if len(q) > 0 {
			target += "?" + q.Encode()
		}
		var page map[string]any
		if search != nil {
			page = c.ok("POST", target, search)
		} else {
			page = c.ok(op.Method, target, nil)
		}
		items := page
		var list []any
		for _, f := range strings.Split(op.ItemsField, ".") {
			if v, ok := items[f].([]any); ok {
				list = v
			} else {
				items = m(items[f])
			}
		}
		for _, it := range list {
			ids = append(ids, s(m(it)["id"]))
		}
		pages := m(page["pages"])
		switch op.Pagination {
		case catalog.PageCursor, catalog.PageSearch:
			next := m(pages["next"])
			if next == nil || s(next["starting_after"]) == "" {
				if n(pages["page"]) != n(pages["total_pages"]) && len(ids) > 0 {
					t.Errorf("last page: page %v of total_pages %v", pages["page"], pages["total_pages"])
				}
				return ids
			}
			if n(pages["page"]) >= n(pages["total_pages"]) {
				t.Errorf("next present, but page %v of total_pages %v", pages["page"], pages["total_pages"])
			}
			if search != nil {
				search["pagination"] = obj{"per_page": 3, "starting_after": next["starting_after"]}
			} else {
				q.Set("starting_after", s(next["starting_after"]))
			}
		case catalog.PageScroll:
			if len(list) == 0 {
				return ids
			}
			q.Set("scroll_param", s(page["scroll_param"]))
		case catalog.PageLink:
			next, _ := pages["next"].(string)
			if next == "" {
				return ids
			}
			u, err := url.Parse(next)
			if err != nil {
				t.Fatalf("next %q: %v", next, err)
			}
			path, q = u.Path, u.Query()
		default: // page, pages-only
			if len(list) == 0 || n(pages["page"]) >= n(pages["total_pages"]) {
				return ids
			}
			q.Set("page", fmt.Sprint(n(pages["page"])+1))
		}
		if between != nil {
			between(step, ids)
		}
	}
}

// TestCursorPagesCountAfterDeletes: on a cursor listing, pages.page goes on
// from the pages the walk served, whatever was deleted meanwhile, so that
// next is present exactly when page < total_pages (a client falling back to
// ?page=N+1 on a last page whose page lagged total_pages looped for ever). A
// request with both page and starting_after follows the cursor; page alone
// serves that page.
func TestCursorPagesCountAfterDeletes(t *testing.T) {
	c := start(t, testOptions())
	var last map[string]any
	path := "/contacts?per_page=50"
	var served []string
	for step := 1; ; step++ {
		last = c.ok("GET", path, nil)
		pages := m(last["pages"])
		if n(pages["page"]) != int64(step) {
			t.Fatalf("page %d of the walk says page %v", step, pages["page"])
		}
		for _, it := range arr(last["data"]) {
			served = append(served, s(m(it)["id"]))
		}
		if step == 1 { // delete 40 served contacts: offsets move back most of a page
			for _, id := range served[:40] {
				c.ok("DELETE", "/contacts/"+id, nil)
			}
		}
		next := m(pages["next"])
		if (next != nil) != (n(pages["page"]) < n(pages["total_pages"])) {
			t.Fatalf("page %v of total_pages %v with next %v", pages["page"], pages["total_pages"], next)
		}
		if next == nil {
			break
		}
		cur := s(next["starting_after"])
		// page and starting_after together: the cursor wins.
		mixed := c.ok("GET", fmt.Sprintf("/contacts?per_page=50&page=%d&starting_after=%s", step+7, cur), nil)
		path = "/contacts?per_page=50&starting_after=" + cur
		plain := c.ok("GET", path, nil)
		if fmt.Sprint(mixed["data"]) != fmt.Sprint(plain["data"]) {
			t.Fatalf("page=%d with starting_after served another page than the cursor alone", step+7)
		}
	}
	if len(served) != 200 {
		t.Errorf("served %d contacts, want the 200 seeded", len(served))
	}
	second := c.ok("GET", "/contacts?per_page=50&page=2", nil)
	if pg := m(second["pages"]); n(pg["page"]) != 2 || s(m(arr(second["data"])[0])["id"]) != s(m(arr(c.ok("GET", "/contacts?per_page=100", nil)["data"])[50])["id"]) {
		t.Errorf("page=2 alone: %v", pg)
	}
}
