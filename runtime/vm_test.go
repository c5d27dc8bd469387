package runtime_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

func TestTopLevelAwait(t *testing.T) {
	out := runScript(t, `
const v = await new Promise<number>((resolve) => setTimeout(() => resolve(42), 5));
console.log("got", v);
`)
	wantOutput(t, out, "got 42")
}

func TestESMImportOfRelativeFile(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{
		"main.js":        `import { staleQuery, DAYS } from "./lib/queries.ts"; import def from "./lib/def.mjs"; console.log(staleQuery(DAYS), def);`,
		"lib/queries.ts": `export const DAYS: number = 30; export function staleQuery(days: number): string { return "older than " + days; }`,
		"lib/def.mjs":    `export default "default export";`,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "older than 30 default export")
}

func TestCommonJSRequire(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.cjs", map[string]string{
		"main.cjs":  `const { add } = require("./math.js"); const data = require("./data.json"); console.log(add(2, 3), data.name);`,
		"math.js":   `module.exports.add = (a, b) => a + b;`,
		"data.json": `{"name": "json"}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "5 json")
}

func TestTypeScriptEntry(t *testing.T) {
	out := runScript(t, `
interface Contact { id: string; email?: string }
type Pair<T> = [T, T];
enum Color { Red = "red" }
class Repo<T extends Contact> {
  private items: T[] = [];
  add(item: T): this { this.items.push(item); return this; }
  get size(): number { return this.items.length; }
}
const pair: Pair<number> = [1, 2];
const repo = new Repo<Contact>().add({ id: "1" }).add({ id: "2", email: "a@b.c" });
console.log(repo.size, pair, Color.Red, (pair as unknown as number[]).length);
`)
	wantOutput(t, out, "2 [ 1, 2 ] red 2")
}

func TestForAwait(t *testing.T) {
	tv := newTestVM(t)
	// A Go-side async iterable keyed by Symbol.for("Symbol.asyncIterator"),
	// as the bindings' pagers are.
	err := tv.Set("goPages", func(call goja.FunctionCall) goja.Value {
		rt := tv.Runtime()
		key, _ := rt.RunString(`Symbol.for("Symbol.asyncIterator")`)
		i := 0
		next := func(goja.FunctionCall) goja.Value {
			i++
			page := map[string]any{"value": i * 10, "done": i > 3}
			return rt.ToValue(tv.Async(func(context.Context) (any, error) { return page, nil }, nil))
		}
		iterable := rt.NewObject()
		_ = iterable.SetSymbol(key.(*goja.Symbol), func(goja.FunctionCall) goja.Value {
			return rt.ToValue(map[string]any{"next": next})
		})
		return iterable
	})
	if err != nil {
		t.Fatal(err)
	}
	err = tv.run(t, "main.ts", map[string]string{"main.ts": `
async function* gen() { yield 1; await null; yield 2; }
const seen: number[] = [];
for await (const v of gen()) seen.push(v);
for await (const v of goPages()) seen.push(v);
for await (const v of [Promise.resolve(7), 8]) seen.push(v);
const manual = { [Symbol.asyncIterator]() { let n = 0; return { next: async () => ({ value: n, done: n++ >= 2 }) }; } };
for await (const v of manual) seen.push(v);
console.log(seen.join(","), Symbol.asyncIterator === Symbol.for("Symbol.asyncIterator"));
`})
	if err != nil {
		t.Fatalf("%v\n%s", err, runtime.FormatError(err, false))
	}
	wantOutput(t, tv.stdout.String(), "1,2,10,20,30,7,8,0,1 true")
}

func TestTimersOrderAndArgs(t *testing.T) {
	out := runScript(t, `
const log: string[] = [];
setTimeout(() => log.push("c"), 30);
setTimeout((x, y) => log.push("a" + x + y), 1, 1, 2);
setTimeout(() => log.push("b"), 10);
setTimeout(() => log.push("b2"), 10);
const cancelled = setTimeout(() => log.push("never"), 5);
clearTimeout(cancelled);
let n = 0;
const iv = setInterval(() => { log.push("i" + ++n); if (n === 3) clearInterval(iv); }, 2);
queueMicrotask(() => log.push("micro"));
setTimeout(() => console.log(log.join(" ")), 50);
`)
	got := strings.Fields(out)
	pos := map[string]int{}
	for i, w := range got {
		pos[w] = i
	}
	if len(got) != 8 || got[0] != "micro" {
		t.Fatalf("got %q", out)
	}
	for _, pair := range [][2]string{{"a12", "b"}, {"b", "b2"}, {"b2", "c"}, {"i1", "i2"}, {"i2", "i3"}} {
		if pos[pair[0]] >= pos[pair[1]] {
			t.Errorf("%s fired after %s: %q", pair[0], pair[1], out)
		}
	}
	if strings.Contains(out, "never") {
		t.Error("cleared timeout fired")
	}
}

func TestLoopWaitsForTimers(t *testing.T) {
	start := time.Now()
	out := runScript(t, `setTimeout(() => console.log("late"), 60);`)
	wantOutput(t, out, "late")
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("loop ended after %v, before the timer", d)
	}
}

func TestInterruptStopsInfiniteLoop(t *testing.T) {
	tv := newTestVM(t)
	tv.write(t, map[string]string{"main.js": `while (true) {}`})
	go func() {
		time.Sleep(50 * time.Millisecond)
		tv.Interrupt("timeout")
	}()
	start := time.Now()
	err := tv.RunFile(filepath.Join(tv.dir, "main.js"))
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v to stop", d)
	}
	if !strings.Contains(err.Error(), "timeout") {
		t.Errorf("error %q does not give the reason", err)
	}
	if tv.Context().Err() == nil {
		t.Error("Context not cancelled")
	}
}

func TestContextCancelStopsWaitingLoop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	vm := runtime.New(ctx, runtime.Options{})
	defer vm.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "main.js")
	_ = os.WriteFile(path, []byte(`setInterval(() => {}, 5); await new Promise(() => setTimeout(() => {}, 60000));`), 0o644)
	start := time.Now()
	err := vm.RunFile(path)
	if !errors.Is(err, runtime.ErrInterrupted) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrInterrupted wrapping DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v to stop", d)
	}
}

func TestDeepRecursionIsRangeError(t *testing.T) {
	tv := newTestVM(t)
	err := tv.run(t, "main.js", map[string]string{"main.js": "function f(n) { return f(n + 1) + 1; }\nf(0);\n"})
	var se *runtime.ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want ScriptError", err)
	}
	if !strings.Contains(se.Message, "RangeError") || se.File != "main.js" || se.Line != 1 {
		t.Errorf("got %+v", se)
	}
	if n := strings.Count(se.Stack, "\n"); n > 25 {
		t.Errorf("stack has %d lines, want it bounded", n)
	}
}

func TestMissingEntryFile(t *testing.T) {
	vm := runtime.New(context.Background(), runtime.Options{})
	defer vm.Close()
	err := vm.RunFile(filepath.Join(t.TempDir(), "nope.ts"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.ts") {
		t.Fatalf("err = %v", err)
	}
}

func TestGoPanicBecomesInternalError(t *testing.T) {
	tv := newTestVM(t)
	_ = tv.Set("boom", func() { panic("kaboom") })
	err := tv.run(t, "main.js", map[string]string{"main.js": `boom();`})
	var ie *runtime.InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "kaboom") || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("err = %v, want InternalError", err)
	}
}

func TestGoFunctionErrorIsCatchable(t *testing.T) {
	tv := newTestVM(t)
	_ = tv.Set("fails", func() (int, error) { return 0, errors.New("nope") })
	err := tv.run(t, "main.js", map[string]string{"main.js": `try { fails() } catch (e) { console.log("caught", e.message) }`})
	if err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "caught nope")
}

func TestRunCode(t *testing.T) {
	tv := newTestVM(t)
	err := tv.RunCode(`const x = await Promise.resolve(3); console.log(x * 2, process === undefined)`, "<eval>")
	if err == nil {
		t.Fatal("want ReferenceError for process")
	}
	if err := tv.RunCode(`console.log(await Promise.resolve(6))`, "-e"); err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "6")
}

func TestEval(t *testing.T) {
	tv := newTestVM(t)
	v, err := tv.Eval(`var a = 20; a + 1`)
	if err != nil || v.ToInteger() != 21 {
		t.Fatalf("v=%v err=%v", v, err)
	}
	v, err = tv.Eval(`let done = false; setTimeout(() => { done = true }, 1); a * 2`)
	if err != nil || v.ToInteger() != 40 {
		t.Fatalf("v=%v err=%v", v, err)
	}
	if v, _ := tv.Eval(`done`); !v.ToBoolean() {
		t.Error("Eval did not drain the loop")
	}
	if _, err := tv.Eval(`throw new TypeError("bad")`); err == nil || !strings.Contains(err.Error(), "TypeError: bad") {
		t.Errorf("err = %v", err)
	}
	if _, err := tv.Eval(`1 +`); err == nil || !strings.Contains(err.Error(), "SyntaxError") {
		t.Errorf("err = %v", err)
	}
}

func TestArgs(t *testing.T) {
	vm := runtime.New(context.Background(), runtime.Options{Args: []string{"--days", "30"}})
	defer vm.Close()
	if got := strings.Join(vm.Args(), " "); got != "--days 30" {
		t.Errorf("Args() = %q", got)
	}
}

func TestNewWithCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	vm := runtime.New(ctx, runtime.Options{})
	defer vm.Close()
	if _, err := vm.Eval(`1`); !errors.Is(err, runtime.ErrInterrupted) {
		t.Errorf("err = %v, want ErrInterrupted", err)
	}
}
