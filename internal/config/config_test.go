package config

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
)

// envOf is an Env over vars and a config folder holding toml ("" for no file).
func envOf(t *testing.T, toml string, vars map[string]string) Env {
	t.Helper()
	dir := t.TempDir()
	if toml != "" {
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(toml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Env{Getenv: func(k string) string { return vars[k] }, ConfigDir: dir}
}

func TestPragmaVersion(t *testing.T) {
	for src, want := range map[string]string{
		"// @icscript api 2.16\nconsole.log(1)":                        "2.16",
		"#!/usr/bin/env icscript\n\n// hello\n// @icscript api 2.13\n": "2.13",
		"console.log(1)\n// @icscript api 2.16\n":                      "", // not among the first comment lines
		"// @icscript apiary 2.16\n":                                   "",
		"":                                                             "",
	} {
		if got := PragmaVersion([]byte(src)); got != want {
			t.Errorf("PragmaVersion(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestResolveAPIVersionPrecedence: flag > pragma > profile > default, a
// warning only when the flag overrides a different pragma, and an unknown
// version named with where it came from.
func TestResolveAPIVersionPrecedence(t *testing.T) {
	vs := catalog.Versions()
	if len(vs) < 3 {
		t.Fatalf("versions: %v", vs)
	}
	a, b, c := vs[0], vs[1], vs[2]
	cases := []struct {
		name, flag, pragma, profile, want, warn string
	}{
		{"default", "", "", "", catalog.Default, ""},
		{"profile", "", "", c, c, ""},
		{"pragma over profile", "", b, c, b, ""},
		{"flag over all", a, b, c, a, "icscript: warning: --api-version " + a + " overrides the script's \"// @icscript api " + b + "\": using API " + a + "\n"},
		{"flag equal to pragma", b, b, c, b, ""},
		{"flag over profile", a, "", c, a, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var warn bytes.Buffer
			got, err := ResolveAPIVersion(tc.flag, tc.pragma, tc.profile, &warn)
			if err != nil || got != tc.want || warn.String() != tc.warn {
				t.Errorf("= %q, %v, warned %q; want %q, warned %q", got, err, warn.String(), tc.want, tc.warn)
			}
		})
	}
	for _, tc := range []struct{ flag, pragma, profile, from string }{
		{"3.0", "", "", "--api-version"},
		{"", "3.0", a, `the script's "// @icscript api" line`},
		{"", "", "3.0", "the profile's api_version"},
	} {
		_, err := ResolveAPIVersion(tc.flag, tc.pragma, tc.profile, &bytes.Buffer{})
		want := `API version "3.0" (from ` + tc.from + `) is not one icscript knows: valid versions are ` + strings.Join(vs, ", ")
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != want {
			t.Errorf("%+v: %v, want %q", tc, err, want)
		}
	}
}

func TestEnvToken(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"INTERCOM_ACCESS_TOKEN": "access", "INTERCOM_API_KEY": "key"}, "access"},
		{map[string]string{"INTERCOM_API_KEY": "key"}, "key"},
		{map[string]string{"INTERCOM_TOKEN": "other"}, ""},
	} {
		if got := EnvToken(func(k string) string { return tc.vars[k] }); got != tc.want {
			t.Errorf("EnvToken(%v) = %q, want %q", tc.vars, got, tc.want)
		}
	}
}

const profiles = `
default_profile = "eu"
[profile.eu]
region = "eu"
token_env = "EU_TOKEN"
admin = "7"
api_version = "2.11"
[profile.proxy]
base_url = "https://user:pw55@proxy.example/intercom"
token_command = "printf ' cmd-token \n'"
[profile.bare]
`

// TestResolve: each setting from the flag, else the profile (--profile,
// else $ICSCRIPT_PROFILE, else default_profile), the token from the
// profile, else the environment; no token is the sandbox unless something
// names a real workspace.
func TestResolve(t *testing.T) {
	cases := []struct {
		name   string
		toml   string
		vars   map[string]string
		req    Request
		want   Target
		notice bool
	}{
		{name: "no config, no token: the sandbox", want: Target{Sandbox: true}, notice: true},
		{name: "--sandbox", vars: map[string]string{"INTERCOM_ACCESS_TOKEN": "tok1"}, req: Request{Sandbox: true, Region: "eu"}, want: Target{Sandbox: true, Region: "eu"}},
		{name: "environment token", vars: map[string]string{"INTERCOM_API_KEY": "tok2"},
			want: Target{Token: "tok2", Label: "the us region"}},
		{name: "flags", vars: map[string]string{"INTERCOM_ACCESS_TOKEN": "tok1"}, req: Request{Region: "au", Admin: "9"},
			want: Target{Token: "tok1", Region: "au", Admin: "9", Label: "the au region"}},
		{name: "default_profile", toml: profiles, vars: map[string]string{"EU_TOKEN": "eutok", "INTERCOM_ACCESS_TOKEN": "tok1"},
			want: Target{Token: "eutok", Region: "eu", Admin: "7", APIVersion: "2.11", Label: `profile "eu" at the eu region`}},
		{name: "flags over the profile", toml: profiles, vars: map[string]string{"EU_TOKEN": "eutok"}, req: Request{Region: "us", Admin: "8"},
			want: Target{Token: "eutok", Region: "us", Admin: "8", APIVersion: "2.11", Label: `profile "eu" at the us region`}},
		{name: "ICSCRIPT_PROFILE over default_profile", toml: profiles, vars: map[string]string{"ICSCRIPT_PROFILE": "proxy"},
			want: Target{Token: "cmd-token", BaseURL: "https://user:pw55@proxy.example/intercom", Label: `profile "proxy" at https://[redacted]@proxy.example/intercom`}},
		{name: "--profile over ICSCRIPT_PROFILE", toml: profiles, vars: map[string]string{"ICSCRIPT_PROFILE": "proxy", "INTERCOM_ACCESS_TOKEN": "tok1"}, req: Request{Profile: "bare"},
			want: Target{Token: "tok1", Label: `profile "bare" at the us region`}},
		{name: "--base-url over the profile's", toml: profiles, req: Request{Profile: "proxy", BaseURL: "http://127.0.0.1:9"},
			want: Target{Token: "cmd-token", BaseURL: "http://127.0.0.1:9", Label: `profile "proxy" at http://127.0.0.1:9`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var notices bytes.Buffer
			tc.req.Notices = &notices
			got, err := Resolve(context.Background(), envOf(t, tc.toml, tc.vars), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if *got != tc.want {
				t.Errorf("= %+v\nwant %+v", *got, tc.want)
			}
			if said := notices.String(); (said != "") != tc.notice || (tc.notice && said != noTokenNotice+"\n") {
				t.Errorf("notice %q", said)
			}
		})
	}
	// --quiet: no notice.
	if got, err := Resolve(context.Background(), envOf(t, "", nil), Request{}); err != nil || !got.Sandbox {
		t.Errorf("quiet: %+v, %v", got, err)
	}
}

func TestResolveRefuses(t *testing.T) {
	const noToken = "no Intercom token: set INTERCOM_ACCESS_TOKEN (or INTERCOM_API_KEY) to a token of your workspace, or run against the built-in sandbox with --sandbox"
	cases := []struct {
		name string
		toml string
		vars map[string]string
		req  Request
		want string // the whole message; a %s is the config file's path
	}{
		{name: "--live without a token", req: Request{Live: true}, want: noToken},
		{name: "--base-url without a token", req: Request{BaseURL: "http://127.0.0.1:9"}, want: noToken},
		{name: "a profile without a token", toml: profiles, req: Request{Profile: "bare"}, want: noToken},
		{name: "a profile whose token_env is unset", toml: profiles, vars: map[string]string{"INTERCOM_ACCESS_TOKEN": "tok1"},
			want: `profile "eu" reads its token from $EU_TOKEN, which is not set`},
		{name: "a misspelt profile", toml: profiles, req: Request{Profile: "proxi"}, want: `no profile "proxi" in %s (did you mean "proxy"?)`},
		{name: "an unknown profile", toml: profiles, req: Request{Profile: "staging-workspace"}, want: `no profile "staging-workspace" in %s; profiles: bare, eu, proxy`},
		{name: "ICSCRIPT_PROFILE unknown", toml: profiles, vars: map[string]string{"ICSCRIPT_PROFILE": "nope-nope-nope"}, want: `no profile "nope-nope-nope" in %s; profiles: bare, eu, proxy`},
		{name: "default_profile unknown", toml: "default_profile = \"gone-away-now\"\n", want: `no profile "gone-away-now" in %s (named by default_profile)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := envOf(t, tc.toml, tc.vars)
			_, err := Resolve(context.Background(), env, tc.req)
			want := strings.Replace(tc.want, "%s", env.Path(), 1)
			var ce *Error
			if !errors.As(err, &ce) || err.Error() != want {
				t.Errorf("= %v\nwant %q", err, want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	env := envOf(t, "", nil)
	if c, err := Load(env); err != nil || c.DefaultProfile != "" || len(c.Profiles) != 0 {
		t.Errorf("a missing file: %+v, %v", c, err)
	}
	env = envOf(t, "[profile.x]\nregion = \"eu\"\ntoken = \"abc\"\n", nil)
	want := env.Path() + `: unknown setting "profile.x.token" (known: default_profile, and region, base_url, token_env, token_command, admin, api_version in [profile.NAME])`
	var ce *Error
	if _, err := Load(env); !errors.As(err, &ce) || err.Error() != want {
		t.Errorf("unknown setting: %v\nwant %q", err, want)
	}
	env = envOf(t, "[profile.x\n", nil)
	if _, err := Load(env); !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), env.Path()+": ") {
		t.Errorf("bad TOML: %v", err)
	}
	// A file that cannot be read is the machine's trouble, not a mistake.
	os.Remove(env.Path())
	os.Mkdir(env.Path(), 0o700)
	if _, err := Load(env); err == nil || errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "reading "+env.Path()+": ") {
		t.Errorf("unreadable: %v", err)
	}
	// Secrets still names the fixed variables when the file cannot be read.
	env.Getenv = func(k string) string { return map[string]string{"INTERCOM_API_KEY": "kkkk"}[k] }
	if names, values := Secrets(env, ""); strings.Join(names, ",") != "INTERCOM_ACCESS_TOKEN,INTERCOM_API_KEY" || strings.Join(values, ",") != "kkkk" {
		t.Errorf("Secrets with a broken file: %v %v", names, values)
	}
}

func TestSecrets(t *testing.T) {
	env := envOf(t, profiles, map[string]string{"INTERCOM_ACCESS_TOKEN": "acc1", "EU_TOKEN": "eutok", "HOME": "/home/x"})
	names, values := Secrets(env, "run-token")
	if got := strings.Join(names, ","); got != "INTERCOM_ACCESS_TOKEN,INTERCOM_API_KEY,EU_TOKEN" {
		t.Errorf("names %s", got)
	}
	if got := strings.Join(values, ","); got != "acc1,eutok,run-token" {
		t.Errorf("values %s", got)
	}
	got := strings.Join(RunSecrets(env, "http://flag:flagpw@127.0.0.1:9"), ",")
	for _, s := range []string{"acc1", "eutok", "flag:flagpw", "flagpw", "user:pw55", "pw55"} {
		if !strings.Contains(","+got+",", ","+s+",") {
			t.Errorf("RunSecrets %s lacks %s", got, s)
		}
	}
}

func TestTokenCommand(t *testing.T) {
	ctx := context.Background()
	run := func(command string, env Env) (string, error) {
		return (&Profile{TokenCommand: command}).Token(ctx, "p", env)
	}
	env := envOf(t, "", nil)
	if tok, err := run("echo '  tok-from-command  '", env); err != nil || tok != "tok-from-command" {
		t.Errorf("= %q, %v", tok, err)
	}
	for command, want := range map[string]string{
		"echo first >&2; echo second >&2; exit 3": `profile "p": token_command failed (exit status 3): first`,
		"true":          `profile "p": token_command printed nothing`,
		"printf '  \n'": `profile "p": token_command printed nothing`,
	} {
		_, err := run(command, env)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != want {
			t.Errorf("%s: %v, want %q", command, err, want)
		}
	}
	// An interruption is no configuration mistake: it says why it ended.
	cancelled, cancel := context.WithCancelCause(ctx)
	cancel(errors.New("interrupted (SIGINT)"))
	_, err := (&Profile{TokenCommand: "sleep 5"}).Token(cancelled, "p", env)
	var ce *Error
	if err == nil || errors.As(err, &ce) || err.Error() != `profile "p": token_command: interrupted (SIGINT)` {
		t.Errorf("cancelled: %v", err)
	}
}

// TestTokenCommandTimeoutStopsItsChildren: on its timeout a token_command
// is stopped with everything it started.
func TestTokenCommandTimeoutStopsItsChildren(t *testing.T) {
	env := envOf(t, "", nil)
	env.TokenTimeout = 300 * time.Millisecond
	done := make(chan error, 1)
	go func() {
		_, err := (&Profile{TokenCommand: "sleep 5019 & sleep 5019; echo tok"}).Token(context.Background(), "slow", env)
		done <- err
	}()
	select {
	case err := <-done:
		want := `profile "slow": token_command did not finish within 300ms (stopped)`
		if err == nil || err.Error() != want {
			t.Fatalf("timeout error: %v, want %q", err, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("token_command still running 20s after its timeout")
	}
	deadline := time.Now().Add(20 * time.Second)
	for exec.Command("pgrep", "-f", "^sleep 5019$").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the token_command's children outlived its timeout")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTokenCommandRunsInTheGivenWorld: the command sees the environment
// and folder the caller gives, not the process's.
func TestTokenCommandRunsInTheGivenWorld(t *testing.T) {
	env := envOf(t, "", nil)
	env.Dir = t.TempDir()
	env.Environ = func() []string { return []string{"PATH=" + os.Getenv("PATH"), "GIVEN=from-the-caller"} }
	tok, err := (&Profile{TokenCommand: `echo "$GIVEN:$PWD:${HOME:-nohome}"`}).Token(context.Background(), "p", env)
	if want := "from-the-caller:" + env.Dir + ":nohome"; err != nil || tok != want {
		t.Errorf("= %q, %v; want %q", tok, err, want)
	}
}
