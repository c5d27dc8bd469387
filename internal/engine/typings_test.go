package engine_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/icscript/icscript/bindings/typings"
	"github.com/icscript/icscript/internal/engine/enginetest"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
	"github.com/icscript/icscript/stdlib"
)

// TestStdlibModulesMatchTheirTypings: every module of the standard library
// is declared in the typings a user's editor reads, as a global and as
// "icscript:<name>", and the named exports declared are the module's own
// members, no more and no fewer (what a new module must add; CONTRIBUTING.md).
func TestStdlibModulesMatchTheirTypings(t *testing.T) {
	dts := typings.Generate()
	block := regexp.MustCompile(`(?s)declare module "icscript:([a-z]+)" \{\n(.*?)\n\}`)
	exported := regexp.MustCompile(`export const (\w+):`)
	declared := map[string][]string{}
	for _, m := range block.FindAllStringSubmatch(dts, -1) {
		names := []string{}
		for _, e := range exported.FindAllStringSubmatch(m[2], -1) {
			names = append(names, e[1])
		}
		slices.Sort(names)
		declared[m[1]] = names
	}
	vm := enginetest.New(t, nil)
	out, err := runtimetest.Run(t, vm, `
const names = `+mustJSON(t, stdlib.Modules)+`;
const members = {};
for (const n of names) {
  const m = require("icscript:" + n);
  members[n] = typeof m === "function" ? [] : Object.keys(m).sort();
}
console.log(JSON.stringify(members));`)
	if err != nil {
		t.Fatal(runtime.FormatError(err, false))
	}
	var members map[string][]string
	if err := json.Unmarshal([]byte(out), &members); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, name := range stdlib.Modules {
		if !regexp.MustCompile(`declare (const|function) ` + name + `\b`).MatchString(dts) {
			t.Errorf("the global %s is not declared in the typings", name)
		}
		want, ok := declared[name]
		if !ok {
			t.Errorf(`declare module "icscript:%s" is missing from the typings`, name)
			continue
		}
		// env's members are the environment's variables, not an API.
		if got := members[name]; !slices.Equal(got, want) && name != "env" {
			t.Errorf("icscript:%s has members %v, its typings export %v", name, got, want)
		}
	}
	if len(declared) != len(stdlib.Modules) {
		t.Errorf("the typings declare %d icscript: modules, the standard library has %d (%s)", len(declared), len(stdlib.Modules), strings.Join(stdlib.Modules, ", "))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
