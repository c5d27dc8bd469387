package runtime_test

import (
	"context"
	"errors"
	goruntime "runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/icscript/icscript/runtime"
)

// TestMemoryGuardStopsAHungryScript: past Options.MaxMemory the run is
// interrupted with a MemoryError instead of growing until the machine kills
// the process; the guard's goroutine ends with the VM. Not parallel: the
// heap measured is the whole test process's.
func TestMemoryGuardStopsAHungryScript(t *testing.T) {
	before := goruntime.NumGoroutine()
	const limit = 96 << 20
	var hardStops atomic.Int32
	vm := runtime.New(context.Background(), runtime.Options{MaxMemory: limit, MemoryHardStop: func(error) { hardStops.Add(1) }})
	start := time.Now()
	err := vm.RunCode(`const keep = []; for (;;) keep.push({ n: keep.length, s: "x".repeat(64) });`, "hungry.js")
	t.Logf("stopped after %s", time.Since(start).Round(time.Millisecond))
	var mem *runtime.MemoryError
	if !errors.As(err, &mem) || !errors.Is(err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v (%T), want an interruption by a *MemoryError", err, err)
	}
	if mem.Limit != limit || mem.Used <= limit || !strings.Contains(err.Error(), "used more than 96 MiB") {
		t.Fatalf("MemoryError %+v: %v", mem, err)
	}
	if hardStops.Load() != 0 {
		t.Fatal("the hard stop was called although the interruption worked")
	}
	vm.Close()
	goruntime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := goruntime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}

// TestMemoryGuardLeavesModestScriptsAlone: garbage that is collected does
// not count, only what stays live.
func TestMemoryGuardLeavesModestScriptsAlone(t *testing.T) {
	vm := runtime.New(context.Background(), runtime.Options{MaxMemory: 256 << 20})
	defer vm.Close()
	err := vm.RunCode(`for (let i = 0; i < 40; i++) { const a = []; for (let j = 0; j < 5000; j++) a.push({ j }); }`, "churn.js")
	if err != nil {
		t.Fatal(err)
	}
}
