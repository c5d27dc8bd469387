package main

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"syscall"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/safety"
	"github.com/icscript/icscript/stdlib"
)

// Exit codes, in one place. The README's "Exit codes" section and the
// help's list show them.
const (
	exitOK          = 0   // the script finished
	exitScriptError = 1   // the script threw, an API call failed uncaught, or `check` found errors
	exitUsage       = 2   // bad flags or arguments (icscript's or the script's), missing file, bad configuration
	exitStopped     = 3   // a safety rail stopped the run: an irreversible call not confirmed, or the audit log not writable
	exitEnvironment = 4   // the machine refused icscript's own work: a file it reads or writes, a port, the sandbox's start
	exitTimeout     = 124 // --timeout elapsed
	exitInterrupted = 130 // Ctrl-C (SIGINT)
	exitTerminated  = 143 // SIGTERM
)

// exitCode is the exit code of a command that failed with err: the kind of
// error decides it, never the place that reports it. In order:
//   - exit(n) from the script: n;
//   - a safety rail's stop: exitStopped;
//   - the operating system refusing a file, a folder or a port (permission,
//     a full or read-only disk, an address in use), even inside a usage
//     error: exitEnvironment, so that a scheduler can tell "fix the
//     machine" from "fix the command" and "fix the script";
//   - a mistake in how icscript or the script was called or configured
//     (usageError, config.Error, an unusable checkpoint, a file that does not exist,
//     a script's args usage error): exitUsage;
//   - anything else, a script's error first of all: exitScriptError.
//
// Timeouts and signals are not errors: the run path returns their codes.
func exitCode(err error) int {
	var exit *stdlib.ExitError
	var stop *safety.StopError
	var usage *usageError
	var cfg *config.Error
	var ck *bindings.CheckpointError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return exit.Code
	case errors.As(err, &stop):
		return exitStopped
	case isEnvironment(err):
		return exitEnvironment
	case errors.As(err, &usage), errors.As(err, &cfg), errors.As(err, &ck), errors.Is(err, fs.ErrNotExist), stdlib.IsUsageError(err):
		return exitUsage
	}
	return exitScriptError
}

// isEnvironment reports whether err is the operating system refusing a
// file or network operation. A script's own I/O errors never get here as
// such: they reach it as the JS errors the script threw.
func isEnvironment(err error) bool {
	if errors.Is(err, fs.ErrNotExist) {
		return false // a file or folder named wrong: a usage error
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Op == "listen" // a port taken; a refused dial is the far end's
	}
	var path *fs.PathError
	var link *os.LinkError
	var sys *os.SyscallError
	var errno syscall.Errno
	return errors.As(err, &path) || errors.As(err, &link) || errors.As(err, &sys) || errors.As(err, &errno)
}
