package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
	"github.com/icscript/icscript/internal/engine"
	"github.com/icscript/icscript/internal/lazyregexp"
	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

// checkOptions are the flags of `icscript check`.
type checkOptions struct {
	files      []string
	apiVersion string // --api-version; "" for each script's pragma, else the default
}

const checkUsage = `Usage: icscript check [--api-version V] FILE|FOLDER…

Bundles each script (a folder: every .js, .ts, .mjs and .mts under it,
node_modules and dot folders aside) without running it and reports every
syntax error, every import that does not resolve, and every
intercom.NS.METHOD( call that the script's API version lacks, with
file:line:column. The version is --api-version, else the script's
"// @icscript api V" line, else 2.10. Exits 1 when any file has an error, 0
otherwise: fit for a pre-commit hook. Types are not checked: for that, run
tsc with the tsconfig.json that 'icscript init' writes.
`

// checkFlags are the flags of `icscript check`.
func checkFlags(o *checkOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.StringVar(&o.apiVersion, "api-version", "", "check calls against API `VERSION` (default: each script's pragma, else "+catalog.Default+")")
	return fs
}

// parseCheckArgs parses check's arguments; folders among them are listed
// from dir, the working directory.
func parseCheckArgs(args []string, dir string) (*checkOptions, error) {
	o := &checkOptions{}
	fs := checkFlags(o)
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if o.apiVersion != "" {
		if err := config.CheckAPIVersion(o.apiVersion, "--api-version"); err != nil {
			return o, err
		}
	}
	for _, arg := range fs.Args() {
		files, err := scriptsUnder(dir, arg)
		if err != nil {
			return o, err
		}
		o.files = append(o.files, files...)
	}
	if len(fs.Args()) == 0 {
		return o, usagef("check needs at least one FILE or FOLDER")
	}
	return o, nil
}

func runCheck(args []string, sys *System) int {
	o, err := parseCheckArgs(args, sys.Dir)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, checkUsage)
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	code := exitOK
	for _, file := range o.files {
		code = max(code, checkFile(file, o.apiVersion, sys))
	}
	return code
}

// scriptsUnder is a FILE argument as it is, or the scripts under a folder
// (resolved from dir, the working directory), in lexical order and named
// from arg as given.
func scriptsUnder(dir, arg string) ([]string, error) {
	root := engine.InDir(dir, arg)
	info, err := os.Stat(root)
	if err != nil || !info.IsDir() {
		return []string{arg}, nil // a missing file is reported by checkFile
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(p) {
		case ".js", ".ts", ".mjs", ".mts":
			if !strings.HasSuffix(p, ".d.ts") {
				rel, err := filepath.Rel(root, p)
				if err != nil {
					return err
				}
				out = append(out, filepath.Join(arg, rel))
			}
		}
		return nil
	})
	return out, err
}

// callPattern finds intercom.NS.METHOD( in a script's source.
var callPattern = lazyregexp.New(`\bintercom\s*\.\s*((?:[A-Za-z_$][\w$]*\s*\.\s*)+[A-Za-z_$][\w$]*)\s*\(`)

// missingCalls reports, as "file:line:col: message", every call of src
// that some API version has and version v lacks.
func missingCalls(file string, src []byte, v string) []string {
	cat := catalog.MustFor(v)
	var out []string
	lineStarts := []int{0}
	for i, c := range src {
		if c == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	for _, m := range callPattern.FindAllSubmatchIndex(src, -1) {
		name := strings.Join(strings.Fields(strings.ReplaceAll(string(src[m[2]:m[3]]), ".", " ")), ".")
		if cat.ByJSName(name) != nil || len(catalog.Having(name)) == 0 {
			continue
		}
		line := sort.SearchInts(lineStarts, m[0]+1) - 1
		col := utf8.RuneCount(src[lineStarts[line]:m[0]]) + 1
		out = append(out, fmt.Sprintf("%s:%d:%d: %s", file, line+1, col, catalog.NotInVersion(v, name, config.PinHint)))
	}
	return out
}

// checkFile bundles one script and reports the outcome: exitOK,
// exitScriptError for errors in it, exitUsage when it does not exist.
func checkFile(file, apiVersion string, sys *System) int {
	b, err := runtime.BundleFileWith(sys.path(file), runtime.BundleOptions{IsBuiltin: checkBuiltin, BaseDir: sys.Dir, KeepSource: true})
	if errors.Is(err, fs.ErrNotExist) {
		return fail(sys, err)
	}
	if err != nil {
		fmt.Fprint(sys.Stderr, runtime.FormatError(err, sys.stderrColor()))
		fmt.Fprintf(sys.Stderr, "%s: %s\n", file, countErrors(err))
		return exitScriptError
	}
	for _, w := range b.Warnings {
		fmt.Fprintf(sys.Stderr, "warning: %s\n", w)
	}
	// The version as a run decides it, without a profile. --api-version
	// is meant to override every file's pragma: no warning that it does.
	src := b.Source
	v, err := config.ResolveAPIVersion(apiVersion, config.PragmaVersion(src), "", io.Discard)
	if err != nil {
		fmt.Fprintf(sys.Stderr, "%s: %v\n", file, err)
		return exitScriptError
	}
	if missing := missingCalls(file, src, v); len(missing) > 0 {
		for _, m := range missing {
			fmt.Fprintln(sys.Stderr, m)
		}
		noun := "calls"
		if len(missing) == 1 {
			noun = "call"
		}
		fmt.Fprintf(sys.Stderr, "%s: %d %s not in API %s\n", file, len(missing), noun, v)
		return exitScriptError
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
