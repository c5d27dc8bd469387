package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestAuditNamesLaterVersionCalls runs a mutation that only later versions
// have (POST /content_snippets, createContentSnippet in the 2.16
// description, absent from 2.10's) with --api-version 2.16 against a
// recording server: the audit log and the dry-run line name the JS call,
// not the bare operationId.
func TestAuditNamesLaterVersionCalls(t *testing.T) {
	srv, requests := recordingServer(t)
	dir, _ := writeScript(t, "x.js", `
await intercom.contentSnippets.createContentSnippet({ title: "Reset", locale: "en" });
console.log("created");
`)
	env := []string{"INTERCOM_ACCESS_TOKEN=tok"}
	icscript(t, dir, env, "--base-url", srv.URL, "--api-version", "2.16", "--yes", "x.js").must(t, 0).contains(t, "created")
	got := requests()
	if len(got) != 1 || got[0].method != "POST" || got[0].uri != "/content_snippets" {
		t.Fatalf("requests: %+v", got)
	}
	entries := readAudit(t, filepath.Join(dir, ".icscript", "audit.jsonl"))
	if len(entries) != 2 {
		t.Fatalf("%d audit lines, want start and done: %+v", len(entries), entries)
	}
	for _, e := range entries {
		if e.Operation != "contentSnippets.createContentSnippet" || e.Method != "POST" || e.Path != "/content_snippets" {
			t.Errorf("audit line %+v: want contentSnippets.createContentSnippet POST /content_snippets", e)
		}
	}
	r := icscript(t, dir, env, "--base-url", srv.URL, "--api-version", "2.16", "--dry-run", "--no-audit", "x.js").must(t, 0)
	if !strings.Contains(r.stdout+r.stderr, "contentSnippets.createContentSnippet") || strings.Contains(r.stdout+r.stderr, "createContentSnippet (") {
		t.Errorf("the dry run does not name the call:\n%s%s", r.stdout, r.stderr)
	}
}

// pagingServer pages four lists of 2.16 that 2.10 lacks, each the way its
// description says: listMacros by cursor (starting_after,
// pages.next.starting_after), listAudiences by page number with page and
// total_pages beside the items, searchActivityLogs by a page in its POST
// body, listContentImportSources by a pages.next URL,
// ListContactMergeHistory by cursor, next_cursor and has_more. Each has three pages
// of one item; it keeps every request it was sent.
func pagingServer(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var got []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.RequestURI+" "+string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		page := func(s string) int {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return 1
			}
			return n
		}
		var out map[string]any
		switch r.URL.Path {
		case "/macros":
			n := page(strings.TrimPrefix(r.URL.Query().Get("starting_after"), "c"))
			pages := map[string]any{"type": "pages", "per_page": 1}
			if n < 3 {
				pages["next"] = map[string]any{"starting_after": fmt.Sprintf("c%d", n+1)}
			}
			out = map[string]any{"type": "list", "data": []any{map[string]any{"id": fmt.Sprintf("m%d", n)}}, "pages": pages}
		case "/audiences":
			n := page(r.URL.Query().Get("page"))
			out = map[string]any{"type": "list", "data": []any{map[string]any{"id": fmt.Sprintf("a%d", n)}}, "page": n, "per_page": 1, "total_pages": 3}
		case "/admins/activity_logs/search":
			var asked struct{ Page int }
			_ = json.Unmarshal(body, &asked)
			n := max(asked.Page, 1)
			out = map[string]any{"type": "activity_log.list", "activity_logs": []any{map[string]any{"id": fmt.Sprintf("l%d", n)}},
				"pages": map[string]any{"type": "pages", "page": n, "per_page": 1, "total_pages": 3}}
		case "/contacts/c1/merge_history":
			n := page(strings.TrimPrefix(r.URL.Query().Get("cursor"), "k"))
			out = map[string]any{"type": "list", "data": []any{map[string]any{"type": "merge_history", "source_contact_id": fmt.Sprintf("h%d", n)}}, "has_more": n < 3}
			if n < 3 {
				out["next_cursor"] = fmt.Sprintf("k%d", n+1)
			}
		case "/ai/content_import_sources":
			n := page(r.URL.Query().Get("page"))
			pages := map[string]any{"type": "pages", "page": n, "per_page": 1, "total_pages": 3}
			if n < 3 {
				pages["next"] = fmt.Sprintf("%s/ai/content_import_sources?page=%d", srv.URL, n+1)
			}
			out = map[string]any{"type": "list", "data": []any{map[string]any{"id": fmt.Sprintf("s%d", n)}}, "pages": pages}
		default:
			w.WriteHeader(http.StatusNotFound)
			out = map[string]any{"type": "error.list", "errors": []any{map[string]any{"code": "not_found", "message": r.URL.Path}}}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

// TestLaterVersionListsWalkPages: with --api-version 2.16, lists that 2.10
// lacks answer Pagers that walk every page, each in its own style.
func TestLaterVersionListsWalkPages(t *testing.T) {
	srv, requests := pagingServer(t)
	dir, _ := writeScript(t, "x.js", `
const ids = async (p) => (await p.toArray()).map((x) => x.id).join(",");
console.log("macros", await ids(intercom.macros.listMacros()));
console.log("audiences", await ids(intercom.audiences.listAudiences()));
console.log("logs", await ids(intercom.admins.searchActivityLogs({ created_at_after: 1700000000 })));
console.log("sources", await ids(intercom.aiContent.listContentImportSources()));
console.log("merged", (await intercom.contacts.listContactMergeHistory("c1").toArray()).map((x) => x.source_contact_id).join(","));
`)
	r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=tok"}, "--base-url", srv.URL, "--api-version", "2.16", "--no-audit", "x.js").must(t, 0)
	r.contains(t, "macros m1,m2,m3\n", "audiences a1,a2,a3\n", "logs l1,l2,l3\n", "sources s1,s2,s3\n", "merged h1,h2,h3\n")
	got := strings.Join(requests(), "\n")
	for _, want := range []string{
		"GET /macros?starting_after=c3 ",
		"GET /audiences?page=3 ",
		`POST /admins/activity_logs/search {"created_at_after":1700000000,"page":3}`,
		"GET /ai/content_import_sources?page=3 ",
		"GET /contacts/c1/merge_history?cursor=k3 ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no request %q among:\n%s", want, got)
		}
	}
}
