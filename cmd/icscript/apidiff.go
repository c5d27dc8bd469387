package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
)

const apiUsage = `Usage: icscript api diff [--json] A B

Compares the operation catalogues of Intercom API versions A and B (known:
%s): the calls B adds and removes, and for the calls both have, the
route, parameters, request body fields and response fields B adds, removes
or gives another type. Fields are listed by dotted path ("from.id",
"tags[].name"). --json prints the same as JSON.
`

// apiDiffFlags are the flags of `icscript api diff`.
func apiDiffFlags(asJSON *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("api diff", flag.ContinueOnError)
	fs.BoolVar(asJSON, "json", false, "print the differences as JSON")
	return fs
}

// runAPI is `icscript api`: only `diff` for now.
func runAPI(args []string, sys *System) int {
	if len(args) == 0 || args[0] != "diff" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(sys.Stdout, apiUsage, catalog.Span(catalog.Versions()))
			return exitOK
		}
		return fail(sys, usagef("usage: icscript api diff [--json] A B"))
	}
	var asJSON bool
	fs := apiDiffFlags(&asJSON)
	if err := parseFlags(fs, args[1:]); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintf(sys.Stdout, apiUsage, catalog.Span(catalog.Versions()))
			return exitOK
		}
		return fail(sys, err)
	}
	if fs.NArg() != 2 {
		return fail(sys, usagef("api diff takes two versions (of %s), got %d", strings.Join(catalog.Versions(), ", "), fs.NArg()))
	}
	for _, v := range fs.Args() {
		if err := config.CheckAPIVersion(v, "api diff"); err != nil {
			return fail(sys, err)
		}
	}
	d := catalog.Compare(catalog.MustFor(fs.Arg(0)), catalog.MustFor(fs.Arg(1)))
	if asJSON {
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(d)
		return exitOK
	}
	writeDiff(sys.Stdout, d)
	return exitOK
}

// writeDiff prints d as `icscript api diff` shows it.
func writeDiff(w io.Writer, d *catalog.Diff) {
	fmt.Fprintf(w, "API %s → %s\n", d.From, d.To)
	list := func(title string, ops []catalog.DiffOp) {
		fmt.Fprintf(w, "\n%s (%d):\n", title, len(ops))
		for _, op := range ops {
			fmt.Fprintf(w, "  intercom.%s  %s %s\n", op.Name, op.Method, op.Path)
			for _, c := range op.Changes {
				label := c.Where
				if c.Field != "" {
					label += " " + c.Field
				}
				switch c.Change {
				case "added":
					fmt.Fprintf(w, "    + %s: %s\n", label, c.To)
				case "removed":
					fmt.Fprintf(w, "    - %s: %s\n", label, c.From)
				default:
					fmt.Fprintf(w, "    ~ %s: %s → %s\n", label, c.From, c.To)
				}
			}
		}
	}
	list("Added", d.Added)
	list("Removed", d.Removed)
	list("Changed", d.Changed)
}
