// Package sandboxtest starts a sandbox for a test: a fresh seeded workspace
// served on 127.0.0.1, closed when the test ends.
package sandboxtest

import (
	"testing"

	"github.com/icscript/icscript/sandbox"
)

// Start builds a sandbox from opts, serves it on 127.0.0.1:0 and returns it
// with its base URL. t.Cleanup closes it.
func Start(t testing.TB, opts sandbox.Options) (*sandbox.Sandbox, string) {
	t.Helper()
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandboxtest: %v", err)
	}
	base, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatalf("sandboxtest: %v", err)
	}
	t.Cleanup(func() {
		if err := sb.Close(); err != nil {
			t.Errorf("sandboxtest: close: %v", err)
		}
	})
	return sb, base
}
