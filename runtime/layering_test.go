package runtime_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runtime sits below bindings, stdlib and cmd: it must not import them, nor
// do HTTP itself. (esbuild's pkg/api links net/http for its dev server; that
// is a dependency's, not ours.)
func TestLayering(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	helpers, _ := filepath.Glob("runtimetest/*.go")
	for _, name := range append(files, helpers...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			forbidden := path == "net/http" || strings.HasPrefix(path, "net/http/") ||
				(strings.HasPrefix(path, "github.com/icscript/icscript/") && path != "github.com/icscript/icscript/runtime")
			if forbidden {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
