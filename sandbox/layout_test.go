package sandbox

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/testsupport"
)

// TestEveryDescribedOperationHasAHandler: every operation of the 2.10
// description, read from the YAML and not from the catalogue, has a handler
// of its own (not the generic one of later versions).
func TestEveryDescribedOperationHasAHandler(t *testing.T) {
	described := testsupport.DescribedOperations(t)
	if len(described) == 0 {
		t.Fatal("the description lists no operation")
	}
	for _, d := range described {
		if handlers[d.ID] == nil {
			t.Errorf("%s (%s %s): no handler; register one in %s", d.ID, d.Method, d.Path, namespaceFileOf(d.ID))
		}
	}
}

// namespaceFile is the file of a catalogue namespace: "helpCenters.collections"
// is help_centers_collections.go.
func namespaceFile(ns string) string {
	snake := regexp.MustCompile(`([a-z0-9])([A-Z])`).ReplaceAllString(ns, "${1}_${2}")
	return strings.ToLower(strings.ReplaceAll(snake, ".", "_")) + ".go"
}

// namespaceOf is the catalogue namespace of an operation: 2.10's, else that
// of the first later version that has it ("" when none has).
func namespaceOf(id string) string {
	if op := catalog.ByID(id); op != nil {
		return op.Namespace
	}
	for _, v := range catalog.Versions() {
		if op := catalog.MustFor(v).ByID(id); op != nil {
			return op.Namespace
		}
	}
	return ""
}

func namespaceFileOf(id string) string {
	if ns := namespaceOf(id); ns != "" {
		return namespaceFile(ns)
	}
	return "the file of its namespace"
}

// registered is one register call found in the package's source.
type registered struct {
	file, namespace string
	handlers        map[string]string // operationId -> handler function
}

// registeredTables reads every register("namespace", map[string]handler{…})
// call of the package's non-test files, and where each function is declared.
func registeredTables(t *testing.T) (tables []registered, declaredIn map[string]string) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declaredIn = map[string]string{}
	for _, file := range names {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				declaredIn[fd.Name.Name] = file
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "register" {
				return true
			}
			r := registered{file: file, handlers: map[string]string{}}
			lit, ok := call.Args[0].(*ast.BasicLit)
			table, ok2 := call.Args[1].(*ast.CompositeLit)
			if !ok || !ok2 {
				t.Fatalf("%s: register wants a namespace literal and a map literal", fset.Position(call.Pos()))
			}
			r.namespace, _ = strconv.Unquote(lit.Value)
			for _, e := range table.Elts {
				kv := e.(*ast.KeyValueExpr)
				key, _ := strconv.Unquote(kv.Key.(*ast.BasicLit).Value)
				fn, ok := kv.Value.(*ast.Ident)
				if !ok {
					t.Fatalf("%s: %s's handler is not a function name", fset.Position(kv.Pos()), key)
				}
				r.handlers[key] = fn.Name
			}
			tables = append(tables, r)
			return false
		})
	}
	return tables, declaredIn
}

// TestHandlersLiveInTheirNamespaceFiles holds the layout: one file per
// catalogue namespace, named after it, holding that namespace's handler
// table and its handlers, and no table elsewhere.
func TestHandlersLiveInTheirNamespaceFiles(t *testing.T) {
	tables, declaredIn := registeredTables(t)
	if len(tables) == 0 {
		t.Fatal("no register call in the package's files")
	}
	seen := map[string]string{} // namespace -> file
	ids := map[string]bool{}
	for _, r := range tables {
		if want := namespaceFile(r.namespace); r.file != want {
			t.Errorf("%s registers the %s namespace, whose file is %s", r.file, r.namespace, want)
		}
		if prev, dup := seen[r.namespace]; dup {
			t.Errorf("the %s namespace is registered twice (%s and %s)", r.namespace, prev, r.file)
		}
		seen[r.namespace] = r.file
		for id, fn := range r.handlers {
			ids[id] = true
			if ns := namespaceOf(id); ns != r.namespace {
				t.Errorf("%s: %s is in the catalogue's %q namespace, not %q", r.file, id, ns, r.namespace)
			}
			if declaredIn[fn] != r.file {
				t.Errorf("%s: %s's handler %s is declared in %s, not beside its table", r.file, id, fn, declaredIn[fn])
			}
		}
	}
	for _, op := range catalog.Operations {
		if _, ok := seen[op.Namespace]; !ok {
			t.Errorf("the %s namespace (%s) has no table: want one in %s", op.Namespace, op.ID, namespaceFile(op.Namespace))
		}
	}
	// Every entry of handlers came from one of these tables.
	for id := range handlers {
		if !ids[id] {
			t.Errorf("%s has a handler registered outside a namespace table", id)
		}
	}
}

// TestSweepCasesLiveInTheirNamespaceTestFiles: the sweep cases and the
// stability writers of a namespace are in its test file, beside its file
// (contacts_test.go for contacts.go).
func TestSweepCasesLiveInTheirNamespaceTestFiles(t *testing.T) {
	names, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, file := range names {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "addSweepCases" && fn.Name != "addStabilityWriters") {
				return true
			}
			table, ok := call.Args[0].(*ast.CompositeLit)
			if !ok {
				t.Fatalf("%s: %s wants a map literal", fset.Position(call.Pos()), fn.Name)
			}
			for _, e := range table.Elts {
				found++
				id, _ := strconv.Unquote(e.(*ast.KeyValueExpr).Key.(*ast.BasicLit).Value)
				if want := strings.TrimSuffix(namespaceFileOf(id), ".go") + "_test.go"; file != want {
					t.Errorf("%s: %s's entry of %s belongs in %s", file, fn.Name, id, want)
				}
			}
			return false
		})
	}
	if found == 0 {
		t.Fatal("no addSweepCases or addStabilityWriters call in the package's tests")
	}
}
