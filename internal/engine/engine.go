// Package engine assembles icscript's VM: the runtime with the Intercom
// bindings and the standard library installed, wired to a client, from an
// Options of plain values. cmd/icscript builds one per run, REPL session and
// webhook delivery (Handlers runs a handler file's deliveries, one VM each);
// tests build one with enginetest.
//
// It never reads the process: streams, the environment and the working
// directory come in Options. It is internal because its options are the
// CLI's (--yes, --resume, --quiet), not a Go API: Go users talk to Intercom
// with package intercom. It imports runtime, bindings, stdlib, intercom and
// webhook, and nothing that imports it.
package engine

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

// Options are what a VM is made of. The zero value of a field is the
// quiet, non-interactive choice.
type Options struct {
	// The process's world, as cmd/icscript's System gives it.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Environ lists the environment ("K=V") the script's env sees, minus
	// HiddenVars and any variable holding one of Secrets.
	Environ             func() []string
	HiddenVars, Secrets []string
	Now                 func() time.Time
	// Dir is the working directory: file names in errors are shown
	// relative to it, and -e code and the REPL resolve paths from it.
	Dir string
	// Color allows colour in what goes to Stdout, StderrColor in what goes
	// to Stderr (console.warn/error, warnings); Interactive lets prompts ask
	// a person (a terminal on stdin and stderr).
	Color, StderrColor, Interactive bool
	// ProgressOut, when set, is where progress bars draw instead of Stderr.
	ProgressOut io.Writer
	// CacheDir keeps bundles of single-file scripts (its "bundles" folder)
	// under keys naming Program, the running program's identity (its
	// executable's path, size and modification time); either "" caches
	// nothing.
	CacheDir, Program string

	// The script: File as given ("" for -e and the REPL), resolved from
	// Dir, and its arguments.
	File string
	Args []string

	// The workspace: the client every call goes through, the acting admin
	// (--admin; "" for the token's own), GET /me's body when the caller has
	// read it, and how checkpoints name the workspace ("the sandbox", or
	// the API base fit to print).
	Client    *intercom.Client
	Admin     string
	Me        []byte
	Workspace string

	// The flags that shape the VM.
	Quiet, Yes, Resume, DryRun bool
	// MaxMemory bounds the heap (runtime.Options.MaxMemory); MemoryHardStop
	// ends the process when the guard's interruption comes too late.
	MaxMemory      int64
	MemoryHardStop func(error)
	// Version is icscript's, written in checkpoints.
	Version string
}

// New makes the VM of a run or a REPL session: the runtime with the
// bindings and the standard library installed. ctx ends it. The caller
// closes the VM.
func New(ctx context.Context, o Options) (*runtime.VM, *bindings.Bindings, error) {
	vm := runtime.New(ctx, runtime.Options{Stdout: o.Stdout, Stderr: o.Stderr, Args: o.Args, Color: o.Color, StderrColor: o.StderrColor, Dir: o.Dir,
		MaxMemory: o.MaxMemory, MemoryHardStop: o.MemoryHardStop, BundleCache: bundleCache(o.CacheDir), Program: o.Program})
	var environ []string
	if o.Environ != nil {
		environ = o.Environ()
	}
	env := stdlib.Env{
		Stdin: o.Stdin, Stdout: o.Stdout, Stderr: o.Stderr,
		Environ:     environ,
		HiddenVars:  o.HiddenVars,
		Secrets:     o.Secrets,
		Interactive: o.Interactive,
		Quiet:       o.Quiet,
		Color:       o.Color,
		StderrColor: o.StderrColor,
		ScriptDir:   ScriptDir(o.Dir, o.File),
		ScriptName:  filepath.Base(o.File),
		ScriptArgs:  o.Args,
		Now:         o.Now,
		Yes:         o.Yes,
		ProgressOut: o.ProgressOut,
	}
	b, err := bindings.Install(vm, bindings.Options{Client: o.Client, Admin: o.Admin, Me: o.Me, NewProgress: progressFor(env, o.Quiet),
		Checkpoint: checkpointConfig(o), Stop: func(err error) { vm.Interrupt(err) }})
	if err == nil {
		err = stdlib.Install(vm, env)
	}
	if err != nil {
		vm.Close()
		return nil, nil, err
	}
	return vm, b, nil
}

// checkpointConfig says what the checkpoints of a run's bulk jobs belong
// to: the script, and the workspace.
func checkpointConfig(o Options) bindings.CheckpointConfig {
	script := "<-e>"
	if o.File != "" {
		script = InDir(o.Dir, o.File)
	}
	var note func(string)
	if o.Stderr != nil {
		note = func(s string) { fmt.Fprintln(o.Stderr, s) }
	}
	return bindings.CheckpointConfig{Dir: ScriptDir(o.Dir, o.File), Script: script, Resume: o.Resume, DryRun: o.DryRun,
		Version: o.Version, API: o.Workspace, Now: o.Now, Note: note}
}

// bundleCache is where runs keep bundles of single-file scripts (see
// runtime.BundleOptions.CacheDir); "" when there is no cache directory.
func bundleCache(cacheDir string) string {
	if cacheDir == "" {
		return ""
	}
	return filepath.Join(cacheDir, "bundles")
}

// progressFor adapts the stdlib's progress bars to the bindings' Pager.forEach.
func progressFor(env stdlib.Env, quiet bool) func(string, func() int) bindings.Progress {
	mk := stdlib.NewProgress(env, quiet)
	return func(label string, total func() int) bindings.Progress { return mk(label, total) }
}

// ScriptDir is where a script's relative paths resolve: the folder of file
// (resolved from dir, the working directory), or dir itself for -e and the
// REPL.
func ScriptDir(dir, file string) string {
	if file == "" {
		return dir
	}
	return filepath.Dir(InDir(dir, file))
}

// InDir is path resolved from dir: path itself when it is absolute.
func InDir(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}
