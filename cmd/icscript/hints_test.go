package main

import (
	"strings"
	"testing"
)

// TestCLIHints: the Go client speaks of its Config; what a user of the CLI
// reads names the CLI's variables, flags and pragma instead — in the
// message of the IntercomError a script catches, in the TypeError of a
// call of another API version, and on stderr when the token is malformed.
func TestCLIHints(t *testing.T) {
	_, env, flags := servedSandbox(t)
	catch := func(call string) string {
		return "try { await " + call + " } catch (e) { console.log(e.message) }"
	}
	cases := []struct {
		name  string
		env   []string
		flags []string
		code  string
		want  string
	}{
		{"401", []string{"INTERCOM_ACCESS_TOKEN=wrong-token"}, flags, catch(`intercom.contacts.find("x")`),
			" — check INTERCOM_ACCESS_TOKEN (or INTERCOM_API_KEY): the token is missing, wrong, revoked, or belongs to a workspace in another region"},
		{"unreachable", []string{"INTERCOM_ACCESS_TOKEN=tok-unreachable-1234"}, []string{"--base-url", "http://127.0.0.1:1"}, catch(`intercom.contacts.find("x")`),
			" — nothing answered there on the first request, so it was not retried: check the base URL (--base-url, --region or the profile) and that the server is running"},
		{"other version", env, flags, catch(`intercom.calls.listCalls()`),
			`intercom.calls.listCalls is not in API 2.10; it is in 2.14–2.16: pin one with --api-version or "// @icscript api 2.16"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := icscript(t, t.TempDir(), c.env, append(c.flags, "-e", c.code)...).must(t, 0)
			if !strings.Contains(r.stdout, c.want) {
				t.Errorf("stdout %q lacks %q", r.stdout, c.want)
			}
			if strings.Contains(r.stdout, "Config.") {
				t.Errorf("the client's own advice reached the user: %q", r.stdout)
			}
		})
	}
	r := icscript(t, t.TempDir(), []string{"INTERCOM_ACCESS_TOKEN=two words"}, append(flags, "-e", "1")...)
	if want := "intercom: the access token contains spaces or non-printable characters (check INTERCOM_ACCESS_TOKEN)\n"; r.code == 0 || !strings.HasSuffix(r.stderr, want) {
		t.Errorf("malformed token: exit %d, stderr %q, want it to end with %q", r.code, r.stderr, want)
	}
}
