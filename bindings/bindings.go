package bindings

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/bindings/jsonjs"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/intercom/catalog"
)

// Host is what the bindings need of the VM that runs them.
type Host interface {
	Runtime() *goja.Runtime
	Context() context.Context
	// Async runs work off the loop and settles the promise on it.
	Async(work func(ctx context.Context) (any, error), toJS func(rt *goja.Runtime, v any) (goja.Value, error)) *goja.Promise
}

// Progress is one progress display of a bulk job.
type Progress interface {
	Tick()
	Done()
}

// Options configures Install.
type Options struct {
	Client *intercom.Client
	// Admin is the acting admin of the convenience verbs (--admin); empty
	// means the token's own admin, fetched once from /me.
	Admin string
	// Me, when set, is the body of GET /me that the caller already has:
	// intercom.me and the verbs use it instead of asking again.
	Me []byte
	// NewProgress, when set, makes a progress display for a bulk job of
	// total items (total may return 0 when unknown).
	NewProgress func(label string, total func() int) Progress
	// Checkpoint says what the checkpoints of bulk jobs belong to
	// (forEach/pool with {checkpoint}).
	Checkpoint CheckpointConfig
	// Stop, when set, stops the run for good (e.g. the VM's Interrupt): a
	// checkpoint that cannot be used must not be caught by the script.
	Stop func(err error)
}

// The bindings' JS is in two parts: core.js, which Install runs in every
// VM, and prelude.js (Pager and the job runner of pool, forEach and map),
// which is compiled and run only when a script first lists or pools.
// Compiling all of it took about half of what a VM's start allocates.
var (
	//go:embed core.js
	coreSource string
	//go:embed prelude.js
	preludeSource string
)

var (
	core = sync.OnceValue(func() *goja.Program {
		return goja.MustCompile("icscript:bindings", coreSource, true)
	})
	prelude = sync.OnceValue(func() *goja.Program {
		return goja.MustCompile("icscript:bindings", preludeSource, true)
	})
)

// Prepare compiles the JS that Install runs, once per process: a caller may
// call it ahead, on another goroutine, so that Install finds it done.
func Prepare() { core() }

// Bindings is the `intercom` object of one VM.
type Bindings struct {
	host   Host
	rt     *goja.Runtime
	client *intercom.Client
	cat    *catalog.Catalog // of the client's API version
	opts   Options

	errorCtor *goja.Object  // IntercomError
	jobs      goja.Callable // core.js's loadJobs: prelude.js's exports, made on first use
	pagerCtor *goja.Object  // Pager, once jobs has run (see pager)

	admin    string        // acting admin id
	me       *goja.Promise // GET /me, fetched once
	meMu     sync.Mutex
	meBody   []byte
	intercom *goja.Object
	jsonOf   *jsonOf // what exportJSON needs of the VM, made on first use (export.go)

	placeholders atomic.Int64 // placeholder ids given out by a dry run's creates
}

// Install defines the globals `intercom`, `IntercomError` and `pool` in the
// host's VM. Call it on the loop goroutine before the script runs.
func Install(host Host, opts Options) (*Bindings, error) {
	if opts.Client == nil {
		return nil, fmt.Errorf("bindings: no client")
	}
	rt := host.Runtime()
	b := &Bindings{host: host, rt: rt, client: opts.Client, cat: opts.Client.Catalog(), opts: opts, admin: opts.Admin, meBody: opts.Me}
	if err := b.loadPrelude(); err != nil {
		return nil, err
	}
	b.intercom = b.buildTree()
	for name, v := range map[string]any{"intercom": b.intercom, "IntercomError": b.errorCtor} {
		if err := rt.Set(name, v); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *Bindings) loadPrelude() error {
	factory, err := b.rt.RunProgram(core())
	if err != nil {
		return fmt.Errorf("bindings prelude: %w", err)
	}
	call, ok := goja.AssertFunction(factory)
	if !ok {
		return fmt.Errorf("bindings prelude is not a function")
	}
	define := b.rt.NewObject()
	_ = define.Set("progress", b.progress)
	_ = define.Set("checkpoint", b.checkpoint)
	// jobs gives core.js prelude.js's factory, the first time it is needed.
	_ = define.Set("jobs", func() (goja.Value, error) { return b.rt.RunProgram(prelude()) })
	exports, err := call(goja.Undefined(), define)
	if err != nil {
		return fmt.Errorf("bindings prelude: %w", err)
	}
	obj := exports.ToObject(b.rt)
	b.errorCtor = obj.Get("IntercomError").ToObject(b.rt)
	if b.jobs, ok = goja.AssertFunction(obj.Get("jobs")); !ok {
		return fmt.Errorf("bindings prelude: jobs is not a function")
	}
	if err := b.rt.Set("pool", obj.Get("pool")); err != nil {
		return err
	}
	return nil
}

// pager is the Pager class, running prelude.js in this VM the first time.
func (b *Bindings) pager() *goja.Object {
	if b.pagerCtor == nil {
		jobs, err := b.jobs(goja.Undefined())
		if err != nil {
			panic(err)
		}
		b.pagerCtor = jobs.ToObject(b.rt).Get("Pager").ToObject(b.rt)
	}
	return b.pagerCtor
}

// buildTree makes intercom.<namespace>.<method> for every operation of the
// client's API version. A call another version has and this one lacks is
// there too, hidden from enumeration (and so from completion), and throws
// an error naming the versions that have it.
func (b *Bindings) buildTree() *goja.Object {
	root := b.rt.NewObject()
	nodes := map[string]*goja.Object{"": root}
	node := b.namespaces(nodes, func(parent *goja.Object, name string, v any) { _ = parent.Set(name, v) })
	ops := append([]*catalog.Operation(nil), b.cat.Operations...)
	sort.Slice(ops, func(i, j int) bool { return ops[i].JSName() < ops[j].JSName() })
	for _, op := range ops {
		_ = node(op.Namespace).Set(op.Name, b.operation(op))
	}
	b.addElsewhere(nodes)
	b.addConversationVerbs(node("conversations"))
	_ = root.Set("raw", b.raw)
	_ = root.Set("actAs", b.actAs)
	_ = root.DefineAccessorProperty("me", b.rt.ToValue(b.meGetter), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = root.Set("operations", b.operationsList)
	return root
}

// addElsewhere defines, hidden, the calls of other API versions that this
// one lacks (and their namespaces), each throwing NotInVersion's error.
func (b *Bindings) addElsewhere(nodes map[string]*goja.Object) {
	hidden := func(parent *goja.Object, name string, v any) {
		_ = parent.DefineDataProperty(name, b.rt.ToValue(v), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	}
	node := b.namespaces(nodes, hidden)
	for _, name := range catalog.Calls() {
		if b.cat.ByJSName(name) != nil {
			continue
		}
		i := strings.LastIndexByte(name, '.')
		hidden(node(name[:i]), name[i+1:], func(goja.FunctionCall) goja.Value {
			panic(b.rt.NewTypeError("%s", catalog.NotInVersion(b.cat.Version, name, b.client.Hints().Version)))
		})
	}
}

// namespaces returns the function that finds or makes the object of a
// dot-separated namespace in nodes, defining a new one in its parent with
// define.
func (b *Bindings) namespaces(nodes map[string]*goja.Object, define func(parent *goja.Object, name string, v any)) func(string) *goja.Object {
	var node func(ns string) *goja.Object
	node = func(ns string) *goja.Object {
		if o, ok := nodes[ns]; ok {
			return o
		}
		parent, name := "", ns
		if i := strings.LastIndexByte(ns, '.'); i >= 0 {
			parent, name = ns[:i], ns[i+1:]
		}
		o := b.rt.NewObject()
		define(node(parent), name, o)
		nodes[ns] = o
		return o
	}
	return node
}

// operation makes the JS function of one catalogue entry.
func (b *Bindings) operation(op *catalog.Operation) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		args, err := b.exportArgs(op, call.Arguments)
		if err != nil {
			panic(b.rt.NewTypeError("%s", callError(op, err.Error()).Error()))
		}
		req, err := buildRequest(op, args)
		if err == nil {
			err = b.checkPlaceholders("", op, req)
		}
		if err != nil {
			panic(b.rt.NewTypeError("%s", err.Error()))
		}
		if op.Listing() {
			return b.newPager(op, req)
		}
		return b.rt.ToValue(b.send(op, req))
	}
}

// exportArgs gives a call's arguments as JSON.stringify would send them
// (exportJSON): an undefined argument is undefined{}, an undefined member is
// left out. Errors name the argument: its path parameter, or "fields".
func (b *Bindings) exportArgs(op *catalog.Operation, args []goja.Value) ([]any, error) {
	out := make([]any, len(args))
	for i, a := range args {
		where := "fields"
		if i < len(op.PathParams) {
			where = op.PathParams[i].Name
		}
		v, err := b.exportJSON(a, where)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// send runs one request off the loop and resolves to its decoded body.
func (b *Bindings) send(op *catalog.Operation, req *intercom.Request) *goja.Promise {
	return b.host.Async(func(ctx context.Context) (any, error) {
		resp, err := b.client.Do(ctx, req)
		if err != nil {
			return nil, b.wrapError(err)
		}
		return resp, nil
	}, func(rt *goja.Runtime, v any) (goja.Value, error) {
		return b.decode(op, req, v.(*intercom.Response))
	})
}

// decode turns a response into the value a script receives.
func (b *Bindings) decode(op *catalog.Operation, req *intercom.Request, resp *intercom.Response) (goja.Value, error) {
	switch {
	case resp.DryRun:
		return b.dryRunValue(op, req), nil
	case op != nil && op.Binary:
		return b.binaryValue(resp), nil
	case len(resp.Body) == 0:
		return goja.Null(), nil
	}
	return b.parseJSON(resp.Body)
}

func (b *Bindings) parseJSON(body []byte) (goja.Value, error) {
	v, err := jsonjs.Parse(b.rt, body)
	if err != nil {
		return nil, fmt.Errorf("the API answered with a body that is not JSON: %.80q", body)
	}
	return v, nil
}

// dryRunValue is what a call not sent by a dry run gives: what would have
// been sent, and for a create a placeholder id ("dry-run:contacts.create:1")
// that later calls of the same dry run accept.
func (b *Bindings) dryRunValue(op *catalog.Operation, req *intercom.Request) goja.Value {
	o := b.rt.NewObject()
	_ = o.Set("dry_run", true)
	if op != nil {
		if creates(op) {
			_ = o.Set("id", fmt.Sprintf("%s%s:%d", intercom.PlaceholderPrefix, op.JSName(), b.placeholders.Add(1)))
		} else if _, rest, ok := strings.Cut(req.Path, "/"+intercom.PlaceholderPrefix); ok && !op.Mutates {
			id, _, _ := strings.Cut(rest, "/") // a read of what the dry run created
			_ = o.Set("id", intercom.PlaceholderPrefix+id)
		}
		_ = o.Set("operation", op.JSName())
	}
	_ = o.Set("method", req.Method)
	_ = o.Set("path", req.Path)
	if len(req.Body) > 0 {
		if v, err := b.parseJSON(req.Body); err == nil {
			_ = o.Set("body", v)
		}
	}
	return o
}

// creates reports whether an operation makes a new object with an id.
func creates(op *catalog.Operation) bool {
	return op.Mutates && strings.HasPrefix(op.Name, "create") && op.Response != ""
}

// checkPlaceholders refuses a dry run's placeholder id in a call of a run
// that is not a dry run: it names nothing that exists. call names the call
// in the message; "" names op's (raw's when op is nil).
func (b *Bindings) checkPlaceholders(call string, op *catalog.Operation, req *intercom.Request) error {
	if b.client.DryRun() {
		return nil
	}
	where := ""
	if strings.Contains(req.Path, "/"+intercom.PlaceholderPrefix) {
		where = "the path " + req.Path
	} else if bytes.Contains(req.Body, []byte(`"`+intercom.PlaceholderPrefix)) {
		var body any
		if json.Unmarshal(req.Body, &body) == nil {
			if at := placeholderID(body, "body"); at != "" {
				where = at
			}
		}
	}
	if where == "" {
		return nil
	}
	name := call
	switch {
	case name != "":
	case op != nil:
		name = op.JSName()
	default:
		name = "raw"
	}
	return fmt.Errorf("intercom.%s: %s holds a dry run's placeholder id (%s…), which names nothing: this run is not a dry run, so pass a real id", name, where, intercom.PlaceholderPrefix)
}

// placeholderID is where in v an id field ("id", "…_id", "…_ids") holds a
// placeholder id, or "": other text may start with "dry-run:" freely.
func placeholderID(v any, at string) string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && intercom.IsPlaceholder(s) && (k == "id" || strings.HasSuffix(k, "_id")) {
				return at + "." + k
			}
			if list, ok := e.([]any); ok && strings.HasSuffix(k, "_ids") {
				for i, item := range list {
					if s, ok := item.(string); ok && intercom.IsPlaceholder(s) {
						return fmt.Sprintf("%s.%s[%d]", at, k, i)
					}
				}
			}
			if w := placeholderID(e, at+"."+k); w != "" {
				return w
			}
		}
	case []any:
		for i, e := range x {
			if w := placeholderID(e, fmt.Sprintf("%s[%d]", at, i)); w != "" {
				return w
			}
		}
	}
	return ""
}

// binaryValue describes a non-JSON response: its bytes and a text() that
// unpacks gzip.
func (b *Bindings) binaryValue(resp *intercom.Response) goja.Value {
	o := b.rt.NewObject()
	_ = o.Set("status", resp.Status)
	_ = o.Set("content_type", resp.Header.Get("Content-Type"))
	_ = o.Set("size", len(resp.Body))
	_ = o.Set("bytes", b.rt.NewArrayBuffer(resp.Body))
	body := resp.Body
	_ = o.Set("text", func() (string, error) { return gunzipText(body) })
	return o
}

// operationsList is intercom.operations(): the catalogue as data.
func (b *Bindings) operationsList() []map[string]any {
	out := make([]map[string]any, 0, len(b.cat.Operations))
	for _, op := range b.cat.Operations {
		out = append(out, map[string]any{
			"name": op.JSName(), "operationId": op.ID, "method": op.Method, "path": op.Path,
			"summary": op.Summary, "pagination": string(op.Pagination), "mutates": op.Mutates,
			"irreversible": op.Irreversible,
		})
	}
	return out
}

// undefined marks a JS argument that was undefined.
type undefined struct{}
