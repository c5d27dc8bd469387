package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNoRegexpCompiledAtPackageInit: every process pays for what package
// init compiles, used or not, so neither a package-level variable nor an
// init function of the module's non-test files may compile a regexp (a
// variable not even in a sync.Once of its own): internal/lazyregexp.New is
// the one way. And every pattern given to lazyregexp.New must compile, so
// that a bad one fails here, not at its first use.
func TestNoRegexpCompiledAtPackageInit(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	for _, dir := range packageDirs(t, root) {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			for _, p := range regexpProblems(fset, f) {
				t.Error(p)
			}
		}
	}
}

// regexpProblems lists the regexps f compiles at package init and the
// patterns of f's lazyregexp.New that do not compile, each with its
// position.
func regexpProblems(fset *token.FileSet, f *ast.File) []string {
	var out []string
	if re := importName(f, "regexp"); re != "" {
		for _, decl := range f.Decls {
			if !runsAtInit(decl) {
				continue
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && isCallOf(call, re, "MustCompile", "Compile", "MustCompilePOSIX", "CompilePOSIX") {
					out = append(out, fmt.Sprintf("%s: a regexp compiled at package init (or in a sync.Once of its own): use lazyregexp.New", fset.Position(call.Pos())))
				}
				return true
			})
		}
	}
	lazy := importName(f, module+"internal/lazyregexp")
	if lazy == "" {
		return out
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !isCallOf(call, lazy, "New") || len(call.Args) != 1 {
			return true
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			pattern, err := strconv.Unquote(lit.Value)
			if err == nil {
				_, err = regexp.Compile(pattern)
			}
			if err != nil {
				out = append(out, fmt.Sprintf("%s: lazyregexp.New: %v", fset.Position(lit.Pos()), err))
			}
		}
		return true
	})
	return out
}

// runsAtInit reports whether decl's code runs at package init: a var
// declaration, or a func init.
func runsAtInit(decl ast.Decl) bool {
	switch d := decl.(type) {
	case *ast.GenDecl:
		return d.Tok == token.VAR
	case *ast.FuncDecl:
		return d.Recv == nil && d.Name.Name == "init"
	}
	return false
}

// TestRegexpProblemsFindsThem: the check sees a compile in a package
// variable (wrapped or not) and in func init, however regexp is imported,
// and a bad lazy pattern; a compile in any other function is fine.
func TestRegexpProblemsFindsThem(t *testing.T) {
	lazy := "import \"" + module + "internal/lazyregexp\"\n"
	for _, c := range []struct {
		src  string
		want []string // positions
	}{
		{"package p\nimport \"regexp\"\nvar re = regexp.MustCompile(`a`)", []string{"p.go:3:10"}},
		{"package p\nimport rx \"regexp\"\nvar re, err = rx.Compile(`a`)", []string{"p.go:3:15"}},
		{"package p\nimport (\"regexp\"; \"sync\")\nvar re = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`a`) })", []string{"p.go:3:56"}},
		{"package p\nimport \"regexp\"\nvar re *regexp.Regexp\nfunc init() { re = regexp.MustCompile(`a`) }", []string{"p.go:4:20"}},
		{"package p\nimport \"regexp\"\nfunc f() bool { return regexp.MustCompile(`a`).MatchString(\"a\") }", nil},
		{"package p\nimport \"regexp\"\ntype T struct{}\nfunc (T) init() { regexp.MustCompile(`a`) }", nil},
		{"package p\n" + lazy + "var re = lazyregexp.New(`(`)", []string{"p.go:3:25"}},
		{"package p\n" + lazy + "var re = lazyregexp.New(`(a)`)", nil},
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", c.src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range regexpProblems(fset, f) {
			pos, _, _ := strings.Cut(p, ": ")
			got = append(got, pos)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s\nfound %v, want %v", c.src, got, c.want)
		}
	}
}

// importName is the name f imports path under ("" when it does not).
func importName(f *ast.File, path string) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return path[strings.LastIndexByte(path, '/')+1:]
		}
	}
	return ""
}

// isCallOf reports whether call is pkg.Name(…) for one of names.
func isCallOf(call *ast.CallExpr, pkg string, names ...string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || id.Name != pkg {
		return false
	}
	for _, name := range names {
		if sel.Sel.Name == name {
			return true
		}
	}
	return false
}
