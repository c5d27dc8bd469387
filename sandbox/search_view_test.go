package sandbox

import (
	"slices"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox/search"
)

// refSearch is the straightforward search the views must agree with: every
// unarchived contact (with its segment ids when the query names segment_id)
// through the compiled matcher, then search.Sort over all the hits.
func refSearch(t *testing.T, st *store, query any, sortBy map[string]any) []string {
	t.Helper()
	m, err := search.Compile(query, contactFields(t))
	if err != nil {
		t.Fatal(err)
	}
	rules, withSegments := st.segmentRules(), mentions(query, "segment_id")
	var hits []record
	for _, r := range st.t(tContacts).recs {
		if boolean(r, "_archived") {
			continue
		}
		doc := r
		if withSegments {
			doc = make(record, len(r)+1)
			for k, v := range r {
				doc[k] = v
			}
			doc["segment_id"] = segmentIDsOf(r, rules)
		}
		if m.Match(doc) {
			hits = append(hits, r)
		}
	}
	if err := search.Sort(hits, sortBy, contactFields(t)); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(hits))
	for i, r := range hits {
		ids[i] = str(r, "id")
	}
	return ids
}

// contactFields is the field set of the contact search the sandbox serves
// in the default version.
func contactFields(t *testing.T) *search.FieldSet {
	t.Helper()
	av, err := versionOf(catalog.Default)
	if err != nil {
		t.Fatal(err)
	}
	sf := av.searches["SearchContacts"]
	if sf.fs == nil {
		t.Fatalf("no contact search field set: %v", sf.err)
	}
	return sf.fs
}

// apiSearch serves one page of POST /contacts/search as the handler does
// (unrendered: the ids of the page, its pages object and total_count).
func apiSearch(t *testing.T, sb *Sandbox, body record) ([]string, record, int) {
	t.Helper()
	sb.st.mu.RLock()
	defer sb.st.mu.RUnlock()
	av, verr := versionOf(catalog.Default)
	if verr != nil {
		t.Fatal(verr)
	}
	c := &call{sb: sb, st: sb.st, av: av, api: av.cat, op: av.cat.ByID("SearchContacts"), body: body, now: time.Now().Unix()}
	page, pages, total, err := c.searchContacts()
	if err != nil {
		t.Fatalf("search %v: %v", body, err.Message)
	}
	ids := make([]string, len(page))
	for i, r := range page {
		ids[i] = str(r, "id")
	}
	return ids, pages, total
}

// searchPages pages through a whole search, checking total_count on every page.
func searchPages(t *testing.T, sb *Sandbox, query any, sortBy map[string]any, per int) []string {
	t.Helper()
	var ids []string
	after := ""
	for {
		pg := record{"per_page": per}
		if after != "" {
			pg["starting_after"] = after
		}
		body := record{"query": query, "pagination": pg}
		if sortBy != nil {
			body["sort"] = sortBy
		}
		page, pages, total := apiSearch(t, sb, body)
		ids = append(ids, page...)
		next, _ := pages["next"].(record)
		if next == nil {
			if total != len(ids) {
				t.Fatalf("served %d, total_count %d", len(ids), total)
			}
			return ids
		}
		after = str(next, "starting_after")
	}
}

// TestSearchViewsAgreeWithPlainSearch compares the view-backed search with a
// straightforward filter and sort over a seeded 20k workspace, paging through
// every page, before and after writes.
func TestSearchViewsAgreeWithPlainSearch(t *testing.T) {
	contacts := 20000
	if testing.Short() || raceEnabled {
		contacts = 4000
	}
	sb, err := New(Options{Seed: 11, Contacts: contacts, Now: func() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	st := sb.st
	tag := str(st.t(tTags).recs[0], "id")
	segment := str(st.t(tSegments).recs[0], "id")
	pivot := num(st.t(tContacts).recs[contacts/2], "created_at")
	f := func(field, op string, v any) record { return record{"field": field, "operator": op, "value": v} }
	g := func(op string, items ...any) record { return record{"operator": op, "value": items} }
	queries := []any{
		f("role", "=", "user"),
		f("role", "!=", "user"),
		f("email", "~", "MAIL"),
		f("name", "^", "a"),
		f("custom_attributes.plan", "IN", []any{"pro", "enterprise"}),
		f("custom_attributes.plan", "NIN", []any{"free", nil}),
		f("custom_attributes.seats", ">", 40),
		f("created_at", ">", pivot),
		f("created_at", "=", pivot),
		f("tag_id", "=", tag),
		f("tag_id", "!=", tag),
		f("phone", "=", nil),
		f("location.city", "!=", "Dublin"),
		f("segment_id", "=", segment),
		g("AND", f("role", "=", "user"), f("custom_attributes.plan", "IN", []any{"pro", "enterprise"}), f("custom_attributes.seats", ">", 25)),
		g("OR", g("AND", f("role", "=", "lead"), f("email", "!~", "corp")), f("custom_attributes.trial", "=", true), f("tag_id", "=", tag)),
	}
	sorts := []map[string]any{
		nil,
		{"field": "created_at", "order": "descending"},
		{"field": "name"},
		{"field": "custom_attributes.seats", "order": "descending"},
		{"field": "tag_id"},
		{"field": "last_seen_at", "order": "descending"},
		{"field": "role"},
	}
	check := func(phase string, sorts []map[string]any) {
		for qi, q := range queries {
			for si, s := range sorts {
				want := refSearch(t, st, q, s)
				per := []int{50, 150, 37}[(qi+si)%3]
				if got := searchPages(t, sb, q, s, per); !slices.Equal(got, want) {
					t.Fatalf("%s: query %d %v sort %v per %d: got %d ids, want %d\n got %.200v\nwant %.200v", phase, qi, q, s, per, len(got), len(want), got, want)
				}
			}
		}
	}
	check("seeded", sorts)

	// Writes change records in place; a request that writes bumps the version.
	mutate := func(i int) {
		st.mu.Lock()
		defer st.mu.Unlock()
		st.version++
		recs := st.t(tContacts).recs
		for j := i; j < len(recs); j += 97 {
			ct := recs[j]
			switch j % 4 {
			case 0:
				ct["role"] = "lead"
			case 1:
				obj(ct, "custom_attributes")["seats"] = float64(j % 60)
			case 2:
				if !boolean(ct, "_archived") {
					ct["_archived"] = true
					st.archived++
				}
			case 3:
				ct["created_at"] = pivot
			}
		}
	}
	// A sorted search started before a write continues in the order it
	// started with (the sandbox holds the walk), not by offset in the new
	// order, which would serve some records twice and miss others.
	q, s := queries[14], sorts[1]
	_, pages, _ := apiSearch(t, sb, record{"query": q, "sort": s, "pagination": record{"per_page": 50}})
	started := refSearch(t, st, q, s)
	mutate(5)
	second, _, _ := apiSearch(t, sb, record{"query": q, "sort": s, "pagination": obj(pages, "next")})
	if got, want := second, started[50:100]; !slices.Equal(got, want) {
		t.Fatalf("page 2 after a write: got %v, want %v", got, want)
	}
	check("written once", sorts[:4])
	mutate(11)
	check("written twice", sorts[:2])
}
