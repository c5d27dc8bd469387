package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/lazyregexp"
	"github.com/icscript/icscript/internal/suggest"
	"github.com/icscript/icscript/webhook"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// command is one subcommand: the one place that says how it is called,
// what runs it, which flags it takes and what its arguments complete to.
// The usage text, dispatch, "did you mean" and shell completion all read
// the table, so a new command is one entry.
type command struct {
	name    string
	args    string // its usage line after the name
	summary string
	run     func(args []string, sys *System) int
	// flags are its flags, for completion; nil when it takes none.
	flags func() *flag.FlagSet
	// complete lists candidates for its positional argument cur; nil: none.
	complete func(cur string) []string
	hidden   bool // not in the usage text (help, __complete)
}

// commands are icscript's subcommands, in the order the usage lists them.
// A function (not a variable) because "help" prints the usage made from it.
func commands() []command {
	return []command{
		{name: "ops", args: "[--api-version V] [FILTER]", summary: "list the API operations and their JS calls", run: runOps,
			flags: func() *flag.FlagSet { return opsFlags(new(bool), new(string)) }, complete: func(string) []string { return opTopics() }},
		{name: "api", args: "diff [--json] A B", summary: "what API version B adds, removes and changes from A", run: runAPI,
			flags: func() *flag.FlagSet { return apiDiffFlags(new(bool)) }, complete: func(string) []string { return append([]string{"diff"}, catalog.Versions()...) }},
		{name: "check", args: "FILE…", summary: "report syntax and import errors without running", run: runCheck,
			flags: func() *flag.FlagSet { return checkFlags(&checkOptions{}) }, complete: func(cur string) []string { return files(cur, true) }},
		{name: "types", args: "[-o FILE]", summary: "print icscript.d.ts (TypeScript declarations)", run: runTypes,
			flags: func() *flag.FlagSet { return typesFlags(&typesOptions{}) }},
		{name: "init", args: "[--force] [DIR]", summary: "set up an ops repo: typings, tsconfig, example", run: runInit,
			flags: func() *flag.FlagSet { return initFlags(&initOptions{}) }, complete: dirs},
		{name: "sandbox", args: "[flags]", summary: "serve a fake Intercom workspace over HTTP", run: runSandboxCommand,
			flags: func() *flag.FlagSet { return sandboxFlags(&sandboxOptions{}) }},
		{name: "listen", args: "[flags] HANDLERS.js", summary: "receive webhook notifications and run their handlers", run: runListen,
			flags: func() *flag.FlagSet { return listenFlags(&listenOptions{}) }, complete: func(cur string) []string { return files(cur, true) }},
		{name: "trigger", args: "TOPIC [flags]", summary: "send a signed test notification of TOPIC", run: runTrigger,
			flags: func() *flag.FlagSet { return triggerFlags(&triggerOptions{}) }, complete: func(string) []string { return webhook.FixtureTopics() }},
		{name: "replay", args: "JOURNAL HANDLERS.js", summary: "run recorded deliveries through the handlers again", run: runReplay,
			flags: func() *flag.FlagSet { return replayFlags(&replayOptions{}) }, complete: func(cur string) []string { return files(cur, false) }},
		{name: "completion", args: "bash|zsh|fish", summary: "print a shell completion script", run: runCompletion,
			complete: func(string) []string { return []string{"bash", "zsh", "fish"} }},
		{name: "version", summary: "print the version (also --version)", run: func(_ []string, sys *System) int {
			fmt.Fprint(sys.Stdout, versionLine())
			return exitOK
		}},
		{name: "help", hidden: true, run: func(_ []string, sys *System) int {
			fmt.Fprint(sys.Stdout, usage())
			return exitOK
		}, complete: func(string) []string { return opTopics() }},
		{name: "__complete", hidden: true, run: runComplete},
	}
}

// commandNamed is the subcommand called name, or nil.
func commandNamed(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

// commandNames are the subcommands a user types: what "did you mean" and
// shell completion offer.
func commandNames() []string {
	var out []string
	for _, c := range commands() {
		if !strings.HasPrefix(c.name, "_") {
			out = append(out, c.name)
		}
	}
	return out
}

// usage is the text of `icscript help`: how to run a script, then one
// line per command of the table.
func usage() string {
	var b strings.Builder
	b.WriteString(`icscript runs JavaScript and TypeScript against the Intercom REST API
(version ` + catalog.Default + ` unless --api-version, a script's "// @icscript api V" line or
the profile's api_version pins another of ` + catalog.Span(catalog.Versions()) + `).

Usage:
`)
	line := func(call, summary string) {
		b.WriteString("  " + call)
		b.WriteString(strings.Repeat(" ", max(1, 39-utf8.RuneCountInString(call))))
		b.WriteString(summary + "\n")
	}
	line("icscript [flags] FILE [script args…]", "run a script (.js, .ts, .mjs)")
	line("icscript [flags] -e CODE", "run code given on the command line")
	line("icscript [flags]", "open the REPL")
	for _, c := range commands() {
		if !c.hidden {
			line(strings.TrimSpace("icscript "+c.name+" "+c.args), c.summary)
		}
	}
	b.WriteString("\nRun 'icscript COMMAND --help' for a command's flags, 'icscript --help' for the run flags.\n")
	return b.String()
}

// run is the whole program: it returns the exit code.
func run(args []string, sys *System) int {
	if len(args) > 0 {
		if c := commandNamed(args[0]); c != nil {
			return c.run(args[1:], sys)
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
var invalidFlagValue = lazyregexp.New(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^:]+): (.*)$`)

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
