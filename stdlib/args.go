package stdlib

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/internal/suggest"
)

// argsModule is the args global: the script's command-line arguments.
//
// Parsing follows minimist: "--name=value"; "--name value" unless name is a
// switch (a boolean flag); "--name" alone is true; "--no-name" is false;
// "--" ends the flags. Which flags are switches is learnt from args.flag and
// args.declare, so read args.positional after declaring.
type argsModule struct {
	s        *lib
	all      []string
	kinds    map[string]flagKind // flags whose type is known (by name as typed)
	declared []flagDecl          // from args.declare, in declaration order
	// description is args.declare's, for the usage line of a usage error.
	description goja.Value
}

type flagKind int

const (
	kindAny flagKind = iota // no default: a string, true or false
	kindBool
	kindNumber
	kindString
	kindNumberList
	kindStringList
)

type flagDecl struct {
	name     string // as declared (the JS key)
	def      goja.Value
	help     string
	kind     flagKind
	required bool // {required: true}: a run without it is a usage error (exit 2)
}

// flagUse is one flag on the command line.
type flagUse struct {
	name     string // without dashes or "no-"
	value    string
	hasValue bool
	negated  bool // --no-name
	raw      string
}

func newArgs(s *lib) *argsModule {
	return &argsModule{s: s, all: append([]string(nil), s.env.ScriptArgs...), kinds: map[string]flagKind{}}
}

func (a *argsModule) exports() map[string]jsFunc {
	return map[string]jsFunc{
		"flag":       a.flag,
		"declare":    a.declare,
		"usageError": a.usageError,
	}
}

// object is the args global: the functions plus args.all and the
// args.positional getter.
func (a *argsModule) object() *goja.Object {
	rt := a.s.rt
	obj := a.s.object(a.exports())
	all := make([]any, len(a.all))
	for i, v := range a.all {
		all[i] = v
	}
	_ = obj.DefineDataProperty("all", rt.NewArray(all...), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	getter := rt.ToValue(func(goja.FunctionCall) goja.Value {
		_, pos := a.scan()
		items := make([]any, len(pos))
		for i, p := range pos {
			items[i] = p
		}
		return rt.NewArray(items...)
	})
	_ = obj.DefineAccessorProperty("positional", getter, nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return obj
}

// scan splits the arguments into flags and positional arguments.
func (a *argsModule) scan() (flags []flagUse, positional []string) {
	for i := 0; i < len(a.all); i++ {
		tok := a.all[i]
		if tok == "--" {
			return flags, append(positional, a.all[i+1:]...)
		}
		if !strings.HasPrefix(tok, "--") || len(tok) == 2 {
			positional = append(positional, tok)
			continue
		}
		use := flagUse{raw: tok, name: tok[2:]}
		if name, value, ok := strings.Cut(use.name, "="); ok {
			use.name, use.value, use.hasValue = name, value, true
		}
		if rest, ok := strings.CutPrefix(use.name, "no-"); ok && !use.hasValue && a.kindOf(use.name) != kindBool {
			use.name, use.negated = rest, true
		}
		if !use.hasValue && !use.negated && a.takesValue(use.name) && i+1 < len(a.all) && !strings.HasPrefix(a.all[i+1], "--") {
			i++
			use.value, use.hasValue = a.all[i], true
		}
		flags = append(flags, use)
	}
	return flags, positional
}

func (a *argsModule) kindOf(name string) flagKind {
	if k, ok := a.kinds[name]; ok {
		return k
	}
	return kindAny
}

func (a *argsModule) takesValue(name string) bool {
	return a.kindOf(name) != kindBool
}

// kindFor is the type a default gives a flag.
func kindFor(def goja.Value) flagKind {
	switch {
	case isNullish(def):
		return kindAny
	case isBool(def):
		return kindBool
	case goja.IsNumber(def):
		return kindNumber
	case goja.IsString(def):
		return kindString
	}
	if obj, ok := def.(*goja.Object); ok && obj.ClassName() == "Array" {
		if first := obj.Get("0"); first != nil && goja.IsNumber(first) {
			return kindNumberList
		}
		return kindStringList
	}
	return kindString
}

// flagNames are the spellings a flag named name answers to: as written, and
// kebab-case for a camelCase name (dryRun → dry-run).
func flagNames(name string) []string {
	name = strings.TrimLeft(name, "-")
	if k := kebab(name); k != name {
		return []string{name, k}
	}
	return []string{name}
}

func kebab(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// flag is args.flag(name, default): the flag's value typed by the default.
func (a *argsModule) flag(call goja.FunctionCall) (any, error) {
	name, err := stringArg("args.flag", "the flag name", call.Argument(0))
	if err != nil {
		return nil, err
	}
	names := flagNames(name)
	if len(a.declared) > 0 && a.findDecl(names[0]) == nil {
		return nil, errorf("args.flag", "--%s is not declared in args.declare()", names[len(names)-1])
	}
	def := call.Argument(1)
	a.learn(names, kindFor(def))
	return a.value("args.flag", names, def)
}

func (a *argsModule) learn(names []string, k flagKind) {
	for _, n := range names {
		a.kinds[n] = k
	}
}

// value computes a flag's value from the command line.
func (a *argsModule) value(call string, names []string, def goja.Value) (any, error) {
	kind := kindFor(def)
	flags, _ := a.scan()
	var uses []flagUse
	for _, f := range flags {
		for _, n := range names {
			if f.name == n {
				uses = append(uses, f)
			}
		}
	}
	display := "--" + names[len(names)-1]
	if kind == kindNumberList || kind == kindStringList {
		return a.list(call, display, kind, uses, def)
	}
	if len(uses) == 0 {
		if isNullish(def) {
			return goja.Undefined(), nil
		}
		return def, nil
	}
	return convertFlag(call, display, kind, uses[len(uses)-1])
}

func (a *argsModule) list(call, display string, kind flagKind, uses []flagUse, def goja.Value) (any, error) {
	if len(uses) == 0 {
		return def, nil
	}
	items := make([]any, 0, len(uses))
	elem := kindString
	if kind == kindNumberList {
		elem = kindNumber
	}
	for _, u := range uses {
		v, err := convertFlag(call, display, elem, u)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return a.s.rt.NewArray(items...), nil
}

func convertFlag(call, display string, kind flagKind, u flagUse) (any, error) {
	if u.negated && kind != kindBool && kind != kindAny {
		return nil, usageErrorf(call, "%s is not a switch; --no-%s is not accepted", display, display[2:])
	}
	switch kind {
	case kindBool:
		if u.negated {
			return false, nil
		}
		if !u.hasValue {
			return true, nil
		}
		if b, ok := parseBool(u.value); ok {
			return b, nil
		}
		return nil, usageErrorf(call, "%s is a switch: use %s or --no-%s, got '%s'", display, display, display[2:], u.raw)
	case kindNumber:
		if !u.hasValue {
			return nil, usageErrorf(call, "%s wants a number, got nothing", display)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(u.value), 64)
		if err != nil {
			return nil, usageErrorf(call, "%s wants a number, got '%s'", display, u.value)
		}
		return f, nil
	case kindString:
		if !u.hasValue {
			return nil, usageErrorf(call, "%s wants a value (%s=VALUE)", display, display)
		}
		return u.value, nil
	}
	switch {
	case u.negated:
		return false, nil
	case u.hasValue:
		return u.value, nil
	}
	return true, nil
}

func isBool(v goja.Value) bool {
	_, ok := v.Export().(bool)
	return ok
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// declare is args.declare(spec, {description}): declares every flag, makes
// unknown flags an error, prints usage and exits 0 on --help, and returns
// the values by declared name.
func (a *argsModule) declare(call goja.FunctionCall) (any, error) {
	const name = "args.declare"
	spec, ok := call.Argument(0).(*goja.Object)
	if !ok || spec.ClassName() == "Array" {
		return nil, typeErrorf(name, "the declarations must be an object like {days: {default: 30, help: \"…\"}}, got %s", describe(call.Argument(0)))
	}
	meta, err := options(name, call.Argument(1))
	if err != nil {
		return nil, err
	}
	a.declared = a.declared[:0]
	for _, key := range spec.Keys() {
		d := declFrom(key, spec.Get(key))
		a.declared = append(a.declared, d)
		a.learn(flagNames(key), d.kind)
	}
	if a.wantsHelp() {
		a.usage(a.s.env.Stdout, option(meta, "description"))
		a.s.exitWith(0)
		return goja.Undefined(), nil
	}
	if err := a.checkUnknown(name); err != nil {
		return nil, err
	}
	out := a.s.rt.NewObject()
	a.description = option(meta, "description")
	for _, d := range a.declared {
		v, err := a.value(name, flagNames(d.name), d.def)
		if err != nil {
			return nil, err
		}
		if d.required && (isNullish(a.s.rt.ToValue(v)) || v == "") {
			a.fail(fmt.Sprintf("--%s is required", flagNames(d.name)[len(flagNames(d.name))-1]))
			return goja.Undefined(), nil
		}
		_ = out.Set(d.name, v)
	}
	return out, nil
}

// usageError is args.usageError(message): a mistake in how the script was
// called. It prints the message and the usage line on stderr and ends the
// run with exit 2, as a missing required flag does.
func (a *argsModule) usageError(call goja.FunctionCall) (any, error) {
	a.fail(call.Argument(0).String())
	return goja.Undefined(), nil
}

// fail reports a usage mistake and exits 2.
func (a *argsModule) fail(msg string) {
	var b strings.Builder
	a.usage(&b, a.description)
	line, _, _ := strings.Cut(b.String(), "\n")
	fmt.Fprintf(a.s.env.Stderr, "%s: %s\n%s\n(--help for the flags)\n", a.s.env.ScriptName, msg, line)
	a.s.exitWith(2)
}

func declFrom(key string, v goja.Value) flagDecl {
	d := flagDecl{name: key, def: v}
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Object" {
		if h := obj.Get("help"); h != nil && !isNullish(h) {
			d.help = h.String()
		}
		if r := obj.Get("required"); r != nil && r.ToBoolean() {
			d.required = true
		}
		d.def = obj.Get("default")
		if d.def == nil {
			d.def = goja.Undefined()
		}
	}
	d.kind = kindFor(d.def)
	return d
}

func (a *argsModule) findDecl(name string) *flagDecl {
	for i := range a.declared {
		for _, n := range flagNames(a.declared[i].name) {
			if n == name {
				return &a.declared[i]
			}
		}
	}
	return nil
}

func (a *argsModule) wantsHelp() bool {
	if a.findDecl("help") != nil {
		return false
	}
	for _, tok := range a.all {
		switch tok {
		case "--":
			return false
		case "--help", "-h":
			return true
		}
	}
	return false
}

func (a *argsModule) checkUnknown(call string) error {
	flags, _ := a.scan()
	for _, f := range flags {
		if a.findDecl(f.name) != nil {
			continue
		}
		var known []string
		for _, d := range a.declared {
			known = append(known, flagNames(d.name)[len(flagNames(d.name))-1])
		}
		msg := fmt.Sprintf("unknown flag --%s", f.name)
		if f.negated {
			msg = fmt.Sprintf("unknown flag --no-%s", f.name)
		}
		if s := suggest.Closest(f.name, known); s != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", s)
		} else {
			msg += " (--help lists the flags)"
		}
		return usageErrorf(call, "%s", msg)
	}
	return nil
}

// usage writes the --help text built from the declarations.
func (a *argsModule) usage(w io.Writer, description goja.Value) {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: icscript %s", a.s.env.ScriptName)
	type row struct{ left, right string }
	var rows []row
	for _, d := range a.declared {
		flag := "--" + flagNames(d.name)[len(flagNames(d.name))-1]
		if p := placeholder(d.kind); p != "" {
			flag += " " + p
		}
		if d.required {
			fmt.Fprintf(&b, " %s", flag)
		} else {
			fmt.Fprintf(&b, " [%s]", flag)
		}
		right := d.help
		if !isNullish(d.def) && d.kind != kindBool {
			right = strings.TrimSpace(right + " (default: " + d.def.String() + ")")
		}
		rows = append(rows, row{flag, right})
	}
	b.WriteString(" [args...]\n")
	if !isNullish(description) {
		b.WriteString("\n" + description.String() + "\n")
	}
	rows = append(rows, row{"--help", "show this help"})
	width := 0
	for _, r := range rows {
		width = max(width, len(r.left))
	}
	b.WriteString("\nflags:\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.left, r.right)
	}
	_, _ = io.WriteString(w, strings.ReplaceAll(b.String(), " \n", "\n"))
}

func placeholder(k flagKind) string {
	switch k {
	case kindNumber:
		return "N"
	case kindNumberList:
		return "N..."
	case kindString, kindAny:
		return "VALUE"
	case kindStringList:
		return "VALUE..."
	}
	return ""
}
