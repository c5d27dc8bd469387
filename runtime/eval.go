package runtime

import (
	"cmp"
	"context"

	"github.com/dop251/goja"
)

// EvalOptions tune EvalContext.
type EvalOptions struct {
	// Name is the file name shown in errors and stacks; "" means "<eval>".
	Name string
	// AwaitResult makes a Promise completion value count as its outcome:
	// EvalContext returns what it resolved to, or its rejection as an error
	// (never as an unhandled rejection).
	AwaitResult bool
}

// EvalContext runs code as a plain script, like Eval, as one evaluation of a
// session (the REPL). While it runs, Context returns a context derived from
// ctx, so the requests the code starts are cancelled with it. Cancelling ctx
// interrupts the evaluation — running JS stops, pending callbacks are
// dropped — and EvalContext returns an error wrapping ErrInterrupted, but the
// VM lives on: the next evaluation runs normally. Thrown values come back as
// a *ScriptError whose Value is the thrown value.
func (vm *VM) EvalContext(ctx context.Context, code string, opts EvalOptions) (v goja.Value, err error) {
	defer recoverInternal(&err)
	prg, err := compileScript(code, cmp.Or(opts.Name, "<eval>"))
	if err != nil {
		return nil, vm.evalSyntaxError(err)
	}
	ectx, end := vm.beginEval(ctx)
	defer end()
	vm.sources, vm.top = nil, nil
	var awaited *goja.Promise
	err = vm.loop.run(ectx, func() error {
		var err error
		if v, err = vm.rt.RunProgram(prg); err == nil && opts.AwaitResult {
			awaited = vm.handle(v)
		}
		return err
	})
	if err != nil || awaited == nil {
		return v, err
	}
	return vm.settled(awaited)
}

// RunFileContext is RunFile as one evaluation of a session: see EvalContext.
func (vm *VM) RunFileContext(ctx context.Context, path string) (err error) {
	defer recoverInternal(&err)
	b, err := vm.BundleFile(path)
	if err != nil {
		return err
	}
	vm.printWarnings(b)
	ectx, end := vm.beginEval(ctx)
	defer end()
	return vm.runBundle(ectx, b)
}

// beginEval makes the context of one evaluation and makes it the VM's
// Context until end is called. Its cancellation interrupts the JS running;
// end clears that interruption unless the VM itself has been stopped.
func (vm *VM) beginEval(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(vm.ctx)
	stopParent := context.AfterFunc(parent, func() { cancel(context.Cause(parent)) })
	interrupted := make(chan struct{})
	stopInterrupt := context.AfterFunc(ctx, func() {
		defer close(interrupted)
		vm.rt.Interrupt(context.Cause(ctx))
	})
	vm.setEvalContext(ctx)
	return ctx, func() {
		if !stopInterrupt() {
			<-interrupted // it ran, or is running: let it finish before clearing
		}
		stopParent()
		vm.clearEvalContext()
		cancel(context.Canceled) // requests left behind by a failed evaluation
		if vm.ctx.Err() == nil {
			vm.rt.ClearInterrupt()
		}
	}
}

func (vm *VM) setEvalContext(ctx context.Context) {
	vm.evalMu.Lock()
	vm.evalCtx = ctx
	vm.evalMu.Unlock()
}

// clearEvalContext ends the current evaluation's context: Context() is the
// VM's own again.
func (vm *VM) clearEvalContext() {
	vm.evalMu.Lock()
	vm.evalCtx = nil
	vm.evalMu.Unlock()
}

// handle returns v's promise, if v is one, with a rejection handler attached
// so that its rejection is the evaluation's outcome, not an unhandled one.
func (vm *VM) handle(v goja.Value) *goja.Promise {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ExportType() != typePromise {
		return nil
	}
	p, ok := obj.Export().(*goja.Promise)
	if !ok {
		return nil
	}
	then, ok := goja.AssertFunction(vm.promiseThen())
	if ok {
		noop := vm.rt.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() })
		_, _ = then(obj, noop, noop)
	}
	return p
}

// promiseThen is Promise.prototype.then.
func (vm *VM) promiseThen() goja.Value {
	var then goja.Value = goja.Undefined()
	_ = vm.rt.Try(func() {
		then = vm.rt.Get("Promise").ToObject(vm.rt).Get("prototype").ToObject(vm.rt).Get("then")
	})
	return then
}

func (vm *VM) settled(p *goja.Promise) (goja.Value, error) {
	switch p.State() {
	case goja.PromiseStateFulfilled:
		return p.Result(), nil
	case goja.PromiseStateRejected:
		return nil, vm.valueError(p.Result())
	}
	return nil, &ScriptError{Message: "the promise never settled: nothing left to run could resolve it"}
}
