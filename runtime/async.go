package runtime

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"

	"github.com/dop251/goja"
)

// JSValuer is an error that knows which JS value to reject with (an
// IntercomError object, for instance).
type JSValuer interface {
	JSValue(rt *goja.Runtime) goja.Value
}

// Async runs work in a goroutine and returns a promise settled on the loop
// with its result. The loop stays alive meanwhile. toJS converts the result on
// the loop (nil means rt.ToValue). An error rejects the promise: with the
// error's own JS value if it implements JSValuer, else with a JS Error
// carrying its message. work gets the VM's Context (the current
// evaluation's, in a REPL session). Call Async on the loop
// goroutine (from a Go function called by JS).
func (vm *VM) Async(work func(ctx context.Context) (any, error), toJS func(rt *goja.Runtime, v any) (goja.Value, error)) *goja.Promise {
	p, resolve, reject := vm.rt.NewPromise()
	done := vm.loop.RegisterCallback()
	caller := vm.rt.CaptureCallStack(asyncStackDepth, nil)
	ctx := vm.Context()
	go func() {
		v, err := runWork(ctx, work)
		done(func() error {
			if err != nil {
				return reject(vm.rejection(err, caller))
			}
			jv, err := vm.convert(toJS, v)
			if err != nil {
				return reject(vm.rejection(err, caller))
			}
			return resolve(jv)
		})
	}()
	return p
}

func runWork(ctx context.Context, work func(ctx context.Context) (any, error)) (v any, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = &InternalError{Value: x, Stack: debug.Stack()}
		}
	}()
	return work(ctx)
}

func (vm *VM) convert(toJS func(*goja.Runtime, any) (goja.Value, error), v any) (goja.Value, error) {
	if toJS == nil {
		return vm.rt.ToValue(v), nil
	}
	return toJS(vm.rt, v)
}

// asyncStackDepth is how many frames of the caller an Async rejection keeps.
const asyncStackDepth = 10

// rejection is the JS value a Go error rejects a promise with. An Error made
// on the loop has no JS frames, so it gets the stack of the Async call.
func (vm *VM) rejection(err error, caller []goja.StackFrame) goja.Value {
	var v goja.Value
	var jv JSValuer
	if errors.As(err, &jv) {
		v = jv.JSValue(vm.rt)
	} else {
		v = vm.newError(err.Error())
	}
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Error" {
		vm.setStack(obj, caller)
	}
	return v
}

func (vm *VM) setStack(obj *goja.Object, caller []goja.StackFrame) {
	if hasUserFrame(vm.safeGet(obj, "stack").String()) || len(caller) == 0 {
		return
	}
	_ = vm.rt.Try(func() {
		_ = obj.DefineDataProperty("stack", vm.rt.ToValue(obj.String()+"\n"+framesStack(caller)+"\n"),
			goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	})
}

// newError makes a JS Error with message msg.
func (vm *VM) newError(msg string) goja.Value {
	obj, err := vm.rt.New(vm.rt.Get("Error"), vm.rt.ToValue(msg))
	if err != nil {
		return vm.rt.ToValue(msg)
	}
	return obj
}

// hasUserFrame reports whether a stack names a frame of the user's code,
// not only the built-in modules' (an IntercomError is made in
// icscript:bindings, far from the call that failed).
func hasUserFrame(stack string) bool {
	for _, line := range strings.Split(stack, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "at ") && !strings.Contains(line, "icscript:") && !strings.Contains(line, "<native>") {
			return true
		}
	}
	return false
}
