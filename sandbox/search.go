package sandbox

import (
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"sync"

	"github.com/icscript/icscript/sandbox/search"
)

// search runs a search request body ({query, pagination, sort}) over a table:
// keep selects the records that can be found at all, prepare builds the
// document a query sees (nil: the record itself). Results are in id order,
// or in the order of the body's sort, and paged by body cursor.
func (c *call) search(t *table, fields *search.FieldSet, defPer int, keep func(record) bool, prepare func(record) record) ([]record, record, int, *apiError) {
	m, err := search.Compile(c.body["query"], fields)
	if err != nil {
		return nil, nil, 0, queryError(err)
	}
	sortBy, _ := c.body["sort"].(map[string]any)
	key := searchKey(fields, c.body["query"], sortBy)
	hits, ok := c.sb.results.get(key, c.st.version)
	if !ok {
		hits = matchAll(t.recs, m, keep, prepare)
		if sortBy != nil {
			if err := search.Sort(hits, sortBy, fields); err != nil {
				return nil, nil, 0, queryError(err)
			}
		}
		c.sb.results.put(key, c.st.version, hits)
	}
	pg := obj(c.body, "pagination")
	page, pages, aerr := cursorPage(hits, str(pg, "starting_after"), perPage(pg["per_page"], defPer), sortBy == nil, false)
	if aerr != nil {
		return nil, nil, 0, aerr
	}
	return page, pages, len(hits), nil
}

// parallelAbove is the size from which matching is split across CPUs.
const parallelAbove = 20000

// matchAll returns the records that keep accepts and m matches, in order.
// Large tables are matched in chunks on every CPU (matchers are safe for
// concurrent use, and the store is read-locked).
func matchAll(recs []record, m search.Matcher, keep func(record) bool, prepare func(record) record) []record {
	match := func(part []record) []record {
		var out []record
		for _, r := range part {
			if keep != nil && !keep(r) {
				continue
			}
			doc := r
			if prepare != nil {
				doc = prepare(r)
			}
			if m.Match(doc) {
				out = append(out, r)
			}
		}
		return out
	}
	workers := runtime.GOMAXPROCS(0)
	if len(recs) < parallelAbove || workers == 1 {
		return match(recs)
	}
	parts := make([][]record, workers)
	size := (len(recs) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(w*size, len(recs)), min((w+1)*size, len(recs))
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = match(recs[lo:hi])
		}()
	}
	wg.Wait()
	var hits []record
	for _, p := range parts {
		hits = append(hits, p...)
	}
	return hits
}

// resultCache keeps the hits of the last searches while the store is
// unchanged, so that paging through a large result costs one scan, not one
// scan a page. Any change to the store (its version) invalidates every entry.
type resultCache struct {
	mu      sync.Mutex
	version uint64
	entries map[string][]record
}

const maxCachedSearches = 16

func searchKey(fields *search.FieldSet, query any, sortBy map[string]any) string {
	b, _ := json.Marshal([]any{fields.Resource(), query, sortBy})
	return string(b)
}

func (rc *resultCache) get(key string, version uint64) ([]record, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.version != version {
		return nil, false
	}
	hits, ok := rc.entries[key]
	return hits, ok
}

func (rc *resultCache) put(key string, version uint64, hits []record) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.version != version || rc.entries == nil || len(rc.entries) >= maxCachedSearches {
		rc.version, rc.entries = version, map[string][]record{}
	}
	rc.entries[key] = hits
}

func queryError(err error) *apiError {
	if qe, ok := err.(*search.QueryError); ok {
		return &apiError{Status: http.StatusBadRequest, Code: qe.Code, Message: qe.Message, Field: qe.Field}
	}
	return errInvalid(msgInvalid, "query")
}

// mentions reports whether a query names field anywhere.
func mentions(query any, field string) bool {
	b, _ := json.Marshal(query)
	return strings.Contains(string(b), `"`+field+`"`)
}
