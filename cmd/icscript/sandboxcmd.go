package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/webhook"
)

// sandboxEmitter sends the served sandbox's notifications, signed with the
// secret in --secret-env's variable or, when unset, a new one (a sandbox
// secret, printed like the sandbox's token so a listener can use it).
func sandboxEmitter(o *sandboxOptions, sys *System) *webhook.Emitter {
	secret := sys.Getenv(o.secretEnv)
	if secret == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		secret = "sandbox_whsec_" + hex.EncodeToString(b[:])
	}
	return &webhook.Emitter{URLs: o.webhooks, Secret: []byte(secret),
		Logf: func(format string, args ...any) { fmt.Fprintf(sys.Stderr, "icscript sandbox: "+format+"\n", args...) }}
}

// sandboxOptions are the flags of `icscript sandbox`.
type sandboxOptions struct {
	addr      string
	seed      int64
	contacts  int
	companies int
	convs     int
	token     string
	rateLimit string
	faults    string
	latency   time.Duration
	state     string
	webhooks  stringList
	secretEnv string
}

func sandboxFlags(o *sandboxOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:4010", "listen `ADDRESS` (loopback unless you say otherwise)")
	fs.Int64Var(&o.seed, "seed", 1, "seed: the same seed gives the same workspace")
	fs.IntVar(&o.contacts, "seed-contacts", 0, "contacts to seed (`N`; default ~200)")
	fs.IntVar(&o.companies, "seed-companies", 0, "companies to seed (`N`; default ~50)")
	fs.IntVar(&o.convs, "seed-conversations", 0, "conversations to seed (`N`; default ~300)")
	fs.StringVar(&o.token, "token", "", "bearer `TOKEN` to accept (default: derived from --seed, so the same seed serves the same token; printed)")
	fs.StringVar(&o.rateLimit, "rate-limit", "", "enforce a rate limit, as `R/WINDOW` (e.g. 1000/10s), answering 429 beyond it")
	fs.StringVar(&o.faults, "faults", "", "inject faults, e.g. `429=0.05,500=0.02,drop=0.01,slow=0.05:2s`")
	fs.DurationVar(&o.latency, "latency", 0, "add `D` of latency to every response")
	fs.StringVar(&o.state, "sandbox-state", "", "load the workspace from `FILE` if it exists, save it there on exit")
	fs.Var(&o.webhooks, "webhook", "send webhook notifications of the sandbox's changes to `URL` (repeatable)")
	fs.StringVar(&o.secretEnv, "secret-env", defaultSecretEnv, "with --webhook: sign notifications with the secret in `VAR` (default: a new one, printed)")
	return fs
}

// checkSeedSizes refuses sandbox sizes out of range, for `icscript
// sandbox` and for runs with --sandbox alike.
func checkSeedSizes(contacts, companies, convs int) error {
	for _, sz := range []struct {
		flag   string
		n, max int
	}{{"seed-contacts", contacts, sandbox.MaxContacts}, {"seed-companies", companies, sandbox.MaxCompanies}, {"seed-conversations", convs, sandbox.MaxConversations}} {
		if sz.n < 0 || sz.n > sz.max {
			return usagef("--%s wants a number from 0 to %d, got %d", sz.flag, sz.max, sz.n)
		}
	}
	return nil
}

func runSandboxCommand(args []string, sys *System) int {
	o := &sandboxOptions{}
	fs := sandboxFlags(o)
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(sys.Stdout, "Usage: icscript sandbox [flags]\n\nServes a stateful fake Intercom workspace (API 2.10) over HTTP until Ctrl-C.\n\nFlags:")
			printFlags(sys.Stdout, fs)
			return exitOK
		}
		return fail(sys, err)
	}
	if fs.NArg() > 0 {
		return fail(sys, usagef("sandbox takes no arguments, got %q", fs.Arg(0)))
	}
	if err := checkSeedSizes(o.contacts, o.companies, o.convs); err != nil {
		return fail(sys, err)
	}
	opts := sandbox.Options{Seed: o.seed, Contacts: o.contacts, Companies: o.companies, Conversations: o.convs,
		Token: o.token, Faults: o.faults, Latency: o.latency, StateFile: sys.path(o.state)}
	if o.rateLimit != "" {
		n, win, err := parseRate(o.rateLimit)
		if err != nil {
			return fail(sys, usagef("--rate-limit wants R/WINDOW such as 1000/10s, got %q", o.rateLimit))
		}
		opts.RateLimit, opts.RateWindow = n, win
	}
	var em *webhook.Emitter
	if len(o.webhooks) > 0 {
		em = sandboxEmitter(o, sys)
		opts.OnChange = em.OnChange
	}
	sb, err := sandbox.New(opts)
	if err != nil {
		return fail(sys, usagef("%w", err)) // --faults, --state; reading --state keeps its own kind
	}
	if em != nil {
		em.API, em.Token = sb.Handler(), sb.Token()
	}
	if host, _, err := net.SplitHostPort(o.addr); err == nil {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			fmt.Fprintf(sys.Stderr, "icscript: warning: serving on %s, reachable from other machines; anyone with the token can use this sandbox\n", o.addr)
		}
	}
	base, err := sb.Listen(o.addr)
	if err != nil {
		sb.Close()
		return fail(sys, err)
	}
	fmt.Fprintf(sys.Stdout, "icscript sandbox: serving Intercom API 2.10 at %s\n", base)
	fmt.Fprintf(sys.Stdout, "  token:  %s\n", sb.Token())
	fmt.Fprintf(sys.Stdout, "  try:    curl -H 'Authorization: Bearer %s' -H 'Intercom-Version: %s' %s/contacts\n", sb.Token(), catalog.Default, base)
	fmt.Fprintf(sys.Stdout, "  script: INTERCOM_ACCESS_TOKEN=%s icscript --base-url %s script.js\n", sb.Token(), base)
	if em != nil {
		fmt.Fprintf(sys.Stdout, "  webhooks: notifications go to %s\n", strings.Join(o.webhooks, ", "))
		if sys.Getenv(o.secretEnv) == "" {
			fmt.Fprintf(sys.Stdout, "  listen:   %s=%s icscript listen handlers.js\n", o.secretEnv, em.Secret)
		}
	}
	fmt.Fprintln(sys.Stdout, "Ctrl-C stops it.")
	if sys.Signals != nil {
		<-sys.Signals
	}
	if em != nil {
		em.Wait()
	}
	if err := sb.Close(); err != nil {
		return fail(sys, err)
	}
	fmt.Fprintln(sys.Stdout, "icscript sandbox: stopped")
	return exitOK
}
