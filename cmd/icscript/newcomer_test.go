package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The newcomer's path (issue 16): help, flags and messages that need no
// guessing, each checked through the real binary.

func TestHelpHasExamplesEnvironmentAndExitCodes(t *testing.T) {
	r := icscript(t, t.TempDir(), nil, "--help").must(t, 0)
	r.contains(t, "Examples:", "icscript --sandbox scripts/examples/close-stale.js",
		"Environment:", "INTERCOM_ACCESS_TOKEN", "INTERCOM_API_KEY", "ICSCRIPT_PROFILE", "NO_COLOR",
		"Exit codes:", "124", "130", "completion bash|zsh|fish")
	// Every exit code of exitcodes.go is explained.
	for _, code := range []string{"0 ", "1 ", "2 ", "3 ", "124", "130", "143"} {
		if !strings.Contains(r.stdout[strings.Index(r.stdout, "Exit codes:"):], "  "+code) &&
			!strings.Contains(r.stdout, code+" SIGTERM") {
			t.Errorf("--help does not explain exit code %s", code)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	dir := t.TempDir()
	a := icscript(t, dir, nil, "--version").must(t, 0)
	b := icscript(t, dir, nil, "version").must(t, 0)
	if !strings.HasPrefix(a.stdout, "icscript ") || a.stdout != b.stdout {
		t.Errorf("--version %q, version %q", a.stdout, b.stdout)
	}
}

func TestUnknownCommandDidYouMean(t *testing.T) {
	dir := t.TempDir()
	icscript(t, dir, nil, "opps").must(t, 2).contains(t, "cannot run opps", "did you mean 'icscript ops'?")
	icscript(t, dir, nil, "sandbx").must(t, 2).contains(t, "did you mean 'icscript sandbox'?")
	// A missing file with a path or an extension is just that.
	r := icscript(t, dir, nil, "ops.js").must(t, 2)
	if strings.Contains(r.stderr, "did you mean") {
		t.Errorf("a missing script got a command guess: %s", r.stderr)
	}
}

// TestFlagMistakesThroughTheBinary: bad values name the flag and the form
// it wants, --region is checked without a token, contradictions are refused.
func TestFlagMistakesThroughTheBinary(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--concurrency", "abc", "-e", "1"}, []string{"--concurrency wants a whole number", `"abc"`}},
		{[]string{"--timeout", "5", "-e", "1"}, []string{"--timeout wants a duration", "30s", `"5"`}},
		{[]string{"--region", "xx", "-e", "1"}, []string{"--region wants us, eu or au", `"xx"`}},
		{[]string{"--sandbox", "--base-url", "http://127.0.0.1:9", "-e", "1"}, []string{"--sandbox and --base-url contradict"}},
		{[]string{"--seed-conversations", "-1", "--sandbox", "-e", "1"}, []string{"--seed-conversations wants a number from 0"}},
		{[]string{"--seed-companies", "2", "--base-url", "http://127.0.0.1:9", "-e", "1"}, []string{"--seed-companies and --base-url contradict"}},
	}
	for _, c := range cases {
		r := icscript(t, dir, nil, c.args...).must(t, 2)
		r.contains(t, c.want...)
		if strings.Contains(r.stderr, "parse error") {
			t.Errorf("%v: %s", c.args, r.stderr)
		}
	}
}

func TestSandboxHelpSaysTheTokenComesFromTheSeed(t *testing.T) {
	icscript(t, t.TempDir(), nil, "sandbox", "--help").must(t, 0).contains(t, "derived from --seed")
}

// TestRunSizesTheSandbox: --seed-conversations and --seed-companies work on
// a run, not only on `icscript sandbox`.
func TestRunSizesTheSandbox(t *testing.T) {
	r := icscript(t, t.TempDir(), nil, "--sandbox", "--seed-conversations", "7", "--seed-companies", "3", "-e",
		`console.log(await intercom.conversations.list().count(), await intercom.companies.list().count())`).must(t, 0)
	if strings.TrimSpace(r.stdout) != "7 3" {
		t.Errorf("counts %q, want 7 3", r.stdout)
	}
}

func TestOpsFindsTheConversationVerbs(t *testing.T) {
	dir := t.TempDir()
	icscript(t, dir, nil, "ops", "close").must(t, 0).contains(t, "intercom.conversations.close(id, body?)")
	icscript(t, dir, nil, "ops", "snooze").must(t, 0).contains(t, "intercom.conversations.snooze(id, until)")
	r := icscript(t, dir, nil, "ops", "manage").must(t, 0)
	r.contains(t, "conversations.manage(", "conversations.close(", "conversations.open(", "conversations.snooze(", "conversations.assign(")
}

// TestHelpShowsVerbsBodyAndSearchFields drives a piped REPL's .help.
func TestHelpShowsVerbsBodyAndSearchFields(t *testing.T) {
	cmd := binaryCommand(t, t.TempDir(), nil, "--sandbox")
	cmd.Stdin = strings.NewReader(".help conversations.close\n.help contacts.create\n.help conversations.search\n.help contacts.search\n")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{
		"intercom.conversations.close(id, body?)", "POST /conversations/{id}/parts", "manageConversation",
		"body", "email (string)", "role (string)",
		"searchable fields", "state ", "admin_assignee_id", "Integer", "created_at", "Date (UNIX timestamp)",
		// The table's misspelling and the contact model's spelling (internal/gen's searchFieldSpellings).
		"andoid_sdk_version", "android_sdk_version",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf(".help output lacks %q:\n%s", want, out.String())
		}
	}
	// Piped, stdout holds the answers alone: the banner is on stderr.
	if strings.Contains(out.String(), ".help for help") || !strings.Contains(errOut.String(), ".help for help") {
		t.Errorf("banner: stdout %.80q…, stderr %q", out.String(), errOut.String())
	}
}

func TestOneRequestIsSingular(t *testing.T) {
	r := icscript(t, t.TempDir(), nil, "--sandbox", "--verbose", "-e", `await intercom.admins.list().first(1)`).must(t, 0)
	r.contains(t, "icscript: 1 request\n")
	if strings.Contains(r.stderr, "1 requests") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

// TestReadOnlyRunLeavesNoAuditLog: the audit log is created by the first
// mutation, not by a run that only reads.
func TestReadOnlyRunLeavesNoAuditLog(t *testing.T) {
	_, env, flags := servedSandbox(t)
	dir, _ := writeScript(t, "read.js", `console.log((await intercom.admins.list().first(1)).length)`)
	icscript(t, dir, env, append(flags, "read.js")...).must(t, 0)
	if _, err := os.Stat(filepath.Join(dir, ".icscript")); !os.IsNotExist(err) {
		t.Errorf("a read-only run made %s: %v", filepath.Join(dir, ".icscript"), err)
	}
	writeFile(t, filepath.Join(dir, "write.js"), `await intercom.tags.create({name: "first-mutation"})`)
	icscript(t, dir, env, append(flags, "write.js")...).must(t, 0)
	data, err := os.ReadFile(filepath.Join(dir, ".icscript", "audit.jsonl"))
	if err != nil || !strings.Contains(string(data), "tags.create") {
		t.Errorf("audit log after a mutation: %q, %v", data, err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRefusedConnectionFailsFast: nothing listening at the base URL on the
// first request is one attempt, the URL and a hint, not five retries.
func TestRefusedConnectionFailsFast(t *testing.T) {
	r := icscript(t, t.TempDir(), []string{"INTERCOM_ACCESS_TOKEN=tok-refused-1234"},
		"--base-url", "http://127.0.0.1:1", "--verbose", "-e", `await intercom.contacts.find("x")`).must(t, 1)
	r.contains(t, "cannot reach http://127.0.0.1:1", "connection refused", "check the base URL", "icscript: 1 request")
	if strings.Contains(r.stderr, "retries") || strings.Contains(r.stderr, "attempts") {
		t.Errorf("a refused first request was retried:\n%s", r.stderr)
	}
}

// TestForgottenAwait: a pending Promise printed gets a hint; one passed as
// an id is a TypeError that says so.
func TestForgottenAwait(t *testing.T) {
	r := icscript(t, t.TempDir(), nil, "--sandbox", "-e", `
const c = intercom.contacts.create({email: "await@example.com"});
console.log(c);
for (const call of [() => intercom.contacts.find(c), () => intercom.conversations.close(c), () => intercom.contacts.update("1", {owner_id: c})]) {
  try { await call(); } catch (e) { console.log(e.name + ": " + e.message); }
}`).must(t, 0)
	r.contains(t, "Promise { <pending> }", "did you forget await?")
	if n := strings.Count(r.stdout, "TypeError:") - strings.Count(r.stdout, "did you forget await?"); n != 0 || strings.Count(r.stdout, "TypeError:") != 3 {
		t.Errorf("want three TypeErrors, each saying did you forget await?:\n%s", r.stdout)
	}
}

// TestDryRunPlaceholderIDs: a create in a dry run gives a placeholder id
// that later calls accept and print; outside a dry run it is refused.
func TestDryRunPlaceholderIDs(t *testing.T) {
	dir, _ := writeScript(t, "dr.js", `
const c = await intercom.contacts.create({ email: "new@example.com" });
const t = await intercom.tags.create({ name: "vip" });
console.log(c.id, t.id);
await intercom.contacts.update(c.id, { name: "New" });
await intercom.tags.tagContact(c.id, { id: t.id });
console.log((await intercom.contacts.find(c.id)).id);`)
	r := icscript(t, dir, nil, "--sandbox", "--dry-run", "dr.js").must(t, 0)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || lines[0] != "dry-run:contacts.create:1 dry-run:tags.create:2" || lines[1] != "dry-run:contacts.create:1" {
		t.Errorf("stdout %q", r.stdout)
	}
	r.contains(t, "PUT /contacts/dry-run:contacts.create:1", `/contacts/dry-run:contacts.create:1/tags {"id":"dry-run:tags.create:2"}`)
	if strings.Contains(r.stdout+r.stderr, "null") {
		t.Errorf("a placeholder was sent as null:\n%s%s", r.stdout, r.stderr)
	}
	// Not a dry run: the placeholder names nothing.
	r = icscript(t, dir, nil, "--sandbox", "-e", `
for (const call of [() => intercom.contacts.update("dry-run:contacts.create:1", {name: "x"}),
                    () => intercom.tags.create({name: "dry-run:tags.create:2"}) && intercom.tags.tagContact("1", {id: "dry-run:tags.create:2"}),
                    () => intercom.conversations.close("dry-run:conversations.create:1")]) {
  try { await call(); console.log("sent"); } catch (e) { console.log(e.name, e.message.includes("placeholder")); }
}`).must(t, 0)
	if got := strings.Count(r.stdout, "TypeError true"); got != 3 {
		t.Errorf("want 3 refusals:\n%s%s", r.stdout, r.stderr)
	}
}

// TestBashCompletion loads the generated script into a real bash and calls
// its function the way bash does on TAB.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "close-stale.js"), "1")
	writeFile(t, filepath.Join(dir, "notes.txt"), "")
	if err := os.Mkdir(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := icscript(t, dir, nil, "completion", "bash").must(t, 0).stdout
	binDir := filepath.Dir(icscriptBinary(t))
	complete := func(words ...string) []string {
		t.Helper()
		src := script + `
complete -p icscript
COMP_WORDS=(` + shellWords(words) + `)
COMP_CWORD=$((${#COMP_WORDS[@]}-1))
_icscript
printf '%s\n' "${COMPREPLY[@]}"
`
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", src)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + binDir + ":" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if !strings.HasPrefix(lines[0], "complete ") || !strings.HasSuffix(lines[0], " icscript") {
			t.Fatalf("complete -p: %q", lines[0])
		}
		return lines[1:]
	}
	has := func(got []string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("completions %q lack %q", got, w)
			}
		}
	}
	has(complete("icscript", "o"), "ops")
	has(complete("icscript", ""), "ops", "sandbox", "completion", "close-stale.js", "lib/")
	if got := complete("icscript", ""); slices.Contains(got, "notes.txt") {
		t.Errorf("a non-script offered as a script: %q", got)
	}
	has(complete("icscript", "--con"), "--concurrency")
	has(complete("icscript", "--region", ""), "us", "eu", "au")
	has(complete("icscript", "ops", "conversations.cl"), "conversations.close")
	has(complete("icscript", "ops", "contacts.s"), "contacts.search")
	has(complete("icscript", "sandbox", "--seed-c"), "--seed-contacts", "--seed-companies", "--seed-conversations")
	has(complete("icscript", "completion", ""), "bash", "zsh", "fish")
	// Every command of the table completes its flags and its arguments.
	has(complete("icscript", "a"), "api")
	has(complete("icscript", "api", ""), "diff")
	has(complete("icscript", "listen", "--jou"), "--journal", "--journal-max")
	has(complete("icscript", "replay", "--to"), "--topic")
	has(complete("icscript", "trigger", "conversation.admin.c"), "conversation.admin.closed")
	has(complete("icscript", "check", "--api"), "--api-version")
	has(complete("icscript", "init", "--l"), "--listen")
	has(complete("icscript", "--sandbox", "cl"), "close-stale.js")
}

func shellWords(words []string) string {
	var q []string
	for _, w := range words {
		q = append(q, "'"+strings.ReplaceAll(w, "'", `'\''`)+"'")
	}
	return strings.Join(q, " ")
}

// TestZshAndFishCompletionScripts: the scripts parse in their shells (when
// installed), and name the hidden command they call.
func TestZshAndFishCompletionScripts(t *testing.T) {
	dir := t.TempDir()
	for shell, check := range map[string][]string{"zsh": {"-n"}, "fish": {"--no-execute"}} {
		script := icscript(t, dir, nil, "completion", shell).must(t, 0).stdout
		if !strings.Contains(script, "icscript __complete") {
			t.Errorf("%s script does not call icscript __complete", shell)
		}
		bin, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s not installed: syntax not checked", shell)
			continue
		}
		path := filepath.Join(dir, "icscript."+shell)
		writeFile(t, path, script)
		if out, err := exec.Command(bin, append(check, path)...).CombinedOutput(); err != nil {
			t.Errorf("%s %v: %v\n%s", shell, check, err, out)
		}
	}
	icscript(t, dir, nil, "completion", "bsh").must(t, 2).contains(t, "did you mean bash?")
}

// TestExamplesMissingRequiredFlagExit2: an example called without what it
// needs is a usage mistake: exit 2, the message and the usage line.
func TestExamplesMissingRequiredFlagExit2(t *testing.T) {
	for name, msg := range map[string]string{
		"bulk-tag-from-csv.js":       "--file is required",
		"reassign-admin.js":          "--from is required",
		"sync-company-attributes.js": "--file is required",
		"gdpr-erase.js":              "no emails",
	} {
		script, err := filepath.Abs(filepath.Join(examplesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		r := icscript(t, t.TempDir(), nil, "--sandbox", script).must(t, 2)
		r.contains(t, name+": "+msg, "usage: icscript "+name)
	}
	script, _ := filepath.Abs(filepath.Join(examplesDir, "reassign-admin.js"))
	icscript(t, t.TempDir(), nil, "--sandbox", script, "--from", "1").must(t, 2).contains(t, "give exactly one of --to-team and --to-admin", "usage: icscript reassign-admin.js --from VALUE")
}

// TestExamplesInPlaceLeaveNoUntrackedFiles: every default output of an
// example is ignored by git, and running one in place leaves the folder clean.
func TestExamplesInPlaceLeaveNoUntrackedFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if out, err := exec.Command("git", "-C", examplesDir, "rev-parse", "--is-inside-work-tree").CombinedOutput(); err != nil {
		t.Skipf("not a git work tree: %s", out)
	}
	outDefault := regexp.MustCompile(`out: \{ default: "([^"]+)"`)
	for _, name := range examplesTested {
		src, err := os.ReadFile(filepath.Join(examplesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range outDefault.FindAllStringSubmatch(string(src), -1) {
			if err := exec.Command("git", "-C", examplesDir, "check-ignore", "-q", m[1]).Run(); err != nil {
				t.Errorf("%s writes %s by default, which git does not ignore", name, m[1])
			}
		}
	}
	out := filepath.Join(examplesDir, "inbox-report.json")
	if _, err := os.Stat(out); err == nil {
		t.Skip("inbox-report.json is already there: not touching it")
	}
	t.Cleanup(func() { os.Remove(out) })
	icscript(t, examplesDir, nil, "--sandbox", "inbox-report.js").must(t, 0)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("the example wrote no %s: %v", out, err)
	}
	status, err := exec.Command("git", "-C", examplesDir, "status", "--porcelain", "--untracked-files=all", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(status)), "\n") {
		if strings.HasPrefix(line, "??") {
			t.Errorf("untracked after a run in place: %s", line)
		}
	}
}

// TestREPLCompletionHidesPrototypeMembers: TAB after a dot offers the
// object's own members, not constructor nor Object.prototype's, in a real
// REPL on a pseudo-terminal.
func TestREPLCompletionHidesPrototypeMembers(t *testing.T) {
	r := startREPL(t, newREPLEnv(t), "--sandbox")
	r.Expect(".help for help")
	r.Expect("> ")
	r.Send("intercom.contacts.\t")
	r.Expect("search")
	s := r.Screen()
	for _, bad := range []string{"constructor", "hasOwnProperty", "toLocaleString", "__proto__"} {
		if strings.Contains(s, bad) {
			t.Errorf("completion offers %q:\n%s", bad, s)
		}
	}
	r.Send("\x03\x03")
	r.Expect("> ")
	r.Send("intercom.contacts.hasOwn\t")
	r.Expect("hasOwnProperty")
	r.Send("\x03\x03")
	r.Expect("> ")
	r.Exit()
}

// TestWorkspaceNoticeNamesTheWorkspace: on a terminal, a run against a real
// workspace names it by its app name, then where it is. The GET /me it
// reads for that is the script's intercom.me too: one request, not two.
func TestWorkspaceNoticeNamesTheWorkspace(t *testing.T) {
	sb, env, flags := servedSandbox(t)
	r := startREPL(t, newREPLEnv(t, env...), append(flags, "-e", `console.log("ran as", (await intercom.me).name)`)...)
	r.Expect(`icscript: workspace: "Acme (sandbox)" (http://127.0.0.1:`)
	r.Expect("ran as ")
	r.WaitExit()
	if n := sb.Stats().Requests; n != 1 {
		t.Errorf("%d requests; want the one GET /me, shared by the notice and intercom.me", n)
	}
}

// TestProgressBarAndDryRunLinesDoNotOverlap: on a terminal, a line written
// while a progress bar is drawn starts on a cleared line, never after the
// bar's text.
func TestProgressBarAndDryRunLinesDoNotOverlap(t *testing.T) {
	e := newREPLEnv(t)
	writeFile(t, filepath.Join(e.dir, "bulk.js"), `
const list = await intercom.contacts.list().first(6);
const bar = progress(list.length, "renaming");
for (const c of list) {
  bar.tick();
  await sleep(120);
  await intercom.contacts.update(c.id, { name: "renamed" });
  console.log("updated", c.id);
}
bar.done();`)
	r := startREPL(t, e, "--sandbox", "--dry-run", "bulk.js")
	r.WaitExit()
	raw := r.Raw()
	if !strings.Contains(raw, "items") {
		t.Skipf("no bar was drawn:\n%q", raw)
	}
	checked := 0
	for _, marker := range []string{"dry run: would", "updated "} {
		for i := strings.Index(raw, marker); i >= 0; {
			lineStart := strings.LastIndexAny(raw[:i], "\n")
			before := raw[lineStart+1 : i]
			if before != "" && !strings.HasSuffix(before, "\x1b[K") {
				t.Errorf("%q follows %q on its line", marker, before)
			}
			checked++
			next := strings.Index(raw[i+1:], marker)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	if checked < 6 {
		t.Errorf("only %d lines checked:\n%q", checked, raw)
	}
}

// TestCheckAndRunNameTheSameFile: a syntax error in a script in a subfolder
// is shown at the same path by `icscript check` and by a run.
func TestCheckAndRunNameTheSameFile(t *testing.T) {
	dir, _ := writeScript(t, "sub/x.js", "const a = 1;\nconst b = ;\n")
	check := icscript(t, dir, nil, "check", "sub/x.js").must(t, 1)
	run := icscript(t, dir, nil, "--sandbox", "sub/x.js").must(t, 1)
	for _, r := range []result{check, run} {
		r.contains(t, "at sub/x.js:2:11")
	}
}
