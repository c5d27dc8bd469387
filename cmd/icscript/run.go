package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/stdlib"
)

// runOptions are the flags of a run (a file, -e, or the REPL).
type runOptions struct {
	code          string
	region        string
	baseURL       string
	sandbox       bool
	live          bool
	seed          int64
	seedContacts  int
	seedCompanies int
	seedConvs     int
	timeout       time.Duration
	concurrency   int
	rate          string
	admin         string
	verbose       bool
	quiet         bool
	dryRun        bool
	resume        bool
	watch         bool
	sandboxKeep   bool
	yes           bool
	profile       string
	audit         string
	noAudit       bool
	auditBodies   bool
	maxMemory     byteSize
	apiVersion    string

	file       string
	scriptArgs []string
	// dir is the working directory (System.Dir) the file and the run's
	// other relative paths resolve from.
	dir string

	// onChange, set by listen --sandbox, is the in-process sandbox's
	// Options.OnChange (the webhook emitter).
	onChange func(sandbox.Change)
}

func runFlags(o *runOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("icscript", flag.ContinueOnError)
	fs.StringVar(&o.code, "e", "", "run `CODE` instead of a file")
	fs.StringVar(&o.apiVersion, "api-version", "", "Intercom API `VERSION` of the run (default: the script's \"// @icscript api V\" line, the profile's api_version, or "+catalog.Default+")")
	fs.StringVar(&o.region, "region", "", "Intercom region: us, eu or au (default us, or the profile's)")
	fs.StringVar(&o.baseURL, "base-url", "", "API base `URL` (a served sandbox, a proxy); overrides --region")
	fs.BoolVar(&o.sandbox, "sandbox", false, "run against a fresh in-process sandbox workspace")
	fs.BoolVar(&o.live, "live", false, "require a real workspace: fail instead of using the sandbox when no token is set")
	fs.Int64Var(&o.seed, "seed", 1, "sandbox seed: the same seed gives the same workspace")
	fs.IntVar(&o.seedContacts, "seed-contacts", 0, "sandbox size: contacts to seed (`N`; default ~200)")
	fs.IntVar(&o.seedCompanies, "seed-companies", 0, "sandbox size: companies to seed (`N`; default ~50)")
	fs.IntVar(&o.seedConvs, "seed-conversations", 0, "sandbox size: conversations to seed (`N`; default ~300)")
	fs.DurationVar(&o.timeout, "timeout", 0, "stop the run after `D` (e.g. 30s, 10m)")
	fs.IntVar(&o.concurrency, "concurrency", 16, "most API requests in flight at once")
	fs.StringVar(&o.rate, "rate", "", "cap the request rate below the server's, as `R/WINDOW` (e.g. 500/10s)")
	fs.StringVar(&o.admin, "admin", "", "acting admin `ID` for close/open/snooze/assign (default: the token's admin)")
	fs.BoolVar(&o.verbose, "verbose", false, "log every request (method, path, status, time, retries) to stderr")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bars or notices")
	fs.BoolVar(&o.dryRun, "dry-run", false, "send reads, print mutations instead of sending them")
	fs.BoolVar(&o.resume, "resume", false, "carry on a bulk job with a checkpoint where an earlier run stopped (skip what it did)")
	fs.BoolVar(&o.yes, "yes", false, "allow irreversible operations (deletes, merges, messages) without asking; answer yes to prompt.confirm")
	fs.StringVar(&o.profile, "profile", "", "use the workspace `NAME` of ~/.config/icscript/config.toml")
	fs.StringVar(&o.audit, "audit", "", "append the audit log of mutations to `FILE` (default .icscript/audit.jsonl beside the script)")
	fs.BoolVar(&o.noAudit, "no-audit", false, "write no audit log")
	fs.BoolVar(&o.auditBodies, "audit-bodies", false, "include request bodies in the audit log")
	o.maxMemory = defaultMaxMemory
	fs.Var(&o.maxMemory, "max-memory", "stop a script whose memory use passes `SIZE` (e.g. 512MiB; 0 for no limit)")
	fs.BoolVar(&o.watch, "watch", false, "rerun the script whenever it or a file it imports changes")
	fs.BoolVar(&o.sandboxKeep, "sandbox-keep", false, "with --watch --sandbox: keep the sandbox's state across reruns")
	return fs
}

func parseRunArgs(args []string) (*runOptions, error) {
	o := &runOptions{}
	fs := runFlags(o)
	if err := parseFlags(fs, args); err != nil {
		if o.code != "" && strings.HasPrefix(err.Error(), "unknown flag ") && !strings.Contains(err.Error(), "did you mean") {
			// -e takes no file name to end icscript's flags: the script's follow --.
			err = usagef("%v (the flags of -e code go after --: icscript -e CODE -- --days 3)", err)
		}
		return o, err
	}
	rest := fs.Args()
	if o.code == "" && len(rest) > 0 {
		o.file, rest = rest[0], rest[1:]
	}
	v, rest, err := apiVersionAmong(rest)
	if err != nil {
		return o, err
	}
	if v != "" {
		if o.apiVersion != "" && o.apiVersion != v {
			return o, usagef("--api-version is given twice: %s and %s", o.apiVersion, v)
		}
		o.apiVersion = v
	}
	o.scriptArgs = rest
	if dryRunAmong(rest) {
		o.dryRun = true
	}
	if resumeAmong(rest) {
		o.resume = true
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := checkRunFlags(o, set); err != nil {
		return o, err
	}
	return o, nil
}

// checkBaseURL refuses a --base-url that is not http(s)://host[/path].
func checkBaseURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		shown, rest, cut := strings.Cut(raw, "?")
		if !cut {
			shown, rest, cut = strings.Cut(raw, "#")
		}
		if cut && rest != "" {
			shown += "?…" // a query may hold a secret too
		}
		return usagef("--base-url wants http(s)://host[/path] without a query, got %q", safety.DisplayURL(shown))
	}
	return nil
}

// maxConcurrency bounds --concurrency: more requests in flight than this
// only queue at the server and cost memory.
const maxConcurrency = 1000

// checkRunFlags refuses values a flag cannot take and flags that
// contradict each other; set holds the flags given on the command line.
func checkRunFlags(o *runOptions, set map[string]bool) error {
	if o.concurrency < 1 || o.concurrency > maxConcurrency {
		return usagef("--concurrency wants a whole number from 1 to %d, got %d", maxConcurrency, o.concurrency)
	}
	if o.timeout < 0 {
		return usagef("--timeout wants a positive duration such as 30s or 10m (0 for none), got %s", o.timeout)
	}
	if err := checkSeedSizes(o.seedContacts, o.seedCompanies, o.seedConvs); err != nil {
		return err
	}
	if o.region != "" {
		if _, err := intercom.Region(o.region).BaseURL(); err != nil {
			return usagef("--region wants us, eu or au, got %q", o.region)
		}
	}
	if o.rate != "" {
		if _, _, err := parseRate(o.rate); err != nil {
			return err
		}
	}
	if o.baseURL != "" {
		if err := checkBaseURL(o.baseURL); err != nil {
			return err
		}
	}
	// The sandbox is its own workspace: flags naming another one contradict it.
	for _, other := range []string{"live", "base-url", "region", "profile"} {
		if o.sandbox && set[other] {
			return usagef("--sandbox and --%s contradict each other: --sandbox runs against the built-in sandbox, --%s names a real workspace", other, other)
		}
	}
	// The sandbox's own flags mean nothing against a real workspace.
	for _, sb := range []string{"seed", "seed-contacts", "seed-companies", "seed-conversations"} {
		for _, real := range []string{"live", "base-url", "region", "profile"} {
			if set[sb] && set[real] {
				return usagef("--%s and --%s contradict each other: --%s shapes the sandbox, --%s names a real workspace", sb, real, sb, real)
			}
		}
	}
	if o.quiet && o.verbose {
		return usagef("--quiet and --verbose contradict each other")
	}
	if o.watch && o.file == "" {
		return usagef("--watch needs a FILE to watch")
	}
	if o.noAudit && (o.audit != "" || o.auditBodies) {
		return usagef("--no-audit contradicts --audit and --audit-bodies")
	}
	if o.sandboxKeep && !o.watch {
		return usagef("--sandbox-keep only means something with --watch")
	}
	return nil
}

// parseRate reads "500/10s" (or "500/s", "500/m").
func parseRate(s string) (int, time.Duration, error) {
	n, win, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(n)
	if !ok || err != nil || count < 1 {
		return 0, 0, usagef("--rate wants R/WINDOW such as 500/10s, got %q", s)
	}
	switch win {
	case "s":
		win = "1s"
	case "m":
		win = "1m"
	}
	d, err := time.ParseDuration(win)
	if err != nil || d <= 0 {
		return 0, 0, usagef("--rate wants R/WINDOW such as 500/10s, got %q", s)
	}
	return count, d, nil
}

func runScriptCommand(args []string, sys *System) int {
	o, err := parseRunArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, usage()+"\nRun flags:\n")
		printFlags(sys.Stdout, runFlags(&runOptions{}))
		fmt.Fprint(sys.Stdout, helpTail)
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	o.dir = sys.Dir
	// From here on nothing printed shows a secret of the run.
	sys, flush := sys.redactedRun(o.baseURL)
	defer flush()
	go bindings.Prepare() // on the other CPU, while the workspace opens
	if o.file == "" && o.code == "" {
		return replCommand(o, sys)
	}
	sys = sys.withTermLine()
	if o.file != "" {
		if _, err := os.Stat(o.path()); err != nil {
			return fail(sys, usagef("cannot run %s: %v%s", o.file, errors.Unwrap(err), commandGuess(o.file)))
		}
	}
	if !o.watch {
		if err := checkScriptArgs(o); err != nil {
			return fail(sys, err)
		}
	}
	ctx, signalled, stop := sys.interruptible(context.Background())
	defer stop()
	if o.watch {
		return watchScript(ctx, o, sys)
	}
	ws, err := openWorkspace(ctx, o, sys)
	if err != nil {
		if s := signalled(); s != 0 {
			fmt.Fprintf(sys.Stderr, "icscript: interrupted before the run started: %v\n", err)
			return s
		}
		return fail(sys, err)
	}
	defer ws.close()
	code := runScript(ctx, o, ws, sys)
	if s := signalled(); s != 0 {
		return s
	}
	return code
}

// runScript runs one file or -e program in a new VM and returns the exit code.
func runScript(ctx context.Context, o *runOptions, ws *workspace, sys *System) int {
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	// A client kept across watch reruns counts every run: report this one's.
	before := ws.client.Stats()
	vm, _, err := newVM(ctx, o, ws, sys)
	if err != nil {
		return fail(sys, err)
	}
	defer vm.Close()
	stopWatch := context.AfterFunc(ctx, func() { vm.Interrupt(ctx.Err()) })
	defer stopWatch()
	endRun := ws.beginRun(vm.Interrupt) // safety rails stop the run, not only the call
	if o.code != "" {
		err = vm.RunCode(o.code, "<-e>")
	} else {
		err = vm.RunFile(o.path())
	}
	err = endRun(err)
	printRequestSummary(sys, statsSince(before, ws.client.Stats()), o)
	var exit *stdlib.ExitError
	var ckErr *bindings.CheckpointError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return exit.Code
	case errors.As(err, &ckErr):
		return fail(sys, ckErr)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		fmt.Fprintf(sys.Stderr, "icscript: stopped after --timeout %s\n", o.timeout)
		return exitTimeout
	case errors.Is(err, runtime.ErrInterrupted) || ctx.Err() != nil:
		return reportInterrupted(sys, err, ws.client, before)
	}
	fmt.Fprintln(sys.Stderr, runtime.FormatError(err, sys.stderrColor()))
	return exitCode(err)
}

// watchScript reruns the script on every change. Each rerun gets a fresh,
// identically seeded sandbox unless --sandbox-keep; a real workspace's
// client is made once.
func watchScript(ctx context.Context, o *runOptions, sys *System) int {
	var kept *workspace
	defer func() {
		if kept != nil {
			kept.close()
		}
	}()
	args := o.scriptArgs
	return watchLoop(ctx, o.path(), sys, func(runCtx context.Context) int {
		// The script's flags are checked against each version of it.
		run := *o
		run.scriptArgs = args
		if err := checkScriptArgs(&run); err != nil {
			return fail(sys, err)
		}
		o := &run
		ws := kept
		if ws == nil {
			var err error
			if ws, err = openWorkspace(runCtx, o, sys); err != nil {
				return fail(sys, err)
			}
			if ws.sandbox == nil || o.sandboxKeep {
				kept = ws
			} else {
				defer ws.close()
			}
		}
		return runScript(runCtx, o, ws, sys)
	})
}

// newVM makes the VM of a run, a REPL session or a webhook delivery
// (engine.New) from the run's flags, workspace and system.
func newVM(ctx context.Context, o *runOptions, ws *workspace, sys *System) (*runtime.VM, *bindings.Bindings, error) {
	return engine.New(ctx, engineOptions(o, ws, sys))
}

// handlersOf runs the handler file of listen and replay (o.file), each
// delivery in a VM of the run's options. Those are worked out once (they
// read the config file for the variables to hide), not per delivery.
func handlersOf(o *runOptions, ws *workspace, sys *System, timeout time.Duration) *engine.Handlers {
	opts := engineOptions(o, ws, sys)
	return &engine.Handlers{Path: o.file, Dir: o.dir, Timeout: timeout, NewVM: func(ctx context.Context) (*runtime.VM, error) {
		vm, _, err := engine.New(ctx, opts)
		return vm, err
	}}
}

// engineOptions are the plain values the engine makes a VM of.
func engineOptions(o *runOptions, ws *workspace, sys *System) engine.Options {
	token := ws.token
	if ws.sandbox != nil {
		token = "" // the sandbox's own token is no secret
	}
	hidden, secrets := config.Secrets(sys.configEnv(), token)
	api := safety.DisplayURL(ws.client.BaseURL())
	if ws.sandbox != nil {
		api = "the sandbox" // its port changes from run to run
	}
	return engine.Options{
		Stdin: sys.Stdin, Stdout: sys.Stdout, Stderr: sys.Stderr,
		Environ: sys.Environ, HiddenVars: hidden, Secrets: secrets,
		Now:         sys.Now,
		Dir:         sys.Dir,
		Color:       sys.color(),
		StderrColor: sys.stderrColor(),
		Interactive: sys.StdinTTY && sys.StderrTTY,
		ProgressOut: sys.progressOut,
		CacheDir:    sys.CacheDir,
		Program:     sys.program(),
		File:        o.file,
		Args:        o.scriptArgs,
		Client:      ws.client, Admin: o.admin, Me: ws.me, Workspace: api,
		Quiet: o.quiet, Yes: o.yes, Resume: o.resume, DryRun: o.dryRun,
		MaxMemory: int64(o.maxMemory), MemoryHardStop: memoryHardStop(sys, ws),
		Version: version,
	}
}

// path is the run's script file resolved from the working directory; the
// file as given names it in messages.
func (o *runOptions) path() string { return engine.InDir(o.dir, o.file) }

// printRequestSummary prints one line about requests when anything was
// retried or waited for, or always with --verbose.
func printRequestSummary(sys *System, st intercom.Stats, o *runOptions) {
	if o.quiet || (!o.verbose && st.Retries == 0 && st.RateLimited == 0 && st.DryRunSkipped == 0) {
		return
	}
	fmt.Fprintf(sys.Stderr, "icscript: %s\n", st)
}

// statsSince is what a client did between two snapshots of its counters:
// one run's figures when the client served earlier runs too. Every counter
// is a total except InFlight, a snapshot.
func statsSince(before, now intercom.Stats) intercom.Stats {
	out := now
	b, o := reflect.ValueOf(before), reflect.ValueOf(&out).Elem()
	for i := 0; i < o.NumField(); i++ {
		if f := o.Field(i); f.CanInt() && o.Type().Field(i).Name != "InFlight" {
			f.SetInt(f.Int() - b.Field(i).Int())
		}
	}
	return out
}
