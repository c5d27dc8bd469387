package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/icscript/icscript/bindings/typings"
)

// typesOptions are the flags of `icscript types`.
type typesOptions struct {
	out string // file to write; "" or "-" is stdout
}

const typesUsage = `Usage: icscript types [-o FILE]

Prints icscript.d.ts: TypeScript declarations of the intercom object (every
operation, its fields and its response), Pager, IntercomError and the standard
library, for editors and tsc. 'icscript init' writes it with a tsconfig.json.
`

func parseTypesArgs(args []string) (*typesOptions, error) {
	o := &typesOptions{}
	fs := flag.NewFlagSet("types", flag.ContinueOnError)
	fs.StringVar(&o.out, "o", "", "write to `FILE` instead of stdout")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usagef("types takes no arguments, got %q (write to a file with -o FILE)", fs.Arg(0))
	}
	return o, nil
}

func runTypes(args []string, sys *System) int {
	o, err := parseTypesArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, typesUsage)
		return exitOK
	}
	if err != nil {
		return fail(sys, err, exitUsage)
	}
	text := typings.Generate()
	if o.out == "" || o.out == "-" {
		fmt.Fprint(sys.Stdout, text)
		return exitOK
	}
	if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
		return fail(sys, err, exitUsage)
	}
	fmt.Fprintf(sys.Stderr, "icscript: wrote %s\n", o.out)
	return exitOK
}
