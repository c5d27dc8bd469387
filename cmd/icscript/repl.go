package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/suggest"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/repl"
)

// replCommand is `icscript` with no file: it opens the workspace and runs
// the REPL on it.
func replCommand(o *runOptions, sys *System) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := openWorkspace(ctx, o, sys)
	if err != nil {
		return fail(sys, err)
	}
	defer ws.close()
	return runREPL(ctx, o, ws, sys)
}

// runREPL runs an interactive session on ws. Ctrl-C cancels the input
// running (the REPL reads keys itself while it waits for one); SIGTERM ends
// the session.
func runREPL(ctx context.Context, o *runOptions, ws *workspace, sys *System) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	interrupts := make(chan struct{}, 1)
	terminated := forwardSignals(ctx, sys, interrupts, cancel)
	vm, b, err := newVM(ctx, o, ws, sys)
	if err != nil {
		return fail(sys, err)
	}
	first := vm
	err = repl.Run(ctx, repl.Config{
		NewVM: func() (*runtime.VM, error) {
			if v := first; v != nil {
				first = nil
				return v, nil
			}
			v, _, err := newVM(ctx, o, ws, sys)
			return v, err
		},
		In:          sys.Stdin,
		Out:         sys.Stdout,
		Err:         sys.Stderr,
		Terminal:    sys.StdinTTY && sys.StdoutTTY,
		Color:       sys.color(),
		HistoryFile: historyPath(sys),
		Secrets:     secrets(ws, sys),
		Banner:      replBanner(ctx, ws, b),
		Help:        func(topic string) (string, bool) { return opHelp(ws.client.Catalog(), topic) },
		HelpTopics:  bindings.HelpTopics(ws.client.Catalog()),
		Interrupts:  interrupts,
	})
	switch {
	case terminated():
		return exitTerminated
	case err != nil && ctx.Err() == nil:
		return fail(sys, err)
	}
	return exitOK
}

// forwardSignals turns SIGINT into an interrupt of the running input and
// SIGTERM into the end of the session; it reports whether SIGTERM came.
func forwardSignals(ctx context.Context, sys *System, interrupts chan<- struct{}, cancel func()) func() bool {
	var terminated atomic.Bool
	if sys.Signals == nil {
		return terminated.Load
	}
	go func() {
		for {
			select {
			case sig := <-sys.Signals:
				if sig == syscall.SIGTERM {
					terminated.Store(true)
					cancel()
					return
				}
				select {
				case interrupts <- struct{}{}:
				default:
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return terminated.Load
}

// historyPath is the REPL history file in the user's state directory.
func historyPath(sys *System) string {
	if sys.StateDir == "" {
		return ""
	}
	return filepath.Join(sys.StateDir, "history")
}

// secrets are the strings no history line may hold: the token in use and
// the values of the token variables, every profile's token_env included
// (config.Secrets, as the script's env hides them).
func secrets(ws *workspace, sys *System) []string {
	_, values := config.Secrets(sys.configEnv(), ws.token)
	return values
}

// replBanner names the version, the API, the workspace (from /me) and the
// acting admin.
func replBanner(ctx context.Context, ws *workspace, b *bindings.Bindings) string {
	parts := []string{"icscript " + version, "API " + ws.client.Catalog().Version}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var me struct {
		Name string `json:"name"`
		App  struct {
			Name string `json:"name"`
		} `json:"app"`
	}
	body, err := b.Me(ctx)
	if err == nil {
		err = json.Unmarshal(body, &me)
	}
	where := "workspace"
	if ws.sandbox != nil {
		where = "sandbox workspace"
	}
	switch {
	case err != nil:
		parts = append(parts, fmt.Sprintf("%s %s (GET /me failed: %v)", where, ws.label, err))
	case ws.sandbox != nil || ws.label == "":
		parts = append(parts, fmt.Sprintf("%s %q", where, me.App.Name))
	default:
		parts = append(parts, fmt.Sprintf("%s %q (%s)", where, me.App.Name, ws.label))
	}
	if err == nil && me.Name != "" {
		parts = append(parts, "admin "+me.Name)
	}
	return strings.Join(append(parts, ".help for help"), " · ")
}

// opHelp is `.help contacts.search` (or intercom.contacts.search, or a
// namespace): the bindings' help of it, or why there is none.
func opHelp(cat *catalog.Catalog, topic string) (string, bool) {
	name := strings.TrimPrefix(strings.TrimSuffix(strings.TrimSpace(topic), "()"), "intercom.")
	if help, ok := bindings.Describe(cat, name); ok {
		return help, true
	}
	if len(catalog.Having(name)) > 0 {
		return catalog.NotInVersion(cat.Version, name, config.PinHint), false
	}
	msg := fmt.Sprintf("no operation or namespace %q in API %s", name, cat.Version)
	if guess := suggest.Closest(name, bindings.HelpTopics(cat)); guess != "" {
		msg += fmt.Sprintf(": did you mean %s?", guess)
	}
	return msg + " (`icscript ops` lists every operation)", false
}
