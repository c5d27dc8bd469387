package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

// checkOptions are the flags of `icscript check`.
type checkOptions struct {
	files []string
}

const checkUsage = `Usage: icscript check FILE…

Bundles each script without running it and reports every syntax error and
every import that does not resolve, with file:line:column and the source
line. Exits 1 when any file has an error, 0 otherwise: fit for a pre-commit
hook. Types are not checked: for that, run tsc with the tsconfig.json that
'icscript init' writes.
`

func parseCheckArgs(args []string) (*checkOptions, error) {
	o := &checkOptions{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	o.files = fs.Args()
	if len(o.files) == 0 {
		return o, usagef("check needs at least one FILE")
	}
	return o, nil
}

func runCheck(args []string, sys *System) int {
	o, err := parseCheckArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, checkUsage)
		return exitOK
	}
	if err != nil {
		return fail(sys, err, exitUsage)
	}
	code := exitOK
	for _, file := range o.files {
		code = max(code, checkFile(file, sys))
	}
	return code
}

// checkFile bundles one script and reports the outcome: exitOK,
// exitScriptError for errors in it, exitUsage when it does not exist.
func checkFile(file string, sys *System) int {
	base, _ := os.Getwd()
	b, err := runtime.BundleFileWith(file, runtime.BundleOptions{IsBuiltin: checkBuiltin, BaseDir: base})
	if errors.Is(err, fs.ErrNotExist) {
		return fail(sys, err, exitUsage)
	}
	if err != nil {
		fmt.Fprint(sys.Stderr, runtime.FormatError(err, sys.StderrTTY && sys.Getenv("NO_COLOR") == ""))
		fmt.Fprintf(sys.Stderr, "%s: %s\n", file, countErrors(err))
		return exitScriptError
	}
	for _, w := range b.Warnings {
		fmt.Fprintf(sys.Stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(sys.Stdout, "ok  %s\n", file)
	return exitOK
}

// checkBuiltin tells check which "icscript:<name>" modules exist: the
// standard library's, the same that a run registers.
func checkBuiltin(name string) bool { return slices.Contains(stdlib.Modules, name) }

func countErrors(err error) string {
	n := 1
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		n = len(joined.Unwrap())
	}
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}
