// Package layering holds the test that keeps icscript's layers apart
// (STYLE.md §15): which of the project's packages each package may import,
// which standard packages some must not, that only package main reads the
// process's streams, environment and working directory (STYLE.md §2), and
// that no package compiles a regexp at init (regexp_test.go).
package layering

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/icscript/icscript/"

// allowed lists, per package, the icscript packages it may import. A
// package missing from the table fails the test: add it on purpose.
var allowed = map[string][]string{
	"intercom/catalog":      {"internal/suggest"},
	"intercom":              {"intercom/catalog"},
	"bindings":              {"intercom/catalog", "intercom", "bindings/jsonjs", "internal/suggest", "internal/jsonl", "internal/lazyregexp"},
	"bindings/jsonjs":       {},
	"bindings/typings":      {"intercom/catalog", "internal/lazyregexp"},
	"internal/gen":          {"intercom/catalog", "internal/openapifiles", "internal/lazyregexp"},
	"internal/openapifiles": {},                                                                   // where the descriptions are, for the generator and the tests; the caller gives the environment
	"internal/jsonl":        {},                                                                   // the append-only JSON-lines files' one write, fsync, lock and torn last line (checkpoint, journal, audit log)
	"internal/lazyregexp":   {},                                                                   // a regexp compiled on first use, not at package init: a leaf every layer may use
	"internal/ptytest":      {"internal/lazyregexp"},                                              // tests' pseudo-terminal: the REPL's tests and benchmark drive the binary through it
	"internal/suggest":      {},                                                                   // the one "did you mean": a leaf every layer may ask
	"internal/testsupport":  {"intercom/catalog", "internal/lazyregexp", "internal/openapifiles"}, // CallArgs turns an operation into its JS call's arguments; expectations still come from the description
	"internal/safety":       {"intercom", "intercom/catalog", "internal/jsonl"},                   // the rails are the client's hooks (mutation events, guard, transport); no JS, no configuration
	"internal/config":       {"intercom/catalog", "internal/safety", "internal/suggest"},          // versions from the catalogue; did-you-mean; safety for URLs fit to print and the secrets to redact
	"runtime":               {"internal/lazyregexp"},
	"runtime/repl":          {"runtime", "internal/lazyregexp"},
	"runtime/runtimetest":   {"runtime"},
	"stdlib":                {"runtime", "internal/suggest"},
	"sandbox/search":        {},
	"sandbox":               {"intercom/catalog", "sandbox/search", "internal/lazyregexp"},
	"sandbox/sandboxtest":   {"sandbox"},
	"webhook":               {"sandbox", "internal/jsonl"}, // the receiver and the sandbox's emitter; the journal's lines; no JS (internal/engine runs handlers)
	"cmd/icscript":          {"*"},
	"bench":                 {"*"},
	"bench/gofloor":         {},
	"bench/startup":         {},
	"bench/floor/empty":     {}, // the start-up floors: a dependency linked, nothing of icscript
	"bench/floor/goja":      {},
	"bench/floor/esbuild":   {},
	"bench/floor/nethttp":   {},
	"conformance":           {"*"},

	// The VM of a run: runtime, bindings and stdlib assembled from plain
	// values; the client's type from intercom. Nothing it imports imports it.
	"internal/engine": {"runtime", "bindings", "stdlib", "intercom", "webhook"}, // webhook: the deliveries Handlers runs (webhook itself runs no JS)
	"internal/watch":  {"runtime"},                                              // bundles the script to learn which files to watch
	// Tests' VM wired to a sandbox: the engine's VM, runtimetest's captured
	// output, sandboxtest's server, a client of intercom.
	"internal/engine/enginetest": {"internal/engine", "runtime", "runtime/runtimetest", "intercom", "sandbox", "sandbox/sandboxtest"},
}

// forbiddenStd lists standard packages a layer must not use: the VM side
// never does HTTP itself.
var forbiddenStd = map[string][]string{
	"runtime":      {"net/http"},
	"runtime/repl": {"net/http"},
}

func TestLayering(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, dir := range packageDirs(t, root) {
		rel, _ := filepath.Rel(root, dir)
		rel = filepath.ToSlash(rel)
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		rules, ok := allowed[rel]
		if !ok {
			t.Errorf("package %s is not in the layering table: say what it may import", rel)
			continue
		}
		for _, imp := range pkg.Imports {
			if inner, ok := strings.CutPrefix(imp, module); ok && !permits(rules, inner) {
				t.Errorf("%s imports %s, which its layer may not", rel, inner)
			}
			for _, std := range forbiddenStd[rel] {
				if imp == std {
					t.Errorf("%s imports %s", rel, std)
				}
			}
		}
	}
}

func permits(rules []string, pkg string) bool {
	for _, r := range rules {
		if r == "*" || r == pkg {
			return true
		}
	}
	return false
}

// packageDirs lists the folders below root holding non-test Go files.
func packageDirs(t *testing.T, root string) []string {
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && (name == "testdata" || name == "node_modules" || (strings.HasPrefix(name, ".") && path != root)) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			seen[filepath.Dir(path)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

// processReads are the os package's handles on the process's world. Only
// package main (cmd/icscript's System, the generators and benchmarks) uses
// them; every other package is given streams, the environment and the
// working directory by its caller, so that tests can give buffers.
var processReads = map[string]bool{
	"Stdout": true, "Stderr": true, "Stdin": true,
	"Getenv": true, "LookupEnv": true, "Environ": true, "Getwd": true,
	"Executable": true, // which program runs is the process's too (the bundle cache's keys)
}

// processAllowed are the packages that read the process anyway, and why.
var processAllowed = map[string]string{
	"internal/testsupport": "imported by tests only: it finds the module from go test's working directory and the description from $ICSCRIPT_OPENAPI, as the tests' own code would",
}

func TestOnlyMainReadsTheProcess(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	for _, dir := range packageDirs(t, root) {
		rel, _ := filepath.Rel(root, dir)
		rel = filepath.ToSlash(rel)
		if _, ok := processAllowed[rel]; ok {
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Errorf("%s: %v", filepath.Join(rel, name), err)
				continue
			}
			if f.Name.Name == "main" {
				break // a command: it is where the process is read
			}
			for _, use := range processUses(fset, f) {
				t.Errorf("%s/%s: %s below package main: take it from the caller (cmd/icscript's System passes streams, Getenv and Dir down)", rel, use.at, use.sel)
			}
		}
	}
}

// processUse is one read of the process: "os.Getenv" at "file.go:12".
type processUse struct{ sel, at string }

// processUses finds the selectors of processReads on the os package in f,
// under whatever name f imports it.
func processUses(fset *token.FileSet, f *ast.File) []processUse {
	osName := ""
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == "os" {
			osName = "os"
			if imp.Name != nil {
				osName = imp.Name.Name
			}
		}
	}
	if osName == "" || osName == "_" {
		return nil
	}
	var uses []processUse
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && id.Name == osName && processReads[n.Sel.Name] {
				pos := fset.Position(n.Pos())
				uses = append(uses, processUse{"os." + n.Sel.Name, filepath.Base(pos.Filename) + ":" + strconv.Itoa(pos.Line)})
			}
		case *ast.Ident:
			if osName == "." && processReads[n.Name] {
				pos := fset.Position(n.Pos())
				uses = append(uses, processUse{"os." + n.Name, filepath.Base(pos.Filename) + ":" + strconv.Itoa(pos.Line)})
			}
		}
		return true
	})
	return uses
}

// TestProcessUsesFindsThem: the check sees a read however os is imported,
// and nothing else.
func TestProcessUsesFindsThem(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{"package p\nimport \"os\"\nvar w = os.Stdout\nfunc f() string { d, _ := os.Getwd(); return d + os.Getenv(\"X\") }", []string{"os.Stdout@p.go:3", "os.Getwd@p.go:4", "os.Getenv@p.go:4"}},
		{"package p\nimport sys \"os\"\n\nvar e = sys.Environ()", []string{"os.Environ@p.go:4"}},
		{"package p\nimport . \"os\"\nvar _, ok = LookupEnv(\"X\")", []string{"os.LookupEnv@p.go:3"}},
		{"package p\nimport \"os\"\nfunc f() { exe, _ := os.Executable(); _ = exe }", []string{"os.Executable@p.go:3"}},
		{"package p\nimport \"os\"\nvar _ = os.ReadFile\ntype T struct{ Stdout int }\nvar t T\nvar _ = t.Stdout", nil},
		{"package p\nvar os struct{ Stdout int }\nvar _ = os.Stdout", nil}, // not the os package
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", c.src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range processUses(fset, f) {
			got = append(got, u.sel+"@"+u.at)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: found %q, want %q", c.src, got, c.want)
		}
	}
}
