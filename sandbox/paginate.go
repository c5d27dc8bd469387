package sandbox

import (
	"encoding/base64"
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
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func totalPages(total, per int) int {
	return (total + per - 1) / per
}

// Cursors are opaque to clients: "id:<id>" resumes after a record of an
// id-ordered listing (stable while records are created and deleted), "off:<n>"
// resumes at an offset of a listing sorted otherwise.
func encodeCursor(kind, v string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + v))
}

func decodeCursor(c string) (kind, v string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	kind, v, ok = strings.Cut(string(b), ":")
	return kind, v, ok && (kind == "id" || kind == "off")
}

// cursorPage serves one page of items after the cursor. byID says the items
// are in id order (ascending, or descending when desc), so cursors name the last
// id served; otherwise they hold an offset.
func cursorPage(items []record, cursor string, per int, byID, desc bool) ([]record, record, *apiError) {
	return cursorPageOf(len(items), func(from, to int) []record { return items[from:to] }, cursor, per, byID, desc)
}

// cursorPageOf is cursorPage over n items that slice(from, to) returns on demand.
func cursorPageOf(n int, slice func(from, to int) []record, cursor string, per int, byID, desc bool) ([]record, record, *apiError) {
	idAt := func(i int) string { return str(slice(i, i+1)[0], "id") }
	start := 0
	if cursor != "" {
		kind, v, ok := decodeCursor(cursor)
		if !ok {
			return nil, nil, errInvalid(msgInvalid, "starting_after")
		}
		switch kind {
		case "id":
			start = sort.Search(n, func(i int) bool {
				id := idAt(i)
				if desc {
					return idLess(id, v)
				}
				return idLess(v, id)
			})
		case "off":
			k, err := strconv.Atoi(v)
			if err != nil || k < 0 {
				return nil, nil, errInvalid(msgInvalid, "starting_after")
			}
			start = min(k, n)
		}
	}
	end := min(start+per, n)
	page := slice(start, end)
	pages := record{"type": "pages", "page": start/per + 1, "per_page": per, "total_pages": totalPages(n, per)}
	if end < n {
		next := encodeCursor("off", strconv.Itoa(end))
		if byID {
			next = encodeCursor("id", str(page[len(page)-1], "id"))
		}
		pages["next"] = record{"per_page": per, "starting_after": next}
	}
	return page, pages, nil
}

// numberPage serves page (1-based) of items.
func numberPage(items []record, page, per int) ([]record, record) {
	start := min((page-1)*per, len(items))
	end := min(start+per, len(items))
	pages := record{"type": "pages", "page": page, "per_page": per, "total_pages": totalPages(len(items), per)}
	return items[start:end], pages
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
