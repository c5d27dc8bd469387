package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestSandboxBindsLoopbackByDefault: `icscript sandbox` listens on
// loopback unless told otherwise, and warns when told otherwise.
func TestSandboxBindsLoopbackByDefault(t *testing.T) {
	o := &sandboxOptions{}
	sandboxFlags(o)
	if !strings.HasPrefix(o.addr, "127.0.0.1:") {
		t.Fatalf("default --addr %q is not loopback", o.addr)
	}
	serve := func(addr string) (int, string, string) {
		stdout, stderr := &syncBuffer{}, &syncBuffer{}
		sys := testSystem(stdout, stderr)
		sig := make(chan os.Signal, 1)
		sys.Signals = sig
		code := make(chan int, 1)
		go func() { code <- runSandboxCommand([]string{"--addr", addr, "--token", "tok-cmd-test"}, sys) }()
		var c int
		waitFor(t, func() bool {
			select {
			case c = <-code:
				return true
			default:
				if strings.Contains(stdout.String(), "Ctrl-C") {
					sig <- syscall.SIGINT
					c = <-code
					return true
				}
				return false
			}
		})
		return c, stdout.String(), stderr.String()
	}
	code, out, errOut := serve("127.0.0.1:0")
	if code != exitOK || strings.Contains(errOut, "warning") || !strings.Contains(out, "http://127.0.0.1:") {
		t.Fatalf("loopback: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = serve("localhost:0")
	if code != exitOK || strings.Contains(errOut, "warning") {
		t.Fatalf("localhost: exit %d\n%s\n%s", code, out, errOut)
	}
	// 192.0.2.1 (TEST-NET-1) is nobody's address: the warning comes first,
	// then the bind fails; nothing is exposed.
	code, _, errOut = serve("192.0.2.1:0")
	if !strings.Contains(errOut, "warning: serving on 192.0.2.1:0, reachable from other machines") {
		t.Fatalf("no warning for a non-loopback address (exit %d):\n%s", code, errOut)
	}
}
