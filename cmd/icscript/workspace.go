package main

import (
	"context"
	"fmt"

	"github.com/icscript/icscript/bindings/client"
	"github.com/icscript/icscript/sandbox"
)

// workspace is what a run talks to: a real Intercom workspace, a served
// sandbox (--base-url) or an in-process one.
type workspace struct {
	client  *client.Client
	label   string // "sandbox", "eu", a base URL
	sandbox *sandbox.Sandbox
}

func (w *workspace) close() {
	if w.sandbox != nil {
		w.sandbox.Close()
	}
}

// token reads the access token from the environment: INTERCOM_ACCESS_TOKEN,
// else INTERCOM_API_KEY (the official SDKs' name).
func token(sys *System) string {
	if t := sys.Getenv("INTERCOM_ACCESS_TOKEN"); t != "" {
		return t
	}
	return sys.Getenv("INTERCOM_API_KEY")
}

// openWorkspace picks the workspace of a run. Without a token (and without
// --live or --base-url), it is a fresh sandbox, said so on stderr, so that a
// new user's first command works.
func openWorkspace(ctx context.Context, o *runOptions, sys *System) (*workspace, error) {
	tok := token(sys)
	useSandbox := o.sandbox || (tok == "" && o.baseURL == "" && !o.live)
	if !useSandbox && tok == "" {
		return nil, usagef("no Intercom token: set INTERCOM_ACCESS_TOKEN (or INTERCOM_API_KEY) to a token of your workspace, or run against the built-in sandbox with --sandbox")
	}
	cfg := client.Config{
		Token:       tok,
		Region:      client.Region(o.region),
		BaseURL:     o.baseURL,
		UserAgent:   "icscript/" + version,
		Concurrency: o.concurrency,
		DryRun:      o.dryRun,
	}
	if o.rate != "" {
		cfg.Rate, cfg.RateWindow, _ = parseRate(o.rate)
	}
	if o.verbose {
		cfg.Logf = func(format string, args ...any) { fmt.Fprintf(sys.Stderr, "icscript: "+format+"\n", args...) }
	}
	ws := &workspace{label: o.region}
	if useSandbox {
		sb, err := sandbox.New(sandbox.Options{Seed: o.seed, Contacts: o.seedContacts})
		if err != nil {
			return nil, fmt.Errorf("starting the sandbox: %w", err)
		}
		base, err := sb.Listen("127.0.0.1:0")
		if err != nil {
			sb.Close()
			return nil, fmt.Errorf("starting the sandbox: %w", err)
		}
		cfg.Token, cfg.BaseURL, cfg.Region = sb.Token(), base, ""
		ws.sandbox, ws.label = sb, "sandbox"
		if !o.sandbox && !o.quiet {
			fmt.Fprintln(sys.Stderr, "icscript: no INTERCOM_ACCESS_TOKEN set: running against the built-in sandbox (a fake, seeded workspace). Set INTERCOM_ACCESS_TOKEN to reach your workspace, or pass --live to require it.")
		}
	} else if o.baseURL != "" {
		ws.label = o.baseURL
	}
	c, err := client.New(cfg)
	if err != nil {
		ws.close()
		return nil, err
	}
	ws.client = c
	return ws, nil
}
