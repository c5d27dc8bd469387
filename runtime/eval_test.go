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

func TestEvalContextCancelInterruptsOnlyTheEvaluation(t *testing.T) {
	tv := newTestVM(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := tv.EvalContext(ctx, `while (true) {}`, runtime.EvalOptions{})
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to stop", d)
	}
	if tv.Context().Err() != nil {
		t.Fatal("the VM's context was cancelled with the evaluation's")
	}
	v, err := tv.EvalContext(context.Background(), `6 * 7`, runtime.EvalOptions{})
	if err != nil || v.ToInteger() != 42 {
		t.Fatalf("next evaluation: %v, %v", v, err)
	}
}

// Go work started during an evaluation gets that evaluation's context.
func TestEvalContextCancelsWork(t *testing.T) {
	tv := newTestVM(t)
	sawCancel := make(chan error, 1)
	_ = tv.Set("slow", func(goja.FunctionCall) goja.Value {
		return tv.Runtime().ToValue(tv.Async(func(ctx context.Context) (any, error) {
			select {
			case <-ctx.Done():
				sawCancel <- ctx.Err()
				return nil, ctx.Err()
			case <-time.After(10 * time.Second):
				sawCancel <- nil
				return 1, nil
			}
		}, nil))
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := tv.EvalContext(ctx, `slow()`, runtime.EvalOptions{AwaitResult: true})
	if !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	select {
	case got := <-sawCancel:
		if got == nil {
			t.Fatal("the work's context was not cancelled")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the work never saw its context end")
	}
	if tv.Context().Err() != nil {
		t.Fatal("the VM's context was cancelled")
	}
}

func TestEvalContextAwaitResult(t *testing.T) {
	tv := newTestVM(t)
	await := runtime.EvalOptions{AwaitResult: true}
	cases := []struct{ code, want, wantErr string }{
		{code: `Promise.resolve(5)`, want: "5"},
		{code: `new Promise(r => setTimeout(() => r("late"), 5))`, want: "late"},
		{code: `(async () => { await null; return 7 })()`, want: "7"},
		{code: `Promise.reject(new TypeError("bad"))`, wantErr: "TypeError: bad"},
		{code: `(async () => { throw 1 })()`, wantErr: "1"},
		{code: `new Promise(() => {})`, wantErr: "never settled"},
		{code: `"plain"`, want: "plain"},
	}
	for _, c := range cases {
		v, err := tv.EvalContext(context.Background(), c.code, await)
		if c.wantErr != "" {
			var se *runtime.ScriptError
			if !errors.As(err, &se) || !strings.Contains(se.Message, c.wantErr) {
				t.Errorf("%s: err = %v, want %q", c.code, err, c.wantErr)
			}
			continue
		}
		if err != nil || v.String() != c.want {
			t.Errorf("%s = %v, %v; want %s", c.code, v, err, c.want)
		}
	}
	// The thrown value is kept.
	_, err := tv.EvalContext(context.Background(), `Promise.reject(Object.assign(new Error("x"), {status: 404}))`, await)
	var se *runtime.ScriptError
	if !errors.As(err, &se) || se.Value == nil || se.Value.ToObject(tv.Runtime()).Get("status").ToInteger() != 404 {
		t.Errorf("err = %#v: the rejection value is lost", err)
	}
	// Without AwaitResult a promise is a value.
	v, err := tv.EvalContext(context.Background(), `Promise.resolve(1)`, runtime.EvalOptions{})
	if err != nil || v.ExportType().String() != "*goja.Promise" {
		t.Errorf("got %v, %v", v, err)
	}
}

func TestRunFileContextKeepsGlobals(t *testing.T) {
	tv := newTestVM(t)
	path := filepath.Join(tv.dir, "lib.js")
	if err := os.WriteFile(path, []byte(`globalThis.loaded = await Promise.resolve("yes");`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := tv.RunFileContext(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	if v, err := tv.Eval(`loaded`); err != nil || v.String() != "yes" {
		t.Errorf("loaded = %v, %v", v, err)
	}
}
