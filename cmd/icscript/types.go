package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/icscript/icscript/bindings/typings"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
)

// typesOptions are the flags of `icscript types`.
type typesOptions struct {
	out        string // file to write; "" or "-" is stdout
	apiVersion string
}

const typesUsage = `Usage: icscript types [--api-version V] [-o FILE]

Prints icscript.d.ts: TypeScript declarations of the intercom object (every
operation of API version V, default 2.10, its fields and its response), Pager,
IntercomError and the standard library, for editors and tsc. 'icscript init'
writes it, for the newest version, with a tsconfig.json.
`

// typesFlags are the flags of `icscript types`.
func typesFlags(o *typesOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("types", flag.ContinueOnError)
	fs.StringVar(&o.out, "o", "", "write to `FILE` instead of stdout")
	fs.StringVar(&o.apiVersion, "api-version", catalog.Default, "declare the operations of API `VERSION`")
	return fs
}

func parseTypesArgs(args []string) (*typesOptions, error) {
	o := &typesOptions{}
	fs := typesFlags(o)
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usagef("types takes no arguments, got %q (write to a file with -o FILE)", fs.Arg(0))
	}
	return o, config.CheckAPIVersion(o.apiVersion, "--api-version")
}

func runTypes(args []string, sys *System) int {
	o, err := parseTypesArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(sys.Stdout, typesUsage)
		return exitOK
	}
	if err != nil {
		return fail(sys, err)
	}
	text := typings.GenerateFor(catalog.MustFor(o.apiVersion))
	if o.out == "" || o.out == "-" {
		fmt.Fprint(sys.Stdout, text)
		return exitOK
	}
	if err := os.WriteFile(sys.path(o.out), []byte(text), 0o644); err != nil {
		return fail(sys, err)
	}
	fmt.Fprintf(sys.Stderr, "icscript: wrote %s\n", o.out)
	return exitOK
}
