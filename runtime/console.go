package runtime

import (
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// installConsole defines console.log/info/debug (to Stdout), warn/error (to
// Stderr) and dir (Inspect of one value).
func (vm *VM) installConsole() error {
	c := vm.rt.NewObject()
	for _, name := range []string{"log", "info", "debug"} {
		if err := c.Set(name, vm.consolePrint(vm.opts.Stdout, vm.opts.Color)); err != nil {
			return err
		}
	}
	for _, name := range []string{"warn", "error"} {
		if err := c.Set(name, vm.consolePrint(vm.opts.Stderr, vm.opts.StderrColor)); err != nil {
			return err
		}
	}
	if err := c.Set("dir", vm.consoleDir); err != nil {
		return err
	}
	return vm.rt.Set("console", c)
}

// consolePrint is a console method writing to w, coloured when color.
func (vm *VM) consolePrint(w io.Writer, color bool) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		_, _ = io.WriteString(w, FormatLog(vm.rt, call.Arguments, InspectOptions{Color: color})+"\n")
		if hint := PendingPromiseHint(call.Arguments); hint != "" {
			_, _ = io.WriteString(vm.opts.Stderr, hint+"\n")
		}
		return goja.Undefined()
	}
}

// PendingPromiseHint is the line a console method adds on stderr when one
// of its arguments is a Promise not yet settled (an API call printed
// without its await), or "" when none is. Every console method that prints
// its arguments asks it (stdlib's, inside console.group, too).
func PendingPromiseHint(args []goja.Value) string {
	if pendingPromiseAmong(args) {
		return "(hint: that is a pending Promise: did you forget await?)"
	}
	return ""
}

var promiseType = reflect.TypeOf((*goja.Promise)(nil))

// pendingPromiseAmong reports whether a console argument is a pending Promise.
func pendingPromiseAmong(args []goja.Value) bool {
	for _, a := range args {
		// ExportType first: Export of any other object would copy it whole,
		// running its getters and a Proxy's traps a second time.
		if o, ok := a.(*goja.Object); ok && o.ExportType() == promiseType {
			if p, ok := o.Export().(*goja.Promise); ok && p.State() == goja.PromiseStatePending {
				return true
			}
		}
	}
	return false
}

func (vm *VM) consoleDir(call goja.FunctionCall) goja.Value {
	_, _ = io.WriteString(vm.opts.Stdout, Inspect(vm.rt, call.Argument(0), vm.inspectOptions())+"\n")
	return goja.Undefined()
}

func (vm *VM) inspectOptions() InspectOptions {
	return InspectOptions{Color: vm.opts.Color}
}

// inspectArg shows a value the way console.log shows an argument: strings
// as they are, anything else inspected (no colour: used in error messages).
func (vm *VM) inspectArg(v goja.Value) string {
	if v != nil && goja.IsString(v) {
		return v.String()
	}
	return Inspect(vm.rt, v, InspectOptions{})
}

// FormatLog formats console arguments like Node's util.format: a first string
// argument may hold %s %d %i %f %j %o %O %c and %%; the other arguments follow,
// separated by spaces, strings as they are and anything else inspected.
func FormatLog(rt *goja.Runtime, args []goja.Value, opts InspectOptions) string {
	if len(args) == 0 {
		return ""
	}
	var b strings.Builder
	rest := args[1:]
	if goja.IsString(args[0]) {
		rest = formatDirectives(&b, rt, args[0].String(), rest, opts)
	} else {
		b.WriteString(Inspect(rt, args[0], opts))
	}
	for _, a := range rest {
		b.WriteByte(' ')
		b.WriteString(logArg(rt, a, opts))
	}
	return b.String()
}

func logArg(rt *goja.Runtime, v goja.Value, opts InspectOptions) string {
	if goja.IsString(v) {
		return v.String()
	}
	return Inspect(rt, v, opts)
}

// formatDirectives writes format with its directives replaced by args and
// returns the arguments left over.
func formatDirectives(b *strings.Builder, rt *goja.Runtime, format string, args []goja.Value, opts InspectOptions) []goja.Value {
	for {
		i := strings.IndexByte(format, '%')
		if i < 0 || i == len(format)-1 {
			b.WriteString(format)
			return args
		}
		b.WriteString(format[:i])
		verb := format[i+1]
		format = format[i+2:]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if !strings.ContainsRune("sdifjoOc", rune(verb)) || len(args) == 0 {
			b.WriteByte('%')
			b.WriteByte(verb)
			continue
		}
		b.WriteString(formatDirective(rt, verb, args[0], opts))
		args = args[1:]
	}
}

func formatDirective(rt *goja.Runtime, verb byte, v goja.Value, opts InspectOptions) string {
	switch verb {
	case 's':
		if _, isObj := v.(*goja.Object); isObj {
			return Inspect(rt, v, InspectOptions{Depth: 1, Color: opts.Color})
		}
		return formatPrimitive(v)
	case 'd', 'i', 'f':
		return formatNumber(rt, verb, v)
	case 'j':
		return formatJSON(rt, v)
	case 'o', 'O':
		return Inspect(rt, v, opts)
	}
	return "" // %c: CSS, ignored
}

func formatPrimitive(v goja.Value) string {
	switch {
	case goja.IsBigInt(v):
		return v.String() + "n"
	case goja.IsNumber(v):
		return numberString(v)
	}
	if sym, ok := v.(*goja.Symbol); ok {
		return symbolString(sym)
	}
	return v.String()
}

func formatNumber(rt *goja.Runtime, verb byte, v goja.Value) string {
	if goja.IsBigInt(v) && verb != 'f' {
		return v.String() + "n"
	}
	if _, isSym := v.(*goja.Symbol); isSym {
		return "NaN"
	}
	f := math.NaN()
	_ = rt.Try(func() { f = v.ToFloat() })
	if verb == 'i' {
		f = math.Trunc(f)
	}
	return numberString(rt.ToValue(f))
}

func formatJSON(rt *goja.Runtime, v goja.Value) string {
	stringify, ok := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	if !ok {
		return "undefined"
	}
	out, err := stringify(goja.Undefined(), v)
	switch {
	case err != nil && strings.Contains(strings.ToLower(err.Error()), "circular"):
		return "[Circular]"
	case err != nil:
		return strconv.Quote(err.Error())
	}
	return out.String()
}
