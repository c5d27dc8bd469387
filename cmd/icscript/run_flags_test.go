package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseRunArgsRefusesBadValues: every run flag with a value it cannot
// take, and every pair of flags that contradict each other, is a usage
// error naming the flag and the form it wants — never a bare "parse
// error" and never accepted.
func TestParseRunArgsRefusesBadValues(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--concurrency", "abc", "x.js"}, []string{"--concurrency", "whole number", `"abc"`}},
		{[]string{"--concurrency", "0", "x.js"}, []string{"--concurrency", "from 1"}},
		{[]string{"--concurrency", "-3", "x.js"}, []string{"--concurrency", "from 1"}},
		{[]string{"--concurrency", "1000000000", "x.js"}, []string{"--concurrency", "to 1000"}},
		{[]string{"--timeout", "5", "x.js"}, []string{"--timeout", "duration", "30s", `"5"`}},
		{[]string{"--timeout", "-1s", "x.js"}, []string{"--timeout", "positive", "-1s"}},
		{[]string{"--timeout", "soon", "x.js"}, []string{"--timeout", "duration", `"soon"`}},
		{[]string{"--timeout"}, []string{"--timeout needs a value", "duration"}},
		{[]string{"--seed", "x", "x.js"}, []string{"--seed", "whole number", `"x"`}},
		{[]string{"--seed-contacts", "lots", "x.js"}, []string{"--seed-contacts", "whole number"}},
		{[]string{"--seed-contacts", "-1", "x.js"}, []string{"--seed-contacts", "from 0"}},
		{[]string{"--seed-contacts", "99999999999", "x.js"}, []string{"--seed-contacts"}},
		{[]string{"--region", "mars", "x.js"}, []string{"--region", "us, eu or au", `"mars"`}},
		{[]string{"--rate", "fast", "x.js"}, []string{"--rate", "R/WINDOW"}},
		{[]string{"--rate", "0/10s", "x.js"}, []string{"--rate", "R/WINDOW"}},
		{[]string{"--max-memory", "lots", "x.js"}, []string{"--max-memory", "512MiB"}},
		{[]string{"--base-url", "ftp://host", "x.js"}, []string{"--base-url", "http(s)://host"}},
		{[]string{"--base-url", "not a url", "x.js"}, []string{"--base-url", "http(s)://host"}},
		{[]string{"--base-url", "http://user:hunter2@host?x=1", "x.js"}, []string{"--base-url", "[redacted]@host"}},
		{[]string{"--sandbox=maybe", "x.js"}, []string{"--sandbox", "true or false"}},
		{[]string{"--dry-run=perhaps", "x.js"}, []string{"--dry-run", "true or false"}},
		{[]string{"--concurency", "3", "x.js"}, []string{"unknown flag --concurency", "did you mean --concurrency?"}},
		// Contradictions.
		{[]string{"--sandbox", "--live", "x.js"}, []string{"--sandbox and --live contradict"}},
		{[]string{"--sandbox", "--base-url", "http://127.0.0.1:1", "x.js"}, []string{"--sandbox and --base-url contradict"}},
		{[]string{"--sandbox", "--region", "eu", "x.js"}, []string{"--sandbox and --region contradict"}},
		{[]string{"--sandbox", "--profile", "prod", "x.js"}, []string{"--sandbox and --profile contradict"}},
		{[]string{"--live", "--seed", "3", "x.js"}, []string{"--seed and --live contradict"}},
		{[]string{"--base-url", "http://h", "--seed-contacts", "30", "x.js"}, []string{"--seed-contacts and --base-url contradict"}},
		{[]string{"--profile", "prod", "--seed", "2", "x.js"}, []string{"--seed and --profile contradict"}},
		{[]string{"--region", "eu", "--seed-contacts", "2", "x.js"}, []string{"--seed-contacts and --region contradict"}},
		{[]string{"--quiet", "--verbose", "x.js"}, []string{"--quiet and --verbose contradict"}},
		{[]string{"--no-audit", "--audit", "a.jsonl", "x.js"}, []string{"--no-audit contradicts"}},
		{[]string{"--no-audit", "--audit-bodies", "x.js"}, []string{"--no-audit contradicts"}},
		{[]string{"--sandbox-keep", "x.js"}, []string{"--sandbox-keep", "--watch"}},
		{[]string{"--watch", "-e", "1"}, []string{"--watch needs a FILE"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, err := parseRunArgs(c.args)
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("parseRunArgs(%q) = %v, want a usage error", c.args, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "parse error") || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows flag-package internals or a password", err)
			}
		})
	}
}

// TestParseRunArgsAcceptsGoodValues: the checks refuse nothing valid.
func TestParseRunArgsAcceptsGoodValues(t *testing.T) {
	for _, args := range [][]string{
		{"--sandbox", "--seed", "3", "--seed-contacts", "500", "x.js"},
		{"--region", "EU", "--timeout", "0", "x.js"},
		{"--base-url", "http://127.0.0.1:8080/api", "--region", "au", "x.js"},
		{"--concurrency", "1000", "--timeout", "1h30m", "--rate", "500/10s", "x.js"},
		{"--live", "--profile", "prod", "x.js"},
		{"--quiet", "--dry-run", "--yes", "x.js"},
		{"--watch", "--sandbox", "--sandbox-keep", "x.js"},
	} {
		if _, err := parseRunArgs(args); err != nil {
			t.Errorf("parseRunArgs(%q): %v", args, err)
		}
	}
	if _, err := parseRunArgs([]string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
}

// TestDryRunAfterTheScriptName: --dry-run turns dry-run on wherever it
// stands before a lone "--"; after "--" it is the script's.
func TestDryRunAfterTheScriptName(t *testing.T) {
	for _, c := range []struct {
		args []string
		dry  bool
	}{
		{[]string{"x.js", "--dry-run"}, true},
		{[]string{"x.js", "--days", "3", "--dry-run=true"}, true},
		{[]string{"x.js", "-dry-run"}, true},
		{[]string{"-e", "1", "--dry-run"}, true},
		{[]string{"x.js", "--dry-run=false"}, false},
		{[]string{"x.js", "--", "--dry-run"}, false},
		{[]string{"x.js", "--dry-running"}, false},
	} {
		o, err := parseRunArgs(c.args)
		if err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		if o.dryRun != c.dry {
			t.Errorf("%q: dry run %v, want %v", c.args, o.dryRun, c.dry)
		}
	}
}

// TestCheckScriptArgs: the flags after the script name are checked
// against the flags the script's source reads.
func TestCheckScriptArgs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	flagJS := write("flag.js", `const d = args.flag("days", 30); const dryRun = args.flag("dryRun", false); console.log(d, args.positional);`)
	declareTS := write("declare.ts", `const o: {days: number} = args.declare({days: {default: 30}, "tag-name": ""}) as any; console.log(o);`)
	importJS := write("import.js", `import { flag } from "icscript:args"; import * as A from "icscript:args"; flag("days", 1); A.flag("tag");`)
	computedJS := write("computed.js", `for (const n of ["days", "tag"]) console.log(args.flag(n));`)
	allJS := write("all.js", `console.log(args.all);`)
	helperJS := write("helper.js", `const pick = (a) => a.flag("limit", 5); pick(args); const log = (...args) => console.log(...args); log(1);`)
	noneJS := write("none.js", `console.log(args.positional);`)
	concJS := write("conc.js", `args.flag("concurrency", 4)`)

	ok := []struct {
		file string
		args []string
		want []string // the script's arguments after the check
	}{
		{flagJS, []string{"--days", "60", "pos"}, []string{"--days", "60", "pos"}},
		{flagJS, []string{"--days=60", "--dry-run"}, []string{"--days=60", "--dry-run"}},
		{flagJS, []string{"--dryRun", "--no-dry-run"}, []string{"--dryRun", "--no-dry-run"}},
		{flagJS, []string{"--days", "-5"}, []string{"--days", "-5"}},
		{flagJS, []string{"--", "--dys", "--verbose", "-e"}, []string{"--", "--dys", "--verbose", "-e"}},
		{declareTS, []string{"--days", "3", "--tag-name", "x", "--help"}, []string{"--days", "3", "--tag-name", "x", "--help"}},
		{declareTS, []string{"--days", "3", "--dry-run"}, []string{"--days", "3"}}, // icscript's, not the script's
		{importJS, []string{"--days", "1", "--tag", "t"}, []string{"--days", "1", "--tag", "t"}},
		{computedJS, []string{"--anything", "1"}, []string{"--anything", "1"}},
		{allJS, []string{"--whatever"}, []string{"--whatever"}},
		{helperJS, []string{"--limit", "2"}, []string{"--limit", "2"}},
		{noneJS, []string{"a", "-5", "b"}, []string{"a", "-5", "b"}},
		{concJS, []string{"--concurrency", "2"}, []string{"--concurrency", "2"}},
	}
	for _, c := range ok {
		o := &runOptions{file: c.file, scriptArgs: c.args}
		if err := checkScriptArgs(o); err != nil {
			t.Errorf("%s %q: %v", filepath.Base(c.file), c.args, err)
			continue
		}
		if strings.Join(o.scriptArgs, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s %q: script args %q, want %q", filepath.Base(c.file), c.args, o.scriptArgs, c.want)
		}
	}

	bad := []struct {
		file string
		args []string
		want []string
	}{
		{flagJS, []string{"--dys", "60"}, []string{"--dys: unknown flag", "did you mean --days?"}},
		{flagJS, []string{"--help"}, []string{"--help: unknown flag", "--days", "--dry-run"}},
		{declareTS, []string{"--tagname", "x"}, []string{"--tagname: unknown flag", "did you mean --tag-name?"}},
		{importJS, []string{"--dayz", "1"}, []string{"did you mean --days?"}},
		{noneJS, []string{"--days", "1"}, []string{"--days: unknown flag", "none.js reads no flags"}},
		{flagJS, []string{"--verbose"}, []string{"--verbose is icscript's flag", "before the script name"}},
		{flagJS, []string{"--yes"}, []string{"--yes is icscript's flag"}},
		{computedJS, []string{"--profile", "prod"}, []string{"--profile is icscript's flag"}},
		{allJS, []string{"--sandbox"}, []string{"--sandbox is icscript's flag"}},
		{noneJS, []string{"-live"}, []string{"-live is icscript's flag"}},
		{flagJS, []string{"--timeout=5s"}, []string{"--timeout=5s is icscript's flag"}},
	}
	for _, c := range bad {
		o := &runOptions{file: c.file, scriptArgs: c.args}
		err := checkScriptArgs(o)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%s %q: %v, want a usage error", filepath.Base(c.file), c.args, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s %q: error %q lacks %q", filepath.Base(c.file), c.args, err, w)
			}
		}
	}
}
