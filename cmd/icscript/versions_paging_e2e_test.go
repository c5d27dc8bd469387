package main

import (
	"path/filepath"
	"strings"
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
