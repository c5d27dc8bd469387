package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/icscript/icscript/internal/testsupport"
	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

func TestMain(m *testing.M) { os.Exit(testsupport.Main(m)) }

// icscriptBinary is the real binary, built once for the package's tests.
func icscriptBinary(t *testing.T) string { return testsupport.Binary(t) }

// syncBuffer is a buffer written by a goroutine or a child while the test reads.
type syncBuffer = testsupport.Buffer

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// icscript runs the built binary in dir with args and extra environment
// ("K=V"); HOME and the XDG directories point into the test's temp dir so
// nothing of the developer's own configuration leaks in.
func icscript(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(icscriptBinary(t), args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "XDG_STATE_HOME=" + home + "/state",
		"PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running icscript: %v", err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// writeScript writes a script file into a fresh directory and returns both.
func writeScript(t *testing.T, name, src string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// servedSandbox starts a sandbox on 127.0.0.1 and returns it with the
// environment and flags that point the binary at it.
func servedSandbox(t *testing.T) (*sandbox.Sandbox, []string, []string) {
	t.Helper()
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 7})
	return sb, []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()}, []string{"--base-url", base}
}

func (r result) must(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

func (r result) contains(t *testing.T, want ...string) {
	t.Helper()
	all := r.stdout + r.stderr
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", w, r.stdout, r.stderr)
		}
	}
}
