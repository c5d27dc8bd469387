package config

import (
	"context"
	"fmt"
	"io"

	"github.com/icscript/icscript/internal/safety"
)

// Request is what the command line says about where a run goes.
type Request struct {
	Profile, Region, BaseURL, Admin string // --profile, --region, --base-url, --admin
	Sandbox                         bool   // --sandbox
	Live                            bool   // --live: a real workspace or an error
	// Notices receives the notice that the sandbox stands in for a missing
	// token; nil for none (--quiet).
	Notices io.Writer
}

// Target is where a run goes and with which token.
type Target struct {
	Token, Region, BaseURL, Admin string
	// Label names the workspace for people: `profile "prod" at the eu
	// region`, a base URL fit to print; "" for the sandbox.
	Label      string
	APIVersion string // the profile's api_version, "" without one
	Sandbox    bool   // a fresh in-process sandbox
}

// noTokenNotice says why a run without a token goes to the sandbox.
const noTokenNotice = "icscript: no INTERCOM_ACCESS_TOKEN set: running against the built-in sandbox (a fake, seeded workspace). Set INTERCOM_ACCESS_TOKEN to reach your workspace, or pass --live to require it."

// Resolve decides the workspace of a run: each of region, base URL and
// admin from the flag, else the profile; the token from the profile, else
// the environment. Without a token (and without --live, --base-url or a
// profile) it is a fresh sandbox, so that a new user's first command
// works. A token read by a token_command is returned in Target.Token only:
// the caller adds it to the run's redactor.
func Resolve(ctx context.Context, env Env, r Request) (*Target, error) {
	t := &Target{Region: r.Region, BaseURL: r.BaseURL, Admin: r.Admin}
	if r.Sandbox {
		t.Sandbox = true
		return t, nil
	}
	cfg, err := Load(env)
	if err != nil {
		return nil, err
	}
	name, p, err := cfg.Select(r.Profile, env)
	if err != nil {
		return nil, err
	}
	envToken := EnvToken(env.Getenv)
	if p != nil {
		if t.Region == "" {
			t.Region = p.Region
		}
		if t.BaseURL == "" {
			t.BaseURL = p.BaseURL
		}
		if t.Admin == "" {
			t.Admin = p.Admin
		}
		t.APIVersion = p.APIVersion
		if t.Token, err = p.Token(ctx, name, env); err != nil {
			return nil, err
		}
		t.Label = fmt.Sprintf("profile %q", name)
	}
	if t.Token == "" {
		t.Token = envToken
	}
	if t.Token == "" {
		if t.BaseURL != "" || r.Live || p != nil {
			return nil, errorf("no Intercom token: set INTERCOM_ACCESS_TOKEN (or INTERCOM_API_KEY) to a token of your workspace, or run against the built-in sandbox with --sandbox")
		}
		t.Sandbox = true
		if r.Notices != nil {
			fmt.Fprintln(r.Notices, noTokenNotice)
		}
		return t, nil
	}
	switch {
	case t.BaseURL != "":
		t.Label = joinLabel(t.Label, safety.DisplayURL(t.BaseURL))
	default:
		region := t.Region
		if region == "" {
			region = "us"
		}
		t.Label = joinLabel(t.Label, "the "+region+" region")
	}
	return t, nil
}

func joinLabel(a, b string) string {
	if a == "" {
		return b
	}
	return a + " at " + b
}

// RunSecrets are the secrets known before a run opens its workspace: the
// tokens in the environment, those of every profile's token_env, and the
// credentials in baseURL (--base-url) and in the profiles' base_url.
func RunSecrets(env Env, baseURL string) []string {
	_, secrets := Secrets(env, "")
	secrets = append(secrets, safety.URLSecrets(baseURL)...)
	if c, err := Load(env); err == nil {
		for _, p := range c.Profiles {
			if p != nil {
				secrets = append(secrets, safety.URLSecrets(p.BaseURL)...)
			}
		}
	}
	return secrets
}
