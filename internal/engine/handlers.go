package engine

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

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/webhook"
)

// Handlers runs the handlers of a handler file (`export default {
// "topic": async (event) => … }`) for listen and replay. Each delivery
// gets a VM of its own (goja runtimes are single-threaded): handlers run
// in parallel up to --concurrency, a timeout interrupts only its VM, and
// no handler sees another's module state. The bundle is built once per
// load (and again on each --watch reload), so a delivery costs a VM and
// the bindings, not a build.
type Handlers struct {
	// Path names the handler file in messages; Dir is the working
	// directory a relative Path is found from.
	Path, Dir string
	// Timeout is the per-handler limit (--handler-timeout; 0 for none):
	// Handle stops a delivery's VM past it, for listen and replay alike.
	Timeout time.Duration
	// NewVM makes the VM of one delivery (New with the run's options).
	NewVM func(ctx context.Context) (*runtime.VM, error)
	cur   atomic.Pointer[loadedHandlers]
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

// Load bundles the file and learns its topics; on success the new
// handlers replace the old ones (a --watch reload).
func (h *Handlers) Load(ctx context.Context) error {
	abs := filepath.Clean(InDir(h.Dir, h.Path))
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
		return fmt.Errorf("%s: the default export has no handlers: export default { \"conversation.user.created\": async (event) => { … } }", h.Path)
	}
	sort.Strings(topics)
	h.cur.Store(&loadedHandlers{bundle: b, topics: topics})
	return nil
}

// Topics are the loaded handler map's keys, sorted.
func (h *Handlers) Topics() []string { return h.cur.Load().topics }

// Handle is a webhook.Handler: one delivery in a fresh VM, stopped after
// Timeout.
func (h *Handlers) Handle(ctx context.Context, ev *webhook.Event, body []byte) (string, error) {
	if h.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.Timeout)
		defer cancel()
	}
	unhandled := false
	g := map[string]any{"describe": false, "event": string(body), "unhandled": func() { unhandled = true }}
	_, err := h.runBundle(ctx, h.cur.Load().bundle, g)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		msg := fmt.Sprintf("stopped after --handler-timeout %s", h.Timeout)
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
func (h *Handlers) runBundle(ctx context.Context, b *runtime.Bundle, global map[string]any) (*runtime.VM, error) {
	vm, err := h.NewVM(ctx)
	if err != nil {
		return nil, err
	}
	defer vm.Close()
	if err := vm.Set("__icscript_webhook", global); err != nil {
		return nil, err
	}
	return vm, vm.RunBundle(b)
}
