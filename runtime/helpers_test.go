package runtime_test

import (
	"context"
	"github.com/icscript/icscript/internal/testsupport"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
)

// lockedBuffer is written by a goroutine while the test reads.
type lockedBuffer = testsupport.Buffer

type testVM struct {
	*runtime.VM
	dir            string
	stdout, stderr *lockedBuffer
}

func newTestVM(t *testing.T) *testVM {
	t.Helper()
	tv := &testVM{dir: t.TempDir(), stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	tv.VM = runtime.New(context.Background(), runtime.Options{Stdout: tv.stdout, Stderr: tv.stderr})
	t.Cleanup(tv.Close)
	return tv
}

// write creates files (name -> source) in the VM's directory.
func (tv *testVM) write(t *testing.T, files map[string]string) {
	t.Helper()
	for name, src := range files {
		path := filepath.Join(tv.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// run writes files and runs entry.
func (tv *testVM) run(t *testing.T, entry string, files map[string]string) error {
	t.Helper()
	tv.write(t, files)
	return tv.RunFile(filepath.Join(tv.dir, entry))
}

// runScript runs src as main.ts and fails the test on error.
func runScript(t *testing.T, src string) string {
	t.Helper()
	tv := newTestVM(t)
	if err := tv.run(t, "main.ts", map[string]string{"main.ts": src}); err != nil {
		t.Fatalf("run failed: %v\n%s", err, runtime.FormatError(err, false))
	}
	return tv.stdout.String()
}

func wantOutput(t *testing.T, got, want string) {
	t.Helper()
	if strings.TrimSpace(got) != strings.TrimSpace(want) {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
