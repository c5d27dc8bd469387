package stdlib

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// Env is the process's world as the standard library sees it. cmd builds it
// once; tests build it from buffers.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Environ        []string // "K=V"; tokens and secrets are hidden from scripts (see env.go)
	HiddenVars     []string // more variables to hide, whatever their names (a profile's token_env)
	Secrets        []string // values to hide: a variable whose value holds one is absent from env
	Interactive    bool     // a person can answer prompts (stdin and stderr are terminals)
	Yes            bool     // --yes: confirmations answer yes without asking
	Quiet          bool     // --quiet: no progress bars
	// ProgressOut, when set, is where progress bars draw instead of Stderr:
	// a writer that lets the runner keep other output off the bar's line.
	ProgressOut io.Writer
	Color       bool     // colour in console extras on stdout (match runtime.Options.Color)
	StderrColor bool     // colour in console.warn/error inside groups (match runtime.Options.StderrColor)
	ScriptDir   string   // relative fs paths resolve here
	ScriptName  string   // shown in args.declare's usage line; "script" when empty
	ScriptArgs  []string // nil means vm.Args()
	Now         func() time.Time
	HTTPClient  *http.Client // for fetch; nil means a client with timeouts
	// Exit is called by exit(code) and by args.declare on --help, before the
	// VM is interrupted with an *ExitError; the runner decides what ending
	// the run with that code means. Nil: only the interruption.
	Exit func(code int)
}

// ExitError is the reason the VM is interrupted with by exit(code): the run
// returns an error wrapping it (and runtime.ErrInterrupted), so a runner can
// find the code with errors.As.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit(%d)", e.Code) }

// Modules lists the names Install defines, as globals and as icscript:<name>.
var Modules = []string{"args", "env", "fs", "json", "time", "sleep", "prompt", "fetch", "exit", "progress"}

// Install defines every stdlib global on vm, registers each as the module
// icscript:<name>, and adds the console extras to the existing console.
// Call it before running a script, on the goroutine that owns the VM.
func Install(vm *runtime.VM, env Env) error {
	s := newLib(vm, env)
	mods := map[string]goja.Value{
		"args":     newArgs(s).object(),
		"env":      newEnvObject(s),
		"fs":       s.object(newFS(s).exports()),
		"json":     s.object(newJSON(s).exports()),
		"time":     s.object(newTime(s).exports()),
		"sleep":    s.function("sleep", newSleep(s).sleep),
		"prompt":   s.object(newPrompt(s).exports()),
		"fetch":    s.function("fetch", newFetch(s).fetch),
		"exit":     s.function("exit", s.exit),
		"progress": s.function("progress", newProgressModule(s).progress),
	}
	for _, name := range Modules {
		v := mods[name]
		if err := vm.Set(name, v); err != nil {
			return fmt.Errorf("stdlib: defining %s: %w", name, err)
		}
		vm.RegisterModule(name, func(*goja.Runtime) goja.Value { return v })
	}
	if err := installConsole(s); err != nil {
		return fmt.Errorf("stdlib: console: %w", err)
	}
	return nil
}

// lib is what every module shares: the VM, its goja runtime and the Env.
type lib struct {
	vm  *runtime.VM
	rt  *goja.Runtime
	env Env
	// Constructors taken at Install, so a script replacing the globals
	// cannot change what our errors are.
	errorCtor, typeErrorCtor goja.Value
	jsonParse, jsonStringify goja.Callable
}

func newLib(vm *runtime.VM, env Env) *lib {
	rt := vm.Runtime()
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.HTTPClient == nil {
		env.HTTPClient = defaultHTTPClient()
	}
	if env.ScriptArgs == nil {
		env.ScriptArgs = vm.Args()
	}
	if env.ScriptName == "" {
		env.ScriptName = "script"
	}
	s := &lib{vm: vm, rt: rt, env: env, errorCtor: rt.Get("Error"), typeErrorCtor: rt.Get("TypeError")}
	j := rt.Get("JSON").ToObject(rt)
	s.jsonParse, _ = goja.AssertFunction(j.Get("parse"))
	s.jsonStringify, _ = goja.AssertFunction(j.Get("stringify"))
	return s
}

// jsFunc is the shape of every stdlib function: the JS call in, a value (a
// goja.Value, or anything rt.ToValue takes) or an error out. An error
// becomes a thrown JS error (see jsError).
type jsFunc func(call goja.FunctionCall) (any, error)

// function wraps f for JS.
func (s *lib) function(name string, f jsFunc) goja.Value {
	fn := s.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		v, err := f(call)
		if err != nil {
			panic(s.throwable(err))
		}
		return s.value(v)
	})
	obj := fn.ToObject(s.rt)
	_ = obj.DefineDataProperty("name", s.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	// import { fetch } from "icscript:fetch" works as well as the default import.
	_ = obj.DefineDataProperty(name, fn, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return fn
}

// object makes a module object from its explicit map of JS names, in
// alphabetical order.
func (s *lib) object(fns map[string]jsFunc) *goja.Object {
	obj := s.rt.NewObject()
	names := make([]string, 0, len(fns))
	for name := range fns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := fns[name]
		wrapped := s.rt.ToValue(func(call goja.FunctionCall) goja.Value {
			v, err := f(call)
			if err != nil {
				panic(s.throwable(err))
			}
			return s.value(v)
		})
		_ = wrapped.ToObject(s.rt).DefineDataProperty("name", s.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		_ = obj.Set(name, wrapped)
	}
	return obj
}

func (s *lib) value(v any) goja.Value {
	switch v := v.(type) {
	case nil:
		return goja.Undefined()
	case goja.Value:
		return v
	}
	return s.rt.ToValue(v)
}

// jsError is an error a script sees as a JS Error (or TypeError). Its
// message already names the JS call.
type jsError struct {
	typeError bool
	usage     bool // a mistake in how the script was called (usageErrorf)
	msg       string
}

func (e *jsError) Error() string { return e.msg }

// JSValue makes the JS error; it lets runtime's Async reject with it too.
func (e *jsError) JSValue(rt *goja.Runtime) goja.Value {
	if e.typeError {
		return rt.NewTypeError(e.msg)
	}
	obj, err := rt.New(rt.Get("Error"), rt.ToValue(e.msg))
	if err != nil {
		return rt.ToValue(e.msg)
	}
	if e.usage {
		markUsage(rt, obj)
	}
	return obj
}

// errorf makes a JS Error whose message starts with the call: "fs.readCSV(): …".
func errorf(call, format string, args ...any) error {
	return &jsError{msg: call + "(): " + fmt.Sprintf(format, args...)}
}

// typeErrorf makes a JS TypeError whose message starts with the call.
func typeErrorf(call, format string, args ...any) error {
	return &jsError{typeError: true, msg: call + "(): " + fmt.Sprintf(format, args...)}
}

// throwable is the value a Go error is thrown as: exceptions and
// interruptions pass through untouched (an interrupt must stay uncatchable).
func (s *lib) throwable(err error) any {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		return ie
	}
	var je *jsError
	if errors.As(err, &je) {
		if je.typeError {
			return s.newError(s.typeErrorCtor, je.msg)
		}
		v := s.newError(s.errorCtor, je.msg)
		if obj, ok := v.(*goja.Object); ok && je.usage {
			markUsage(s.rt, obj)
		}
		return v
	}
	return s.newError(s.errorCtor, err.Error())
}

// usageMark marks the Error objects of usageErrorf: a hidden symbol, so the
// message and the error's name stay those of a plain Error.
var usageMark = goja.NewSymbol("icscript.usage")

func markUsage(rt *goja.Runtime, obj *goja.Object) {
	_ = obj.DefineDataPropertySymbol(usageMark, rt.ToValue(true), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// usageErrorf makes a JS Error for a mistake in how the script was called
// (a flag's value it cannot take, an unknown flag): uncaught, it ends the
// run with exit 2, as IsUsageError tells the runner.
func usageErrorf(call, format string, args ...any) error {
	return &jsError{usage: true, msg: call + "(): " + fmt.Sprintf(format, args...)}
}

// IsUsageError reports whether err, a run's error, is an uncaught error of
// usageErrorf (args.flag() given "--days abc"). Call it once the run has
// ended: it reads the thrown JS value.
func IsUsageError(err error) bool {
	var v goja.Value
	var se *runtime.ScriptError
	var ex *goja.Exception
	switch {
	case errors.As(err, &se):
		v = se.Value
	case errors.As(err, &ex):
		v = ex.Value()
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	mark := obj.GetSymbol(usageMark)
	return mark != nil && mark.ToBoolean()
}

func (s *lib) newError(ctor goja.Value, msg string) goja.Value {
	obj, err := s.rt.New(ctor, s.rt.ToValue(msg))
	if err != nil {
		return s.rt.ToValue(msg)
	}
	return obj
}

// jsCallError turns an error from calling into JS (a getter, toJSON,
// JSON.stringify) into one naming call; interruptions are re-raised.
func jsCallError(call string, what string, err error) error {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		panic(ie)
	}
	msg := err.Error()
	var ex *goja.Exception
	if errors.As(err, &ex) {
		msg = ex.Value().String()
	}
	return errorf(call, "%s: %s", what, msg)
}

// describe names a JS value's kind for error messages: "a string ('x')".
func describe(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	case isSymbol(v):
		return "a symbol (" + v.String() + ")"
	case goja.IsBigInt(v):
		return "the bigint " + v.String() + "n"
	case v.ExportType() != nil && v.ExportType().Kind() == reflect.Bool:
		return "the boolean " + v.String()
	case goja.IsString(v):
		s := v.String()
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return fmt.Sprintf("a string ('%s')", s)
	case goja.IsNumber(v):
		return "the number " + v.String()
	}
	if obj, ok := v.(*goja.Object); ok {
		if _, isFn := goja.AssertFunction(obj); isFn {
			return "a function"
		}
		switch obj.ClassName() {
		case "Array":
			return "an array"
		case "Object":
			return "an object"
		}
		return "a " + obj.ClassName()
	}
	return "the value " + v.String()
}

func isSymbol(v goja.Value) bool {
	_, ok := v.(*goja.Symbol)
	return ok
}

// isNullish reports undefined or null (or a missing argument).
func isNullish(v goja.Value) bool {
	return v == nil || goja.IsUndefined(v) || goja.IsNull(v)
}

// options returns the options object argument, nil when absent; anything
// else is a TypeError.
func options(call string, v goja.Value) (*goja.Object, error) {
	if isNullish(v) {
		return nil, nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() == "Array" {
		return nil, typeErrorf(call, "options must be an object, got %s", describe(v))
	}
	return obj, nil
}

// option returns opts[key], or undefined.
func option(opts *goja.Object, key string) goja.Value {
	if opts == nil {
		return goja.Undefined()
	}
	v := opts.Get(key)
	if v == nil {
		return goja.Undefined()
	}
	return v
}

// stringArg returns a required string argument.
func stringArg(call, what string, v goja.Value) (string, error) {
	if v == nil || !goja.IsString(v) {
		return "", typeErrorf(call, "%s must be a string, got %s", what, describe(v))
	}
	return v.String(), nil
}

// numberArg returns a required number argument.
func numberArg(call, what string, v goja.Value) (float64, error) {
	if v == nil || !goja.IsNumber(v) {
		return 0, typeErrorf(call, "%s must be a number, got %s", what, describe(v))
	}
	return v.ToFloat(), nil
}
