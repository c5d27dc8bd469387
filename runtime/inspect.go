package runtime

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/internal/lazyregexp"
)

// InspectOptions tunes Inspect. The zero value gives Node's console.log look
// with a depth of 4.
type InspectOptions struct {
	Depth          int  // nesting levels shown before "[Object]"; 0 means 4, negative means unlimited
	Color          bool // ANSI colours
	MaxArrayLength int  // array items shown before "... n more items"; 0 means 100
	BreakLength    int  // a value longer than this is split over lines; 0 means 72
}

const (
	defaultInspectDepth = 4
	defaultMaxArrayLen  = 100
	defaultBreakLength  = 72
	inspectIndent       = "  "
)

var identifierKey = lazyregexp.New(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// How goja exports Dates, Maps, Sets and Promises: their class is "Object", so these
// types are what tells them apart.
var (
	typeTime      = reflect.TypeOf(time.Time{})
	typeMapExport = reflect.TypeOf([][2]any{})
	typeSetExport = reflect.TypeOf([]any{})
	typePromise   = reflect.TypeOf((*goja.Promise)(nil))
)

// Inspect renders v readably, like Node's util.inspect: `{ a: 1, b: [ 1, 2 ] }`,
// quoted strings, "[Object]" past the depth limit, "[Circular *1]" for cycles,
// Errors as their stack, "[Function: name]", Map, Set, Date, class names.
// Getters run (a throwing one shows as "[Getter: threw]"). Call Inspect on the
// loop goroutine only.
func Inspect(rt *goja.Runtime, v goja.Value, opts InspectOptions) string {
	in := &inspector{rt: rt, opts: opts.withDefaults(), p: painter(opts.Color)}
	return in.value(v, 0)
}

func (o InspectOptions) withDefaults() InspectOptions {
	if o.Depth == 0 {
		o.Depth = defaultInspectDepth
	}
	if o.Depth < 0 {
		o.Depth = math.MaxInt
	}
	if o.MaxArrayLength <= 0 {
		o.MaxArrayLength = defaultMaxArrayLen
	}
	if o.BreakLength <= 0 {
		o.BreakLength = defaultBreakLength
	}
	return o
}

type inspector struct {
	rt      *goja.Runtime
	opts    InspectOptions
	p       painter
	parents []*goja.Object       // objects being printed, for cycles
	refs    map[*goja.Object]int // objects that are the target of a cycle
}

func (in *inspector) value(v goja.Value, depth int) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return in.p.paint(ansiGrey, "undefined")
	case goja.IsNull(v):
		return in.p.paint(ansiBold, "null")
	}
	if obj, ok := v.(*goja.Object); ok {
		return in.object(obj, depth)
	}
	return in.primitive(v)
}

func (in *inspector) primitive(v goja.Value) string {
	switch {
	case goja.IsString(v):
		return in.p.paint(ansiGreen, quoteJS(v.String()))
	case goja.IsBigInt(v):
		return in.p.paint(ansiYellow, v.String()+"n")
	case goja.IsNumber(v):
		return in.p.paint(ansiYellow, numberString(v))
	}
	if sym, ok := v.(*goja.Symbol); ok {
		return in.p.paint(ansiGreen, symbolString(sym))
	}
	return in.p.paint(ansiYellow, v.String()) // booleans
}

func symbolString(s *goja.Symbol) string {
	return "Symbol(" + s.String() + ")"
}

func numberString(v goja.Value) string {
	if f := v.ToFloat(); f == 0 && math.Signbit(f) {
		return "-0"
	}
	return v.String()
}

// quoteJS quotes like Node: single quotes unless the string has some.
func quoteJS(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') {
		q = '"'
		if strings.ContainsRune(s, '"') && !strings.ContainsRune(s, '`') {
			q = '`'
		}
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func (in *inspector) object(obj *goja.Object, depth int) string {
	for _, p := range in.parents {
		if p == obj {
			return in.p.paint(ansiCyan, fmt.Sprintf("[Circular *%d]", in.refIndex(obj)))
		}
	}
	in.parents = append(in.parents, obj)
	out := in.objectBody(obj, depth)
	in.parents = in.parents[:len(in.parents)-1]
	if n, ok := in.refs[obj]; ok {
		out = in.p.paint(ansiCyan, fmt.Sprintf("<ref *%d>", n)) + " " + out
	}
	return out
}

func (in *inspector) refIndex(obj *goja.Object) int {
	if in.refs == nil {
		in.refs = map[*goja.Object]int{}
	}
	n, ok := in.refs[obj]
	if !ok {
		n = len(in.refs) + 1
		in.refs[obj] = n
	}
	return n
}

func (in *inspector) objectBody(obj *goja.Object, depth int) string {
	if _, ok := goja.AssertFunction(obj); ok {
		return in.function(obj, depth)
	}
	switch obj.ExportType() {
	case typeMapExport:
		return in.mapValue(obj, depth)
	case typePromise:
		return in.promise(obj, depth)
	case typeSetExport:
		if obj.ClassName() == "Object" {
			return in.setValue(obj, depth)
		}
	}
	switch obj.ClassName() {
	case "Error":
		return in.errorValue(obj, depth)
	case "Array":
		return in.array(obj, depth)
	case "RegExp":
		return in.p.paint(ansiRed, obj.String())
	case "Date":
		return in.p.paint(ansiMagenta, dateString(obj))
	case "Number", "String", "Boolean":
		return in.boxed(obj)
	}
	return in.plain(obj, depth)
}

func dateString(obj *goja.Object) string {
	if obj.ExportType() != typeTime {
		return obj.String()
	}
	t, ok := obj.Export().(time.Time)
	if !ok {
		return "Invalid Date"
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (in *inspector) boxed(obj *goja.Object) string {
	inner := in.primitive(in.rt.ToValue(obj.Export()))
	return in.p.paint(ansiCyan, "["+obj.ClassName()+": ") + inner + in.p.paint(ansiCyan, "]")
}

func (in *inspector) function(obj *goja.Object, depth int) string {
	name := in.get(obj, "name").String()
	var base string
	switch {
	case strings.HasPrefix(obj.String(), "class"):
		base = "[class " + name + "]"
	case name == "":
		base = "[Function (anonymous)]"
	default:
		base = "[Function: " + name + "]"
	}
	base = in.p.paint(ansiCyan, base)
	if len(obj.Keys()) == 0 {
		return base
	}
	return in.wrap(base+" ", "{", in.props(obj, depth, nil), "}", depth)
}

func (in *inspector) errorValue(obj *goja.Object, depth int) string {
	stack := in.get(obj, "stack")
	text := ""
	if goja.IsString(stack) {
		text = CleanStack(stack.String())
	} else {
		text = obj.String()
	}
	skip := map[string]bool{"stack": true, "message": true}
	props := in.props(obj, depth, skip)
	if len(props) == 0 {
		return text
	}
	return in.wrap(text+" ", "{", props, "}", depth)
}

func (in *inspector) array(obj *goja.Object, depth int) string {
	n := int(in.get(obj, "length").ToInteger())
	if depth > in.opts.Depth {
		return in.p.paint(ansiCyan, "[Array]")
	}
	shown := min(n, in.opts.MaxArrayLength)
	items := make([]string, 0, shown+1)
	for i := range shown {
		items = append(items, in.value(in.get(obj, strconv.Itoa(i)), depth+1))
	}
	if n > shown {
		items = append(items, fmt.Sprintf("... %d more item%s", n-shown, plural(n-shown)))
	}
	isIndex := func(k string) bool { i, err := strconv.Atoi(k); return err == nil && i >= 0 && i < n }
	items = append(items, in.propsExcept(obj, depth, isIndex)...)
	return in.wrap(in.prefix(obj, "Array", ""), "[", items, "]", depth)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (in *inspector) mapValue(obj *goja.Object, depth int) string {
	size := in.get(obj, "size").ToInteger()
	prefix := in.prefix(obj, "Map", fmt.Sprintf("(%d)", size))
	if depth > in.opts.Depth {
		return in.p.paint(ansiCyan, "[Map]")
	}
	var items []string
	in.iterate(obj, func(entry goja.Value) {
		e := entry.(*goja.Object)
		items = append(items, in.value(e.Get("0"), depth+1)+" => "+in.value(e.Get("1"), depth+1))
	})
	return in.wrap(prefix, "{", items, "}", depth)
}

func (in *inspector) setValue(obj *goja.Object, depth int) string {
	size := in.get(obj, "size").ToInteger()
	prefix := in.prefix(obj, "Set", fmt.Sprintf("(%d)", size))
	if depth > in.opts.Depth {
		return in.p.paint(ansiCyan, "[Set]")
	}
	var items []string
	in.iterate(obj, func(v goja.Value) { items = append(items, in.value(v, depth+1)) })
	return in.wrap(prefix, "{", items, "}", depth)
}

// iterate walks an iterable, up to MaxArrayLength items; a throwing iterator
// ends the walk.
func (in *inspector) iterate(obj *goja.Object, each func(goja.Value)) {
	count := 0
	_ = in.rt.Try(func() {
		in.rt.ForOf(obj, func(v goja.Value) bool {
			each(v)
			count++
			return count < in.opts.MaxArrayLength
		})
	})
}

func (in *inspector) promise(obj *goja.Object, depth int) string {
	p, ok := obj.Export().(*goja.Promise)
	if !ok {
		return in.plain(obj, depth)
	}
	var item string
	switch p.State() {
	case goja.PromiseStatePending:
		item = in.p.paint(ansiCyan, "<pending>")
	case goja.PromiseStateRejected:
		item = in.p.paint(ansiRed, "<rejected>") + " " + in.value(p.Result(), depth+1)
	default:
		item = in.value(p.Result(), depth+1)
	}
	return in.wrap("Promise ", "{", []string{item}, "}", depth)
}

func (in *inspector) plain(obj *goja.Object, depth int) string {
	prefix := in.prefix(obj, "Object", "")
	if depth > in.opts.Depth {
		name := strings.TrimSpace(prefix)
		if name == "" {
			name = "Object"
		}
		return in.p.paint(ansiCyan, "["+name+"]")
	}
	return in.wrap(prefix, "{", in.props(obj, depth, nil), "}", depth)
}

// prefix names non-plain objects: "Foo " for a class instance, "Map(2) ",
// "[Object: null prototype] ". Plain objects and arrays get none.
func (in *inspector) prefix(obj *goja.Object, builtin, size string) string {
	proto := obj.Prototype()
	if proto == nil {
		return "[" + builtin + size + ": null prototype] "
	}
	name := builtin
	if ctor, ok := in.get(proto, "constructor").(*goja.Object); ok {
		if n := in.get(ctor, "name"); goja.IsString(n) && n.String() != "" {
			name = n.String()
		}
	}
	if size == "" && (name == "Object" || name == "Array") {
		return ""
	}
	return name + size + " "
}

func (in *inspector) props(obj *goja.Object, depth int, skip map[string]bool) []string {
	return in.propsExcept(obj, depth, func(k string) bool { return skip[k] })
}

// propsExcept renders the own enumerable properties, string keys then symbols.
func (in *inspector) propsExcept(obj *goja.Object, depth int, skip func(string) bool) []string {
	var out []string
	for _, k := range obj.Keys() {
		if skip(k) {
			continue
		}
		out = append(out, in.key(k)+": "+in.property(obj, k, depth))
	}
	for _, s := range obj.Symbols() {
		var v goja.Value
		if ex := in.rt.Try(func() { v = obj.GetSymbol(s) }); ex != nil {
			v = nil
		}
		out = append(out, "["+in.p.paint(ansiGreen, symbolString(s))+"]: "+in.value(v, depth+1))
	}
	return out
}

func (in *inspector) property(obj *goja.Object, key string, depth int) string {
	var v goja.Value
	if ex := in.rt.Try(func() { v = obj.Get(key) }); ex != nil {
		return in.p.paint(ansiCyan, "[Getter: threw]")
	}
	return in.value(v, depth+1)
}

func (in *inspector) key(k string) string {
	if identifierKey.MatchString(k) {
		return k
	}
	return in.p.paint(ansiGreen, quoteJS(k))
}

// get reads a property; a throwing getter reads as undefined.
func (in *inspector) get(obj *goja.Object, key string) goja.Value {
	var v goja.Value
	if ex := in.rt.Try(func() { v = obj.Get(key) }); ex != nil || v == nil {
		return goja.Undefined()
	}
	return v
}

// wrap joins items on one line when they fit, else one per line (short
// array items packed into columns).
func (in *inspector) wrap(prefix, open string, items []string, closing string, depth int) string {
	if len(items) == 0 {
		return prefix + open + closing
	}
	width := len(prefix) + len(open) + len(closing) + 2 + depth*len(inspectIndent)
	multiline := strings.Contains(prefix, "\n")
	for _, it := range items {
		width += visibleLen(it) + 2
		multiline = multiline || strings.Contains(it, "\n")
	}
	if !multiline && width <= in.opts.BreakLength {
		return prefix + open + " " + strings.Join(items, ", ") + " " + closing
	}
	if open == "[" && !multiline {
		items = in.columns(items, depth)
	}
	var b strings.Builder
	b.WriteString(prefix + open)
	for i, it := range items {
		b.WriteString("\n" + inspectIndent + strings.ReplaceAll(it, "\n", "\n"+inspectIndent))
		if i < len(items)-1 {
			b.WriteByte(',')
		}
	}
	b.WriteString("\n" + closing)
	return b.String()
}

// columns packs more than six short array items into aligned rows, as Node does.
func (in *inspector) columns(items []string, depth int) []string {
	maxLen := 0
	for _, it := range items {
		maxLen = max(maxLen, visibleLen(it))
	}
	if len(items) <= 6 || maxLen > 16 {
		return items
	}
	cell := maxLen + 2 // ", "
	perRow := max(1, min(16, (in.opts.BreakLength-(depth+1)*len(inspectIndent))/cell))
	var rows []string
	for start := 0; start < len(items); start += perRow {
		row := items[start:min(start+perRow, len(items))]
		var b strings.Builder
		for i, it := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			if i < len(row)-1 {
				it += strings.Repeat(" ", maxLen-visibleLen(it))
			}
			b.WriteString(it)
		}
		rows = append(rows, b.String())
	}
	return rows
}
