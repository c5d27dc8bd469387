// Package runtimetest helps tests run scripts the way users write them:
//
//	vm := runtimetest.New(t)
//	out, err := runtimetest.Run(t, vm, `console.log(await Promise.resolve(1))`)
package runtimetest

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/icscript/icscript/runtime"
)

// New returns a VM whose output is captured for Run, cancelled and closed
// when the test ends.
func New(t testing.TB) *runtime.VM {
	t.Helper()
	return NewFrom(t, func(ctx context.Context, stdout, stderr io.Writer) (*runtime.VM, error) {
		return runtime.New(ctx, runtime.Options{Stdout: stdout, Stderr: stderr}), nil
	})
}

// NewFrom is New for a VM that build assembles (enginetest's, with the
// bindings and the standard library): build gets the context that ends with
// the test and the writers Run and Stderr read.
func NewFrom(t testing.TB, build func(ctx context.Context, stdout, stderr io.Writer) (*runtime.VM, error)) *runtime.VM {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &buffers{}
	vm, err := build(ctx, &out.stdout, &out.stderr)
	if err != nil {
		cancel()
		t.Fatalf("runtimetest: %v", err)
	}
	outputs.Store(vm, out)
	t.Cleanup(func() {
		vm.Close()
		cancel()
		outputs.Delete(vm)
	})
	return vm
}

// outputs remembers the buffers of VMs made by New.
var outputs sync.Map // *runtime.VM -> *buffers

type buffers struct {
	stdout, stderr syncBuffer
}

// Run writes src to script.ts in a fresh temporary directory, runs it on vm
// and returns what this run printed to stdout (for a VM from New) and the
// run's error.
func Run(t testing.TB, vm *runtime.VM, src string) (stdout string, err error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.ts")
	if werr := os.WriteFile(path, []byte(src), 0o600); werr != nil {
		t.Fatal(werr)
	}
	out, _ := outputs.Load(vm)
	bufs, _ := out.(*buffers)
	before := 0
	if bufs != nil {
		before = len(bufs.stdout.String())
	}
	err = vm.RunFile(path)
	if bufs != nil {
		stdout = bufs.stdout.String()[before:]
	}
	return stdout, err
}

// Stderr returns what a VM made by New printed to stderr so far.
func Stderr(vm *runtime.VM) string {
	if out, ok := outputs.Load(vm); ok {
		return out.(*buffers).stderr.String()
	}
	return ""
}

// syncBuffer is a bytes.Buffer safe for the loop and the test goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
