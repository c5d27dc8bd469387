package runtime_test

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

func registerFoo(tv *testVM, builds *int) {
	tv.RegisterModule("foo", func(rt *goja.Runtime) goja.Value {
		*builds++
		exports := rt.NewObject()
		_ = exports.Set("greet", func(name string) string { return "hello " + name })
		_ = exports.Set("answer", 42)
		return exports
	})
}

func TestBuiltinModuleImportAndRequire(t *testing.T) {
	tv := newTestVM(t)
	builds := 0
	registerFoo(tv, &builds)
	err := tv.run(t, "main.ts", map[string]string{
		"main.ts": `import { greet, answer } from "icscript:foo";
import * as foo from "icscript:foo";
import "./other.cjs";
console.log(greet("ops"), answer, foo.answer, require("icscript:foo").answer);`,
		"other.cjs": `const foo = require("icscript:foo"); console.log("cjs", foo.greet("cjs"));`,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, runtime.FormatError(err, false))
	}
	wantOutput(t, tv.stdout.String(), "cjs hello cjs\nhello ops 42 42 42")
	if builds != 1 {
		t.Errorf("exports built %d times, want once", builds)
	}
}

func TestUnknownBuiltinModule(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.ts", map[string]string{"main.ts": "\nimport { x } from \"icscript:nope\";\nconsole.log(x);\n"})
	se := scriptError(t, err)
	if se.Message != "unknown built-in module icscript:nope" || se.File != "main.ts" || se.Line != 2 {
		t.Errorf("got %+v", se)
	}
}

func TestUnknownBuiltinAtRuntime(t *testing.T) {
	tv := newTestVM(t)
	_, err := tv.Eval(`require("icscript:nope")`)
	if err == nil || !strings.Contains(err.Error(), "unknown built-in module icscript:nope") {
		t.Errorf("err = %v", err)
	}
	_, err = tv.Eval(`require("./x.js")`)
	if err == nil || !strings.Contains(err.Error(), "only icscript: built-in modules") {
		t.Errorf("err = %v", err)
	}
}

func TestPackageImportsAreRejected(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": `import _ from "lodash";`})
	se := scriptError(t, err)
	if !strings.Contains(se.Message, `cannot import "lodash": packages (node_modules) are not supported`) || se.Line != 1 {
		t.Errorf("got %+v", se)
	}
}
