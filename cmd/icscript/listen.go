package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/webhook"
)

// listenOptions are the flags of `icscript listen`, on top of the run flags
// (workspace, --sandbox, --dry-run, --watch…).
type listenOptions struct {
	run            runOptions
	addr           string
	secretEnv      string
	journal        string
	journalMax     byteSize
	handlerTimeout time.Duration
	webhooks       stringList
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// handlerTimeoutFlag is --handler-timeout, of listen and replay.
func handlerTimeoutFlag(fs *flag.FlagSet, d *time.Duration) {
	fs.DurationVar(d, "handler-timeout", 30*time.Second, "stop a handler after `D` (0 for no limit)")
}

func checkHandlerTimeout(d time.Duration) error {
	if d < 0 {
		return usagef("--handler-timeout wants a positive duration such as 30s (0 for none), got %s", d)
	}
	return nil
}

// defaultSecretEnv names the variable holding the app's client secret.
const defaultSecretEnv = "INTERCOM_CLIENT_SECRET"

// defaultListenAddr is where listen receives, and where trigger sends.
const defaultListenAddr = "127.0.0.1:8080"

// defaultHandlerConcurrency is listen's --concurrency: handlers at once.
const defaultHandlerConcurrency = 8

func listenFlags(o *listenOptions) *flag.FlagSet {
	fs := runFlags(&o.run)
	fs.Init("listen", flag.ContinueOnError)
	c := fs.Lookup("concurrency")
	c.Usage, c.DefValue = "most handlers running at once (a slow one holds one slot)", fmt.Sprint(defaultHandlerConcurrency)
	o.run.concurrency = defaultHandlerConcurrency
	fs.StringVar(&o.addr, "addr", defaultListenAddr, "receive notifications at `ADDRESS` (e.g. :8080 for every interface)")
	fs.StringVar(&o.secretEnv, "secret-env", defaultSecretEnv, "environment `VAR` holding the app's client secret (signatures are checked with it)")
	fs.StringVar(&o.journal, "journal", "", "record deliveries in `FILE` (default .icscript/webhooks.jsonl beside the handler file)")
	o.journalMax = webhook.DefaultJournalMax
	fs.Var(&o.journalMax, "journal-max", "rotate the journal past `SIZE` (the previous file is kept as FILE.1)")
	handlerTimeoutFlag(fs, &o.handlerTimeout)
	fs.Var(&o.webhooks, "webhook", "with --sandbox: also send the sandbox's notifications to `URL` (repeatable)")
	return fs
}

const listenUsage = `Usage: icscript listen [flags] HANDLERS.js

Receives Intercom webhook notifications and runs the handler of each one's
topic from HANDLERS.js (export default { "conversation.user.created": async
(event) => { … }, "*": … }). Deliveries are checked (X-Hub-Signature),
recorded in a journal, answered 200, then handled. With --sandbox, an
in-process sandbox sends its notifications here as scripts change it.

Flags:
`

func parseListenArgs(args []string) (*listenOptions, error) {
	o := &listenOptions{}
	fs := listenFlags(o)
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		return o, usagef("listen wants one handler file, got %d arguments", fs.NArg())
	}
	o.run.file = fs.Arg(0)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := checkRunFlags(&o.run, set); err != nil {
		return o, err
	}
	if set["timeout"] {
		return o, usagef("listen runs until Ctrl-C: --timeout does not apply; --handler-timeout limits each handler")
	}
	if set["e"] {
		return o, usagef("listen runs the handler file it is given: -e does not apply")
	}
	if err := checkHandlerTimeout(o.handlerTimeout); err != nil {
		return o, err
	}
	if len(o.webhooks) > 0 && !o.run.sandbox {
		return o, usagef("--webhook only means something with --sandbox")
	}
	if o.journal == "" {
		o.journal = filepath.Join(engine.ScriptDir(o.run.dir, o.run.file), ".icscript", "webhooks.jsonl")
	}
	return o, nil
}

func runListen(args []string, sys *System) int {
	o, err := parseListenArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, listenUsage)
		printFlags(sys.Stdout, listenFlags(&listenOptions{}))
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	o.run.dir, o.journal = sys.Dir, sys.path(o.journal)
	secret, err := listenSecret(o, sys)
	if err != nil {
		return fail(sys, err)
	}
	sys, flush := sys.redactedRun(o.run.baseURL, string(secret))
	defer flush()
	if _, err := os.Stat(o.run.path()); err != nil {
		return fail(sys, usagef("cannot listen with %s: %v", o.run.file, errors.Unwrap(err)))
	}
	ctx, signalled, stop := sys.interruptible(context.Background())
	defer stop()
	code := listen(ctx, o, secret, sys)
	if s := signalled(); s != 0 {
		return s
	}
	return code
}

// listenSecret is the client secret from --secret-env's variable. With
// --sandbox, when that is unset, a fresh one is shared with the in-process
// sandbox (trigger then needs the variable set to sign).
func listenSecret(o *listenOptions, sys *System) ([]byte, error) {
	s := sys.Getenv(o.secretEnv)
	if s == "" && o.run.sandbox {
		var b [32]byte
		_, _ = rand.Read(b[:])
		return []byte(hex.EncodeToString(b[:])), nil
	}
	if s == "" {
		return nil, usagef("listen needs the app's client secret to check signatures: set %s (or name another variable with --secret-env)", o.secretEnv)
	}
	return []byte(s), nil
}

func listen(ctx context.Context, o *listenOptions, secret []byte, sys *System) int {
	logf := func(format string, args ...any) {
		fmt.Fprintf(sys.Stderr, "icscript listen: "+format+"\n", args...)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fail(sys, fmt.Errorf("listen: %w", err)) // a taken port is the machine's, not a usage error
	}
	defer ln.Close()
	url := "http://" + ln.Addr().String() + "/"
	var em *webhook.Emitter
	if o.run.sandbox {
		em = &webhook.Emitter{URLs: append([]string{url}, o.webhooks...), Secret: secret, Logf: logf}
		o.run.onChange = em.OnChange
	}
	ws, err := openWorkspace(ctx, &o.run, sys)
	if err != nil {
		return fail(sys, err)
	}
	defer ws.close()
	if em != nil {
		em.API, em.Token = ws.sandbox.Handler(), ws.sandbox.Token()
	}
	h := handlersOf(&o.run, ws, sys, o.handlerTimeout)
	if err := h.Load(ctx); err != nil {
		fmt.Fprintln(sys.Stderr, formatLoadError("listen", err, sys))
		return exitScriptError
	}
	if err := os.MkdirAll(filepath.Dir(o.journal), 0o700); err != nil {
		return fail(sys, err)
	}
	j, err := webhook.OpenJournal(o.journal, int64(o.journalMax))
	if err != nil {
		return fail(sys, usagef("%w", err)) // a journal it cannot use; the disk's refusals stay theirs
	}
	defer j.Close()
	srv := &webhook.Server{Secret: secret, Journal: j, Handle: h.Handle, Concurrency: o.run.concurrency, Logf: logf}
	workCtx, stopWork := context.WithCancel(ctx)
	defer stopWork()
	srv.Start(workCtx)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute}
	go func() { _ = hs.Serve(ln) }()
	logf("receiving at %s · journal %s · handlers: %s", url, o.journal, strings.Join(h.Topics(), ", "))
	if ws.sandbox != nil {
		logf("sandbox at %s (token %s) sends its notifications here", ws.sandboxURL, ws.sandbox.Token())
	}
	code := exitOK
	if o.run.watch {
		code = watchLoop(ctx, o.run.path(), sys, func(context.Context) int {
			if err := h.Load(ctx); err != nil {
				fmt.Fprintln(sys.Stderr, formatLoadError("listen", err, sys))
				return exitScriptError
			}
			logf("handlers reloaded: %s", strings.Join(h.Topics(), ", "))
			return exitOK
		})
	} else {
		<-ctx.Done()
		code = interruptedCode(ctx)
	}
	_ = hs.Close()
	stopWork()
	srv.Wait()
	if em != nil {
		em.Wait()
	}
	logf("stopped")
	return code
}

// formatLoadError reports a handler file that does not load, as command cmd.
func formatLoadError(cmd string, err error, sys *System) string {
	return "icscript " + cmd + ": " + strings.TrimRight(runtime.FormatError(err, sys.stderrColor()), "\n")
}
