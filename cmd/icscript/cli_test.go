package main

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// inProcess runs icscript's run() as main would, but with buffers for the
// streams, env for the environment and dir for the working directory:
// nothing of the test process's own is read.
func inProcess(t *testing.T, dir string, env map[string]string, args ...string) result {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	home := t.TempDir()
	sys := &System{
		Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr,
		Getenv: func(k string) string { return env[k] },
		Environ: func() []string {
			var kv []string
			for k, v := range env {
				kv = append(kv, k+"="+v)
			}
			sort.Strings(kv)
			return kv
		},
		Now:       time.Now,
		ConfigDir: filepath.Join(home, "config"),
		StateDir:  filepath.Join(home, "state"),
		Dir:       dir,
	}
	code := run(args, sys)
	return result{code, stdout.String(), stderr.String()}
}

func TestRunInProcess(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("jobs/report.js", `import { twice } from "./lib.js";
const days = args.flag("days", 7);
const n = fs.readText("ids.txt").trim().split("\n").length;
console.log((await intercom.me).app.name, twice(days), n, env.REGION);
`)
	write("jobs/lib.js", `export const twice = (n) => n * 2;`)
	write("jobs/ids.txt", "a\nb\nc\n")
	write("jobs/bad.js", "const a = 1;\nthrow new Error(\"boom\");\n")
	write("top.txt", "from the working directory")
	env := map[string]string{"REGION": "eu"}

	t.Run("-e against --sandbox", func(t *testing.T) {
		r := inProcess(t, dir, env, "--sandbox", "-e", `console.log((await intercom.me).app.name, fs.readText("top.txt"))`).must(t, exitOK)
		if r.stdout != "Acme (sandbox) from the working directory\n" {
			t.Errorf("stdout %q", r.stdout)
		}
	})
	t.Run("a script file named from the working directory", func(t *testing.T) {
		r := inProcess(t, dir, env, "--sandbox", "jobs/report.js", "--days", "30").must(t, exitOK)
		if r.stdout != "Acme (sandbox) 60 3 eu\n" {
			t.Errorf("stdout %q", r.stdout)
		}
	})
	t.Run("a script's error names its file from the working directory", func(t *testing.T) {
		inProcess(t, dir, env, "--sandbox", "jobs/bad.js").must(t, exitScriptError).contains(t, "error: boom", filepath.Join("jobs", "bad.js")+":2:")
	})
	t.Run("no token in the environment given: the sandbox, and the notice", func(t *testing.T) {
		inProcess(t, dir, nil, "-e", `console.log((await intercom.me).app.name)`).must(t, exitOK).contains(t, "Acme (sandbox)", "no INTERCOM_ACCESS_TOKEN set")
		inProcess(t, dir, nil, "--live", "-e", `1`).must(t, exitUsage).contains(t, "no Intercom token")
	})
	t.Run("usage errors", func(t *testing.T) {
		inProcess(t, dir, env, "--concurency", "3", "x.js").must(t, exitUsage).contains(t, "icscript: unknown flag --concurency (did you mean --concurrency?)")
		inProcess(t, dir, env, "--sandbox", "missing.js").must(t, exitUsage).contains(t, "cannot run missing.js")
		inProcess(t, dir, env, "--sandbox", "jobs/report.js", "--dys", "3").must(t, exitUsage).contains(t, "--dys: unknown flag", "did you mean --days?")
		inProcess(t, dir, env, "--sandbox", "jobs/report.js", "--days", "many").must(t, exitUsage).contains(t, "--days wants a number, got 'many'")
	})
	t.Run("--help", func(t *testing.T) {
		r := inProcess(t, dir, env, "--help").must(t, exitOK)
		r.contains(t, "Usage:", "Run flags:", "--sandbox", "--dry-run", "Exit codes:")
		if r.stderr != "" {
			t.Errorf("stderr %q", r.stderr)
		}
	})
}

// TestParseRunArgsTable: each run flag lands in its option; flags after
// the script name are the script's, except --dry-run, --resume and
// --api-version, which are icscript's wherever they stand before "--".
func TestParseRunArgsTable(t *testing.T) {
	defaults := runOptions{seed: 1, concurrency: 16, maxMemory: defaultMaxMemory}
	cases := []struct {
		args []string
		want func(o *runOptions) // changes from defaults; nil when err is set
		err  string
	}{
		{[]string{"x.js"}, func(o *runOptions) { o.file = "x.js" }, ""},
		{[]string{"-e", "1", "a", "--b"}, func(o *runOptions) { o.code, o.scriptArgs = "1", []string{"a", "--b"} }, ""},
		{[]string{"--sandbox", "--seed", "3", "--seed-contacts", "500", "--seed-companies", "7", "--seed-conversations", "9", "x.js"}, func(o *runOptions) {
			o.sandbox, o.seed, o.seedContacts, o.seedCompanies, o.seedConvs, o.file = true, 3, 500, 7, 9, "x.js"
		}, ""},
		{[]string{"--region", "eu", "--admin", "42", "--concurrency", "8", "--rate", "500/10s", "--timeout", "1m30s", "x.js"}, func(o *runOptions) {
			o.region, o.admin, o.concurrency, o.rate, o.timeout, o.file = "eu", "42", 8, "500/10s", 90*time.Second, "x.js"
		}, ""},
		{[]string{"--base-url", "http://127.0.0.1:8080/api", "--live", "x.js"}, func(o *runOptions) { o.baseURL, o.live, o.file = "http://127.0.0.1:8080/api", true, "x.js" }, ""},
		{[]string{"--profile", "prod", "--verbose", "x.js"}, func(o *runOptions) { o.profile, o.verbose, o.file = "prod", true, "x.js" }, ""},
		{[]string{"--quiet", "--yes", "--dry-run", "--resume", "x.js"}, func(o *runOptions) { o.quiet, o.yes, o.dryRun, o.resume, o.file = true, true, true, true, "x.js" }, ""},
		{[]string{"--audit", "a.jsonl", "--audit-bodies", "x.js"}, func(o *runOptions) { o.audit, o.auditBodies, o.file = "a.jsonl", true, "x.js" }, ""},
		{[]string{"--no-audit", "x.js"}, func(o *runOptions) { o.noAudit, o.file = true, "x.js" }, ""},
		{[]string{"--max-memory", "512MiB", "x.js"}, func(o *runOptions) { o.maxMemory, o.file = 512<<20, "x.js" }, ""},
		{[]string{"--max-memory", "0", "x.js"}, func(o *runOptions) { o.maxMemory, o.file = 0, "x.js" }, ""},
		{[]string{"--watch", "--sandbox", "--sandbox-keep", "x.js"}, func(o *runOptions) { o.watch, o.sandbox, o.sandboxKeep, o.file = true, true, true, "x.js" }, ""},
		{[]string{"--api-version", "2.11", "x.js"}, func(o *runOptions) { o.apiVersion, o.file = "2.11", "x.js" }, ""},
		{[]string{}, func(o *runOptions) {}, ""}, // the REPL
		{[]string{"-e", "1", "--", "--days", "3"}, func(o *runOptions) { o.code, o.scriptArgs = "1", []string{"--days", "3"} }, ""},
		{[]string{"-e", "1", "--days", "3"}, nil, "unknown flag --days (the flags of -e code go after --: icscript -e CODE -- --days 3)"},
		{[]string{"-e", "1", "--verbos"}, nil, "unknown flag --verbos (did you mean --verbose?)"},
		// After the script name.
		{[]string{"x.js", "--verbose", "--days", "3"}, func(o *runOptions) { o.file, o.scriptArgs = "x.js", []string{"--verbose", "--days", "3"} }, ""},
		{[]string{"x.js", "--days", "3", "--dry-run"}, func(o *runOptions) {
			o.file, o.dryRun, o.scriptArgs = "x.js", true, []string{"--days", "3", "--dry-run"}
		}, ""},
		{[]string{"x.js", "--resume"}, func(o *runOptions) { o.file, o.resume, o.scriptArgs = "x.js", true, []string{"--resume"} }, ""},
		{[]string{"-e", "1", "a", "--resume=true"}, func(o *runOptions) { o.code, o.resume, o.scriptArgs = "1", true, []string{"a", "--resume=true"} }, ""},
		{[]string{"-e", "1", "--resume"}, func(o *runOptions) { o.code, o.resume = "1", true }, ""}, // still icscript's flags
		{[]string{"x.js", "--api-version", "2.12", "--days", "3"}, func(o *runOptions) { o.file, o.apiVersion, o.scriptArgs = "x.js", "2.12", []string{"--days", "3"} }, ""},
		{[]string{"x.js", "--api-version=2.13"}, func(o *runOptions) { o.file, o.apiVersion = "x.js", "2.13" }, ""},
		{[]string{"--api-version", "2.11", "x.js", "--api-version", "2.11"}, func(o *runOptions) { o.file, o.apiVersion = "x.js", "2.11" }, ""},
		{[]string{"x.js", "--", "--api-version", "2.11", "--dry-run", "--resume"}, func(o *runOptions) {
			o.file, o.scriptArgs = "x.js", []string{"--", "--api-version", "2.11", "--dry-run", "--resume"}
		}, ""},
		// Errors, with their text.
		{[]string{"--api-version", "2.11", "x.js", "--api-version", "2.12"}, nil, "--api-version is given twice: 2.11 and 2.12"},
		{[]string{"x.js", "--api-version"}, nil, "--api-version needs a version: one of 2.10, 2.11"},
		{[]string{"--sandbox", "--profile", "prod", "x.js"}, nil, "--sandbox and --profile contradict each other: --sandbox runs against the built-in sandbox, --profile names a real workspace"},
		{[]string{"--seed", "2", "--region", "eu", "x.js"}, nil, "--seed and --region contradict each other: --seed shapes the sandbox, --region names a real workspace"},
		{[]string{"--quiet", "--verbose", "x.js"}, nil, "--quiet and --verbose contradict each other"},
		{[]string{"--sandbox-keep", "x.js"}, nil, "--sandbox-keep only means something with --watch"},
		{[]string{"--watch", "-e", "1"}, nil, "--watch needs a FILE to watch"},
		{[]string{"--no-audit", "--audit-bodies", "x.js"}, nil, "--no-audit contradicts --audit and --audit-bodies"},
		{[]string{"--concurrency", "0", "x.js"}, nil, "--concurrency wants a whole number from 1 to 1000, got 0"},
		{[]string{"--timeout", "soon", "x.js"}, nil, `--timeout wants a duration with its unit such as 30s, 10m or 1h30m, got "soon"`},
		{[]string{"--region", "mars", "x.js"}, nil, `--region wants us, eu or au, got "mars"`},
		{[]string{"--rate", "fast", "x.js"}, nil, `--rate wants R/WINDOW such as 500/10s, got "fast"`},
		{[]string{"--timeout"}, nil, "--timeout needs a value: a duration with its unit such as 30s, 10m or 1h30m"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			o, err := parseRunArgs(c.args)
			if c.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				if exitCode(err) != exitUsage {
					t.Errorf("exit code %d, want %d", exitCode(err), exitUsage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := defaults
			c.want(&want)
			if !reflect.DeepEqual(*o, want) {
				t.Errorf("options\n got %+v\nwant %+v", *o, want)
			}
		})
	}
}
