package stdlib

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/rivo/uniseg"

	"github.com/icscript/icscript/runtime"
)

// Console extras, added to the console runtime defines (log, info, debug,
// warn, error, dir): table, time/timeLog/timeEnd, count/countReset,
// group/groupCollapsed/groupEnd, assert, and dir(v, {depth}). Output goes
// through runtime's own log and warn, so it lands where they write; inside a
// group, every console method's output is indented.
type consoleExtras struct {
	s       *lib
	console *goja.Object
	log     goja.Callable // runtime's console.log: our stdout
	warn    goja.Callable // runtime's console.warn: our stderr
	indent  int
	timers  map[string]time.Time
	counts  map[string]int
}

// printers are the runtime methods group indentation wraps.
var printers = []string{"log", "info", "debug", "warn", "error"}

func installConsole(s *lib) error {
	c, ok := s.rt.Get("console").(*goja.Object)
	if !ok {
		return fmt.Errorf("runtime defined no console object")
	}
	x := &consoleExtras{s: s, console: c, timers: map[string]time.Time{}, counts: map[string]int{}}
	x.log, _ = goja.AssertFunction(c.Get("log"))
	x.warn, _ = goja.AssertFunction(c.Get("warn"))
	if x.log == nil || x.warn == nil {
		return fmt.Errorf("runtime's console has no log or warn")
	}
	for _, name := range printers {
		if orig, ok := goja.AssertFunction(c.Get(name)); ok {
			color := s.env.Color
			if name == "warn" || name == "error" {
				color = s.env.StderrColor
			}
			if err := c.Set(name, x.indented(orig, color)); err != nil {
				return err
			}
		}
	}
	extras := map[string]func(goja.FunctionCall) goja.Value{
		"table":          x.table,
		"time":           x.time,
		"timeLog":        x.timeLog,
		"timeEnd":        x.timeEnd,
		"count":          x.count,
		"countReset":     x.countReset,
		"group":          x.group,
		"groupCollapsed": x.group,
		"groupEnd":       x.groupEnd,
		"assert":         x.assert,
	}
	for name, fn := range extras {
		if v := c.Get(name); v != nil && !goja.IsUndefined(v) {
			continue // runtime has it now: keep runtime's
		}
		if err := c.Set(name, fn); err != nil {
			return err
		}
	}
	// runtime's dir takes no options: replace it with one honouring {depth}.
	return c.Set("dir", x.dir)
}

func (x *consoleExtras) inspectOptions() runtime.InspectOptions {
	return runtime.InspectOptions{Color: x.s.env.Color}
}

// indented wraps a printing method: outside groups it is called as it is;
// inside, its formatted output (and the hint of a pending Promise among
// its arguments) is indented line by line.
func (x *consoleExtras) indented(orig goja.Callable, color bool) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if x.indent == 0 {
			if _, err := orig(call.This, call.Arguments...); err != nil {
				panic(err)
			}
			return goja.Undefined()
		}
		text := runtime.FormatLog(x.s.rt, call.Arguments, runtime.InspectOptions{Color: color})
		x.print(orig, text)
		if hint := runtime.PendingPromiseHint(call.Arguments); hint != "" {
			x.err(hint)
		}
		return goja.Undefined()
	}
}

// print writes text (verbatim, indented for groups) through a runtime method.
func (x *consoleExtras) print(method goja.Callable, text string) {
	if x.indent > 0 {
		pad := strings.Repeat(" ", x.indent)
		text = pad + strings.ReplaceAll(text, "\n", "\n"+pad)
	}
	if _, err := method(x.console, x.s.rt.ToValue("%s"), x.s.rt.ToValue(text)); err != nil {
		panic(err)
	}
}

func (x *consoleExtras) out(text string) { x.print(x.log, text) }
func (x *consoleExtras) err(text string) { x.print(x.warn, text) }

func labelArg(v goja.Value) string {
	if isNullish(v) {
		return "default"
	}
	return v.String()
}

// dir is console.dir(value, {depth}): depth null or Infinity for all levels.
func (x *consoleExtras) dir(call goja.FunctionCall) goja.Value {
	opts := x.inspectOptions()
	if o, ok := call.Argument(1).(*goja.Object); ok {
		if d := o.Get("depth"); d != nil && !goja.IsUndefined(d) {
			switch f := d.ToFloat(); {
			case goja.IsNull(d) || math.IsInf(f, 1):
				opts.Depth = -1
			case f >= 1:
				opts.Depth = int(f)
			default: // runtime.InspectOptions cannot say 0; 1 is the closest
				opts.Depth = 1
			}
		}
	}
	x.out(runtime.Inspect(x.s.rt, call.Argument(0), opts))
	return goja.Undefined()
}

// time is console.time(label).
func (x *consoleExtras) time(call goja.FunctionCall) goja.Value {
	label := labelArg(call.Argument(0))
	if _, ok := x.timers[label]; ok {
		x.err(fmt.Sprintf("Warning: Label '%s' already exists for console.time()", label))
		return goja.Undefined()
	}
	x.timers[label] = x.s.env.Now()
	return goja.Undefined()
}

// timeLog is console.timeLog(label, ...data): the time so far.
func (x *consoleExtras) timeLog(call goja.FunctionCall) goja.Value {
	x.elapsed("console.timeLog", call, false)
	return goja.Undefined()
}

// timeEnd is console.timeEnd(label): the time so far, and the timer stops.
func (x *consoleExtras) timeEnd(call goja.FunctionCall) goja.Value {
	x.elapsed("console.timeEnd", call, true)
	return goja.Undefined()
}

func (x *consoleExtras) elapsed(name string, call goja.FunctionCall, end bool) {
	label := labelArg(call.Argument(0))
	start, ok := x.timers[label]
	if !ok {
		x.err(fmt.Sprintf("Warning: No such label '%s' for %s()", label, name))
		return
	}
	if end {
		delete(x.timers, label)
	}
	line := label + ": " + formatDuration(x.s.env.Now().Sub(start))
	if len(call.Arguments) > 1 {
		line += " " + runtime.FormatLog(x.s.rt, call.Arguments[1:], x.inspectOptions())
	}
	x.out(line)
}

func formatDuration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 3, 64) + "ms"
	case ms < 60_000:
		return strconv.FormatFloat(ms/1000, 'f', 3, 64) + "s"
	}
	return fmt.Sprintf("%d:%06.3f (m:ss.mmm)", int(ms/60_000), math.Mod(ms, 60_000)/1000)
}

// count is console.count(label): "label: n".
func (x *consoleExtras) count(call goja.FunctionCall) goja.Value {
	label := labelArg(call.Argument(0))
	x.counts[label]++
	x.out(fmt.Sprintf("%s: %d", label, x.counts[label]))
	return goja.Undefined()
}

// countReset is console.countReset(label).
func (x *consoleExtras) countReset(call goja.FunctionCall) goja.Value {
	delete(x.counts, labelArg(call.Argument(0)))
	return goja.Undefined()
}

// group is console.group(...label): prints the label, then indents.
func (x *consoleExtras) group(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) > 0 {
		x.out(runtime.FormatLog(x.s.rt, call.Arguments, x.inspectOptions()))
	}
	x.indent += 2
	return goja.Undefined()
}

// groupEnd is console.groupEnd().
func (x *consoleExtras) groupEnd(goja.FunctionCall) goja.Value {
	x.indent = max(x.indent-2, 0)
	return goja.Undefined()
}

// assert is console.assert(condition, ...data): prints to stderr when the
// condition is falsy.
func (x *consoleExtras) assert(call goja.FunctionCall) goja.Value {
	if call.Argument(0).ToBoolean() {
		return goja.Undefined()
	}
	msg := "Assertion failed"
	if len(call.Arguments) > 1 {
		msg += ": " + runtime.FormatLog(x.s.rt, call.Arguments[1:], x.inspectOptions())
	}
	x.err(msg)
	return goja.Undefined()
}

// table is console.table(data, columns?): a box-drawn table of an array
// (or object) of objects, one row per item, a column per key (in first-seen
// order, or as given); primitive items go in a "Values" column. Strings are
// shown without quotes, other values inspected on one line.
func (x *consoleExtras) table(call goja.FunctionCall) goja.Value {
	data, ok := call.Argument(0).(*goja.Object)
	if !ok {
		x.out(runtime.FormatLog(x.s.rt, call.Arguments[:min(1, len(call.Arguments))], x.inspectOptions()))
		return goja.Undefined()
	}
	t := x.tableData(data, columnsFilter(call.Argument(1)))
	x.out(t.render())
	return goja.Undefined()
}

func columnsFilter(v goja.Value) []string {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Array" {
		return nil
	}
	var cols []string
	for _, k := range obj.Keys() {
		cols = append(cols, obj.Get(k).String())
	}
	return cols
}

type textTable struct {
	header []string
	rows   [][]string
}

const valuesColumn = "Values"

func (x *consoleExtras) tableData(data *goja.Object, only []string) textTable {
	keys := data.Keys()
	cols, seen := []string{}, map[string]bool{}
	hasValues := false
	for _, k := range keys {
		if row, ok := data.Get(k).(*goja.Object); ok {
			for _, c := range row.Keys() {
				if !seen[c] {
					seen[c] = true
					cols = append(cols, c)
				}
			}
		} else {
			hasValues = true
		}
	}
	if only != nil {
		cols = only
	}
	t := textTable{header: append([]string{"(index)"}, cols...)}
	if hasValues {
		t.header = append(t.header, valuesColumn)
	}
	for _, k := range keys {
		item := data.Get(k)
		rec := []string{k}
		row, isObj := item.(*goja.Object)
		for _, c := range cols {
			cell := ""
			if isObj {
				if v := row.Get(c); v != nil && (!goja.IsUndefined(v) || hasOwn(row, c)) {
					cell = x.cell(v)
				}
			}
			rec = append(rec, cell)
		}
		if hasValues {
			cell := ""
			if !isObj {
				cell = x.cell(item)
			}
			rec = append(rec, cell)
		}
		t.rows = append(t.rows, rec)
	}
	return t
}

func hasOwn(obj *goja.Object, key string) bool {
	for _, k := range obj.Keys() {
		if k == key {
			return true
		}
	}
	return false
}

func (x *consoleExtras) cell(v goja.Value) string {
	s := ""
	if goja.IsString(v) {
		s = v.String()
	} else {
		s = runtime.Inspect(x.s.rt, v, runtime.InspectOptions{Depth: 1, BreakLength: math.MaxInt32})
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`, "\t", `\t`).Replace(s)
}

func (t textTable) render() string {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = uniseg.StringWidth(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	line := func(left, mid, right string) {
		b.WriteString(left)
		for i, w := range widths {
			if i > 0 {
				b.WriteString(mid)
			}
			b.WriteString(strings.Repeat("─", w+2))
		}
		b.WriteString(right + "\n")
	}
	row := func(cells []string) {
		b.WriteString("│")
		for i, c := range cells {
			b.WriteString(" " + c + strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)) + " │")
		}
		b.WriteString("\n")
	}
	line("┌", "┬", "┐")
	row(t.header)
	line("├", "┼", "┤")
	for _, r := range t.rows {
		row(r)
	}
	line("└", "┴", "┘")
	return strings.TrimSuffix(b.String(), "\n")
}
