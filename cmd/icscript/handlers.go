package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/webhook"
)

// handlerFile runs the handlers of a handler file (`export default {
// "topic": async (event) => … }`) for listen and replay. Each delivery
// gets a VM of its own (goja runtimes are single-threaded): handlers run
// in parallel up to --concurrency, a timeout interrupts only its VM, and
// no handler sees another's module state. The bundle is built once per
// load (and again on each --watch reload), so a delivery costs a VM and
// the bindings, not a build.
type handlerFile struct {
	path string
	o    *runOptions
	ws   *workspace
	sys  *System
	// timeout is the per-handler limit (--handler-timeout), for messages.
	timeout time.Duration
	cur     atomic.Pointer[loadedHandlers]
}

type loadedHandlers struct {
	bundle *runtime.Bundle
	topics []string // the handler map's keys
}

// handlerWrapper imports the user's file and calls the handler of the
// event's topic, else "*"; with no handler it reports the delivery as
// unhandled. In describe mode it reports the map's keys.
const handlerWrapper = `import * as __mod from %s;
const __handlers = (__mod.default !== null && typeof __mod.default === "object") ? __mod.default : __mod;
if (__icscript_webhook.describe) {
  __icscript_webhook.topics(Object.keys(__handlers).filter((k) => typeof __handlers[k] === "function"));
} else {
  const __event = JSON.parse(__icscript_webhook.event);
  const __h = __handlers[__event.topic] ?? __handlers["*"];
  if (typeof __h !== "function") __icscript_webhook.unhandled();
  else await __h(__event);
}
`

// load bundles the file and learns its topics; on success the new
// handlers replace the old ones.
func (h *handlerFile) load(ctx context.Context) error {
	abs := filepath.Clean(engine.InDir(h.o.dir, h.path))
	code := fmt.Sprintf(handlerWrapper, strconv.Quote("./"+filepath.Base(abs)))
	b, err := runtime.BundleCode(code, "<listen>", runtime.BundleOptions{BaseDir: filepath.Dir(abs)})
	if err != nil {
		return err
	}
	var topics []string
	g := map[string]any{"describe": true, "topics": func(t []string) { topics = t }}
	if _, err := h.runBundle(ctx, b, g); err != nil {
		return err
	}
	if len(topics) == 0 {
		return fmt.Errorf("%s: the default export has no handlers: export default { \"conversation.user.created\": async (event) => { … } }", h.path)
	}
	sort.Strings(topics)
	h.cur.Store(&loadedHandlers{bundle: b, topics: topics})
	return nil
}

// topics are the loaded handler map's keys.
func (h *handlerFile) topics() []string { return h.cur.Load().topics }

// handle is the webhook.Handler: one delivery in a fresh VM.
func (h *handlerFile) handle(ctx context.Context, ev *webhook.Event, body []byte) (string, error) {
	unhandled := false
	g := map[string]any{"describe": false, "event": string(body), "unhandled": func() { unhandled = true }}
	_, err := h.runBundle(ctx, h.cur.Load().bundle, g)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		msg := fmt.Sprintf("stopped after --handler-timeout %s", h.timeout)
		if at := runtime.InterruptedAt(err); at != nil {
			msg += " while running\n" + strings.TrimPrefix(at.Format(false), "error: ")
		}
		return webhook.ResultTimeout, errors.New(strings.TrimRight(msg, "\n"))
	case err != nil:
		return webhook.ResultError, errors.New(strings.TrimPrefix(runtime.FormatError(err, false), "error: "))
	case unhandled:
		return webhook.ResultUnhandled, nil
	}
	return webhook.ResultOK, nil
}

// runBundle runs b in a new VM with the global __icscript_webhook.
func (h *handlerFile) runBundle(ctx context.Context, b *runtime.Bundle, global map[string]any) (*runtime.VM, error) {
	vm, _, err := newVM(ctx, h.o, h.ws, h.sys)
	if err != nil {
		return nil, err
	}
	defer vm.Close()
	if err := vm.Set("__icscript_webhook", global); err != nil {
		return nil, err
	}
	return vm, vm.RunBundle(b)
}
