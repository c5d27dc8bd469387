package runtime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

func scriptError(t *testing.T, err error) *runtime.ScriptError {
	t.Helper()
	var se *runtime.ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want *ScriptError", err, err)
	}
	return se
}

func TestThrownErrorPointsAtTypeScriptLine(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "report.ts", map[string]string{
		"report.ts": `import { check } from "./lib/check.ts";
type Row = { id: number };
const rows: Row[] = [{ id: 1 }];
for (const r of rows) {
  check(r.id);
}
`,
		"lib/check.ts": `// checks ids
export function check(id: number): void {
  if (id > 0) {
    throw new Error("Something bad");
  }
}
`,
	})
	se := scriptError(t, err)
	if se.File != "lib/check.ts" || se.Line != 4 || se.Column != 11 {
		t.Errorf("location %s:%d:%d, want lib/check.ts:4:11", se.File, se.Line, se.Column)
	}
	if se.Message != "Something bad" || se.SourceLine != `    throw new Error("Something bad");` {
		t.Errorf("message %q source %q", se.Message, se.SourceLine)
	}
	if !strings.Contains(se.Stack, "at check (lib/check.ts:4:11)") || !strings.Contains(se.Stack, "report.ts:5:3") {
		t.Errorf("stack:\n%s", se.Stack)
	}
	want := `error: Something bad
    at lib/check.ts:4:11
    4 |     throw new Error("Something bad");
      |           ^
    at check (lib/check.ts:4:11)
`
	if got := se.Format(false); !strings.HasPrefix(got, want) {
		t.Errorf("Format:\n%s\nwant prefix:\n%s", got, want)
	}
	if got := se.Error(); got != "lib/check.ts:4:11: Something bad" {
		t.Errorf("Error() = %q", got)
	}
}

func TestSyntaxErrorReportsLocation(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.ts", map[string]string{
		"main.ts": "import \"./bad.js\";\n",
		"bad.js":  "const a = 1;\nconst b = (a +;\n",
	})
	se := scriptError(t, err)
	if se.File != "bad.js" || se.Line != 2 || se.Column != 15 || se.SourceLine != "const b = (a +;" {
		t.Errorf("got %+v", se)
	}
	if !strings.Contains(se.Format(false), "    2 | const b = (a +;\n      |               ^") {
		t.Errorf("Format:\n%s", se.Format(false))
	}
}

func TestSeveralBundleErrors(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": "import './a.js';\nimport './b.js';\n"})
	if n := strings.Count(runtime.FormatError(err, false), "error:"); n != 2 {
		t.Errorf("want 2 errors:\n%s", runtime.FormatError(err, false))
	}
	scriptError(t, err)
}

func TestUnhandledRejectionFailsRun(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": `
async function work() {
  throw new TypeError("lost");
}
work();
setTimeout(() => console.log("should not run"), 20);
`})
	se := scriptError(t, err)
	if se.Message != "unhandled promise rejection: TypeError: lost" || se.Line != 3 {
		t.Errorf("got %+v", se)
	}
	if !strings.Contains(se.Stack, "at work (main.js:3:9)") {
		t.Errorf("stack:\n%s", se.Stack)
	}
	if strings.Contains(tv.stdout.String(), "should not run") {
		t.Error("loop went on after the rejection")
	}
}

func TestRejectionHandledInSameTickIsFine(t *testing.T) {
	out := runScript(t, `
const p = Promise.reject(new Error("later"));
await null;
p.catch((e) => console.log("caught", e.message));
`)
	wantOutput(t, out, "caught later")
}

func TestTopLevelErrorIsNotCalledUnhandled(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": "await null;\nthrow new RangeError(\"top\");\n"})
	se := scriptError(t, err)
	if se.Message != "RangeError: top" || se.Line != 2 {
		t.Errorf("got %+v", se)
	}
}

func TestThrowNonError(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": "setTimeout(() => { throw { code: 42 } }, 1);\n"})
	se := scriptError(t, err)
	if se.Message != "{ code: 42 }" || se.Line != 1 {
		t.Errorf("got %+v", se)
	}
}

func TestNeverSettlingTopLevelAwait(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": `await new Promise(() => {}); console.log("unreachable");`})
	se := scriptError(t, err)
	if !strings.Contains(se.Message, "script never finished: top-level await is waiting on a promise that can no longer settle") {
		t.Errorf("got %q", se.Message)
	}
}

func TestFormatErrorOfPlainError(t *testing.T) {
	if got := runtime.FormatError(errors.New("boom"), false); got != "error: boom\n" {
		t.Errorf("got %q", got)
	}
	if got := runtime.FormatError(nil, false); got != "" {
		t.Errorf("got %q", got)
	}
}
