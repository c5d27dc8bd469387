package stdlib

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/icscript/icscript/internal/suggest"
)

// ScriptFlags is what a script reads of its command line, as far as its
// source shows: the names given to args.flag and the keys of args.declare.
// A runner refuses the flags none of them names before the script runs, so
// that `--dys 60` is an error and not a silent default.
type ScriptFlags struct {
	// Names are the flags the script reads, in every spelling the args
	// module accepts (days; dryRun and dry-run).
	Names map[string]bool
	// Dynamic is set when the script reads its flags in a way the scan
	// cannot follow (a computed name, args.all, args passed around): then
	// no flag can be called unknown.
	Dynamic bool
}

// ScanScriptFlags finds the flags a bundled script reads. A program that
// does not parse is Dynamic (the run reports the syntax error itself).
func ScanScriptFlags(code string) ScriptFlags {
	sf := ScriptFlags{Names: map[string]bool{}}
	prog, err := parser.ParseFile(nil, "script.js", code, 0, parser.WithDisableSourceMaps)
	if err != nil {
		sf.Dynamic = true
		return sf
	}
	s := &flagScan{out: &sf, aliases: map[string]bool{"args": true}}
	s.findAliases(reflect.ValueOf(prog))
	s.walk(reflect.ValueOf(prog), false)
	return sf
}

// Reads reports whether the script reads the flag --name (or --no-name).
func (sf ScriptFlags) Reads(name string) bool {
	if sf.Names[name] {
		return true
	}
	rest, ok := strings.CutPrefix(name, "no-")
	return ok && sf.Names[rest]
}

// Known lists the flags the script reads, as --name, sorted (the kebab-case
// spelling of a camelCase name).
func (sf ScriptFlags) Known() []string {
	var out []string
	for n := range sf.Names {
		if kebab(n) == n {
			out = append(out, "--"+n)
		}
	}
	sort.Strings(out)
	return out
}

// UnknownFlagError says that the script reads no flag of that name, with
// the closest it does read.
func (sf ScriptFlags) UnknownFlagError(flag, script string) string {
	known := sf.Known()
	var plain []string
	for _, k := range known {
		plain = append(plain, strings.TrimPrefix(k, "--"))
	}
	name := strings.TrimPrefix(flag, "no-")
	msg := fmt.Sprintf("--%s: unknown flag", flag)
	if s := suggest.Closest(name, plain); s != "" {
		return msg + fmt.Sprintf("; did you mean --%s?", s)
	}
	if len(known) == 0 {
		return msg + fmt.Sprintf(": %s reads no flags", script)
	}
	return msg + fmt.Sprintf(": %s reads %s", script, strings.Join(known, ", "))
}

// flagScan walks a parsed program for the uses of args.
type flagScan struct {
	out *ScriptFlags
	// aliases are the names args goes by: the global, and the variables
	// esbuild binds to an import of icscript:args.
	aliases map[string]bool
}

func (s *flagScan) add(name string) {
	for _, n := range flagNames(name) {
		s.out.Names[n] = true
	}
}

var (
	nodeType       = reflect.TypeOf((*ast.Node)(nil)).Elem()
	identifierType = reflect.TypeOf(&ast.Identifier{})
	astPkg         = reflect.TypeOf(ast.Identifier{}).PkgPath()
)

// each calls fn on every field, element and pointed-to value of v that
// can hold nodes.
func each(v reflect.Value, fn func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			fn(v.Elem())
		}
	case reflect.Struct:
		if v.Type().PkgPath() != astPkg {
			return // positions, files, strings: no nodes
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fn(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fn(v.Index(i))
		}
	}
}

// findAliases adds the variables bound to require_args() (an import of
// icscript:args after bundling); a destructuring of it makes the scan
// dynamic.
func (s *flagScan) findAliases(v reflect.Value) {
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if b, ok := v.Interface().(*ast.Binding); ok && isRequireArgs(b.Initializer) {
			if id, ok := b.Target.(*ast.Identifier); ok {
				s.aliases[id.Name.String()] = true
			} else {
				s.out.Dynamic = true
			}
		}
	}
	each(v, s.findAliases)
}

// isRequireArgs matches require_args() and __toESM(require_args()).
func isRequireArgs(e ast.Expression) bool {
	call, ok := e.(*ast.CallExpression)
	if !ok {
		return false
	}
	if id, ok := call.Callee.(*ast.Identifier); ok {
		if strings.HasPrefix(id.Name.String(), "require_args") {
			return true
		}
		if id.Name.String() == "__toESM" && len(call.ArgumentList) > 0 {
			return isRequireArgs(call.ArgumentList[0])
		}
	}
	return false
}

// walk visits v; shadowed is set inside a function that binds its own
// "args", where a bare args is not the global.
func (s *flagScan) walk(v reflect.Value, shadowed bool) {
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Type().Implements(nodeType) {
		switch n := v.Interface().(type) {
		case *ast.CallExpression:
			if s.call(n, shadowed) {
				return
			}
		case *ast.DotExpression:
			if id, ok := n.Left.(*ast.Identifier); ok && s.aliases[id.Name.String()] {
				if n.Identifier.Name.String() != "positional" && !shadowed {
					s.out.Dynamic = true // args.all, or args.flag taken as a value
				}
				return
			}
		case *ast.Identifier:
			if s.aliases[n.Name.String()] && !shadowed {
				s.out.Dynamic = true // args passed around, destructured, spread
			}
			return
		case *ast.PropertyShort:
			if s.aliases[n.Name.Name.String()] && !shadowed {
				s.out.Dynamic = true
			}
		case *ast.Binding:
			// A variable's own name is not a use of it.
			if _, ok := n.Target.(*ast.Identifier); ok {
				s.walk(reflect.ValueOf(n.Initializer), shadowed)
				return
			}
		case *ast.FunctionLiteral:
			shadowed = shadowed || bindsArgs(reflect.ValueOf(n.ParameterList)) || bindsArgs(reflect.ValueOf(n.Body))
		case *ast.ArrowFunctionLiteral:
			shadowed = shadowed || bindsArgs(reflect.ValueOf(n.ParameterList)) || bindsArgs(reflect.ValueOf(n.Body))
		}
	}
	each(v, func(c reflect.Value) { s.walk(c, shadowed) })
}

// call records args.flag("name") and args.declare({...}) (also as
// (0, import_x.flag)(…) after bundling) and reports whether it dealt with
// the callee.
func (s *flagScan) call(n *ast.CallExpression, shadowed bool) bool {
	callee := n.Callee
	if seq, ok := callee.(*ast.SequenceExpression); ok && len(seq.Sequence) > 0 {
		callee = seq.Sequence[len(seq.Sequence)-1]
	}
	dot, ok := callee.(*ast.DotExpression)
	if !ok {
		return false
	}
	method := dot.Identifier.Name.String()
	if method != "flag" && method != "declare" {
		return false
	}
	// Any receiver: a helper given args as a parameter counts too. A
	// method of another object named flag only adds names (never an error).
	switch method {
	case "flag":
		if name, ok := literalString(firstArg(n)); ok {
			s.add(name)
		} else {
			s.out.Dynamic = true
		}
	case "declare":
		s.declare(firstArg(n))
	}
	if id, ok := dot.Left.(*ast.Identifier); !ok || !s.aliases[id.Name.String()] {
		s.walk(reflect.ValueOf(dot.Left), shadowed)
	}
	for _, a := range n.ArgumentList {
		s.walk(reflect.ValueOf(a), shadowed)
	}
	return true
}

func firstArg(n *ast.CallExpression) ast.Expression {
	if len(n.ArgumentList) == 0 {
		return nil
	}
	return n.ArgumentList[0]
}

// declare records the keys of args.declare's object literal.
func (s *flagScan) declare(e ast.Expression) {
	obj, ok := e.(*ast.ObjectLiteral)
	if !ok {
		s.out.Dynamic = true
		return
	}
	s.add("help") // declare answers --help itself
	for _, p := range obj.Value {
		switch p := p.(type) {
		case *ast.PropertyKeyed:
			name, ok := literalString(p.Key)
			if id, isID := p.Key.(*ast.Identifier); isID && !p.Computed {
				name, ok = id.Name.String(), true
			}
			if !ok || p.Computed {
				s.out.Dynamic = true
				continue
			}
			s.add(name)
		case *ast.PropertyShort:
			s.add(p.Name.Name.String())
		default:
			s.out.Dynamic = true // a spread
		}
	}
}

// literalString is the value of a string literal or a template without
// substitutions.
func literalString(e ast.Expression) (string, bool) {
	switch e := e.(type) {
	case *ast.StringLiteral:
		return e.Value.String(), true
	case *ast.TemplateLiteral:
		if e.Tag == nil && len(e.Expressions) == 0 && len(e.Elements) == 1 {
			return e.Elements[0].Parsed.String(), true
		}
	}
	return "", false
}

// bindsArgs reports whether a parameter list or function body declares its
// own args (a parameter, a variable or a function of that name).
func bindsArgs(v reflect.Value) bool {
	found := false
	var visit func(reflect.Value)
	visit = func(v reflect.Value) {
		if found {
			return
		}
		if v.Kind() == reflect.Pointer && !v.IsNil() && v.Type() == identifierType {
			if v.Interface().(*ast.Identifier).Name.String() == "args" {
				found = true
			}
			return
		}
		each(v, visit)
	}
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if _, isParams := v.Interface().(*ast.ParameterList); isParams {
			visit(v)
			return found
		}
	}
	// In a body, only declarations bind: look at binding targets and
	// function names.
	var decl func(reflect.Value)
	decl = func(v reflect.Value) {
		if found {
			return
		}
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			switch n := v.Interface().(type) {
			case *ast.Binding:
				visit(reflect.ValueOf(n.Target))
			case *ast.FunctionDeclaration:
				if n.Function != nil && n.Function.Name != nil && n.Function.Name.Name.String() == "args" {
					found = true
				}
			}
		}
		each(v, decl)
	}
	decl(v)
	return found
}
