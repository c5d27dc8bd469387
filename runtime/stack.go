package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// maxStackFrames bounds the frames shown for one error (deep recursion
// otherwise prints thousands).
const maxStackFrames = 20

var (
	// goja writes "file:line:col(pc)"; people want "file:line:col".
	framePosition = lazyregexp.New(`([^\s()]+):(\d+):(\d+)\(\d+\)`)
	// "at fn (file:line:col)" or "at file:line:col"
	frameLocation = lazyregexp.New(`at (?:.* \()?(.+?):(\d+):(\d+)\)?$`)
)

// jsError turns an error from goja (running a program or calling a
// function) into the error a run returns.
func (vm *VM) jsError(err error) error {
	var interrupted *goja.InterruptedError
	var overflow *goja.StackOverflowError
	var ex *goja.Exception
	switch {
	case err == nil:
		return nil
	case errors.As(err, &interrupted):
		ierr := interruptedError(vm.interruptCause())
		at := &ScriptError{Message: ierr.Error(), Stack: framesStack(interrupted.Stack())}
		if vm.locate(at); at.Line > 0 {
			return &interruptedAt{error: ierr, at: at}
		}
		return ierr
	case errors.As(err, &overflow):
		se := &ScriptError{Message: "RangeError: Maximum call stack size exceeded", Stack: framesStack(overflow.Stack())}
		vm.locate(se)
		return se
	case errors.As(err, &ex):
		return vm.exceptionError(ex)
	}
	return err
}

func (vm *VM) exceptionError(ex *goja.Exception) *ScriptError {
	se := vm.valueError(ex.Value())
	if se.Stack == "" {
		se.Stack = framesStack(ex.Stack())
		vm.locate(se)
	}
	return se
}

// valueError describes a thrown or rejected value. Errors keep the stack
// captured when they were created.
func (vm *VM) valueError(v goja.Value) *ScriptError {
	se := &ScriptError{Value: v}
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Error" {
		se.Message = vm.errorMessage(obj)
		se.Stack = cleanStack(vm.safeGet(obj, "stack").String())
	} else {
		se.Message = vm.inspectArg(v)
	}
	vm.locate(se)
	return se
}

func (vm *VM) errorMessage(obj *goja.Object) string {
	name := vm.safeGet(obj, "name")
	msg := vm.safeGet(obj, "message").String()
	if n := name.String(); goja.IsUndefined(name) || n == "" || n == "Error" || n == "GoError" {
		return msg
	}
	if msg == "" {
		return name.String()
	}
	return name.String() + ": " + msg
}

// safeGet reads a property, treating a throwing getter as undefined.
func (vm *VM) safeGet(obj *goja.Object, key string) goja.Value {
	var v goja.Value
	if ex := vm.rt.Try(func() { v = obj.Get(key) }); ex != nil || v == nil {
		return goja.Undefined()
	}
	return v
}

// locate fills File, Line, Column and SourceLine from the first stack frame
// in one of the user's files (else the first frame, if it is not in the
// bundle's own helpers).
func (vm *VM) locate(se *ScriptError) {
	first := true
	for _, line := range strings.Split(se.Stack, "\n") {
		m := frameLocation.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		src, isUser := vm.sources[m[1]]
		if !isUser && (!first || m[1] == programName) {
			continue // esbuild's helpers are no place to point users at
		}
		first = false
		se.File = m[1]
		se.Line, _ = strconv.Atoi(m[2])
		se.Column, _ = strconv.Atoi(m[3])
		se.SourceLine = sourceLine(src, se.Line)
		if isUser {
			return
		}
	}
}

func sourceLine(src string, line int) string {
	for i := 1; src != ""; i++ {
		l, rest, _ := strings.Cut(src, "\n")
		if i == line {
			return strings.TrimRight(l, "\r")
		}
		src = rest
	}
	return ""
}

// cleanStack keeps the frame lines of an Error's stack property, in Node's
// shape: "    at fn (file:line:col)".
func cleanStack(stack string) string {
	var frames []string
	for _, line := range strings.Split(stack, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "at ") || internalFrame(line) {
			continue
		}
		frames = append(frames, "    "+cleanFrame(line))
	}
	return joinFrames(frames)
}

// internalFrame reports whether a stack frame is icscript's own machinery
// (Go functions, the bundle's wrapper, built-in modules) rather than a
// place in the user's code worth pointing at.
func internalFrame(line string) bool {
	return strings.HasSuffix(line, "(native)") || line == "at native" ||
		strings.Contains(line, programName+":") || strings.Contains(line, "icscript:")
}

// CleanStack rewrites a goja stack string (an Error's stack property) into
// Node's shape without goja's program counters. Inspect uses it; the REPL may.
func CleanStack(stack string) string {
	head, _, _ := strings.Cut(stack, "\n\tat ")
	frames := cleanStack(stack)
	if frames == "" {
		return strings.TrimRight(stack, "\n")
	}
	return strings.TrimRight(head, "\n") + "\n" + frames
}

func cleanFrame(line string) string {
	return framePosition.ReplaceAllStringFunc(line, func(s string) string {
		m := framePosition.FindStringSubmatch(s)
		return unescapePath(m[1]) + ":" + m[2] + ":" + m[3]
	})
}

func joinFrames(frames []string) string {
	if len(frames) > maxStackFrames {
		more := len(frames) - maxStackFrames
		frames = append(frames[:maxStackFrames], fmt.Sprintf("    ... %d more frames", more))
	}
	return strings.Join(frames, "\n")
}

// framesStack formats goja stack frames like cleanStack does.
func framesStack(stack []goja.StackFrame) string {
	frames := make([]string, 0, len(stack))
	for i := range stack {
		if line := "at " + frameString(&stack[i]); !internalFrame(line) {
			frames = append(frames, "    "+line)
		}
	}
	return joinFrames(frames)
}

func frameString(f *goja.StackFrame) string {
	name := f.FuncName()
	if f.SrcName() == "<native>" {
		if name == "<native>" || name == "" {
			return "native"
		}
		return name + " (native)"
	}
	pos := f.Position()
	loc := fmt.Sprintf("%s:%d:%d", unescapePath(pos.Filename), pos.Line, pos.Column)
	if name == "" || name == "<anonymous>" {
		return loc
	}
	return name + " (" + loc + ")"
}
