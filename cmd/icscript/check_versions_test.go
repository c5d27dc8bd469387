package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFolderReportsCallsTheVersionLacks runs `icscript check` on a
// folder: each script is checked against its pragma's version (or the
// flag's), and every call that version lacks is reported at file:line:col.
func TestCheckFolderReportsCallsTheVersionLacks(t *testing.T) {
	calls := describedVersionsOf(t, "GET", "/calls")
	newest := calls[len(calls)-1]
	dir := t.TempDir()
	files := map[string]string{
		"scripts/a.js":              "const x = 1;\nconst page = await intercom.calls.listCalls();\n",
		"scripts/b.js":              "// @icscript api " + newest + "\nawait intercom.calls.listCalls();\n",
		"scripts/sub/c.ts":          "// @icscript api " + newest + "\n\n  await intercom.contacts.find(\"1\");\n  await intercom.conversations.runAssignmentRules(\"1\");\n",
		"scripts/node_modules/x.js": "await intercom.calls.listCalls();\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := icscript(t, dir, nil, "check", "scripts")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"scripts/a.js:2:20: intercom.calls.listCalls is not in API 2.10; it is in " + calls[0] + "–" + newest,
		"scripts/sub/c.ts:4:9: intercom.conversations.runAssignmentRules is not in API " + newest + "; it is in 2.10–2.11",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "ok  scripts/b.js") || strings.Contains(r.stderr+r.stdout, "node_modules") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	r = icscript(t, dir, nil, "check", "--api-version", newest, "scripts/a.js")
	if r.code != 0 || !strings.Contains(r.stdout, "ok  scripts/a.js") {
		t.Errorf("--api-version %s: %d\n%s%s", newest, r.code, r.stdout, r.stderr)
	}
}
