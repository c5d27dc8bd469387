package stdlib_test

import (
	"strings"
	"testing"

	"github.com/icscript/icscript/runtime"
	"github.com/icscript/icscript/stdlib"
)

// TestScanScriptFlags: the scan finds the flags a bundled script reads, and
// says so when it cannot know (so that no flag is refused wrongly).
func TestScanScriptFlags(t *testing.T) {
	cases := []struct {
		src     string
		known   string
		dynamic bool
	}{
		{`args.flag("days", 3); args.flag(` + "`tag`" + `)`, "--days --tag", false},
		{`args.flag("dryRun", false)`, "--dry-run", false},
		{`import {flag} from "icscript:args"; flag("days", 3)`, "--days", false},
		{`import * as A from "icscript:args"; A.flag("x"); console.log(args.positional)`, "--x", false},
		{`const {flag} = require("icscript:args"); flag("z")`, "", true},
		{`args.declare({a: 1, "b-c": {default: 2}, d})`, "--a --b-c --d --help", false},
		{`args.declare({a: 1, [k]: 2})`, "--a --help", true},
		{`args.declare({...base})`, "--help", true},
		{`args.declare(spec)`, "", true},
		{`args.flag(name)`, "", true},
		{`const {flag} = args; flag("days")`, "", true},
		{`for (const a of args.all) {}`, "", true},
		{`const f = args.flag; f("x")`, "", true},
		{`const o = {args}`, "", true},
		{`function log(...args) { console.log(...args) } log(1); args.flag("q")`, "--q", false},
		{`const pick = (a) => a.flag("limit", 5); pick(args)`, "--limit", true},
		{`console.log(1)`, "", false},
	}
	for _, c := range cases {
		b, err := runtime.BundleCode(c.src, "x.js", runtime.BundleOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		sf := stdlib.ScanScriptFlags(b.Code)
		if got := strings.Join(sf.Known(), " "); got != c.known || sf.Dynamic != c.dynamic {
			t.Errorf("%s: known %q dynamic %v, want %q %v", c.src, got, sf.Dynamic, c.known, c.dynamic)
		}
	}
}
