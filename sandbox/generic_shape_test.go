package sandbox

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

// TestGenericListShapesOnce: a list of the generic handler shapes each
// record once, as an item of the version's list schema, and the envelope
// once; apply does not conform the answer again. Counted in allocations
// (deterministic, unlike time): answering the list costs less than shaping
// its records twice.
func TestGenericListShapesOnce(t *testing.T) {
	sb, err := New(Options{Now: func() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	av, err := versionOf("2.16")
	if err != nil {
		t.Fatal(err)
	}
	op, params, _ := av.routes.match("GET", "/content_snippets")
	if op == nil {
		t.Fatal("2.16 has no GET /content_snippets")
	}
	st := sb.store()
	tbl := st.genericTable("/content_snippets")
	for i := range maxPerPage {
		tbl.put(record{"id": st.nextGeneric("/content_snippets"), "title": fmt.Sprintf("Snippet %d", i), "created_at": int64(1748800000 + i)})
	}
	query := url.Values{"per_page": {fmt.Sprint(maxPerPage)}}
	newCall := func() *call {
		return &call{sb: sb, st: st, op: op, api: av.cat, params: params, query: query, body: record{}, now: 1748858400}
	}
	resp := responseOf(av.cat, op)
	items := itemsOf(av.cat, resp)
	isch := itemSchema(av.cat, resp, items)
	recs := tbl.all()
	c := newCall()
	once := testing.AllocsPerRun(5, func() {
		for _, r := range recs {
			c.shape(isch, r)
		}
	})
	answer := testing.AllocsPerRun(5, func() {
		if rep, ok := sb.apply(newCall(), av, "req"); !ok || rep.status != 200 {
			t.Fatalf("apply: %v %s", ok, rep.body)
		}
	})
	if answer > 1.5*once {
		t.Errorf("answering %d records allocates %.0f times, shaping them once %.0f: shaped more than once", len(recs), answer, once)
	}
}
