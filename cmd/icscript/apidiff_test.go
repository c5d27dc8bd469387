package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
)

// TestAPIDiffKnownFacts runs `icscript api diff 2.10 <newest>` and checks it
// on facts read from the descriptions: the assignment-rules endpoint is
// gone after 2.11, and the calls endpoints arrive in the version whose
// description first has GET /calls.
func TestAPIDiffKnownFacts(t *testing.T) {
	assign := describedVersionsOf(t, "POST", "/conversations/{id}/run_assignment_rules")
	assign = append(assign, describedVersionsOf(t, "POST", "/conversations/{conversation_id}/run_assignment_rules")...)
	slices.Sort(assign)
	if !slices.Equal(assign, []string{"2.10", "2.11"}) {
		t.Fatalf("descriptions with run_assignment_rules: %v", assign)
	}
	calls := describedVersionsOf(t, "GET", "/calls")
	first := calls[0]
	before := describedVersionsOf(t, "GET", "/admins")[0] // a version every description has: 2.10
	newest := calls[len(calls)-1]

	r := icscript(t, t.TempDir(), nil, "api", "diff", "--json", before, newest)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var d catalog.Diff
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	has := func(ops []catalog.DiffOp, method, path string) bool {
		return slices.ContainsFunc(ops, func(o catalog.DiffOp) bool { return o.Method == method && o.Path == path })
	}
	if !has(d.Removed, "POST", "/conversations/{id}/run_assignment_rules") {
		t.Errorf("run_assignment_rules not removed from %s to %s", before, newest)
	}
	if !has(d.Added, "GET", "/calls") || has(d.Removed, "GET", "/calls") {
		t.Errorf("GET /calls not added from %s to %s", before, newest)
	}
	// Just before and from the version that adds them.
	prev := describedVersionBefore(t, first)
	r = icscript(t, t.TempDir(), nil, "api", "diff", prev, first)
	if r.code != 0 || !strings.Contains(r.stdout, "intercom.calls.listCalls  GET /calls") {
		t.Errorf("api diff %s %s does not add calls.listCalls:\n%s%s", prev, first, r.stdout, r.stderr)
	}
	i := strings.Index(r.stdout, "Added (")
	j := strings.Index(r.stdout, "Removed (")
	if i < 0 || j < i || !strings.Contains(r.stdout[i:j], "GET /calls") {
		t.Errorf("GET /calls is not under Added:\n%s", r.stdout)
	}
	// A changed call lists its changed fields: the conversation path
	// parameter is renamed from id in 2.10 to conversation_id in 2.11.
	if described := describedVersionsOf(t, "GET", "/conversations/{conversation_id}"); slices.Contains(described, "2.11") {
		r = icscript(t, t.TempDir(), nil, "api", "diff", "2.10", "2.11")
		if !strings.Contains(r.stdout, "+ param conversation_id: path") || !strings.Contains(r.stdout, "- param id: path") {
			t.Errorf("api diff 2.10 2.11 misses the renamed path parameter:\n%.3000s", r.stdout)
		}
	}
	if r := icscript(t, t.TempDir(), nil, "api", "diff", "2.10", "9.9"); r.code != 2 || !strings.Contains(r.stderr, "2.10, 2.11") {
		t.Errorf("unknown version: %d %s", r.code, r.stderr)
	}
}

func describedVersionBefore(t *testing.T, v string) string {
	all := describedVersionsOf(t, "GET", "/admins")
	i := slices.Index(all, v)
	if i < 1 {
		t.Fatalf("no version before %s among %v", v, all)
	}
	return all[i-1]
}

func TestOpsOfAVersion(t *testing.T) {
	calls := describedVersionsOf(t, "GET", "/calls")
	r := icscript(t, t.TempDir(), nil, "ops", "--api-version", calls[0], "calls")
	if r.code != 0 || !strings.Contains(r.stdout, "intercom.calls.listCalls(") || !strings.Contains(r.stdout, "GET /calls") {
		t.Errorf("ops --api-version %s calls: %d\n%s%s", calls[0], r.code, r.stdout, r.stderr)
	}
	r = icscript(t, t.TempDir(), nil, "ops", "listCalls")
	if r.code != 2 || !strings.Contains(r.stderr, "API 2.10") {
		t.Errorf("ops listCalls on 2.10: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
