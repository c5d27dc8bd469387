package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// renameFirst renames the first contact and prints the name the server
// then holds (read back in a second run).
const renameFirst = `args.declare({name: {default: "Renamed"}});
const c = await intercom.contacts.list().first();
const r = await intercom.contacts.update(c.id, {name: args.flag("name", "Renamed")});
console.log("id", c.id, "dry", Boolean(r.dry_run));
`

// TestDryRunAfterTheScriptNameSendsNothing: `icscript mutate.js --dry-run`
// is a dry run — the server's state is unchanged — as is --dry-run before
// the name.
func TestDryRunAfterTheScriptNameSendsNothing(t *testing.T) {
	_, env, flags := servedSandbox(t)
	dir, _ := writeScript(t, "mutate.js", renameFirst)
	nameOf := func() string {
		r := icscript(t, dir, env, append(flags, "--no-audit", "-e", `console.log((await intercom.contacts.list().first()).name)`)...).must(t, 0)
		return strings.TrimSpace(r.stdout)
	}
	before := nameOf()
	for _, args := range [][]string{
		{"mutate.js", "--dry-run"},
		{"mutate.js", "--name", "Other", "--dry-run"},
		{"mutate.js", "-dry-run"},
		{"--dry-run", "mutate.js"},
	} {
		r := icscript(t, dir, env, append(append([]string{}, flags...), append([]string{"--no-audit"}, args...)...)...).must(t, 0)
		r.contains(t, "dry true", "would contacts.update")
		if got := nameOf(); got != before {
			t.Fatalf("%q changed the contact's name from %q to %q", args, before, got)
		}
	}
	// Without it the change is sent: the check above can fail.
	icscript(t, dir, env, append(flags, "--no-audit", "mutate.js")...).must(t, 0).contains(t, "dry false")
	if nameOf() != "Renamed" {
		t.Fatal("the real run did not rename the contact")
	}
}

// TestScriptFlagsAreChecked: a flag the script does not read, or one of
// icscript's own after the script name, stops the run before anything runs
// (exit 2), with a did-you-mean.
func TestScriptFlagsAreChecked(t *testing.T) {
	dir, _ := writeScript(t, "report.js", `const days = args.flag("days", 30); console.log("ran with", days);`)
	icscript(t, dir, nil, "--sandbox", "report.js", "--days", "60").must(t, 0).contains(t, "ran with 60")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--sandbox", "report.js", "--dys", "60"}, []string{"--dys: unknown flag; did you mean --days?"}},
		{[]string{"--sandbox", "report.js", "--verbose"}, []string{"--verbose is icscript's flag", "before the script name"}},
		{[]string{"--sandbox", "report.js", "--live"}, []string{"--live is icscript's flag"}},
		{[]string{"--sandbox", "-e", `console.log("ran with", args.flag("days"))`, "--", "--dys", "1"}, []string{"--dys: unknown flag; did you mean --days?"}},
	} {
		r := icscript(t, dir, nil, c.args...).must(t, 2)
		r.contains(t, c.want...)
		if strings.Contains(r.stdout, "ran with") {
			t.Fatalf("%q ran the script", c.args)
		}
	}
	// Every example still runs with its documented flags (examples_test.go);
	// a flag read by a computed name is not refused.
	dir, _ = writeScript(t, "computed.js", `const n = ["da", "ys"].join(""); console.log("ran with", args.flag(n, 1));`)
	icscript(t, dir, nil, "--sandbox", "computed.js", "--days", "5").must(t, 0).contains(t, "ran with 5")
}

// TestInvalidRunFlagsThroughTheBinary: a sample of the table in
// run_flags_test.go, end to end.
func TestInvalidRunFlagsThroughTheBinary(t *testing.T) {
	dir, _ := writeScript(t, "x.js", `console.log("ran")`)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--sandbox", "--base-url", "http://127.0.0.1:1", "x.js"}, "--sandbox and --base-url contradict"},
		{[]string{"--timeout", "-1s", "x.js"}, "--timeout wants a positive duration"},
		{[]string{"--region", "mars", "x.js"}, `--region wants us, eu or au, got "mars"`},
		{[]string{"--concurrency", "abc", "x.js"}, `--concurrency wants a whole number such as 8, got "abc"`},
		{[]string{"--timeout", "5", "x.js"}, "--timeout wants a duration with its unit"},
	} {
		r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=tok-flags-test-1234"}, c.args...).must(t, 2)
		r.contains(t, c.want)
		if strings.Contains(r.stdout, "ran") || strings.Contains(r.stderr, "parse error") {
			t.Fatalf("%q: ran or showed flag internals\n%s%s", c.args, r.stdout, r.stderr)
		}
	}
}

// tokenSource is one way secretToken reaches a run: the environment to
// add and the run's flags.
type tokenSource struct {
	name string
	env  []string
	args []string
}

// tokenSources are the ways the README names — INTERCOM_ACCESS_TOKEN,
// INTERCOM_API_KEY, a profile's token_env (in use or not), a profile's
// token_command — against the sandbox at base, with the config.toml that
// declares their profiles.
func tokenSources(base string) (config string, sources []tokenSource) {
	config = `
[profile.innocent]
base_url = "` + base + `"
token_env = "PROD_IC"

[profile.cmd]
base_url = "` + base + `"
token_command = "printf %s \"$SECRET_SOURCE_FOR_TEST\" | tr a-z a-z"
`
	return config, []tokenSource{
		{"INTERCOM_ACCESS_TOKEN", []string{"INTERCOM_ACCESS_TOKEN=" + secretToken}, []string{"--base-url", base}},
		{"INTERCOM_API_KEY", []string{"INTERCOM_API_KEY=" + secretToken}, []string{"--base-url", base}},
		{"token_env with an innocent name", []string{"PROD_IC=" + secretToken}, []string{"--profile", "innocent"}},
		{"token_env, in a sandbox run", []string{"PROD_IC=" + secretToken}, []string{"--sandbox"}},
		{"token_command", []string{"SECRET_SOURCE_FOR_TEST=" + secretToken}, []string{"--profile", "cmd"}},
	}
}

// TestTokenNeverInEnvWhateverItsSource: every way a token reaches a run —
// INTERCOM_ACCESS_TOKEN, INTERCOM_API_KEY, a profile's token_env with an
// innocent name, a profile's token_command — and every way a script reads
// env: the token appears nowhere in the output, and neither does a
// variable that merely holds it.
func TestTokenNeverInEnvWhateverItsSource(t *testing.T) {
	_, base := sandboxtest.Start(t, sandbox.Options{Seed: 9, Token: secretToken})
	script := `
console.log("names", env.PROD_IC, env.COPY_OF_IT, env.INTERCOM_ACCESS_TOKEN, env.INTERCOM_API_KEY);
console.log("keys", Object.keys(env).join(","));
console.log("json", JSON.stringify(env));
console.log(env);
console.log("me", (await intercom.me).name);
`
	home := t.TempDir()
	config, sources := tokenSources(base)
	os.MkdirAll(filepath.Join(home, "config", "icscript"), 0o755)
	os.WriteFile(filepath.Join(home, "config", "icscript", "config.toml"), []byte(config), 0o644)
	hostEnv := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "COPY_OF_IT=Bearer " + secretToken}
	for _, c := range sources {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := writeScript(t, "envdump.js", script)
			r := icscript(t, dir, append(append([]string{}, hostEnv...), c.env...), append(c.args, "--no-audit", "envdump.js")...).must(t, 0)
			r.contains(t, "me ")
			noSecret(t, "stdout", r.stdout)
			noSecret(t, "stderr", r.stderr)
			for _, name := range []string{"PROD_IC", "COPY_OF_IT", "SECRET_SOURCE_FOR_TEST"} {
				if strings.Contains(r.stdout, name) {
					t.Errorf("env shows %s:\n%s", name, r.stdout)
				}
			}
		})
	}
}

// TestOutputNeverShowsTheTokenOrURLCredentials: a script that prints the
// token (here built from pieces, as an API echo would hand it over), and
// the guard's message about a base URL with user:pass@, show neither.
func TestOutputNeverShowsTheTokenOrURLCredentials(t *testing.T) {
	_, base := sandboxtest.Start(t, sandbox.Options{Seed: 9, Token: secretToken})
	withCreds := strings.Replace(base, "http://", "http://opsuser:pa55w0rd-secret@", 1)
	half := len(secretToken) / 2
	dir, _ := writeScript(t, "echo.js", `
const tok = "`+secretToken[:half]+`" + "`+secretToken[half:]+`";
console.log("stdout:", tok);
console.error("stderr:", tok, new Error(tok).message);
console.log({nested: {tok}});
await intercom.contacts.delete((await intercom.contacts.list().first()).id);
`)
	r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + secretToken}, "--base-url", withCreds, "--verbose", "echo.js")
	r.contains(t, "stdout: [redacted]", "is irreversible", "[redacted]@127.0.0.1")
	noSecret(t, "stdout", r.stdout)
	noSecret(t, "stderr", r.stderr)
	for _, leak := range []string{"pa55w0rd-secret", "opsuser"} {
		if strings.Contains(r.stdout+r.stderr, leak) {
			t.Errorf("output shows %q:\n%s\n%s", leak, r.stdout, r.stderr)
		}
	}
}

// TestTokenCommandStopsWithItsChildren: a token_command that starts a
// child which never ends is stopped, child included, by the first Ctrl-C
// (internal/config's tests cover its timeout).
func TestTokenCommandStopsWithItsChildren(t *testing.T) {
	home := t.TempDir()
	marker := filepath.Join(home, "started")
	os.MkdirAll(filepath.Join(home, "config", "icscript"), 0o755)
	os.WriteFile(filepath.Join(home, "config", "icscript", "config.toml"), []byte(`
[profile.slow]
token_command = "touch `+marker+`; sleep 5017; echo tok"
`), 0o644)
	dir, _ := writeScript(t, "x.js", `console.log("ran")`)
	p := startIcscript(t, dir, []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config"}, "--profile", "slow", "x.js")
	waitFor(t, func() bool { return fileExists(marker) })
	if code := p.stop(syscall.SIGINT, 20*time.Second); code != 130 {
		t.Fatalf("exit %d after one Ctrl-C, want 130\n%s", code, p.stderr.String())
	}
	waitFor(t, func() bool { return !processRunning("sleep 5017") })
}

// processRunning reports whether a process with that command line runs.
func processRunning(cmdline string) bool {
	return exec.Command("pgrep", "-f", "^"+cmdline+"$").Run() == nil
}

// TestWatchSummaryCountsOneRun: with a client kept across reruns (a real
// workspace), each rerun's summary counts that run's requests alone.
func TestWatchSummaryCountsOneRun(t *testing.T) {
	_, env, flags := servedSandbox(t)
	src := `await intercom.me; await intercom.raw("GET", "/me"); console.log("done");` + "\n"
	dir, script := writeScript(t, "two.js", src)
	p := startIcscript(t, dir, env, append(flags, "--watch", "--verbose", "--no-audit", "two.js")...)
	p.waitStdout("done", 1)
	for i := 2; i <= 3; i++ {
		save(t, script, src+strings.Repeat("// again\n", i))
		p.waitStdout("done", i)
		p.waitOutput(func() bool { return len(summaries(p.stderr.String())) >= i }, "no summary after the rerun")
	}
	p.stop(syscall.SIGINT, 20*time.Second)
	got := summaries(p.stderr.String())
	for _, s := range got[1:] {
		if s != got[0] {
			t.Fatalf("the runs did the same, but their summaries differ (added up?): %q\n%s", got, p.stderr.String())
		}
	}
}

// summaries are the request summary lines of --verbose runs.
func summaries(stderr string) []string {
	var out []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "icscript: ") && strings.Contains(line, " requests") {
			out = append(out, line)
		}
	}
	return out
}
