package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	return runCommand(t, binaryCommand(t, dir, env, args...))
}

// runCommand runs cmd to its end and returns what it did; a command that
// cannot be run at all fails the test.
func runCommand(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
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

// binaryCommand is the built binary, to run in dir with args. Its
// environment has HOME and the XDG directories in a temp dir, so nothing of
// the developer's own configuration leaks in; env ("K=V") comes last and
// wins over those.
func binaryCommand(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(icscriptBinary(t), args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "XDG_STATE_HOME=" + home + "/state",
		"PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}, env...)
	return cmd
}

// process is the binary running in the background while a test reads its
// output, signals it and waits for it to end.
type process struct {
	t              *testing.T
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	exited         chan struct{}
}

// startIcscript starts the binary like icscript runs it; the test's
// cleanup kills it if it is still running.
func startIcscript(t *testing.T, dir string, env []string, args ...string) *process {
	t.Helper()
	p := &process{t: t, cmd: binaryCommand(t, dir, env, args...), exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// waitStdout waits until stdout holds want n times.
func (p *process) waitStdout(want string, n int) {
	p.t.Helper()
	p.waitOutput(func() bool { return strings.Count(p.stdout.String(), want) >= n }, fmt.Sprintf("stdout never had %q %d times", want, n))
}

// waitStderr waits until stderr holds want.
func (p *process) waitStderr(want string) {
	p.t.Helper()
	p.waitOutput(func() bool { return strings.Contains(p.stderr.String(), want) }, fmt.Sprintf("stderr never had %q", want))
}

func (p *process) waitOutput(cond func() bool, failure string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) || p.done() {
			if cond() {
				return
			}
			p.t.Fatalf("%s\nstdout:\n%s\nstderr:\n%s", failure, p.stdout.String(), p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// done reports whether the process has ended.
func (p *process) done() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// stop sends sig and returns the exit code, failing the test when the
// process is still running within (a generous bound, not a timing check).
func (p *process) stop(sig os.Signal, within time.Duration) int {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !p.done() {
		p.t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(within):
		p.t.Fatalf("still running %s after %s\nstderr:\n%s", within, sig, p.stderr.String())
	}
	return p.cmd.ProcessState.ExitCode()
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
