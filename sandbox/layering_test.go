package sandbox_test

import (
	"go/build"
	"strings"
	"testing"
)

// The sandbox depends on nothing of icscript but the catalogue and its search
// package (STYLE.md §15).
func TestImports(t *testing.T) {
	for _, dir := range []string{".", "sandboxtest"} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, "github.com/icscript/icscript/") &&
				imp != "github.com/icscript/icscript/bindings/catalog" &&
				imp != "github.com/icscript/icscript/sandbox/search" &&
				imp != "github.com/icscript/icscript/sandbox" {
				t.Errorf("%s imports %s", dir, imp)
			}
		}
	}
}
