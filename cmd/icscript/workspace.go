package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox"
)

// workspace is what a run talks to: a real Intercom workspace, a served
// sandbox (--base-url) or an in-process one, with the run's safety rails.
type workspace struct {
	client     *intercom.Client
	label      string // for people: `profile "prod" (eu)`, "the sandbox", a base URL
	sandbox    *sandbox.Sandbox
	sandboxURL string // the in-process sandbox's base URL
	token      string // the secret, to keep out of REPL history
	me         []byte // GET /me's body when the workspace notice read it, for the bindings
	audit      *auditLog
	sys        *System
	stopper    *runRails          // stops the run when a safety rail trips
	guard      *irreversibleGuard // nil for the sandbox
}

func (w *workspace) close() {
	if w.sandbox != nil {
		w.sandbox.Close()
	}
	w.audit.close()
}

// target is where a run goes and with which token.
type target struct {
	token, region, baseURL, admin, label string
	apiVersion                           string // the profile's api_version
	sandbox                              bool
}

// resolveTarget decides the workspace of a run from the flags, the
// profile and the environment. Without a token (and without --live or
// --base-url) it is a fresh sandbox, so that a new user's first command
// works.
func resolveTarget(ctx context.Context, o *runOptions, sys *System) (*target, error) {
	t := &target{region: o.region, baseURL: o.baseURL, admin: o.admin}
	if o.sandbox {
		t.sandbox = true
		return t, nil
	}
	cfg, err := loadConfig(sys)
	if err != nil {
		return nil, err
	}
	name, p, err := cfg.selectProfile(o.profile, sys)
	if err != nil {
		return nil, err
	}
	envToken := token(sys)
	if p != nil {
		if t.region == "" {
			t.region = p.Region
		}
		if t.baseURL == "" {
			t.baseURL = p.BaseURL
		}
		if t.admin == "" {
			t.admin = p.Admin
		}
		t.apiVersion = p.APIVersion
		if t.token, err = p.token(ctx, name, sys); err != nil {
			return nil, err
		}
		t.label = fmt.Sprintf("profile %q", name)
	}
	if t.token == "" {
		t.token = envToken
	}
	if t.token == "" {
		if t.baseURL != "" || o.live || p != nil {
			return nil, usagef("no Intercom token: set INTERCOM_ACCESS_TOKEN (or INTERCOM_API_KEY) to a token of your workspace, or run against the built-in sandbox with --sandbox")
		}
		t.sandbox = true
		if !o.quiet {
			fmt.Fprintln(sys.Stderr, "icscript: no INTERCOM_ACCESS_TOKEN set: running against the built-in sandbox (a fake, seeded workspace). Set INTERCOM_ACCESS_TOKEN to reach your workspace, or pass --live to require it.")
		}
		return t, nil
	}
	switch {
	case t.baseURL != "":
		t.label = joinLabel(t.label, displayURL(t.baseURL))
	default:
		region := t.region
		if region == "" {
			region = "us"
		}
		t.label = joinLabel(t.label, "the "+region+" region")
	}
	return t, nil
}

func joinLabel(a, b string) string {
	if a == "" {
		return b
	}
	return a + " at " + b
}

// token reads the access token from the environment: INTERCOM_ACCESS_TOKEN,
// else INTERCOM_API_KEY (the official SDKs' name).
func token(sys *System) string {
	if t := sys.Getenv("INTERCOM_ACCESS_TOKEN"); t != "" {
		return t
	}
	return sys.Getenv("INTERCOM_API_KEY")
}

// openWorkspace makes the client of a run, starting an in-process sandbox
// when that is the target, and sets up the safety rails: dry-run printing,
// the audit log and the irreversible-operation guard (never for the
// sandbox, whose state is thrown away).
func openWorkspace(ctx context.Context, o *runOptions, sys *System) (*workspace, error) {
	t, err := resolveTarget(ctx, o, sys)
	if err != nil {
		return nil, err
	}
	apiVersion, err := resolveAPIVersion(o.apiVersion, scriptPragma(o), t.apiVersion, sys)
	if err != nil {
		return nil, err
	}
	cfg := intercom.Config{
		Version:     apiVersion,
		Token:       t.token,
		Region:      intercom.Region(t.region),
		BaseURL:     t.baseURL,
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
	ws := &workspace{label: t.label, token: t.token, sys: sys, stopper: &runRails{}}
	if t.sandbox {
		if err := ws.startSandbox(o, &cfg); err != nil {
			return nil, err
		}
	} else {
		ws.guard = &irreversibleGuard{sys: sys, yes: o.yes, label: t.label, rails: ws.stopper, cat: catalog.MustFor(apiVersion)}
		cfg.Guard = ws.guard.check
	}
	// Every request goes through the gate: nothing leaves once the run is
	// stopped, and mutations the catalogue cannot vouch for are guarded.
	gate := &gatedTransport{next: intercom.NewTransport(o.concurrency), rails: ws.stopper, guard: ws.guard}
	if u, err := url.Parse(cfg.BaseURL); err == nil && cfg.BaseURL != "" {
		gate.prefix = strings.TrimSuffix(u.EscapedPath(), "/")
	}
	cfg.Transport = gate
	if err := ws.rails(o, sys, &cfg, t.sandbox); err != nil {
		ws.close()
		return nil, err
	}
	c, err := intercom.New(cfg)
	if err != nil {
		ws.close()
		return nil, err
	}
	ws.client = c
	o.admin = t.admin
	if !t.sandbox && sys.StderrTTY && !o.quiet {
		var name string
		name, ws.me = workspaceName(ctx, c, t.label)
		fmt.Fprintf(sys.Stderr, "icscript: workspace: %s\n", name)
	}
	return ws, nil
}

// workspaceName is the notice's name of a real workspace: its app name
// from GET /me (one read, only for the notice on a terminal, given up after
// 3 s), then where it is; the label alone when /me does not answer. It also
// returns the body it read, which the bindings reuse for intercom.me, the
// verbs' acting admin and the REPL's banner rather than asking again.
func workspaceName(ctx context.Context, c *intercom.Client, label string) (string, []byte) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	op := c.Catalog().ByID("identifyAdmin")
	resp, err := c.Do(ctx, &intercom.Request{Op: op, Method: op.Method, Path: op.Path})
	if err != nil {
		return label, nil
	}
	var me struct {
		App struct {
			Name string `json:"name"`
		} `json:"app"`
	}
	if json.Unmarshal(resp.Body, &me) != nil || me.App.Name == "" {
		return label, nil
	}
	return fmt.Sprintf("%q (%s)", me.App.Name, label), resp.Body
}

func (ws *workspace) startSandbox(o *runOptions, cfg *intercom.Config) error {
	sb, err := sandbox.New(sandbox.Options{Seed: o.seed, Contacts: o.seedContacts, Companies: o.seedCompanies, Conversations: o.seedConvs, SeedLazily: true, OnChange: o.onChange})
	if err != nil {
		return fmt.Errorf("starting the sandbox: %w", err)
	}
	base, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		sb.Close()
		return fmt.Errorf("starting the sandbox: %w", err)
	}
	cfg.Token, cfg.BaseURL, cfg.Region = sb.Token(), base, ""
	ws.sandbox, ws.sandboxURL, ws.label, ws.token = sb, base, "the sandbox", sb.Token()
	return nil
}

// rails hooks the dry-run printer and the audit log to the client's
// mutation events. The audit log is on for every real workspace unless
// --no-audit; for the sandbox only when --audit names a file.
func (ws *workspace) rails(o *runOptions, sys *System, cfg *intercom.Config, sandboxed bool) error {
	var hooks []func(intercom.MutationEvent)
	if o.dryRun {
		hooks = append(hooks, (&dryRunPrinter{sys: sys}).print)
	}
	if !o.noAudit && (!sandboxed || o.audit != "") {
		a, err := openAudit(auditPath(o), o.file, o.auditBodies)
		if err != nil {
			return err
		}
		ws.audit = a
		hooks = append(hooks, func(ev intercom.MutationEvent) {
			if err := a.record(ev); err != nil {
				ws.auditFailed(ev, err)
			}
		})
	}
	if len(hooks) > 0 {
		cfg.OnMutation = func(ev intercom.MutationEvent) {
			for _, h := range hooks {
				h(ev)
			}
		}
	}
	return nil
}
