package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// secretToken is recognisable anywhere it might leak.
const secretToken = "tok_SECRET_canary_5f3a9c1e7b2d4860"

// leakyScript tries every ordinary way a token reaches output: the
// environment, errors, verbose logs, audit bodies.
const leakyScript = `
console.log("env:", env.INTERCOM_ACCESS_TOKEN, JSON.stringify(env));
console.log("env keys:", Object.keys(env).length);
const me = await intercom.me;
await intercom.contacts.update((await intercom.contacts.list().first()).id, { name: "Secret Audit" });
try { await intercom.contacts.find("no-such-contact"); } catch (e) { console.error(e.message, JSON.stringify(e)); }
console.log("done", me.name);
`

// TestSecretsNeverLeak runs the binary in every mode with a recognisable
// token and checks that it appears in no output and no file the run
// leaves: stdout, stderr, the audit log, REPL history, anything under HOME
// and the script's folder.
func TestSecretsNeverLeak(t *testing.T) {
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 9, Token: secretToken})
	_, wrongBase := sandboxtest.Start(t, sandbox.Options{Seed: 9, Token: "another-token-entirely"})
	env := []string{"INTERCOM_ACCESS_TOKEN=" + secretToken}
	_ = sb
	cases := []struct {
		name string
		src  string
		args []string
		env  []string
	}{
		{"run", leakyScript, []string{"--base-url", base}, env},
		{"run with INTERCOM_API_KEY", leakyScript, []string{"--base-url", base}, []string{"INTERCOM_API_KEY=" + secretToken}},
		{"verbose", leakyScript, []string{"--base-url", base, "--verbose"}, env},
		{"dry run", leakyScript, []string{"--base-url", base, "--dry-run", "--verbose"}, env},
		{"audit bodies", leakyScript, []string{"--base-url", base, "--audit-bodies"}, env},
		{"401 error", leakyScript, []string{"--base-url", wrongBase}, env},
		{"uncaught API error", `await intercom.contacts.find("nope-` + "${1}" + `");`, []string{"--base-url", base}, env},
		{"script crash", `const t = env.INTERCOM_ACCESS_TOKEN; throw new Error("crash with " + t + " " + JSON.stringify(env));`, []string{"--base-url", base}, env},
		{"unhandled rejection", `Promise.reject(new Error("lost " + env.INTERCOM_API_KEY)); await sleep(10);`, []string{"--base-url", base}, env},
		{"unreachable server", `await intercom.contacts.find("x");`, []string{"--base-url", "http://127.0.0.1:1"}, env},
		{"timeout", `await intercom.me; for (;;) {}`, []string{"--base-url", base, "--timeout", "300ms"}, env},
		{"token in the base URL", `1`, []string{"--base-url", "http://" + secretToken + "@127.0.0.1:1/x?" + secretToken}, env},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, _ := writeScript(t, "audit-me.js", c.src)
			home := t.TempDir()
			henv := append([]string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config", "XDG_STATE_HOME=" + home + "/state"}, c.env...)
			r := icscript(t, dir, henv, append(c.args, "audit-me.js")...)
			noSecret(t, "stdout", r.stdout)
			noSecret(t, "stderr", r.stderr)
			noSecretInFiles(t, dir, home)
			if c.name == "run" && !fileExists(filepath.Join(dir, ".icscript", "audit.jsonl")) {
				t.Errorf("no audit log written; the audit was not exercised\n%s", r.stderr)
			}
		})
	}
	t.Run("watch", func(t *testing.T) {
		t.Parallel()
		dir, script := writeScript(t, "audit-me.js", leakyScript)
		home := t.TempDir()
		p := startIcscript(t, dir, append([]string{"HOME=" + home, "XDG_STATE_HOME=" + home + "/state"}, env...), "--base-url", base, "--watch", "--verbose", script)
		p.waitStdout("done", 1)
		os.WriteFile(script, []byte(leakyScript+"\n// saved again\n"), 0o644)
		p.waitStdout("done", 2)
		p.stop(syscall.SIGINT, 20*time.Second)
		noSecret(t, "stdout", p.stdout.String())
		noSecret(t, "stderr", p.stderr.String())
		noSecretInFiles(t, dir, home)
	})
	t.Run("sandbox command", func(t *testing.T) {
		// `icscript sandbox --token` prints the token it accepts on purpose
		// (it is the sandbox's, for curl); the user's own token in the
		// environment must not appear.
		t.Parallel()
		p := startIcscript(t, t.TempDir(), env, "sandbox", "--addr", "127.0.0.1:0")
		p.waitStdout("Ctrl-C", 1)
		p.stop(syscall.SIGINT, 20*time.Second)
		noSecret(t, "stdout", p.stdout.String())
		noSecret(t, "stderr", p.stderr.String())
	})
	t.Run("repl", func(t *testing.T) {
		t.Parallel()
		e := newREPLEnv(t, env...)
		r := startREPL(t, e, "--base-url", base)
		r.Expect("> ")
		for _, line := range []string{
			`env.INTERCOM_ACCESS_TOKEN`,
			`JSON.stringify(env)`,
			`await intercom.contacts.find("nope")`,
			`intercom.contacts.update("nope", {name: "x"}).catch(e => e.message)`,
		} {
			r.Line(line)
			r.Expect("> ")
		}
		if strings.Contains(r.Screen(), secretToken) {
			t.Errorf("the REPL printed the token:\n%s", r.Screen())
		}
		// A line holding the token, typed by the user, must stay out of
		// the history file (the terminal echoes it, so the screen is not
		// checked after it).
		r.Line(`const pasted = "` + secretToken + `"; pasted.length`)
		r.Expect("34")
		r.Exit()
		noSecretInFiles(t, e.dir, e.home)
		if !fileExists(e.historyFile()) {
			t.Errorf("no history written; the history was not exercised")
		}
	})
}

func noSecret(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, secretToken) {
		t.Errorf("the token appears in %s:\n%s", where, s)
	}
}

// noSecretInFiles checks every file under the folders.
func noSecretInFiles(t *testing.T, roots ...string) {
	t.Helper()
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err == nil && strings.Contains(string(data), secretToken) {
				t.Errorf("the token appears in %s:\n%s", path, tail(string(data), 2000))
			}
			return nil
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
