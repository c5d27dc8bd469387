package layering

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestNoRegexpCompiledAtPackageInit: every process pays for what package
// init compiles, used or not, so a package-level variable of the module's
// non-test files may not compile a regexp, even in a sync.Once of its own:
// internal/lazyregexp.New is the one way. And every pattern given to
// lazyregexp.New must compile, so that a bad one fails here, not at its
// first use.
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
			checkRegexps(t, fset, f)
		}
	}
}

func checkRegexps(t *testing.T, fset *token.FileSet, f *ast.File) {
	t.Helper()
	if re := importName(f, "regexp"); re != "" {
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
				ast.Inspect(g, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok && isCallOf(call, re, "MustCompile", "Compile", "MustCompilePOSIX", "CompilePOSIX") {
						t.Errorf("%s: a regexp compiled at package init (or in a sync.Once of its own): use lazyregexp.New", fset.Position(call.Pos()))
					}
					return true
				})
			}
		}
	}
	lazy := importName(f, module+"internal/lazyregexp")
	if lazy == "" {
		return
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
				t.Errorf("%s: lazyregexp.New: %v", fset.Position(lit.Pos()), err)
			}
		}
		return true
	})
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
