package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTriggerRedactsEverySecretOfARun: what trigger prints hides the
// secrets a run hides — INTERCOM_API_KEY beside INTERCOM_ACCESS_TOKEN, a
// profile's token_env, user:pass@ in --sandbox-url and --url — not only the
// token it would send. Each secret is made to reach the output: as a --set
// path that does not fit the event (the error quotes the path), or as the
// user name of a URL that cannot be reached (Go's error quotes the URL).
func TestTriggerRedactsEverySecretOfARun(t *testing.T) {
	const apiKey, profileTok = "apikey-canary-7d1e9f0a2b", "profile-canary-3c5b8e6d14"
	home := t.TempDir()
	cfg := filepath.Join(home, "config", "icscript", "config.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("[profile.innocent]\ntoken_env = \"PROD_IC\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret, "XDG_CONFIG_HOME=" + home + "/config"}
	for _, c := range []struct {
		name    string
		env     []string
		args    []string
		secrets []string
	}{
		{"INTERCOM_API_KEY beside INTERCOM_ACCESS_TOKEN", []string{"INTERCOM_ACCESS_TOKEN=the-access-token-1234", "INTERCOM_API_KEY=" + apiKey},
			[]string{"--set", "id." + apiKey + "=1"}, []string{apiKey}},
		{"a profile's token_env", []string{"PROD_IC=" + profileTok},
			[]string{"--set", "id." + profileTok + "=1"}, []string{profileTok}},
		{"user:pass@ of --sandbox-url", nil,
			[]string{"--sandbox-url", "http://opsuser-canary:pa55-canary@127.0.0.1:1"}, []string{"opsuser-canary", "pa55-canary"}},
		{"user:pass@ of --url", nil,
			[]string{"--url", "http://hookuser-canary:h00k-canary@127.0.0.1:1/"}, []string{"hookuser-canary", "h00k-canary"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := icscript(t, t.TempDir(), append(append([]string{}, base...), c.env...), append([]string{"trigger", "conversation.user.created"}, c.args...)...)
			if r.code == exitOK {
				t.Fatalf("trigger succeeded; the secret never reached the output\n%s%s", r.stdout, r.stderr)
			}
			r.contains(t, "[redacted]")
			for _, s := range c.secrets {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("trigger printed %q:\n%s%s", s, r.stdout, r.stderr)
				}
			}
		})
	}
}
