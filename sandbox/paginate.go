package sandbox

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// maxPerPage is the largest page any listing serves; larger requests are clamped.
const maxPerPage = 150

// perPage reads a per_page value (query string or body number) with a default.
func perPage(v any, def int) int {
	n, ok := asInt(v)
	if !ok || n <= 0 {
		return def
	}
	return int(min(n, maxPerPage))
}

func queryPerPage(q url.Values, def int) int {
	if v := q.Get("per_page"); v != "" {
		return perPage(v, def)
	}
	return def
}

func queryPage(q url.Values) int {
	n, err := strconv.ParseInt(q.Get("page"), 10, 64)
	if err != nil || n < 1 {
		return 1
	}
	return int(n)
}

// checkPaging refuses a listing's page or per_page that is given but is not
// a positive integer (every value, when the parameter is repeated). An empty
// value counts as absent, as it does for declared parameters.
func checkPaging(q url.Values) *apiError {
	for _, name := range []string{"page", "per_page"} {
		for _, v := range q[name] {
			if v == "" {
				continue
			}
			if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 1 {
				return &apiError{Status: 400, Code: codeParamInvalid, Message: fmt.Sprintf(msgNotPositive, name, v), Field: name}
			}
		}
	}
	return nil
}

func totalPages(total, per int) int {
	return (total + per - 1) / per
}

// pageStart is the offset of page (1-based) in n items, n when the page is
// past the end; it cannot overflow, whatever page is.
func pageStart(page, per, n int) int {
	if page < 1 || page-1 > n/per {
		return n
	}
	return min((page-1)*per, n)
}

// A cursor is a position in a walk through a cursor or search listing,
// opaque to clients (base64 of its text form):
//
//	id:<id>:<page>           after the record id of an id-ordered listing
//	walk:<token>:<off>:<page> at offset off of a walk the sandbox holds (see walks)
//	off:<n>                  at offset n of the current listing (earlier cursors)
//
// page counts the pages served before the cursor's, so that pages.page goes
// on from where the walk is, whatever was created or deleted meanwhile.
type cursor struct {
	kind      string
	id, token string
	off, page int // page < 0: not known (an earlier cursor)
}

func (k cursor) encode() string {
	var s string
	switch k.kind {
	case "id":
		s = "id:" + k.id + ":" + strconv.Itoa(k.page)
	case "walk":
		s = "walk:" + k.token + ":" + strconv.Itoa(k.off) + ":" + strconv.Itoa(k.page)
	default:
		s = "off:" + strconv.Itoa(k.off)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func parseCursor(c string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return cursor{}, false
	}
	kind, rest, _ := strings.Cut(string(b), ":")
	k := cursor{kind: kind, page: -1}
	nonNeg := func(s string) (int, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return int(n), err == nil && n >= 0 && n < 1<<53
	}
	ok := true
	switch kind {
	case "id":
		k.id = rest
		if i := strings.LastIndexByte(rest, ':'); i >= 0 {
			k.id = rest[:i]
			k.page, ok = nonNeg(rest[i+1:])
		}
		ok = ok && k.id != ""
	case "walk":
		parts := strings.Split(rest, ":")
		if len(parts) != 3 {
			return k, false
		}
		var ok1, ok2 bool
		k.token = parts[0]
		k.off, ok1 = nonNeg(parts[1])
		k.page, ok2 = nonNeg(parts[2])
		ok = ok1 && ok2 && k.token != ""
	case "off":
		k.off, ok = nonNeg(rest)
	default:
		ok = false
	}
	return k, ok
}

// cursorPages is the pages object of a cursor page: the walk's page number
// and, from the items left after this page, its total_pages, so that next is
// present exactly when page < total_pages.
func cursorPages(page, per, left int) record {
	return record{"type": "pages", "page": page, "per_page": per, "total_pages": page + totalPages(left, per)}
}

// cursorPage serves one page of items, which are in id order (ascending, or
// descending when desc), after the cursor, or at page (1-based) without one:
// the cursor wins when a request sends both. Cursors name the last id
// served, so a walk serves every record that exists throughout exactly once
// while records are created and deleted.
func cursorPage(items []record, cur string, page, per int, desc bool) ([]record, record, *apiError) {
	return cursorPageOf(len(items), func(from, to int) []record { return items[from:to] }, cur, page, per, desc)
}

// cursorPageOf is cursorPage over n items that slice(from, to) returns on demand.
func cursorPageOf(n int, slice func(from, to int) []record, cur string, page, per int, desc bool) ([]record, record, *apiError) {
	start, served := pageStart(page, per, n), page-1
	if cur != "" {
		k, ok := parseCursor(cur)
		if !ok || k.kind == "walk" {
			return nil, nil, errInvalid(msgInvalid, "starting_after")
		}
		switch k.kind {
		case "id":
			start = sort.Search(n, func(i int) bool {
				id := str(slice(i, i+1)[0], "id")
				if desc {
					return idLess(id, k.id)
				}
				return idLess(k.id, id)
			})
		case "off":
			start = min(k.off, n)
		}
		served = k.page
		if served < 0 {
			served = start / per
		}
	}
	end := min(start+per, n)
	items := slice(start, end)
	pages := cursorPages(served+1, per, n-end)
	if n == 0 && cur == "" {
		pages["total_pages"] = 0
	}
	if end < n {
		next := cursor{kind: "id", id: str(items[len(items)-1], "id"), page: served + 1}
		pages["next"] = record{"per_page": per, "starting_after": next.encode()}
	}
	return items, pages, nil
}

// walkPage serves the page of the held walk w at off, the walk having served
// pages before it; total is the walk's size.
func (c *call) walkPage(w *walk, off, pages, per int) ([]record, record) {
	end := min(off+per, w.n)
	items := w.serve(c.st, off, end)
	pg := cursorPages(pages+1, per, w.n-end)
	if end < w.n {
		next := cursor{kind: "walk", token: w.token, off: end, page: pages + 1}
		pg["next"] = record{"per_page": per, "starting_after": next.encode()}
	}
	return items, pg
}

// numberPage serves the query's page of a page-number listing of table's
// records, which list computes in order. Pages come from a walk the sandbox
// holds (see walks): page 1 starts one, later pages of the same request
// (same operation, path and query but the page) read it, so that a client
// paging while records are created and deleted sees every record that exists
// throughout exactly once. It returns the page, its pages object and the
// listing's total_count.
func (c *call) numberPage(table string, list func() []record, def int) ([]record, record, int) {
	page, per := queryPage(c.query), queryPerPage(c.query, def)
	key := c.listingKey()
	now := c.sb.now()
	var w *walk
	if page > 1 {
		w = c.sb.walks.latest(key, now)
	}
	if w == nil {
		items := list()
		if page == 1 && len(items) <= per { // one page: nothing to hold
			c.sb.walks.forget(key)
			return items, record{"type": "pages", "page": 1, "per_page": per, "total_pages": totalPages(len(items), per)}, len(items)
		}
		w = c.sb.walks.start(key, table, len(items), func(from, to int) []record { return items[from:to] }, now)
	}
	start := pageStart(page, per, w.n)
	end := min(start+per, w.n)
	return w.serve(c.st, start, end), record{"type": "pages", "page": page, "per_page": per, "total_pages": totalPages(w.n, per)}, w.n
}

// listingKey names the request a page-number walk belongs to: the operation,
// its path parameters and its query without the page.
func (c *call) listingKey() string {
	q := url.Values{}
	for k, v := range c.query {
		if k != "page" {
			q[k] = v
		}
	}
	params := make([]string, 0, len(c.params))
	for k, v := range c.params {
		params = append(params, k+"="+v)
	}
	sort.Strings(params)
	return c.op.ID + "/" + strings.Join(params, "/") + "?" + q.Encode()
}

// pageURL is the URL of another page of the current request (pages_link's next).
func (c *call) pageURL(page int) string {
	q := url.Values{}
	for k, v := range c.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(page))
	return c.base + strings.Replace(c.op.Path, "{id}", url.PathEscape(c.param("id")), 1) + "?" + q.Encode()
}

// listOf renders a list object {type, <field>: items, total_count, pages}.
func listOf(typ, field string, items []any, total int, pages record) record {
	out := record{"type": typ, field: items, "total_count": total}
	if pages != nil {
		out["pages"] = pages
	}
	return out
}

// render applies fn to every record.
func render(items []record, fn func(record) record) []any {
	out := make([]any, len(items))
	for i, r := range items {
		out[i] = fn(r)
	}
	return out
}
