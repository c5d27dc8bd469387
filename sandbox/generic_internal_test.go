package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// newFixedSandbox is a sandbox of the default workspace on a fixed clock.
func newFixedSandbox(t *testing.T) *Sandbox {
	t.Helper()
	sb, err := New(Options{Now: func() time.Time { return time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// servedFixed is newFixedSandbox served on loopback, closed with the test.
func servedFixed(t *testing.T) (*Sandbox, string) {
	t.Helper()
	sb := newFixedSandbox(t)
	base, err := sb.Listen("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb, base
}

// getAs sends GET path to the sandbox with its token, in API version v
// (none when ""), and answers the status and body.
func getAs(sb *Sandbox, base, v, path string) (int, []byte, error) {
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+sb.Token())
	if v != "" {
		req.Header.Set("Intercom-Version", v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// TestGenericReadsShareTheStore: the generic handler's reads take the
// store's read lock once what they read exists (a collection is seeded, a
// singleton made, under the write lock on first use): they are answered
// while another reader holds the store, and count as no change (the
// search cache stays valid).
func TestGenericReadsShareTheStore(t *testing.T) {
	sb, base := servedFixed(t)
	fetch := func(path string) (map[string]any, error) {
		status, body, err := getAs(sb, base, "2.16", path)
		var out map[string]any
		if err == nil {
			err = json.Unmarshal(body, &out)
		}
		if err != nil || status != 200 {
			return nil, fmt.Errorf("GET %s: %d %v", path, status, err)
		}
		return out, nil
	}
	get := func(path string) map[string]any {
		out, err := fetch(path)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// First use: seeds /calls and makes the allowlist (writes).
	calls := get("/calls")["data"].([]any)
	id := calls[0].(map[string]any)["id"].(string)
	get("/ip_allowlist")

	st := sb.store()
	st.mu.RLock() // another reader
	version := st.version
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range []string{"/calls", "/calls?per_page=1&page=2", "/calls/" + id, "/ip_allowlist"} {
			if _, err := fetch(p); err != nil {
				t.Error(err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute): // detects a hang; times nothing
		st.mu.RUnlock()
		<-done
		t.Fatal("generic reads waited for the write lock while another reader held the store")
	}
	if st.version != version {
		t.Errorf("generic reads counted as %d changes", st.version-version)
	}
	st.mu.RUnlock()
}

// TestGenericListShapesOnce: a list of the generic handler shapes each
// record once, as an item of the version's list schema, and the envelope
// once; apply does not conform the answer again. Counted in allocations
// (deterministic, unlike time): answering the list costs less than shaping
// its records twice.
func TestGenericListShapesOnce(t *testing.T) {
	sb := newFixedSandbox(t)
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
		return &call{sb: sb, st: st, op: op, api: av.cat, av: av, params: params, query: query, body: record{}, now: 1748858400}
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

// TestGenericSearchMatchesValuesOnly: a search of the generic handler
// (2.16's GET /content/search, "a free-text search term matched against the
// title and body of each content item") matches the records' values, never
// their field names: "title" is in every record's keys and in no value.
func TestGenericSearchMatchesValuesOnly(t *testing.T) {
	sb, base := servedFixed(t)
	st := sb.store()
	st.mu.Lock()
	content := st.genericTable("/content")
	content.put(record{"id": "1", "type": "content", "title": "Refund policy", "body": "How refunds work"})
	content.put(record{"id": "2", "type": "content", "title": "Shipping", "body": "Parcels and couriers", "tags": []any{record{"name": "logistics"}}})
	st.mu.Unlock()
	search := func(term string) []string {
		t.Helper()
		status, body, err := getAs(sb, base, "2.16", "/content/search?query="+url.QueryEscape(term))
		var out struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if err == nil {
			err = json.Unmarshal(body, &out)
		}
		if err != nil || status != 200 {
			t.Fatalf("search %q: %d %v", term, status, err)
		}
		var ids []string
		for _, d := range out.Data {
			ids = append(ids, d.ID)
		}
		return ids
	}
	for term, want := range map[string]string{
		// Field names only (and Go's printing of a map); "seed" is in the
		// name of the sandbox's own member of its seeded records.
		"title": "", "body": "", "name": "", "tags": "", "map": "", "seed": "",
		"refund": "1", "POLICY": "1", "couriers": "2", "logistics": "2", "work": "1",
	} {
		if got := strings.Join(search(term), ","); got != want {
			t.Errorf("search %q found [%s], want [%s]", term, got, want)
		}
	}
}

// TestRouteErrorLoadsNoOtherVersion: the 404 of a route only other versions
// have names them from the catalogue's table of routes, without building
// (nor decoding the catalogue of) any version the request did not ask for.
func TestRouteErrorLoadsNoOtherVersion(t *testing.T) {
	saved := apiVersions
	apiVersions = new(sync.Map) // as in a new process
	t.Cleanup(func() { apiVersions = saved })
	sb, base := servedFixed(t)
	status, body, err := getAs(sb, base, "", "/calls")
	if err != nil || status != 404 || !strings.Contains(string(body), "has it") {
		t.Fatalf("GET /calls under 2.10: %d %s %v", status, body, err)
	}
	var loaded []string
	apiVersions.Range(func(k, _ any) bool { loaded = append(loaded, k.(string)); return true })
	if len(loaded) != 1 || loaded[0] != "2.10" {
		t.Errorf("the 404 built the versions %v, want only 2.10", loaded)
	}
}
