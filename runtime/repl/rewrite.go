package repl

import (
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// Rewrite turns one REPL input into a script for VM.EvalContext, the way
// the Node and Deno REPLs do:
//
//   - top-level let, const and class become global vars, so later inputs
//     see them and may declare them again;
//   - an input using await at top level runs inside an async arrow
//     function; its declarations are hoisted out as global vars (function
//     declarations are copied to globalThis), and its last expression
//     statement is returned, so the function's promise resolves to the
//     input's value;
//   - an input that looks like an object literal ({a: 1}) is one, not a
//     block.
//
// The evaluation is expected to await a promise result (EvalOptions
// AwaitResult), which makes `intercom.contacts.find(id)` print the contact.
func Rewrite(src string) (string, error) {
	src = objectLiteral(src)
	p, err := parseInput(src)
	if err != nil {
		return "", err
	}
	if p.async {
		return rewriteAsync(p), nil
	}
	return rewriteScript(p), nil
}

// objectLiteral wraps input that starts with "{" in parentheses when it
// parses that way, as Node does.
func objectLiteral(src string) string {
	t := strings.TrimSpace(src)
	if !strings.HasPrefix(t, "{") || strings.HasSuffix(t, ";") {
		return src
	}
	wrapped := "(" + src + "\n)"
	if _, err := parser.ParseFile(nil, "", wrapped, 0); err != nil {
		return src
	}
	return wrapped
}

// edit replaces text[start:end] (offsets in the input) with text.
type edit struct {
	start, end int
	text       string
}

// Edits at the same offset land in the order given.
func apply(src string, edits []edit) string {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		src = src[:e.start] + e.text + src[e.end:]
	}
	return src
}

// at converts a parser position to an offset in the input.
func (p *parsed) at(idx int) int { return idx - 1 - p.offset }

func (p *parsed) input() string { return p.text[p.offset : len(p.text)-len(p.suffix())] }

func (p *parsed) suffix() string {
	if p.async {
		return asyncSuffix
	}
	return ""
}

// rewriteScript makes the top-level lexical declarations of a script vars.
func rewriteScript(p *parsed) string {
	var edits []edit
	for _, st := range p.body {
		switch st := st.(type) {
		case *ast.LexicalDeclaration:
			start := p.at(int(st.Idx))
			edits = append(edits, edit{start, start + len(st.Token.String()), "var"})
			if st.Token.String() == "let" {
				edits = append(edits, p.undefinedInits(st.List)...)
			}
		case *ast.ClassDeclaration:
			edits = append(edits, p.classAssign(st, "var ")...)
		}
	}
	return apply(p.input(), edits)
}

// undefinedInits gives `let x` an explicit "= undefined", so that declaring
// x again resets it, as a fresh let would.
func (p *parsed) undefinedInits(list []*ast.Binding) []edit {
	var edits []edit
	for _, b := range list {
		if b.Initializer == nil {
			end := p.at(int(b.Target.Idx1()))
			edits = append(edits, edit{end, end, " = undefined"})
		}
	}
	return edits
}

// classAssign turns `class A {…}` into `<decl>A = class A {…};`.
func (p *parsed) classAssign(st *ast.ClassDeclaration, decl string) []edit {
	if st.Class.Name == nil {
		return nil
	}
	start, end := p.at(int(st.Idx0())), p.at(int(st.Idx1()))
	return []edit{
		{start, start, decl + string(st.Class.Name.Name) + " = "},
		{end, end, ";"},
	}
}

// rewriteAsync wraps an input with top-level await in an async function
// whose declarations are global and which returns the last expression.
func rewriteAsync(p *parsed) string {
	var edits []edit
	var hoisted, functions []string
	for i, st := range p.body {
		switch st := st.(type) {
		case *ast.VariableStatement:
			hoisted = append(hoisted, bindingNames(st.List)...)
			edits = append(edits, p.declarationAssign(int(st.Var), len("var"), int(st.Idx1()))...)
		case *ast.LexicalDeclaration:
			hoisted = append(hoisted, bindingNames(st.List)...)
			if st.Token.String() == "let" {
				edits = append(edits, p.undefinedInits(st.List)...)
			}
			edits = append(edits, p.declarationAssign(int(st.Idx), len(st.Token.String()), int(st.Idx1()))...)
		case *ast.ClassDeclaration:
			if st.Class.Name != nil {
				hoisted = append(hoisted, string(st.Class.Name.Name))
			}
			edits = append(edits, p.classAssign(st, ";")...)
		case *ast.FunctionDeclaration:
			if st.Function.Name != nil {
				functions = append(functions, string(st.Function.Name.Name))
			}
		case *ast.ExpressionStatement:
			if i == len(p.body)-1 {
				start, end := p.statementStart(i), p.at(int(st.Idx1()))
				edits = append(edits, edit{start, start, "return ("}, edit{end, end, ")"})
			}
		}
	}
	var b strings.Builder
	if len(hoisted) > 0 {
		b.WriteString("var " + strings.Join(dedupe(hoisted), ", ") + ";\n")
	}
	b.WriteString(asyncPrefix)
	for _, name := range dedupe(functions) {
		b.WriteString("globalThis." + name + " = " + name + "; ")
	}
	b.WriteString(apply(p.input(), edits))
	b.WriteString(asyncSuffix + "()")
	return b.String()
}

// statementStart is where statement i of the input begins. The parser
// keeps no parentheses, so an expression's own start can lie after them
// (`(await x).y` starts at "await"): look from the end of the previous
// statement, past blanks, semicolons and comments, instead.
func (p *parsed) statementStart(i int) int {
	in := p.input()
	pos := 0
	if i > 0 {
		pos = p.at(int(p.body[i-1].Idx1()))
	}
	for pos < len(in) {
		switch {
		case strings.HasPrefix(in[pos:], "//"):
			if nl := strings.IndexByte(in[pos:], '\n'); nl >= 0 {
				pos += nl + 1
			} else {
				pos = len(in)
			}
		case strings.HasPrefix(in[pos:], "/*"):
			if end := strings.Index(in[pos+2:], "*/"); end >= 0 {
				pos += end + 4
			} else {
				pos = len(in)
			}
		case strings.ContainsRune(" \t\r\n;", rune(in[pos])):
			pos++
		default:
			return pos
		}
	}
	return pos
}

// declarationAssign turns `const a = 1, {b} = o` into `;(a = 1, {b} = o)`:
// the names are hoisted as global vars, so the bindings become assignments
// to them.
func (p *parsed) declarationAssign(keyword, keywordLen, end int) []edit {
	start, stop := p.at(keyword), p.at(end)
	return []edit{{start, start + keywordLen, ";("}, {stop, stop, ")"}}
}

// bindingNames lists the names a declaration binds, through destructuring
// patterns.
func bindingNames(list []*ast.Binding) []string {
	var names []string
	for _, b := range list {
		names = append(names, targetNames(b.Target)...)
	}
	return names
}

func targetNames(e ast.Expression) []string {
	switch e := e.(type) {
	case *ast.Identifier:
		return []string{string(e.Name)}
	case *ast.ObjectPattern:
		var names []string
		for _, prop := range e.Properties {
			switch prop := prop.(type) {
			case *ast.PropertyShort:
				names = append(names, string(prop.Name.Name))
			case *ast.PropertyKeyed:
				names = append(names, targetNames(prop.Value)...)
			}
		}
		return append(names, targetNames(e.Rest)...)
	case *ast.ArrayPattern:
		var names []string
		for _, el := range e.Elements {
			names = append(names, targetNames(el)...)
		}
		return append(names, targetNames(e.Rest)...)
	case *ast.AssignExpression:
		return targetNames(e.Left)
	case *ast.SpreadElement:
		return targetNames(e.Expression)
	}
	return nil
}

func dedupe(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
