package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/icscript/icscript/sandbox/search"
)

// searchFields is the field set of one search in one API version, or why
// the sandbox cannot have it.
type searchFields struct {
	fs  *search.FieldSet
	err error
}

// searchFieldsOf makes the field sets of av's searches from its catalogue:
// the fields, types and operators of each search's description
// (Operation.SearchFields), read as search.ForOperation's model of the
// operation that serves it says.
func searchFieldsOf(av *apiVersion) map[string]searchFields {
	out := map[string]searchFields{}
	for _, op := range av.cat.Operations {
		if len(op.SearchFields) == 0 {
			continue
		}
		id := op.ID
		if b := av.served[op].base; b != nil {
			id = b.ID
		}
		described := make([]search.Described, len(op.SearchFields))
		for i, f := range op.SearchFields {
			described[i] = search.Described{Name: f.Name, Type: f.Type, Operators: f.Operators}
		}
		fs, err := search.ForOperation(id, described)
		if fs != nil || err != nil {
			out[id] = searchFields{fs, err}
		}
	}
	return out
}

// fields is the field set of the search c serves in c's API version.
func (c *call) fields() (*search.FieldSet, *apiError) {
	sf, ok := c.av.searches[c.op.ID]
	switch {
	case sf.err != nil:
		return nil, newError(http.StatusInternalServerError, codeServerError, sf.err.Error())
	case !ok:
		return nil, newError(http.StatusInternalServerError, codeServerError, fmt.Sprintf("API %s describes no fields for %s", c.av.cat.Version, c.op.ID))
	}
	return sf.fs, nil
}

// search runs a search request body ({query, pagination, sort}) over a table:
// keep selects the records that can be found at all, prepare builds the
// document a query sees (nil: the record itself). Results are in id order,
// or in the order of the body's sort, and paged by body cursor.
//
// Queries run on a search.View of the table, cached while the store is
// unchanged: the first search since a change scans the records, later ones
// build the columns they need once and read flat arrays. A sorted search
// orders only the records of the pages served.
func (c *call) search(t *table, defPer int, keep func(record) bool, prepare func(record) record) ([]record, record, int, *apiError) {
	fields, aerr := c.fields()
	if aerr != nil {
		return nil, nil, 0, aerr
	}
	m, err := search.Compile(c.body["query"], fields)
	if err != nil {
		return nil, nil, 0, queryError(err)
	}
	sortBy, _ := c.body["sort"].(map[string]any)
	order, err := search.CompileSort(sortBy, fields)
	if err != nil {
		return nil, nil, 0, queryError(err)
	}
	key := searchKey(c.av.cat.Version, fields, c.body["query"], sortBy)
	res, ok := c.sb.results.get(key, c.st.version)
	if !ok {
		view := c.sb.results.view(t, c.st.version)
		res = &searchResult{view: view}
		if prepare == nil && view.Columnar(m, order) {
			view.Warm(m, order)
			cand := view.All()
			if keep != nil {
				cand = view.Mask("keep", keep) // one keep a table: the contacts' unarchived
			}
			res.rank = view.Rank(view.Match(m, cand).Positions(), order)
		} else {
			// The first search since the store changed scans the records.
			res.rank = view.RankRecords(matchAll(t.recs, m, keep, prepare), order)
		}
		c.sb.results.put(key, c.st.version, res)
	}
	pg := obj(c.body, "pagination")
	cur, per := str(pg, "starting_after"), perPage(pg["per_page"], defPer)
	if sortBy != nil {
		return c.sortedPage(t, res, cur, per)
	}
	page, pages, aerr := cursorPageOf(res.rank.Len(), res.slice, cur, 1, per, false)
	if aerr != nil {
		return nil, nil, 0, aerr
	}
	return page, pages, res.rank.Len(), nil
}

// sortedPage serves a page of a sorted search. Its order is by a field that
// writes change, which no cursor can carry, so the first page starts a walk
// (see walks) that holds the ranking and later pages read it: every record
// that matched when the search started and exists throughout is served
// exactly once, whatever is written meanwhile.
func (c *call) sortedPage(t *table, res *searchResult, cur string, per int) ([]record, record, int, *apiError) {
	now := c.sb.now()
	if cur == "" {
		n := res.rank.Len()
		if n <= per { // one page: nothing to hold
			pages := cursorPages(1, per, 0)
			if n == 0 {
				pages["total_pages"] = 0
			}
			return res.slice(0, n), pages, n, nil
		}
		w := c.sb.walks.start("", c.st.nameOf(t), n, res.slice, now)
		page, pages := c.walkPage(w, 0, 0, per)
		return page, pages, w.n, nil
	}
	k, ok := parseCursor(cur)
	if !ok || k.kind != "walk" {
		return nil, nil, 0, errInvalid(msgInvalid, "starting_after")
	}
	w := c.sb.walks.get(k.token, now)
	if w == nil {
		return nil, nil, 0, &apiError{Status: http.StatusBadRequest, Code: codeParamInvalid, Message: msgWalkExpired, Field: "starting_after"}
	}
	page, pages := c.walkPage(w, min(k.off, w.n), k.page, per)
	return page, pages, w.n, nil
}

// searchResult is the hits of one search, ranked.
type searchResult struct {
	view *search.View
	rank *search.Ranking
}

// slice returns the records of ranks from to to.
func (r *searchResult) slice(from, to int) []record {
	pos := r.rank.Range(from, to)
	out := make([]record, len(pos))
	for i, p := range pos {
		out[i] = r.view.Record(p)
	}
	return out
}

// parallelAbove is the size from which matching is split across CPUs.
const parallelAbove = 20000

// matchAll returns the positions of the records that keep accepts and m
// matches, in order. Large tables are matched in chunks on every CPU
// (matchers are safe for concurrent use, and the store is read-locked).
func matchAll(recs []record, m search.Matcher, keep func(record) bool, prepare func(record) record) []int32 {
	match := func(lo, hi int) []int32 {
		var out []int32
		for i, r := range recs[lo:hi] {
			if keep != nil && !keep(r) {
				continue
			}
			doc := r
			if prepare != nil {
				doc = prepare(r)
			}
			if m.Match(doc) {
				out = append(out, int32(lo+i))
			}
		}
		return out
	}
	workers := runtime.GOMAXPROCS(0)
	if len(recs) < parallelAbove || workers == 1 {
		return match(0, len(recs))
	}
	parts := make([][]int32, workers)
	size := (len(recs) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(w*size, len(recs)), min((w+1)*size, len(recs))
		wg.Go(func() { parts[w] = match(lo, hi) })
	}
	wg.Wait()
	var hits []int32
	for _, p := range parts {
		hits = append(hits, p...)
	}
	return hits
}

// resultCache keeps, while the store is unchanged, the views of the tables
// searched and the hits of the last searches, so that a new query reads
// columns already built and paging through a large result costs one scan,
// not one scan a page. Any change to the store (its version) invalidates
// every entry.
type resultCache struct {
	mu      sync.Mutex
	version uint64
	entries map[string]*searchResult
	views   map[*table]*search.View
}

const maxCachedSearches = 16

// searchKey keys a search's result: a query's meaning depends on the
// version's field set.
func searchKey(version string, fields *search.FieldSet, query any, sortBy map[string]any) string {
	b, _ := json.Marshal([]any{version, fields.Resource(), query, sortBy})
	return string(b)
}

// reset drops every entry when the store has changed since they were made.
func (rc *resultCache) reset(version uint64) {
	if rc.version != version || rc.entries == nil {
		rc.version, rc.entries, rc.views = version, map[string]*searchResult{}, map[*table]*search.View{}
	}
}

func (rc *resultCache) get(key string, version uint64) (*searchResult, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.version != version {
		return nil, false
	}
	res, ok := rc.entries[key]
	return res, ok
}

func (rc *resultCache) put(key string, version uint64, res *searchResult) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reset(version)
	if len(rc.entries) >= maxCachedSearches {
		rc.entries = map[string]*searchResult{}
	}
	rc.entries[key] = res
}

// view returns the search view of t at version, made on first use.
func (rc *resultCache) view(t *table, version uint64) *search.View {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reset(version)
	v, ok := rc.views[t]
	if !ok {
		// A copy: the table's slice changes in place, and sorted searches
		// hold their ranking, and so the view, across writes (see walks).
		v = search.NewView(slices.Clone(t.recs))
		rc.views[t] = v
	}
	return v
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
