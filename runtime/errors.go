package runtime

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// ErrInterrupted is wrapped by the error a run returns when it was stopped by
// VM.Interrupt or by its context (Ctrl-C, --timeout, a watch reload), so
// callers can tell an interruption from a script error with errors.Is. The
// cause (the Interrupt reason or the context's error) is wrapped too.
var ErrInterrupted = errors.New("interrupted")

func interruptedError(cause error) error {
	if cause == nil {
		cause = context.Canceled
	}
	if errors.Is(cause, ErrInterrupted) {
		return cause
	}
	return fmt.Errorf("%w: %w", ErrInterrupted, cause)
}

// interruptedAt is an interruption that knows where the script was running
// when it came (see InterruptedAt).
type interruptedAt struct {
	error
	at *ScriptError
}

func (e *interruptedAt) Unwrap() error { return e.error }

// InterruptedAt is where the script was running when err, an interruption
// (a timeout, a cancellation), stopped it, as a ScriptError with its file,
// line and source line; nil when it is not known (the script was waiting,
// not running).
func InterruptedAt(err error) *ScriptError {
	var ia *interruptedAt
	if errors.As(err, &ia) {
		return ia.at
	}
	return nil
}

// ScriptError is an error in the user's script: an uncaught exception, an
// unhandled rejection, a syntax error found by esbuild. File, Line and Column
// (1-based) point at the user's file, source-mapped; SourceLine is that line.
type ScriptError struct {
	Message    string   // "Something bad", or "TypeError: x is not a function"
	Stack      string   // "    at fn (file:line:col)" lines; may be empty
	File       string   // relative to the bundle's base directory
	Line       int      // 1-based; 0 when unknown
	Column     int      // 1-based
	SourceLine string   // the text of Line in File
	Notes      []string // extra explanations (from esbuild)
	// Value is the thrown or rejected JS value, when there is one (the REPL
	// keeps it as _error and reads an IntercomError's fields from it). Use
	// it on the loop goroutine only.
	Value goja.Value
}

// Error returns one line: "file:line:col: message".
func (e *ScriptError) Error() string {
	if e.File == "" || e.Line == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
}

// Format returns the error as shown to users: the message, the location with
// the source line and a caret under the column, notes, then the stack.
func (e *ScriptError) Format(color bool) string {
	p := painter(color)
	var b strings.Builder
	b.WriteString(p.paint(ansiBoldRed, "error:") + " " + e.Message + "\n")
	if e.File != "" && e.Line > 0 {
		fmt.Fprintf(&b, "    at %s\n", p.paint(ansiCyan, fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)))
		e.writeSource(&b, p)
	}
	for _, n := range e.Notes {
		b.WriteString("  note: " + n + "\n")
	}
	if stack := e.stackBelowLocation(); stack != "" {
		b.WriteString(p.paint(ansiGrey, stack) + "\n")
	}
	return b.String()
}

// stackBelowLocation is the stack without its first frame when that frame
// is the location already shown above the source line.
func (e *ScriptError) stackBelowLocation() string {
	first, rest, _ := strings.Cut(e.Stack, "\n")
	if e.File != "" && strings.TrimSpace(first) == fmt.Sprintf("at %s:%d:%d", e.File, e.Line, e.Column) {
		return rest
	}
	return e.Stack
}

func (e *ScriptError) writeSource(b *strings.Builder, p painter) {
	if e.SourceLine == "" {
		return
	}
	num := strconv.Itoa(e.Line)
	width := max(5, len(num)+1)
	fmt.Fprintf(b, "%*s | %s\n", width, num, e.SourceLine)
	fmt.Fprintf(b, "%*s | %s%s\n", width, "", caretPadding(e.SourceLine, e.Column), p.paint(ansiBoldRed, "^"))
}

// caretPadding keeps tabs so the caret lines up under column col.
func caretPadding(line string, col int) string {
	var pad strings.Builder
	n := 0
	for _, r := range line {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
		n += len(string(r))
	}
	return pad.String()
}

// InternalError is a Go panic caught while running a script: a bug in icscript
// or in a binding, never the script's fault.
type InternalError struct {
	Value any    // what was panicked with
	Stack []byte // Go stack of the panic
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error (a bug in icscript, please report it): panic: %v", e.Value)
}

// FormatError formats any error a run returns for users: ScriptErrors with
// their source line and stack, several bundle errors one after another,
// anything else as "error: message".
func FormatError(err error, color bool) string {
	if err == nil {
		return ""
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var b strings.Builder
		for _, e := range joined.Unwrap() {
			b.WriteString(FormatError(e, color))
		}
		return b.String()
	}
	var se *ScriptError
	if errors.As(err, &se) {
		return se.Format(color)
	}
	p := painter(color)
	out := p.paint(ansiBoldRed, "error:") + " " + err.Error() + "\n"
	var ie *InternalError
	if errors.As(err, &ie) {
		out += string(ie.Stack)
	}
	return out
}
