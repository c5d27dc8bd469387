// Package layering holds the test that keeps icscript's layers apart
// (STYLE.md §15): which of the project's packages each package may import,
// and which standard packages some must not.
package layering

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/icscript/icscript/"

// allowed lists, per package, the icscript packages it may import. A
// package missing from the table fails the test: add it on purpose.
var allowed = map[string][]string{
	"intercom/catalog":     {"internal/suggest"},
	"intercom":             {"intercom/catalog"},
	"bindings":             {"intercom/catalog", "intercom", "bindings/jsonjs", "internal/suggest", "sandbox/search"}, // sandbox/search: the fields a search accepts, for an operation's help (a leaf of the description's query language; nothing of the sandbox)
	"bindings/jsonjs":      {},
	"bindings/typings":     {"intercom/catalog"},
	"internal/gen":         {"intercom/catalog"},
	"internal/suggest":     {},                                                          // the one "did you mean": a leaf every layer may ask
	"internal/testsupport": {"intercom/catalog"},                                        // CallArgs turns an operation into its JS call's arguments; expectations still come from the description
	"internal/safety":      {"intercom", "intercom/catalog"},                            // the rails are the client's hooks (mutation events, guard, transport); no JS, no configuration
	"internal/config":      {"intercom/catalog", "internal/safety", "internal/suggest"}, // versions from the catalogue; did-you-mean; safety for URLs fit to print and the secrets to redact
	"runtime":              {},
	"runtime/repl":         {"runtime"},
	"runtime/runtimetest":  {"runtime"},
	"stdlib":               {"runtime", "internal/suggest"},
	"sandbox/search":       {},
	"sandbox":              {"intercom/catalog", "sandbox/search"},
	"sandbox/sandboxtest":  {"sandbox"},
	"webhook":              {"sandbox"}, // the receiver and the sandbox's emitter; no JS (cmd/icscript runs handlers)
	"cmd/icscript":         {"*"},
	"bench":                {"*"},
	"bench/gofloor":        {},
	"bench/startup":        {},
	"conformance":          {"*"},
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
