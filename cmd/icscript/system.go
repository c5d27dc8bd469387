package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/safety"
)

// System is the process's world: streams, environment, working directory,
// terminal, signals and clock. Only main builds one from the real process;
// tests build one from buffers, and no package but a main touches os.Std*,
// os.Getenv or os.Getwd (internal/layering checks it).
type System struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Environ        func() []string
	// StdoutTTY and StderrTTY tell whether output goes to a terminal;
	// StdinTTY whether a person can answer prompts.
	StdinTTY, StdoutTTY, StderrTTY bool
	// Signals delivers SIGINT and SIGTERM; nil in tests that do not send any.
	Signals <-chan os.Signal
	Now     func() time.Time
	// Exit, when set, ends the process at once (the second Ctrl-C).
	Exit func(code int)
	// HomeDir and the XDG directories for config and state.
	ConfigDir, StateDir string
	// CacheDir is $XDG_CACHE_HOME/icscript (bundled scripts); "" caches nothing.
	CacheDir string
	// Program identifies the running executable (path, size, modification
	// time) in the bundle cache's keys; nil or "" caches nothing.
	Program func() string
	// Dir is the working directory, read once by main: relative paths of a
	// command resolve from it and file names in errors are shown relative
	// to it. Nothing else asks the process for its working directory.
	Dir string
	// secrets, when set, are redacted from Stdout and Stderr (see
	// redacted); a token read during the run is added to them.
	secrets *safety.Redactor
	// progressOut, when set, is where progress bars draw (see withTermLine).
	progressOut io.Writer
}

func newSystem() *System {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	home, _ := os.UserHomeDir()
	dir, _ := os.Getwd()
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = home + "/.config"
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = home + "/.cache"
	}
	state := os.Getenv("XDG_STATE_HOME")
	if state == "" {
		state = home + "/.local/state"
	}
	return &System{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Environ: os.Environ,
		StdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		Signals:   sig,
		Now:       time.Now,
		Exit:      os.Exit,
		ConfigDir: cfg + "/icscript",
		StateDir:  state + "/icscript",
		CacheDir:  cache + "/icscript",
		Program:   programIdentity,
		Dir:       dir,
	}
}

// programIdentity is the running executable's path, size and modification
// time, read once when a run first needs it: a rebuilt or upgraded icscript
// is another program. "" when the executable cannot be found.
var programIdentity = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	info, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s\x00%d\x00%d", exe, info.Size(), info.ModTime().UnixNano())
})

// program is Program's answer, "" without one.
func (s *System) program() string {
	if s.Program == nil {
		return ""
	}
	return s.Program()
}

// path is a file a command names (a flag's value, an argument) as the
// command reads or writes it: resolved from Dir when relative, so that
// run(args, sys) with another Dir finds what the binary would in that
// folder. "" (none) and "-" (the standard stream) stay as they are; the
// name as given is what messages show.
func (s *System) path(p string) string {
	if p == "" || p == "-" {
		return p
	}
	return engine.InDir(s.Dir, p)
}

// color reports whether stdout may be coloured: a terminal, and colours
// not turned off (colorAllowed).
func (s *System) color() bool { return s.StdoutTTY && s.colorAllowed() }

// stderrColor reports whether stderr (errors, warnings) may be coloured.
func (s *System) stderrColor() bool { return s.StderrTTY && s.colorAllowed() }

// colorAllowed is the one colour decision besides the terminal: NO_COLOR
// set (https://no-color.org) or TERM=dumb turns colours off.
func (s *System) colorAllowed() bool {
	return s.Getenv("NO_COLOR") == "" && s.Getenv("TERM") != "dumb"
}

// interruptible returns a context cancelled by the first SIGINT/SIGTERM,
// and a function telling which signal (0 if none) ended it. A second
// signal exits at once.
func (s *System) interruptible(parent context.Context) (context.Context, func() int, func()) {
	ctx, cancelCause := context.WithCancelCause(parent)
	cancel := func() { cancelCause(nil) }
	code := make(chan int, 1)
	stop := make(chan struct{})
	if s.Signals != nil {
		go func() {
			got := 0
			for {
				select {
				case sig := <-s.Signals:
					c := exitInterrupted
					if sig == syscall.SIGTERM {
						c = exitTerminated
					}
					if got > 0 && s.Exit != nil {
						s.Exit(c)
						return
					}
					got = c
					code <- c
					cancelCause(signalCause(c))
				case <-stop:
					return
				}
			}
		}()
	}
	which := func() int {
		select {
		case c := <-code:
			code <- c
			return c
		default:
			return 0
		}
	}
	return ctx, which, func() { close(stop); cancel() }
}

// signalCause is the cause of a context cancelled by a signal: its exit code.
type signalCause int

func (s signalCause) Error() string {
	if s == exitTerminated {
		return "terminated (SIGTERM)"
	}
	return "interrupted (SIGINT)"
}

// interruptedCode is the exit code of a command stopped because ctx ended:
// 143 after SIGTERM, else 130.
func interruptedCode(ctx context.Context) int {
	if s, ok := context.Cause(ctx).(signalCause); ok {
		return int(s)
	}
	return exitInterrupted
}
