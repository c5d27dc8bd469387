package main

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/internal/testsupport"
)

// TestGuardMatchesInTheRunsVersion: the run's API version is the client's,
// and the irreversible guard matches paths on the wire in that version's
// operations. POST /internal_articles is an operation of 2.16 (a create,
// reversible) and of no operation of 2.10: under 2.16 a raw call to it is
// sent; under the default 2.10 it matches nothing, so without a terminal
// or --yes it is refused and never sent.
func TestGuardMatchesInTheRunsVersion(t *testing.T) {
	has := func(v string) bool {
		item := testsupport.LoadDescription(t, v).Doc.Paths.Value("/internal_articles")
		return item != nil && item.Post != nil
	}
	if !has("2.16") || has("2.10") {
		t.Fatal("the descriptions no longer have POST /internal_articles in 2.16 only: pick another path")
	}
	l := startLoggedSandbox(t)
	dir, _ := writeScript(t, "x.js", `
try { await intercom.raw("POST", "/internal_articles", { body: {title: "t", body: "b"} }); } catch (e) { console.log("caught", e.status); }
console.log("finished");`)

	l.requests()
	r := icscript(t, dir, l.env(), append(l.flags(), "--api-version", "2.16", "x.js")...).must(t, 0)
	r.contains(t, "finished")
	if got := l.requests(); len(got) != 1 || !strings.Contains(got[0], "/internal_articles") {
		t.Errorf("under 2.16 the server received %v, want the POST", got)
	}

	r = icscript(t, dir, l.env(), append(l.flags(), "x.js")...).must(t, 3)
	r.contains(t, "icscript: stopped:", "matches no operation")
	if got := l.requests(); len(got) != 0 {
		t.Errorf("under 2.10 the server received %v", got)
	}
}
