package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/stdlib"
)

// TestExitCodeFollowsTheError: the code comes from the kind of error,
// whatever wraps it.
func TestExitCodeFollowsTheError(t *testing.T) {
	_, busy := net.Listen("tcp", "256.0.0.1:1") // a listen error, as a taken port gives
	notDir := &fs.PathError{Op: "mkdir", Path: "f/x", Err: syscall.ENOTDIR}
	for _, c := range []struct {
		name string
		err  error
		want int
	}{
		{"usage", usagef("--rate wants R/WINDOW"), exitUsage},
		{"usage wrapped", fmt.Errorf("listen: %w", usagef("bad")), exitUsage},
		{"missing file", fmt.Errorf("check: %w", &fs.PathError{Op: "open", Path: "x.js", Err: syscall.ENOENT}), exitUsage},
		{"checkpoint", &bindings.CheckpointError{Msg: "checkpoint x exists"}, exitUsage},
		{"config", fmt.Errorf("profile %q: %w", "prod", config.CheckAPIVersion("9.9", "the profile")), exitUsage},
		{"stop", safety.Refusal(errors.New("not confirmed")), exitStopped},
		{"audit refusal of a disk error", fmt.Errorf("x: %w", safety.Refusal(&fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES})), exitStopped},
		{"exit(n)", &stdlib.ExitError{Code: 7}, 7},
		{"permission", fmt.Errorf("types: %w", &fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}), exitEnvironment},
		{"disk full", &fs.PathError{Op: "write", Path: "/dev/full", Err: syscall.ENOSPC}, exitEnvironment},
		{"not a folder", notDir, exitEnvironment},
		{"disk error inside a usage error", usagef("--state: %w", notDir), exitEnvironment},
		{"port", fmt.Errorf("sandbox: %w", busy), exitEnvironment},
		{"refused dial", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, exitScriptError},
		{"other", errors.New("boom"), exitScriptError},
	} {
		if c.name == "port" && busy == nil {
			t.Fatal("listening on 256.0.0.1 worked")
		}
		if got := exitCode(c.err); got != c.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", c.name, c.err, got, c.want)
		}
	}
}

// TestExitCodesThroughTheBinary: a taken port, an unwritable path and a
// script's args usage error end with the codes the README lists.
func TestExitCodesThroughTheBinary(t *testing.T) {
	dir := t.TempDir()

	t.Run("taken port", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		icscript(t, dir, nil, "sandbox", "--addr", ln.Addr().String()).must(t, exitEnvironment).contains(t, ln.Addr().String(), "address already in use")
		_, script := writeScript(t, "h.js", `export default { "*": () => {} };`)
		icscript(t, dir, nil, "listen", "--sandbox", "--addr", ln.Addr().String(), script).must(t, exitEnvironment).contains(t, "address already in use")
	})

	t.Run("args usage error", func(t *testing.T) {
		sdir, _ := writeScript(t, "days.js", `const d = args.flag("days", 30); console.log(d);`)
		r := icscript(t, sdir, nil, "--sandbox", "days.js", "--days", "abc").must(t, exitUsage)
		r.contains(t, "--days wants a number, got 'abc'")
		icscript(t, sdir, nil, "--sandbox", "days.js", "--days", "3").must(t, exitOK).contains(t, "3")
		// The script's own mistake stays a script error.
		sdir, _ = writeScript(t, "undeclared.js", `args.declare({days: 30}); args.flag("other", 1);`)
		icscript(t, sdir, nil, "--sandbox", "undeclared.js").must(t, exitScriptError).contains(t, "--other is not declared")
	})

	t.Run("unwritable path", func(t *testing.T) {
		file := filepath.Join(dir, "a-file")
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		// A folder that is a file: the disk refuses, not the command line.
		icscript(t, dir, nil, "init", filepath.Join(file, "repo")).must(t, exitEnvironment).contains(t, "not a directory")
		if _, err := os.Stat("/dev/full"); err == nil {
			icscript(t, dir, nil, "types", "-o", "/dev/full").must(t, exitEnvironment).contains(t, "no space left on device")
		}
		// The audit log's folder cannot exist: the safety rail refuses the run.
		_, script := writeScript(t, "x.js", `console.log("ran")`)
		r := icscript(t, dir, nil, "--sandbox", "--audit", filepath.Join(file, "audit.jsonl"), script).must(t, exitStopped)
		r.contains(t, "audit log", "is not a folder")
		if r.stdout != "" {
			t.Errorf("the script ran: %q", r.stdout)
		}
		// A missing output folder is a path named wrong: a usage error.
		icscript(t, dir, nil, "types", "-o", filepath.Join(dir, "no", "such", "x.d.ts")).must(t, exitUsage)
	})

	t.Run("config file", func(t *testing.T) {
		cfg := t.TempDir()
		path := filepath.Join(cfg, "icscript", "config.toml")
		env := []string{"XDG_CONFIG_HOME=" + cfg}
		// One that cannot be read (a folder where the file should be): the machine's.
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		icscript(t, dir, env, "-e", "1").must(t, exitEnvironment).contains(t, "reading "+path, "is a directory")
		// One that does not decode: a mistake to fix, as bad flags are.
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("default_profile = \n"), 0o600); err != nil {
			t.Fatal(err)
		}
		icscript(t, dir, env, "-e", "1").must(t, exitUsage).contains(t, path)
	})
}

// TestEveryExitCodeIsDocumented: each exit code constant of exitcodes.go
// (read from the source, so a new one is seen) is listed in the help's
// "Exit codes:" and in the README's table, which say the same by hand.
func TestEveryExitCodeIsDocumented(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "exitcodes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, help, _ := strings.Cut(helpTail, "Exit codes:")
	_, table, _ := strings.Cut(string(readme), "## Exit codes")
	table, _, _ = strings.Cut(table, "\n## ")
	codes := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			lit, ok := v.Values[0].(*ast.BasicLit)
			if !ok || !strings.HasPrefix(v.Names[0].Name, "exit") {
				continue
			}
			codes++
			code := lit.Value
			if !regexp.MustCompile(`(?m)(^  |; )` + code + `\b`).MatchString(help) {
				t.Errorf("%s (%s) is not in the help's exit codes:%s", v.Names[0].Name, code, help)
			}
			if !regexp.MustCompile(`(?m)^\| (\d+ / )?` + code + `( / \d+)? \|`).MatchString(table) {
				t.Errorf("%s (%s) is not in the README's exit code table", v.Names[0].Name, code)
			}
		}
	}
	if codes < 8 {
		t.Fatalf("read %d exit codes from exitcodes.go", codes)
	}
}

// TestExitEnvironmentForTheJournalAndTheSandboxState: the webhook journal
// and the sandbox's state file are icscript's own I/O, so the machine
// refusing them ends with exitEnvironment. The tests run as root, whom
// permissions do not stop: the paths go under a regular file (ENOTDIR).
func TestExitEnvironmentForTheJournalAndTheSandboxState(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"INTERCOM_CLIENT_SECRET=" + e2eSecret}

	t.Run("listen's journal", func(t *testing.T) {
		t.Parallel()
		_, script := writeScript(t, "h.js", `export default { "*": () => {} };`)
		r := icscript(t, dir, env, "listen", "--sandbox", "--addr", "127.0.0.1:0", "--journal", filepath.Join(file, "j.jsonl"), script)
		r.must(t, exitEnvironment).contains(t, "not a directory")
		if strings.Contains(r.stderr, "receiving at") {
			t.Errorf("listen received without a journal:\n%s", r.stderr)
		}
	})

	t.Run("sandbox state read at the start", func(t *testing.T) {
		t.Parallel()
		icscript(t, dir, nil, "sandbox", "--addr", "127.0.0.1:0", "--sandbox-state", filepath.Join(file, "state.json")).
			must(t, exitEnvironment).contains(t, "state.json", "not a directory")
	})

	t.Run("sandbox state saved on exit", func(t *testing.T) {
		t.Parallel()
		sub := filepath.Join(t.TempDir(), "sub")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		p := startIcscript(t, dir, nil, "sandbox", "--addr", "127.0.0.1:0", "--sandbox-state", filepath.Join(sub, "state.json"))
		p.waitStdout("Ctrl-C stops it.", 1)
		// The state's folder becomes a file while the sandbox serves.
		if err := os.Remove(sub); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sub, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if code := p.stop(syscall.SIGINT, time.Minute); code != exitEnvironment {
			t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitEnvironment, p.stdout.String(), p.stderr.String())
		}
		if !strings.Contains(p.stderr.String(), "not a directory") {
			t.Errorf("stderr:\n%s", p.stderr.String())
		}
	})
}
