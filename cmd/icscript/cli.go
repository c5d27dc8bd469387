package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/suggest"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

var usageText = `icscript runs JavaScript and TypeScript against the Intercom REST API
(version ` + catalog.Default + ` unless --api-version, a script's "// @icscript api V" line or
the profile's api_version pins another of ` + catalog.Span(catalog.Versions()) + `).

Usage:
  icscript [flags] FILE [script args…]   run a script (.js, .ts, .mjs)
  icscript [flags] -e CODE               run code given on the command line
  icscript [flags]                       open the REPL
  icscript ops [--api-version V] [FILTER] list the API operations and their JS calls
  icscript api diff [--json] A B         what API version B adds, removes and changes from A
  icscript check FILE…                   report syntax and import errors without running
  icscript types [-o FILE]               print icscript.d.ts (TypeScript declarations)
  icscript init [--force] [DIR]          set up an ops repo: typings, tsconfig, example
  icscript sandbox [flags]               serve a fake Intercom workspace over HTTP
  icscript listen [flags] HANDLERS.js    receive webhook notifications and run their handlers
  icscript trigger TOPIC [flags]         send a signed test notification of TOPIC
  icscript replay JOURNAL HANDLERS.js    run recorded deliveries through the handlers again
  icscript completion bash|zsh|fish      print a shell completion script
  icscript version                       print the version (also --version)

Run 'icscript COMMAND --help' for a command's flags, 'icscript --help' for the run flags.
`

// run is the whole program: it returns the exit code.
func run(args []string, sys *System) int {
	if len(args) > 0 {
		switch args[0] {
		case "ops":
			return runOps(args[1:], sys)
		case "api":
			return runAPI(args[1:], sys)
		case "version":
			fmt.Fprint(sys.Stdout, versionLine())
			return exitOK
		case "completion":
			return runCompletion(args[1:], sys)
		case "__complete":
			return runComplete(args[1:], sys)
		case "sandbox":
			return runSandboxCommand(args[1:], sys)
		case "types":
			return runTypes(args[1:], sys)
		case "init":
			return runInit(args[1:], sys)
		case "check":
			return runCheck(args[1:], sys)
		case "listen":
			return runListen(args[1:], sys)
		case "trigger":
			return runTrigger(args[1:], sys)
		case "replay":
			return runReplay(args[1:], sys)
		case "help":
			fmt.Fprint(sys.Stdout, usageText)
			return exitOK
		}
		if isVersionFlag(args[0]) {
			fmt.Fprint(sys.Stdout, versionLine())
			return exitOK
		}
	}
	return runScriptCommand(args, sys)
}

// usageError is a mistake in how icscript was called or configured: exit 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return errors.Unwrap(e.err) }

// usagef makes a usageError; %w keeps the cause it wraps.
func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// parseFlags parses fs, turning the flag package's errors into one-line
// usage errors with a "did you mean" for unknown flags.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		msg = fmt.Sprintf("unknown flag --%s", strings.TrimPrefix(name, "-"))
		if guess := suggest.Closest(strings.TrimPrefix(name, "-"), names); guess != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", guess)
		}
	} else if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		name = strings.TrimPrefix(name, "-")
		msg = fmt.Sprintf("--%s needs a value: %s", name, flagForm(fs.Lookup(name)))
	} else if m := invalidFlagValue.FindStringSubmatch(msg); m != nil {
		if f := fs.Lookup(m[2]); f != nil && !isBuiltinFlagValue(f.Value) {
			msg = fmt.Sprintf("--%s: %s", m[2], m[3]) // the value's own message
		} else {
			msg = fmt.Sprintf("--%s wants %s, got %s", m[2], flagForm(f), m[1])
		}
	}
	return usagef("%s", msg)
}

// parseInterspersed parses flags given before, between and after the
// positional arguments (`trigger TOPIC --set a=b`), which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return rest, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// invalidFlagValue matches the flag package's "invalid value" errors:
// the value, the flag and the cause.
var invalidFlagValue = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^:]+): (.*)$`)

// flagForm says what form a flag's value takes, for error messages.
func flagForm(f *flag.Flag) string {
	if f == nil {
		return "a value"
	}
	switch v := f.Value.(type) {
	case flag.Getter:
		switch v.Get().(type) {
		case bool:
			return "true or false (or no value)"
		case int, int64, uint, uint64:
			return "a whole number such as 8"
		case float64:
			return "a number such as 1.5"
		case time.Duration:
			return "a duration with its unit such as 30s, 10m or 1h30m"
		}
	}
	name, _ := flag.UnquoteUsage(f)
	if name == "" {
		name = "VALUE"
	}
	return "a " + name
}

// isBuiltinFlagValue reports whether a flag's value is one of the flag
// package's own types, whose parse errors add nothing ("parse error").
func isBuiltinFlagValue(v flag.Value) bool {
	g, ok := v.(flag.Getter)
	if !ok {
		return false
	}
	switch g.Get().(type) {
	case bool, int, int64, uint, uint64, float64, time.Duration, string:
		return true
	}
	return false
}

// printFlags writes a flag set's flags, sorted, in --name form.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	var lines []string
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		left := "  " + dash + f.Name
		if name != "" {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		lines = append(lines, fmt.Sprintf("%-28s %s", left, usage))
	})
	sort.Strings(lines)
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}

// fail prints an error the icscript way and returns its exit code, which
// the error's kind decides (exitCode).
func fail(sys *System, err error) int {
	fmt.Fprintf(sys.Stderr, "icscript: %s\n", err)
	return exitCode(err)
}
