package stdlib_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

func TestSleep(t *testing.T) {
	h := setup(t, nil)
	start := time.Now()
	h.ok(t, `
const order = [];
const a = sleep(30).then(() => order.push("30"));
const b = sleep(1).then(() => order.push("1"));
eq(await sleep(0), undefined, "resolves to undefined");
await Promise.all([a, b]);
eq(order, ["1", "30"]);
await sleep(-5);
throws(() => sleep("1s"), "sleep(): the delay in milliseconds must be a number");
`)
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("slept %v; want at least 30ms", d)
	}
}

func TestSleepIsCancelledWithTheRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	vm := runtime.New(ctx, runtime.Options{})
	defer vm.Close()
	if err := stdlib.Install(vm, stdlib.Env{}); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := vm.RunCode(`await sleep(60000); console.log("woke")`, "sleep.js")
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	if err == nil || !errors.Is(err, runtime.ErrInterrupted) && !strings.Contains(err.Error(), "cancel") {
		t.Fatalf("run error = %v; want an interruption", err)
	}
}
