package runtime_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

func TestBundleFileInputs(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.ts":   `import { a } from "./lib/a.ts"; import "icscript:foo"; const b = require("./b.cjs"); console.log(a, b);`,
		"lib/a.ts":  `export const a = 1;`,
		"b.cjs":     `module.exports = 2;`,
		"unused.ts": `export const never = 0;`,
	}
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		_ = os.MkdirAll(filepath.Dir(path), 0o755)
		_ = os.WriteFile(path, []byte(src), 0o644)
	}
	b, err := runtime.BundleFile(filepath.Join(dir, "main.ts"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "b.cjs"), filepath.Join(dir, "lib", "a.ts"), filepath.Join(dir, "main.ts")}
	if strings.Join(b.Inputs, "\n") != strings.Join(want, "\n") {
		t.Errorf("Inputs = %q, want %q", b.Inputs, want)
	}
	if len(b.SourceMap) == 0 || !strings.HasPrefix(b.Code, "(async () => {") || strings.Contains(b.Code, "sourceMappingURL") {
		t.Errorf("unexpected bundle:\n%s", b.Code)
	}
}

func TestBundleWithoutCheckAcceptsAnyBuiltin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.js")
	_ = os.WriteFile(path, []byte(`import { x } from "icscript:whatever"; console.log(x);`), 0o644)
	if _, err := runtime.BundleFile(path); err != nil {
		t.Fatal(err)
	}
}

// Features goja lacks are lowered by esbuild; the rest it runs natively.
func TestLanguageFeaturesRun(t *testing.T) {
	tv := newTestVM(t)
	tv.write(t, map[string]string{"lazy.ts": `export const lazy = "lazy";`})
	err := tv.run(t, "main.ts", map[string]string{"main.ts": `#!/usr/bin/env icscript
export const exported = 1; // an entry with exports still runs
class Counter {
  static #instances = 0;
  #count = 0;
  static { Counter.#instances = 0; }
  inc() { Counter.#instances++; return ++this.#count; }
}
const c = new Counter();
const { lazy } = await import("./lazy.ts");
const obj: any = { deep: { value: 2 } };
let x: number | undefined;
x ??= obj?.deep?.value ** 2;
const { a, ...rest } = { a: 1, b: 2, c: 3 };
console.log(c.inc(), c.inc(), x, Object.keys(rest).join(""), typeof import.meta, 1_000, [1, [2, [3]]].flat(2).length, lazy);
`})
	if err != nil {
		t.Fatalf("%v\n%s", err, runtime.FormatError(err, false))
	}
	wantOutput(t, tv.stdout.String(), "1 2 4 bc object 1000 3 lazy")
}

func TestCompiledProgramsAreCached(t *testing.T) {
	tv := newTestVM(t)
	files := map[string]string{"main.js": `globalThis.runs = (globalThis.runs || 0) + 1; console.log("ran", runs);`}
	for range 3 {
		if err := tv.run(t, "main.js", files); err != nil {
			t.Fatal(err)
		}
	}
	wantOutput(t, tv.stdout.String(), "ran 1\nran 2\nran 3")
	if hits := runtime.ProgramCacheHits(); hits < 2 {
		t.Errorf("cache hits = %d, want >= 2", hits)
	}
}

func TestBundleWarningsGoToStderr(t *testing.T) {
	tv := newTestVM(t)
	if err := tv.run(t, "main.js", map[string]string{"main.js": `console.log(typeof import.meta.url);`}); err != nil {
		t.Fatal(err)
	}
	want := `warning: main.js:1:20: "import.meta" is not available in icscript (goja) and will be empty`
	if got := tv.stderr.String(); !strings.Contains(got, want) {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	wantOutput(t, tv.stdout.String(), "undefined")
}
