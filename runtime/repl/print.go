package repl

import (
	"errors"
	"strings"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// inspectDepth is how deep results are shown before "[Object]".
const inspectDepth = 4

const (
	ansiReset = "\x1b[0m"
	ansiRed   = "\x1b[31m"
	ansiCyan  = "\x1b[36m"
	ansiGrey  = "\x1b[90m"
)

func paint(color bool, style, s string) string {
	if !color {
		return s
	}
	return style + s + ansiReset
}

// formatValue renders a result as the REPL shows it: nothing for undefined
// (a statement), a one-line summary for a Pager, else runtime.Inspect.
func formatValue(rt *goja.Runtime, p *props, v goja.Value, color bool) string {
	if v == nil || goja.IsUndefined(v) {
		return ""
	}
	if obj, ok := v.(*goja.Object); ok {
		if s, ok := pagerSummary(p, obj, color); ok {
			return s
		}
	}
	return runtime.Inspect(rt, v, runtime.InspectOptions{Depth: inspectDepth, Color: color})
}

// pagerSummary describes a Pager (bindings' JS class) instead of dumping
// its internals: printing one must not fetch anything.
func pagerSummary(p *props, obj *goja.Object, color bool) (string, bool) {
	if p.className(obj) != "Pager" {
		return "", false
	}
	op := p.str(obj, "operation")
	if op == "" {
		return "", false
	}
	return paint(color, ansiCyan, "Pager<"+op+">") +
		paint(color, ansiGrey, " — iterate with for…of, or .first(n), .toArray({limit})"), true
}

// formatError renders an error as one line: the message and, for an
// IntercomError, its status, code and request id.
func formatError(p *props, err error, color bool) string {
	var syn *SyntaxError
	var se *runtime.ScriptError
	switch {
	case errors.Is(err, runtime.ErrInterrupted):
		return paint(color, ansiGrey, "Interrupted")
	case errors.As(err, &syn):
		return uncaught(color, syn.Error())
	case errors.As(err, &se):
		return uncaught(color, scriptErrorLine(p, se))
	}
	return uncaught(color, firstLine(err.Error()))
}

func uncaught(color bool, msg string) string {
	return paint(color, ansiRed, "Uncaught") + " " + msg
}

func scriptErrorLine(p *props, se *runtime.ScriptError) string {
	msg := firstLine(se.Message)
	obj, ok := se.Value.(*goja.Object)
	if !ok || p == nil {
		return msg
	}
	if obj.ClassName() == "Error" && p.str(obj, "name") == "Error" && !strings.HasPrefix(msg, "Error") {
		msg = "Error: " + msg // as Node shows it; runtime leaves the plain name out
	}
	var details []string
	for _, f := range []struct{ key, label string }{{"status", "status"}, {"code", "code"}, {"requestId", "request id"}} {
		if v := p.str(obj, f.key); v != "" && v != "0" && !strings.Contains(msg, v) {
			details = append(details, f.label+" "+v)
		}
	}
	if p.str(obj, "name") != "IntercomError" || len(details) == 0 {
		// The client's messages already name some of them.
		return msg
	}
	return msg + " (" + strings.Join(details, ", ") + ")"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
