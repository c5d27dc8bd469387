package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
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
		return fail(sys, err, exitUsage)
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
		return fail(sys, err, exitScriptError)
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
		HelpTopics:  helpTopics(ws.client.Catalog()),
		Interrupts:  interrupts,
	})
	switch {
	case terminated():
		return exitTerminated
	case err != nil && ctx.Err() == nil:
		return fail(sys, err, exitScriptError)
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
// the token variables' values.
func secrets(ws *workspace, sys *System) []string {
	out := []string{ws.token, config.EnvToken(sys.Getenv)}
	for _, name := range config.TokenVars {
		out = append(out, sys.Getenv(name))
	}
	return out
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

// helpTopics are what `.help <TAB>` completes: namespaces and operations.
func helpTopics(cat *catalog.Catalog) []string {
	topics := cat.Namespaces()
	for _, op := range cat.Operations {
		topics = append(topics, op.JSName())
	}
	for _, v := range bindings.Verbs {
		topics = append(topics, v.Name)
	}
	return topics
}

// opHelp is `.help contacts.search` (or intercom.contacts.search, or a
// namespace): how to call it, its route, paging, safety and an example.
func opHelp(cat *catalog.Catalog, topic string) (string, bool) {
	name := strings.TrimPrefix(strings.TrimSuffix(strings.TrimSpace(topic), "()"), "intercom.")
	if op := cat.ByJSName(name); op != nil {
		return describeOp(op), true
	}
	if v := bindings.VerbByName(name); v != nil {
		return describeVerb(cat, v), true
	}
	if ops := cat.InNamespace(name); len(ops) > 0 || isNamespace(cat, name) {
		return describeNamespace(cat, name, ops), true
	}
	if len(catalog.Having(name)) > 0 {
		return catalog.NotInVersion(cat.Version, name, config.PinHint), false
	}
	msg := fmt.Sprintf("no operation or namespace %q in API %s", name, cat.Version)
	if guess := suggest.Closest(name, helpTopics(cat)); guess != "" {
		msg += fmt.Sprintf(": did you mean %s?", guess)
	}
	return msg + " (`icscript ops` lists every operation)", false
}

func isNamespace(cat *catalog.Catalog, name string) bool {
	for _, ns := range cat.Namespaces() {
		if ns == name {
			return true
		}
	}
	return false
}

func describeNamespace(cat *catalog.Catalog, name string, ops []*catalog.Operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "intercom.%s\n", name)
	for _, ns := range cat.Namespaces() {
		if strings.HasPrefix(ns, name+".") && !strings.Contains(ns[len(name)+1:], ".") {
			fmt.Fprintf(&b, "  intercom.%s.…\n", ns)
		}
	}
	for _, op := range ops {
		fmt.Fprintf(&b, "  intercom.%s(%s)  %s %s  %s\n", op.JSName(), bindings.Signature(op), op.Method, op.Path, op.Summary)
	}
	for _, v := range bindings.Verbs {
		if strings.TrimSuffix(v.Name, v.Name[strings.LastIndex(v.Name, "."):]) == name {
			fmt.Fprintf(&b, "  intercom.%s  %s\n", v.Call(), v.Summary)
		}
	}
	return b.String()
}

func describeOp(op *catalog.Operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "intercom.%s(%s)", op.JSName(), bindings.Signature(op))
	if op.Summary != "" {
		fmt.Fprintf(&b, " — %s", op.Summary)
	}
	fmt.Fprintf(&b, "\n  %s %s   (operationId %s)\n", op.Method, op.Path, op.ID)
	if op.Listing() {
		paging := string(op.Pagination) + " pagination"
		if op.Pagination == catalog.PageNone {
			paging = "one page"
		}
		fmt.Fprintf(&b, "  returns a Pager over %q (%s): for…of, .first(n), .toArray({limit}), .forEach(fn, {concurrency})\n", op.ItemsField, paging)
	} else if op.Response != "" {
		fmt.Fprintf(&b, "  returns a Promise of %s\n", op.Response)
	}
	switch {
	case op.Irreversible:
		b.WriteString("  changes data, irreversibly: on a real workspace it asks once for confirmation (--yes skips it)\n")
	case op.Mutates:
		b.WriteString("  changes data (--dry-run prints it instead)\n")
	default:
		b.WriteString("  read-only\n")
	}
	writeParams(&b, "path", op.PathParams)
	writeParams(&b, "query", op.Query)
	writeBody(&b, op)
	writeSearchFields(&b, op)
	b.WriteString("  example:\n    " + exampleCall(op) + "\n")
	return b.String()
}

func writeParams(b *strings.Builder, label string, params []catalog.Param) {
	if len(params) == 0 {
		return
	}
	var list []string
	for _, p := range params {
		s := p.Name + " (" + p.Type
		if p.Required {
			s += ", required"
		}
		list = append(list, s+")")
	}
	fmt.Fprintf(b, "  %s: %s\n", label, strings.Join(list, ", "))
}

// sampleBody is catalog.Sample of the body, in JS notation; when no field
// is required, it shows the first one.
func sampleBody(op *catalog.Operation) string {
	if op.Body == nil {
		return ""
	}
	v := catalog.Sample(op.Body)
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		s := op.Catalog().Lookup(op.Body)
		for s != nil && len(s.Properties) == 0 && len(s.OneOf)+len(s.AnyOf) > 0 {
			s = op.Catalog().Lookup(append(s.OneOf, s.AnyOf...)[0])
		}
		if s != nil && len(s.Properties) > 0 {
			p := s.Properties[0]
			v = map[string]any{p.Name: catalog.Sample(p.Schema)}
		}
	}
	body, err := json.Marshal(v)
	if err != nil || string(body) == "null" || string(body) == "{}" {
		return ""
	}
	return jsonKey.ReplaceAllStringFunc(string(body), func(m string) string {
		sub := jsonKey.FindStringSubmatch(m)
		if sub[1] != "" {
			return ", " + sub[2] + ": "
		}
		return sub[2] + ": "
	})
}

// jsonKey is a quoted object key that JS writes without quotes (and after
// a comma, a space).
var jsonKey = regexp.MustCompile(`(,?)"([A-Za-z_$][A-Za-z0-9_$]*)":`)

// exampleCall builds a call from placeholders for the path parameters and
// catalog.Sample of the body.
func exampleCall(op *catalog.Operation) string {
	var args []string
	for _, p := range op.PathParams {
		args = append(args, fmt.Sprintf("%q", "<"+p.Name+">"))
	}
	if op.Pagination == catalog.PageSearch {
		args = append(args, `{query: {field: "created_at", operator: ">", value: 1700000000}}`)
	} else if body := sampleBody(op); body != "" {
		args = append(args, body)
	}
	call := "intercom." + op.JSName() + "(" + strings.Join(args, ", ") + ")"
	if op.Listing() {
		return call + ".first(3)"
	}
	return "await " + call
}
