package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/safety"
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
	audit      *safety.AuditLog
	stopper    *safety.Rails // stops the run when a safety rail trips
	guard      *safety.Guard // nil for the sandbox
}

func (w *workspace) close() {
	if w.sandbox != nil {
		w.sandbox.Close()
	}
	w.audit.Close()
}

// configEnv is what internal/config knows of the process.
func (s *System) configEnv() config.Env {
	return config.Env{Getenv: s.Getenv, Environ: s.Environ, ConfigDir: s.ConfigDir, Dir: s.Dir}
}

// resolveTarget decides the workspace of a run from the flags, the
// profile and the environment (see config.Resolve). A token a
// token_command printed is a secret of the run from now on.
func resolveTarget(ctx context.Context, o *runOptions, sys *System) (*config.Target, error) {
	req := config.Request{Profile: o.profile, Region: o.region, BaseURL: o.baseURL, Admin: o.admin, Sandbox: o.sandbox, Live: o.live}
	if !o.quiet {
		req.Notices = sys.Stderr
	}
	t, err := config.Resolve(ctx, sys.configEnv(), req)
	if err != nil {
		return nil, err
	}
	sys.secrets.Add(t.Token)
	return t, nil
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
	apiVersion, err := config.ResolveAPIVersion(o.apiVersion, scriptPragma(o), t.APIVersion, sys.Stderr)
	if err != nil {
		return nil, err
	}
	cfg := intercom.Config{
		Version:     apiVersion,
		Token:       t.Token,
		Region:      intercom.Region(t.Region),
		BaseURL:     t.BaseURL,
		UserAgent:   "icscript/" + version,
		Concurrency: o.concurrency,
		DryRun:      o.dryRun,
		Hints:       cliHints,
	}
	if o.rate != "" {
		cfg.Rate, cfg.RateWindow, _ = parseRate(o.rate)
	}
	if o.verbose {
		cfg.Logf = func(format string, args ...any) { fmt.Fprintf(sys.Stderr, "icscript: "+format+"\n", args...) }
	}
	ws := &workspace{label: t.Label, token: t.Token, stopper: &safety.Rails{}}
	if t.Sandbox {
		if err := ws.startSandbox(o, &cfg); err != nil {
			return nil, err
		}
	} else {
		ws.guard = &safety.Guard{Yes: o.yes, Label: t.Label, Rails: ws.stopper,
			Terminal: sys.StdinTTY && sys.StderrTTY, Ask: safety.AskOn(sys.Stderr, sys.Stdin)}
		cfg.Guard = ws.guard.Check
	}
	// Every request goes through the gate: nothing leaves once the run is
	// stopped, and mutations the catalogue cannot vouch for are guarded.
	cfg.Transport = safety.NewGate(intercom.NewTransport(o.concurrency), ws.stopper, ws.guard, cfg.BaseURL)
	if err := ws.rails(o, sys, &cfg, t.Sandbox); err != nil {
		ws.close()
		return nil, safety.Refusal(err) // the audit rail refuses the run
	}
	c, err := intercom.New(cfg)
	if err != nil {
		ws.close()
		return nil, usagef("%w", err) // the token or base URL it was given
	}
	ws.client = c
	if ws.guard != nil {
		ws.guard.Catalog = c.Catalog() // the run's API version is the client's
	}
	o.admin = t.Admin
	if !t.Sandbox && sys.StderrTTY && !o.quiet {
		var name string
		name, ws.me = workspaceName(ctx, c, t.Label)
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
		hooks = append(hooks, (&safety.DryRunPrinter{W: sys.Stderr}).Print)
	}
	if !o.noAudit && (!sandboxed || o.audit != "") {
		a, err := safety.OpenAudit(safety.AuditPath(sys.path(o.audit), engine.ScriptDir(o.dir, o.file)), o.file, o.auditBodies)
		if err != nil {
			return err
		}
		ws.audit = a
		hooks = append(hooks, a.Hook(ws.stopper, sys.Stderr))
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
