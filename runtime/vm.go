package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"

	"github.com/dop251/goja"
)

// Options configure a VM.
type Options struct {
	Stdout, Stderr io.Writer // console output; nil discards
	Args           []string  // script arguments (after the file)
	Color          bool      // colour in what goes to Stdout (console.log, Inspect)
	StderrColor    bool      // colour in what goes to Stderr (console.warn/error, bundle warnings)
	// MaxCallStackSize bounds JS call depth so deep recursion is a RangeError,
	// not a Go stack overflow. 0 means DefaultMaxCallStackSize.
	MaxCallStackSize int
	// Dir is the directory file names in errors are shown relative to, and
	// the one RunCode resolves relative imports from. Empty means the entry
	// file's directory (RunFile) or the current directory (RunCode).
	Dir string
	// MaxMemory, when positive, bounds the process's live Go heap in bytes
	// while the VM exists: past it the run is interrupted with a
	// *MemoryError (see memory.go). The heap is the whole process's, an
	// in-process sandbox included.
	MaxMemory int64
	// MemoryHardStop is called (from another goroutine) when the memory
	// guard's interruption did not stop the script in time, the heap still
	// over MaxMemory: a native call that keeps allocating cannot be
	// interrupted, so the program should report err and exit. Nil leaves
	// the interruption as the only measure.
	MemoryHardStop func(err error)
	// BundleCache, when set, is the directory RunFile and RunCode keep
	// bundles of single-file scripts in (BundleOptions.CacheDir).
	BundleCache string
	// Program identifies the running program in the bundle cache's keys
	// (BundleOptions.Program).
	Program string
}

// DefaultMaxCallStackSize is the JS call depth allowed when
// Options.MaxCallStackSize is 0.
const DefaultMaxCallStackSize = 10000

var errBusy = errors.New("runtime: the VM is already running a script")

// VM is one goja runtime with its event loop, for one run. Its goja runtime
// may only be used on the loop goroutine: the one inside RunFile, RunCode or
// Eval, i.e. from Go functions called by JS and callbacks queued on the loop.
type VM struct {
	rt     *goja.Runtime
	loop   *EventLoop
	opts   Options
	ctx    context.Context
	cancel context.CancelCauseFunc
	stop   func() bool // unregisters the context's interrupt hook

	modMu   sync.RWMutex
	modules map[string]*module

	sources    map[string]string // texts of the running bundle's files, by frame name
	top        *goja.Promise     // the running bundle's completion
	rejections []*goja.Promise   // rejected with no handler during the current callback

	evalMu  sync.Mutex
	evalCtx context.Context // the current evaluation's context (EvalContext), nil outside one

	guard *memoryGuard // nil without Options.MaxMemory
}

// New creates a VM whose run is cancelled with ctx. Globals: console,
// setTimeout/setInterval/clearTimeout/clearInterval, queueMicrotask, and
// require for icscript: built-ins.
func New(ctx context.Context, opts Options) *VM {
	opts = opts.withDefaults()
	vm := &VM{rt: goja.New(), opts: opts, modules: map[string]*module{}}
	vm.loop = newEventLoop(vm.runTask)
	vm.rt.SetMaxCallStackSize(opts.MaxCallStackSize)
	vm.rt.SetPromiseRejectionTracker(vm.trackRejection)
	if err := vm.installGlobals(); err != nil {
		panic(fmt.Sprintf("runtime: installing globals: %v", err)) // only a bug can get here
	}
	vm.ctx, vm.cancel = context.WithCancelCause(ctx)
	vm.stop = context.AfterFunc(vm.ctx, func() { vm.rt.Interrupt(vm.interruptCause()) })
	vm.startMemoryGuard()
	return vm
}

func (o Options) withDefaults() Options {
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.MaxCallStackSize <= 0 {
		o.MaxCallStackSize = DefaultMaxCallStackSize
	}
	return o
}

func (vm *VM) installGlobals() error {
	for _, install := range []func() error{vm.installConsole, vm.installTimers, vm.installModules} {
		if err := install(); err != nil {
			return err
		}
	}
	_, err := vm.rt.RunProgram(preludeProgram())
	return err
}

// prelude fills gaps in goja: Symbol.asyncIterator is the registry symbol
// esbuild's lowered for-await looks up (and Go-side async iterables use), and
// queueMicrotask runs its callback as a promise job.
var preludeProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("<prelude>", preludeSource, true)
})

const preludeSource = `(function () {
	if (!Symbol.asyncIterator) {
		Object.defineProperty(Symbol, "asyncIterator", { value: Symbol.for("Symbol.asyncIterator") });
	}
	var resolved = Promise.resolve();
	Object.defineProperty(globalThis, "queueMicrotask", {
		writable: true, configurable: true,
		value: function queueMicrotask(callback) {
			if (typeof callback !== "function") {
				throw new TypeError("queueMicrotask(): the callback must be a function");
			}
			resolved.then(function () { callback(); });
		},
	});
})();`

// Runtime returns the goja runtime. Use it only on the loop goroutine.
func (vm *VM) Runtime() *goja.Runtime { return vm.rt }

// Context is cancelled when the run is interrupted or its parent context is
// cancelled. Go work started for the script (HTTP requests) should use it.
// During EvalContext or RunFileContext it is that evaluation's context, which
// is also cancelled when the evaluation is.
func (vm *VM) Context() context.Context {
	vm.evalMu.Lock()
	defer vm.evalMu.Unlock()
	if vm.evalCtx != nil {
		return vm.evalCtx
	}
	return vm.ctx
}

// Loop returns the VM's event loop.
func (vm *VM) Loop() *EventLoop { return vm.loop }

// Args returns the script arguments.
func (vm *VM) Args() []string { return vm.opts.Args }

// Set defines a global.
func (vm *VM) Set(name string, v any) error { return vm.rt.Set(name, v) }

// Interrupt stops the script from any goroutine: running JS gets an
// uncatchable interruption, the loop stops, and Context is cancelled with
// reason (an error, or any value, wrapped). The run returns an error that
// wraps ErrInterrupted.
func (vm *VM) Interrupt(reason any) {
	cause, ok := reason.(error)
	if !ok {
		cause = fmt.Errorf("%v", reason)
	}
	vm.cancel(cause)
	vm.rt.Interrupt(cause)
}

// Close releases the VM's context. Call it when done with the VM.
func (vm *VM) Close() {
	vm.guard.stop()
	vm.stop()
	vm.cancel(context.Canceled)
}

func (vm *VM) interruptCause() error {
	if cause := context.Cause(vm.Context()); cause != nil {
		return cause
	}
	return context.Canceled
}

// BundleFile bundles path, resolving icscript: imports against the modules
// registered on this VM.
func (vm *VM) BundleFile(path string) (*Bundle, error) {
	return BundleFileWith(path, BundleOptions{IsBuiltin: vm.hasModule, BaseDir: vm.opts.Dir, CacheDir: vm.opts.BundleCache, Program: vm.opts.Program})
}

// RunFile bundles the entry file (JS or TS) and runs it; it returns when the
// event loop has drained, or with the first uncaught error. Bundler warnings
// go to Stderr.
func (vm *VM) RunFile(path string) (err error) {
	defer recoverInternal(&err)
	b, err := vm.BundleFile(path)
	if err != nil {
		return err
	}
	vm.printWarnings(b)
	return vm.RunBundle(b)
}

// RunCode runs code given inline (icscript -e CODE); name is the file name
// used in errors. Imports and top-level await work as in files.
func (vm *VM) RunCode(code, name string) (err error) {
	defer recoverInternal(&err)
	b, err := BundleCode(code, name, BundleOptions{IsBuiltin: vm.hasModule, BaseDir: vm.opts.Dir, CacheDir: vm.opts.BundleCache, Program: vm.opts.Program})
	if err != nil {
		return err
	}
	vm.printWarnings(b)
	return vm.RunBundle(b)
}

func (vm *VM) printWarnings(b *Bundle) {
	p := painter(vm.opts.StderrColor)
	for _, w := range b.Warnings {
		_, _ = io.WriteString(vm.opts.Stderr, p.paint(ansiYellow, "warning:")+" "+w+"\n")
	}
}

// RunBundle runs a bundle made by BundleFile or BundleCode.
func (vm *VM) RunBundle(b *Bundle) error {
	return vm.runBundle(vm.ctx, b)
}

func (vm *VM) runBundle(ctx context.Context, b *Bundle) (err error) {
	defer recoverInternal(&err)
	c, err := compileBundle(b)
	if err != nil {
		return err
	}
	vm.sources, vm.top = c.sources, nil
	if err := vm.loop.run(ctx, func() error { return vm.start(c.prg) }); err != nil {
		return err
	}
	return vm.checkFinished()
}

func (vm *VM) start(prg *goja.Program) error {
	v, err := vm.rt.RunProgram(prg)
	if err != nil {
		return err
	}
	if obj, ok := v.(*goja.Object); ok {
		vm.top, _ = obj.Export().(*goja.Promise)
	}
	return nil
}

func (vm *VM) checkFinished() error {
	if vm.top != nil && vm.top.State() == goja.PromiseStatePending {
		return &ScriptError{Message: "script never finished: top-level await is waiting on a promise that can no longer settle"}
	}
	return nil
}

// Eval runs code as a plain script (no modules, no bundling) on the loop,
// drains the loop, and returns the code's completion value. For the REPL.
func (vm *VM) Eval(code string) (v goja.Value, err error) {
	defer recoverInternal(&err)
	prg, err := compileScript(code, "<eval>")
	if err != nil {
		return nil, vm.evalSyntaxError(err)
	}
	vm.sources, vm.top = nil, nil
	err = vm.loop.run(vm.ctx, func() error {
		var err error
		v, err = vm.rt.RunProgram(prg)
		return err
	})
	return v, err
}

func (vm *VM) evalSyntaxError(err error) error {
	var se *goja.CompilerSyntaxError
	if errors.As(err, &se) {
		return &ScriptError{Message: "SyntaxError: " + se.Message}
	}
	return &ScriptError{Message: err.Error()}
}

// runTask runs one loop callback: a panic becomes an InternalError, goja
// errors become script errors, and a promise rejected with no handler by the
// end of the callback (after its promise jobs) fails the run.
func (vm *VM) runTask(fn func() error) (err error) {
	defer recoverInternal(&err)
	if err := fn(); err != nil {
		return vm.jsError(err)
	}
	return vm.takeRejection()
}

func (vm *VM) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		vm.rejections = append(vm.rejections, p)
	case goja.PromiseRejectionHandle:
		for i, q := range vm.rejections {
			if q == p {
				vm.rejections = append(vm.rejections[:i], vm.rejections[i+1:]...)
				break
			}
		}
	}
}

func (vm *VM) takeRejection() error {
	if len(vm.rejections) == 0 {
		return nil
	}
	p := vm.rejections[0]
	clear(vm.rejections)
	vm.rejections = vm.rejections[:0]
	se := vm.valueError(p.Result())
	if p != vm.top {
		se.Message = "unhandled promise rejection: " + se.Message
	}
	return se
}

func recoverInternal(err *error) {
	if x := recover(); x != nil {
		*err = &InternalError{Value: x, Stack: debug.Stack()}
	}
}
