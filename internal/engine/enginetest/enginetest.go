// Package enginetest gives tests the VM a user's script runs in — runtime,
// bindings and standard library, assembled by engine.New — wired to an
// in-process sandbox, so that a test reads like the script:
//
//	vm := enginetest.New(t, nil)
//	out, err := runtimetest.Run(t, vm, `console.log((await intercom.me).app.name)`)
//
// Output is captured as runtimetest's (Run, Stderr); the sandbox is
// sandboxtest's. Everything ends with the test.
package enginetest

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/runtime/runtimetest"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// New returns a VM against a fresh sandbox seeded with seed 1, working in a
// temporary directory, with no input, no environment and quiet progress;
// mod, when not nil, adjusts the options first.
func New(t testing.TB, mod func(*engine.Options)) *runtime.VM {
	t.Helper()
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 1})
	return NewOn(t, sb, base, mod)
}

// NewOn is New against a sandbox the test started (sandboxtest.Start) and
// looks at afterwards.
func NewOn(t testing.TB, sb *sandbox.Sandbox, base string, mod func(*engine.Options)) *runtime.VM {
	t.Helper()
	c, err := intercom.New(intercom.Config{Token: sb.Token(), BaseURL: base, MaxRetries: 1, UserAgent: "icscript-test"})
	if err != nil {
		t.Fatalf("enginetest: %v", err)
	}
	o := engine.Options{
		Stdin:     strings.NewReader(""),
		Environ:   func() []string { return nil },
		Now:       time.Now,
		Dir:       t.TempDir(),
		Client:    c,
		Workspace: "the sandbox",
		Quiet:     true,
		Version:   "test",
	}
	if mod != nil {
		mod(&o)
	}
	return runtimetest.NewFrom(t, func(ctx context.Context, stdout, stderr io.Writer) (*runtime.VM, error) {
		o.Stdout, o.Stderr = stdout, stderr
		vm, _, err := engine.New(ctx, o)
		return vm, err
	})
}
