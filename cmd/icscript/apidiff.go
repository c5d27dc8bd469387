package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
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
	d := diffCatalogs(catalog.MustFor(fs.Arg(0)), catalog.MustFor(fs.Arg(1)))
	if asJSON {
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(d)
		return exitOK
	}
	d.write(sys.Stdout)
	return exitOK
}

// apiDiff is what changes from one version's catalogue to another's.
type apiDiff struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Added   []diffOp `json:"added"`
	Removed []diffOp `json:"removed"`
	Changed []diffOp `json:"changed"`
}

// diffOp is one call; Changes only for a changed one.
type diffOp struct {
	Name    string       `json:"name"` // "contacts.find"
	ID      string       `json:"operationId"`
	Method  string       `json:"method"`
	Path    string       `json:"path"`
	Changes []diffChange `json:"changes,omitempty"`
}

// diffChange is one difference of a call present in both versions.
type diffChange struct {
	Where  string `json:"where"`  // "route", "param", "body", "response"
	Field  string `json:"field"`  // parameter name or dotted field path; "" for the route
	Change string `json:"change"` // "added", "removed", "type"
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
}

func opOf(op *catalog.Operation) diffOp {
	return diffOp{Name: op.JSName(), ID: op.ID, Method: op.Method, Path: op.Path}
}

// diffCatalogs compares calls by JS name, which an operation keeps across
// versions.
func diffCatalogs(a, b *catalog.Catalog) *apiDiff {
	d := &apiDiff{From: a.Version, To: b.Version, Added: []diffOp{}, Removed: []diffOp{}, Changed: []diffOp{}}
	for _, op := range b.Operations {
		if a.ByJSName(op.JSName()) == nil {
			d.Added = append(d.Added, opOf(op))
		}
	}
	for _, op := range a.Operations {
		nb := b.ByJSName(op.JSName())
		if nb == nil {
			d.Removed = append(d.Removed, opOf(op))
			continue
		}
		if ch := diffOperation(op, nb); len(ch) > 0 {
			o := opOf(nb)
			o.Changes = ch
			d.Changed = append(d.Changed, o)
		}
	}
	for _, l := range [][]diffOp{d.Added, d.Removed, d.Changed} {
		slices.SortFunc(l, func(x, y diffOp) int { return strings.Compare(x.Name, y.Name) })
	}
	return d
}

func diffOperation(a, b *catalog.Operation) []diffChange {
	var out []diffChange
	if a.Method != b.Method || a.Path != b.Path {
		out = append(out, diffChange{Where: "route", Change: "type", From: a.Method + " " + a.Path, To: b.Method + " " + b.Path})
	}
	params := func(op *catalog.Operation) map[string]string {
		m := map[string]string{}
		for _, p := range append(slices.Clone(op.PathParams), op.Query...) {
			m[p.Name] = p.In + " " + p.Type
		}
		return m
	}
	out = append(out, diffFields("param", params(a), params(b))...)
	out = append(out, diffFields("body", fieldTypes(a.Catalog(), a.Body), fieldTypes(b.Catalog(), b.Body))...)
	out = append(out, diffFields("response", fieldTypes(a.Catalog(), a.ResponseSchema()), fieldTypes(b.Catalog(), b.ResponseSchema()))...)
	return out
}

func diffFields(where string, a, b map[string]string) []diffChange {
	var out []diffChange
	names := map[string]bool{}
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	for _, k := range sorted {
		ta, ina := a[k]
		tb, inb := b[k]
		switch {
		case !ina:
			out = append(out, diffChange{Where: where, Field: k, Change: "added", To: tb})
		case !inb:
			out = append(out, diffChange{Where: where, Field: k, Change: "removed", From: ta})
		case ta != tb:
			out = append(out, diffChange{Where: where, Field: k, Change: "type", From: ta, To: tb})
		}
	}
	return out
}

// fieldTypes flattens a schema into dotted field paths and their types, a
// few levels deep ("from.id": "string", "tags[].name": "string").
func fieldTypes(cat *catalog.Catalog, s *catalog.Schema) map[string]string {
	out := map[string]string{}
	var walk func(s *catalog.Schema, prefix string, depth int)
	walk = func(s *catalog.Schema, prefix string, depth int) {
		s = cat.Lookup(s)
		if s == nil || depth > 4 {
			return
		}
		for _, p := range s.Properties {
			name := prefix + p.Name
			out[name] = typeName(cat, p.Schema)
			walk(p.Schema, name+".", depth+1)
			if ps := cat.Lookup(p.Schema); ps != nil && ps.Items != nil {
				walk(ps.Items, name+"[].", depth+1)
			}
		}
		for _, g := range [][]*catalog.Schema{s.AllOf, s.OneOf, s.AnyOf} {
			for _, alt := range g {
				walk(alt, prefix, depth+1)
			}
		}
	}
	walk(s, "", 0)
	return out
}

// typeName is a field's type in a word: "string", "array of integer",
// "object", "one of 3".
func typeName(cat *catalog.Catalog, s *catalog.Schema) string {
	s = cat.Lookup(s)
	switch {
	case s == nil:
		return "any"
	case s.Type == "array" && s.Items != nil:
		return "array of " + typeName(cat, s.Items)
	case s.Type != "":
		return s.Type
	case len(s.OneOf) > 0:
		return fmt.Sprintf("one of %d", len(s.OneOf))
	case len(s.AnyOf) > 0:
		return fmt.Sprintf("any of %d", len(s.AnyOf))
	case len(s.AllOf) > 0 || len(s.Properties) > 0:
		return "object"
	}
	return "any"
}

func (d *apiDiff) write(w io.Writer) {
	fmt.Fprintf(w, "API %s → %s\n", d.From, d.To)
	list := func(title string, ops []diffOp) {
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
