package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/webhook"
)

// replayOptions are the flags of `icscript replay`: the run flags
// (workspace, --sandbox, --dry-run…) and --topic.
type replayOptions struct {
	run            runOptions
	journal        string
	topic          string
	handlerTimeout time.Duration
}

func replayFlags(o *replayOptions) *flag.FlagSet {
	fs := runFlags(&o.run)
	fs.Init("replay", flag.ContinueOnError)
	fs.StringVar(&o.topic, "topic", "", "replay only the deliveries of `TOPIC`")
	handlerTimeoutFlag(fs, &o.handlerTimeout)
	return fs
}

const replayUsage = `Usage: icscript replay [flags] JOURNAL HANDLERS.js

Runs the deliveries recorded in JOURNAL (a listen journal, such as
.icscript/webhooks.jsonl) through HANDLERS.js again, oldest first, one at a
time. --dry-run prints the mutations instead of sending them.

Flags:
`

func parseReplayArgs(args []string) (*replayOptions, error) {
	o := &replayOptions{}
	fs := replayFlags(o)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return o, err
	}
	if len(rest) != 2 {
		return o, usagef("replay wants JOURNAL and HANDLERS.js, got %d arguments", len(rest))
	}
	o.journal, o.run.file = rest[0], rest[1]
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["watch"] {
		return o, usagef("replay runs the journal once: --watch does not apply")
	}
	if set["e"] {
		return o, usagef("replay runs the handler file it is given: -e does not apply")
	}
	if err := checkHandlerTimeout(o.handlerTimeout); err != nil {
		return o, err
	}
	return o, checkRunFlags(&o.run, set)
}

func runReplay(args []string, sys *System) int {
	o, err := parseReplayArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, replayUsage)
		printFlags(sys.Stdout, replayFlags(&replayOptions{}))
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	o.run.dir = sys.Dir
	// The app's client secret too, as listen hides it.
	sys, flush := sys.redactedRun(o.run.baseURL, sys.Getenv(defaultSecretEnv))
	defer flush()
	var recs []*webhook.Record
	if err := webhook.ReadJournal(sys.path(o.journal), func(r *webhook.Record) {
		if r.Kind == "received" && (o.topic == "" || r.Topic == o.topic) {
			recs = append(recs, r)
		}
	}); err != nil {
		return fail(sys, usagef("replay: %v", err))
	}
	if _, err := os.Stat(o.run.path()); err != nil {
		return fail(sys, usagef("cannot replay with %s: %v", o.run.file, errors.Unwrap(err)))
	}
	ctx, signalled, stop := sys.interruptible(context.Background())
	defer stop()
	ws, err := openWorkspace(ctx, &o.run, sys)
	if err != nil {
		return fail(sys, err)
	}
	defer ws.close()
	h := handlersOf(&o.run, ws, sys, o.handlerTimeout)
	if err := h.Load(ctx); err != nil {
		fmt.Fprintln(sys.Stderr, formatLoadError("replay", err, sys))
		return exitScriptError
	}
	failed := 0
	for _, r := range recs {
		if ctx.Err() != nil {
			break
		}
		result, err := replayOne(ctx, h, r)
		if err != nil {
			failed++
			fmt.Fprintf(sys.Stderr, "icscript replay: %s %s: %s: %v\n", r.ID, r.Topic, result, err)
			continue
		}
		fmt.Fprintf(sys.Stderr, "icscript replay: %s %s: %s\n", r.ID, r.Topic, result)
	}
	if s := signalled(); s != 0 {
		return s
	}
	fmt.Fprintf(sys.Stderr, "icscript replay: %s, %d failed\n", intercom.Count(int64(len(recs)), "delivery", "deliveries"), failed)
	if failed > 0 {
		return exitScriptError
	}
	return exitOK
}

// replayOne runs one recorded delivery (h stops it after --handler-timeout).
func replayOne(ctx context.Context, h *engine.Handlers, r *webhook.Record) (string, error) {
	ev, err := webhook.ParseEvent(r.Body)
	if err != nil {
		return webhook.ResultError, err
	}
	return h.Handle(ctx, ev, r.Body)
}
