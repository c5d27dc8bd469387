package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/icscript/icscript/runtime"
)

// apiError rejects with its own JS value, as IntercomError does.
type apiError struct{ status int }

func (e *apiError) Error() string { return fmt.Sprintf("status %d", e.status) }
func (e *apiError) JSValue(rt *goja.Runtime) goja.Value {
	return rt.ToValue(map[string]any{"status": e.status})
}

func installFetch(tv *testVM) {
	_ = tv.Set("fetchNumber", func(n int, fail string) *goja.Promise {
		return tv.Async(func(ctx context.Context) (any, error) {
			time.Sleep(time.Millisecond)
			switch fail {
			case "plain":
				return nil, errors.New("request failed")
			case "api":
				return nil, &apiError{status: 404}
			case "panic":
				panic("worker exploded")
			}
			return n, nil
		}, func(rt *goja.Runtime, v any) (goja.Value, error) {
			return rt.ToValue(map[string]any{"n": v}), nil
		})
	})
}

func TestAsyncResolvesAndRejectsOnLoop(t *testing.T) {
	tv := newTestVM(t)
	installFetch(tv)
	err := tv.run(t, "main.js", map[string]string{"main.js": `
console.log((await fetchNumber(7, "")).n);
try { await fetchNumber(1, "plain") } catch (e) { console.log(e instanceof Error, e.message) }
try { await fetchNumber(1, "api") } catch (e) { console.log(e.status) }
try { await fetchNumber(1, "panic") } catch (e) { console.log(e.message.includes("internal error"), e.message.includes("worker exploded")) }
`})
	if err != nil {
		t.Fatalf("%v\n%s", err, runtime.FormatError(err, false))
	}
	wantOutput(t, tv.stdout.String(), "7\ntrue request failed\n404\ntrue true")
}

func TestThousandConcurrentAsyncs(t *testing.T) {
	tv := newTestVM(t)
	installFetch(tv)
	start := time.Now()
	err := tv.run(t, "main.js", map[string]string{"main.js": `
const all = await Promise.all(Array.from({ length: 1000 }, (_, i) => fetchNumber(i, "")));
console.log(all.length, all.reduce((s, r) => s + r.n, 0));
`})
	if err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "1000 499500")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestUnawaitedAsyncKeepsLoopAlive(t *testing.T) {
	tv := newTestVM(t)
	installFetch(tv)
	err := tv.run(t, "main.js", map[string]string{"main.js": `fetchNumber(5, "").then((r) => console.log("late", r.n));`})
	if err != nil {
		t.Fatal(err)
	}
	wantOutput(t, tv.stdout.String(), "late 5")
}

func TestAsyncWorkSeesCancellation(t *testing.T) {
	tv := newTestVM(t)
	_ = tv.Set("wait", func() *goja.Promise {
		return tv.Async(func(ctx context.Context) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, nil)
	})
	go func() {
		time.Sleep(20 * time.Millisecond)
		tv.Interrupt(errors.New("ctrl-c"))
	}()
	err := tv.run(t, "main.js", map[string]string{"main.js": `await wait();`})
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkAsync measures one JS call -> Go goroutine -> promise resolved on
// the loop, awaited in batches of 100 with Promise.all.
func BenchmarkAsync(b *testing.B) {
	vm := runtime.New(context.Background(), runtime.Options{})
	defer vm.Close()
	_ = vm.Set("op", func(call goja.FunctionCall) goja.Value {
		return vm.Runtime().ToValue(vm.Async(func(context.Context) (any, error) { return 1, nil }, nil))
	})
	_ = vm.Set("N", b.N)
	b.ReportAllocs()
	b.ResetTimer()
	_, err := vm.Eval(`(async () => {
		for (let done = 0; done < N; done += 100) {
			const batch = [];
			for (let i = 0; i < 100 && done + i < N; i++) batch.push(op());
			await Promise.all(batch);
		}
	})()`)
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAsyncSequential awaits one call at a time (latency of a hop).
func BenchmarkAsyncSequential(b *testing.B) {
	vm := runtime.New(context.Background(), runtime.Options{})
	defer vm.Close()
	_ = vm.Set("op", func(call goja.FunctionCall) goja.Value {
		return vm.Runtime().ToValue(vm.Async(func(context.Context) (any, error) { return 1, nil }, nil))
	})
	_ = vm.Set("N", b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := vm.Eval(`(async () => { for (let i = 0; i < N; i++) await op(); })()`); err != nil {
		b.Fatal(err)
	}
}

func TestAsyncRejectionCarriesCallerStack(t *testing.T) {
	tv := newTestVM(t)
	installFetch(tv)
	err := tv.run(t, "main.ts", map[string]string{"main.ts": `
async function load(): Promise<void> {
  await fetchNumber(1, "plain");
}
await load();
`})
	se := scriptError(t, err)
	if se.Message != "request failed" || se.File != "main.ts" || se.Line != 3 || se.SourceLine != `  await fetchNumber(1, "plain");` {
		t.Errorf("got %+v", se)
	}
	if !strings.Contains(se.Stack, "at load (main.ts:3:") {
		t.Errorf("stack:\n%s", se.Stack)
	}
}
