package main

import (
	"path/filepath"
	"strings"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

// The arguments after the script name are the script's, but a flag typed
// there by mistake must not change what a run does behind the user's back:
//
//   - --dry-run anywhere before a lone "--" turns dry-run on (the safe
//     direction); the script still sees it if it reads a dry-run flag;
//     --resume likewise turns on resuming a checkpointed job, which only
//     skips work an earlier run recorded as done;
//   - another of icscript's flags there is an error, unless the script
//     reads a flag of that name: icscript's flags go before the script name;
//   - a flag the script does not read (found in its source: args.flag's
//     names and args.declare's keys) is an error with a did-you-mean, unless
//     the script reads flags in a way the scan cannot follow.
//
// After a lone "--" everything is the script's positional arguments.

// dryRunAmong reports whether the script's arguments ask for a dry run:
// --dry-run, -dry-run or --dry-run=true before a lone "--".
func dryRunAmong(argv []string) bool { return flagAmong(argv, isDryRunToken) }

// resumeAmong reports whether the script's arguments ask to resume:
// --resume, -resume or --resume=true before a lone "--".
func resumeAmong(argv []string) bool { return flagAmong(argv, isResumeToken) }

// flagAmong reports whether a token before a lone "--" is one that is accepts.
func flagAmong(argv []string, is func(string) bool) bool {
	for _, tok := range argv {
		if tok == "--" {
			return false
		}
		if is(tok) {
			return true
		}
	}
	return false
}

func isDryRunToken(tok string) bool { return isBoolFlagToken(tok, "dry-run") }

func isResumeToken(tok string) bool { return isBoolFlagToken(tok, "resume") }

// isBoolFlagToken reports whether tok turns the boolean flag on.
func isBoolFlagToken(tok, flag string) bool {
	name, value, hasValue := strings.Cut(strings.TrimLeft(tok, "-"), "=")
	if name != flag || !strings.HasPrefix(tok, "-") {
		return false
	}
	if !hasValue {
		return true
	}
	switch strings.ToLower(value) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}

// checkScriptArgs applies those rules to a run's script arguments before
// anything runs. A script that does not build is left to the run, which
// reports why.
func checkScriptArgs(o *runOptions) error {
	if len(o.scriptArgs) == 0 {
		return nil
	}
	var (
		b   *runtime.Bundle
		err error
	)
	if o.code != "" {
		b, err = runtime.BundleCode(o.code, "<-e>", runtime.BundleOptions{BaseDir: o.dir})
	} else {
		b, err = runtime.BundleFile(o.path())
	}
	if err != nil {
		return nil
	}
	sf := stdlib.ScanScriptFlags(b.Code)
	script := "the script"
	if o.file != "" {
		script = filepath.Base(o.file)
	}
	own := runFlags(&runOptions{})
	var keep []string
	prevTakes := false // the previous token was a flag the script reads, maybe awaiting its value
	for i, tok := range o.scriptArgs {
		if prevTakes && !strings.HasPrefix(tok, "--") {
			prevTakes = false
			keep = append(keep, tok) // a value, even one like -5
			continue
		}
		prevTakes = false
		if tok == "--" {
			keep = append(keep, o.scriptArgs[i:]...)
			break
		}
		if !strings.HasPrefix(tok, "-") || tok == "-" || tok == "--" {
			keep = append(keep, tok)
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(tok, "-"), "=")
		double := strings.HasPrefix(tok, "--")
		switch {
		case double && sf.Reads(name):
			keep = append(keep, tok)
			prevTakes = !strings.Contains(tok, "=")
		case isDryRunToken(tok) || isResumeToken(tok):
			// icscript's --dry-run or --resume, already on: a script that does not read
			// it must not see it (args.declare would call it unknown).
			if sf.Dynamic || !double {
				keep = append(keep, tok)
			}
		case own.Lookup(name) != nil:
			return usagef("%s is icscript's flag, and icscript's flags go before the script name: icscript %s … %s …; to give it to the script, have the script read it (args.flag(%q)) or put it after --", tok, tok, script, name)
		case double && !sf.Dynamic:
			return usagef("%s", sf.UnknownFlagError(name, script))
		default:
			keep = append(keep, tok)
		}
	}
	o.scriptArgs = keep
	return nil
}
