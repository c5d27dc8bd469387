package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestStderrColour: errors on a terminal's stderr are coloured unless
// NO_COLOR is set or TERM is dumb, whichever command prints them (a run's
// uncaught error, check's bundling error). stderr is a real pty here,
// stdout a pipe: the decision is stderr's own.
func TestStderrColour(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.js"), []byte("let = ;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"run":   {"--sandbox", "-e", `throw new Error("boom")`},
		"check": {"check", "broken.js"},
	}
	cases := []struct {
		env    []string
		colour bool
	}{
		{[]string{"TERM=xterm"}, true},
		{[]string{"TERM=dumb"}, false},
		{[]string{"TERM=xterm", "NO_COLOR=1"}, false},
	}
	for name, args := range commands {
		for _, c := range cases {
			stderr := stderrOnPTY(t, dir, c.env, args...)
			if !strings.Contains(stderr, "error") {
				t.Fatalf("%s %v: no error on stderr: %q", name, c.env, stderr)
			}
			if got := strings.Contains(stderr, "\x1b["); got != c.colour {
				t.Errorf("%s %v: coloured %v, want %v: %q", name, c.env, got, c.colour, stderr)
			}
		}
	}
}

// TestConsoleErrorColourFollowsStderr: console.error and console.warn
// colour what they print by stderr's terminal, not stdout's (a pipe here).
func TestConsoleErrorColourFollowsStderr(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		env    []string
		colour bool
	}{
		{[]string{"TERM=xterm"}, true},
		{[]string{"TERM=dumb"}, false},
		{[]string{"TERM=xterm", "NO_COLOR=1"}, false},
	} {
		stderr := stderrOnPTY(t, dir, c.env, "--sandbox", "-e", `console.error({ n: 1 }); console.warn([true]); exit(3)`)
		if !strings.Contains(stderr, "n:") || !strings.Contains(stderr, "true") {
			t.Fatalf("%v: the objects are not on stderr: %q", c.env, stderr)
		}
		if got := strings.Contains(stderr, "\x1b["); got != c.colour {
			t.Errorf("%v: coloured %v, want %v: %q", c.env, got, c.colour, stderr)
		}
	}
}

// stderrOnPTY runs the binary with stderr on a pseudo-terminal (stdout and
// stdin not) and returns what it wrote there. NO_COLOR is not set unless
// env sets it.
func stderrOnPTY(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	cmd := binaryCommand(t, dir, nil, args...)
	var kept []string
	for _, kv := range cmd.Env {
		if !strings.HasPrefix(kv, "NO_COLOR=") {
			kept = append(kept, kv)
		}
	}
	cmd.Env = append(kept, env...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, tty
	read := make(chan string, 1)
	go func() {
		var b bytes.Buffer
		_, _ = io.Copy(&b, ptmx) // ends with EIO once the child and tty are closed
		read <- b.String()
	}()
	err = cmd.Run()
	tty.Close()
	if err == nil {
		t.Fatalf("icscript %v succeeded; stdout %q", args, stdout.String())
	}
	return <-read
}
