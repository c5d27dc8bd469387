package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/icscript/icscript/bindings"
	"github.com/icscript/icscript/intercom/catalog"
	"github.com/icscript/icscript/internal/config"
)

// opsFlags are the flags of `icscript ops`.
func opsFlags(markdown *bool, apiVersion *string) *flag.FlagSet {
	fs := flag.NewFlagSet("ops", flag.ContinueOnError)
	fs.BoolVar(markdown, "markdown", false, "print the list as the README's Markdown table")
	fs.StringVar(apiVersion, "api-version", catalog.Default, "list the operations of API `VERSION`")
	return fs
}

// runOps lists the operations whose JS name, operationId, path or summary
// contains the filter.
func runOps(args []string, sys *System) int {
	var markdown bool
	var apiVersion string
	fs := opsFlags(&markdown, &apiVersion)
	if err := parseFlags(fs, args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintln(sys.Stdout, "Usage: icscript ops [--api-version V] [FILTER]\n\nLists every operation of Intercom API V (default "+catalog.Default+"; known: "+catalog.Span(catalog.Versions())+"): its JS call, HTTP route, paging and whether it changes data.\nFILTER matches the JS name, operationId, path or summary (case-insensitive).")
			return exitOK
		}
		return fail(sys, err)
	}
	if err := config.CheckAPIVersion(apiVersion, "--api-version"); err != nil {
		return fail(sys, err)
	}
	cat := catalog.MustFor(apiVersion)
	if fs.NArg() > 1 {
		return fail(sys, usagef("ops takes at most one filter, got %d", fs.NArg()))
	}
	filter := strings.ToLower(fs.Arg(0))
	if markdown {
		fmt.Fprint(sys.Stdout, apiMarkdown(cat, filter))
		return exitOK
	}
	w := tabwriter.NewWriter(sys.Stdout, 0, 4, 2, ' ', 0)
	n := 0
	for _, ns := range cat.Namespaces() {
		for _, op := range cat.InNamespace(ns) {
			if filter != "" && !matchesOp(op, filter) {
				continue
			}
			n++
			fmt.Fprintf(w, "intercom.%s(%s)\t%s %s\t%s\t%s\n", op.JSName(), bindings.Signature(op), op.Method, op.Path, bindings.Traits(op), op.Summary)
		}
	}
	for _, v := range bindings.Verbs {
		op := cat.ByID(v.Over)
		if filter == "" || matchesVerb(v, op, filter) {
			n++
			fmt.Fprintf(w, "intercom.%s\t%s %s\t%s\t%s (verb over %s)\n", v.Call(), op.Method, op.Path, bindings.Traits(op), v.Summary, op.JSName())
		}
	}
	w.Flush()
	if n == 0 {
		fmt.Fprintf(sys.Stderr, "icscript: no operation of API %s matches %q; 'icscript ops --api-version %s' lists all %d\n", cat.Version, filter, cat.Version, len(cat.Operations))
		return exitUsage
	}
	return exitOK
}

func matchesOp(op *catalog.Operation, filter string) bool {
	for _, s := range []string{op.JSName(), op.ID, op.Path, op.Summary} {
		if strings.Contains(strings.ToLower(s), filter) {
			return true
		}
	}
	return false
}

// matchesVerb: a verb matches by its name, its summary, or the operation
// it calls (`ops manage` lists the four conversation verbs too).
func matchesVerb(v bindings.Verb, op *catalog.Operation, filter string) bool {
	return strings.Contains(strings.ToLower(v.Name), filter) || strings.Contains(strings.ToLower(v.Summary), filter) ||
		matchesOp(op, filter)
}

// apiMarkdown is the README's list of every operation: one table per
// namespace, generated from the catalogue (a test keeps the README in step).
func apiMarkdown(cat *catalog.Catalog, filter string) string {
	var b strings.Builder
	for _, ns := range cat.Namespaces() {
		ops := cat.InNamespace(ns)
		var rows []string
		for _, op := range ops {
			if filter != "" && !matchesOp(op, filter) {
				continue
			}
			rows = append(rows, fmt.Sprintf("| `%s(%s)` | `%s %s` | %s | %s |", op.Name, bindings.Signature(op), op.Method, op.Path, bindings.Traits(op), op.Summary))
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "**`intercom.%s`**\n\n| method | route | returns / changes | summary |\n|---|---|---|---|\n%s\n\n", ns, strings.Join(rows, "\n"))
	}
	return b.String()
}
