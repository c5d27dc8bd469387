package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/internal/testsupport"
)

// describedVersionsOf lists the versions whose description has METHOD
// path, read from the descriptions.
func describedVersionsOf(t *testing.T, method, path string) []string {
	var out []string
	for _, v := range testsupport.DescribedVersions(t) {
		for _, d := range testsupport.DescribedOperationsOf(t, v) {
			if d.Method == method && d.Path == path {
				out = append(out, v)
			}
		}
	}
	return out
}

// TestAPIVersionPrecedence runs the binary against the sandbox with the
// version set by flag, pragma and profile, and reads which one the run
// used from a call that only some versions have.
func TestAPIVersionPrecedence(t *testing.T) {
	calls := describedVersionsOf(t, "GET", "/calls")
	if len(calls) < 2 || calls[0] == "2.10" {
		t.Fatalf("versions with GET /calls: %v", calls)
	}
	with, newest := calls[0], calls[len(calls)-1]
	dir := t.TempDir()
	probe := `console.log(typeof Object.getOwnPropertyDescriptor(intercom, "calls")?.enumerable === "boolean" && Object.getOwnPropertyDescriptor(intercom, "calls").enumerable ? "has calls" : "no calls")`
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := write("plain.js", probe+"\n")
	pinned := write("pinned.js", "// @icscript api "+with+"\n"+probe+"\n")
	cfgDir := filepath.Join(dir, "cfg")
	if err := os.MkdirAll(filepath.Join(cfgDir, "icscript"), 0o755); err != nil {
		t.Fatal(err)
	}
	profile := `[profile.p]
base_url = "http://127.0.0.1:1"
token_env = "TOK"
api_version = "` + newest + `"
`
	if err := os.WriteFile(filepath.Join(cfgDir, "icscript", "config.toml"), []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) result {
		return icscript(t, dir, nil, append([]string{"--sandbox", "--quiet"}, args...)...)
	}

	if r := run(plain); r.code != 0 || strings.TrimSpace(r.stdout) != "no calls" {
		t.Errorf("default: %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r := run(pinned); r.code != 0 || strings.TrimSpace(r.stdout) != "has calls" || r.stderr != "" {
		t.Errorf("pragma %s: %d %q %s", with, r.code, r.stdout, r.stderr)
	}
	if r := run("--api-version", "2.10", pinned); r.code != 0 || strings.TrimSpace(r.stdout) != "no calls" ||
		!strings.Contains(r.stderr, "--api-version 2.10 overrides") || !strings.Contains(r.stderr, "using API 2.10") {
		t.Errorf("flag over pragma: %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r := run(pinned, "--api-version", "2.10"); r.code != 0 || strings.TrimSpace(r.stdout) != "no calls" {
		t.Errorf("flag after the script name: %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r := run("--api-version", "3.0", plain); r.code != 2 || !strings.Contains(r.stderr, "2.10, 2.11") || !strings.Contains(r.stderr, `"3.0"`) {
		t.Errorf("invalid version: %d %s", r.code, r.stderr)
	}
	// The profile's api_version applies when neither flag nor pragma is
	// given: read it from the error of a call that version lacks
	// (run_assignment_rules, which the newest description does not have).
	env := []string{"XDG_CONFIG_HOME=" + cfgDir, "TOK=t"}
	r := icscript(t, dir, env, "--profile", "p", "--quiet", "-e", `try { intercom.conversations.runAssignmentRules("1") } catch (e) { console.log(e.message) }`)
	if !strings.Contains(r.stdout, "is not in API "+newest) {
		t.Errorf("profile api_version %s: %d %q %s", newest, r.code, r.stdout, r.stderr)
	}
}

// TestMissingOperationNamesItsVersions: a call the pinned version lacks
// fails before anything is sent, naming the versions whose descriptions
// have it.
func TestMissingOperationNamesItsVersions(t *testing.T) {
	calls := describedVersionsOf(t, "GET", "/calls")
	want := "intercom.calls.listCalls is not in API 2.10; it is in " + calls[0] + "–" + calls[len(calls)-1] +
		`: pin one with --api-version or "// @icscript api ` + calls[len(calls)-1] + `"`
	srv, requests := recordingServer(t)
	r := icscript(t, t.TempDir(), []string{"INTERCOM_ACCESS_TOKEN=tok"}, "--base-url", srv.URL, "--quiet", "-e", `await intercom.calls.listCalls()`)
	if r.code == 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant %q", r.code, r.stderr, want)
	}
	if n := len(requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
