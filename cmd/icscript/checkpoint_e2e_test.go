package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// noteEveryContact adds the note "ckpt" to every contact, four at a time,
// slowly enough to be stopped in the middle, and prints its summary.
const noteEveryContact = `const s = await intercom.contacts.list({per_page: 50}).forEach(async (c) => {
  await sleep(15);
  await intercom.notes.create(c.id, {body: "ckpt"});
  await sleep(15);
}, {checkpoint: "job.ckpt", concurrency: 4});
console.log("SUMMARY " + JSON.stringify(s));
`

// snapshotTables reads the sandbox's tables.
func snapshotTables(t *testing.T, sb *sandbox.Sandbox) map[string][]map[string]any {
	t.Helper()
	raw, err := sb.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var snap struct {
		Tables map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		t.Fatal(err)
	}
	return snap.Tables
}

// ckptNotes counts the "ckpt" notes of every contact (0 for those without).
func ckptNotes(t *testing.T, sb *sandbox.Sandbox) map[string]int {
	t.Helper()
	tables := snapshotTables(t, sb)
	out := map[string]int{}
	for _, c := range tables["contacts"] {
		out[c["id"].(string)] = 0
	}
	for _, n := range tables["notes"] {
		body, _ := n["body"].(string)
		ct, _ := n["contact"].(map[string]any)
		if strings.Contains(body, "ckpt") && ct != nil {
			out[ct["id"].(string)]++
		}
	}
	return out
}

// countLines counts the lines of path that start with prefix.
func countLines(path, prefix string) int {
	data, _ := os.ReadFile(path)
	n := 0
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

type jobSummary struct {
	OK, Failed, Skipped int
	NeedsCheck          []struct {
		Key string
		ID  string
	}
}

func summaryOf(t *testing.T, r result) jobSummary {
	t.Helper()
	m := regexp.MustCompile(`SUMMARY (.*)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no summary\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	var s jobSummary
	if err := json.Unmarshal([]byte(m[1]), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCheckpointResumeAfterAStopAppliesEachItemOnce stops a checkpointed
// job over 300 contacts in the middle — kill -9, and Ctrl-C — and resumes
// it: every contact then has the note exactly once, except those reported
// as needing a check, which have it at most once and are named on stderr.
func TestCheckpointResumeAfterAStopAppliesEachItemOnce(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 7, Contacts: 300})
			env, flags := []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()}, []string{"--base-url", base, "--no-audit"}
			dir, _ := writeScript(t, "job.js", noteEveryContact)
			ckpt := filepath.Join(dir, "job.ckpt")
			p := startIcscript(t, dir, env, append(flags, "job.js")...)
			p.waitOutput(func() bool { return countLines(ckpt, `{"done"`) >= 60 }, "the checkpoint never had 60 done lines")
			code := p.stop(sig, time.Minute)
			if sig == syscall.SIGINT && code != exitInterrupted {
				t.Fatalf("exit %d after Ctrl-C, want %d\nstderr:\n%s", code, exitInterrupted, p.stderr.String())
			}
			before := ckptNotes(t, sb)
			applied := 0
			for _, n := range before {
				applied += n
			}
			if applied == 0 || applied == len(before) {
				t.Fatalf("%d of %d contacts had the note at the stop: the job was not stopped in the middle", applied, len(before))
			}
			if _, err := os.Stat(ckpt); err != nil {
				t.Fatalf("the checkpoint is gone after the stop: %v", err)
			}

			r := icscript(t, dir, env, append(flags, "job.js", "--resume")...).must(t, 0)
			s := summaryOf(t, r)
			check := map[string]bool{}
			for _, nc := range s.NeedsCheck {
				check[nc.ID] = true
				if nc.Key != "id:"+nc.ID {
					t.Errorf("needsCheck key %q for id %s", nc.Key, nc.ID)
				}
				r.contains(t, nc.Key+" needs a check")
			}
			after := ckptNotes(t, sb)
			for id, n := range after {
				switch {
				case check[id] && n > 1:
					t.Errorf("contact %s (needs a check) has the note %d times", id, n)
				case !check[id] && n != 1:
					t.Errorf("contact %s has the note %d times, want 1", id, n)
				}
			}
			// The resume ran exactly the contacts without the note that are
			// not waiting for a check.
			todo := 0
			for id, n := range before {
				if n == 0 && !check[id] {
					todo++
				}
			}
			if s.OK != todo || s.Failed != 0 {
				t.Errorf("resume summary %+v, want %d ok", s, todo)
			}
			// It started at the page of the first item left to do (the
			// contacts list pages by cursor), not at the first page.
			if s.OK+s.Skipped+len(s.NeedsCheck) >= len(after) {
				t.Errorf("resume summary %+v: the walk started again from the first page", s)
			}
			// Some items need a check: the file is kept, saying how to go on.
			if len(s.NeedsCheck) > 0 {
				r.contains(t, "kept (", "--resume")
				if _, err := os.Stat(ckpt); err != nil {
					t.Errorf("the checkpoint was removed though %d items need a check", len(s.NeedsCheck))
				}
			} else if _, err := os.Stat(ckpt); err == nil {
				t.Error("the checkpoint was kept after a complete run")
			}
		})
	}
}

// TestCheckpointRefusesAFileItCannotUse: a checkpoint left by a stopped run
// stops a run without --resume (exit 2, nothing sent), as does a checkpoint
// of another script or workspace with --resume, and a file that does not
// read; a torn last line is dropped with a note.
func TestCheckpointRefusesAFileItCannotUse(t *testing.T) {
	sb, env, flags := servedSandbox(t)
	flags = append(flags, "--no-audit")
	dir, script := writeScript(t, "job.js", noteEveryContact)
	ckpt := filepath.Join(dir, "job.ckpt")
	write := func(lines ...string) {
		t.Helper()
		if err := os.WriteFile(ckpt, []byte(strings.Join(lines, "")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	header := func(script, api string) string {
		h, _ := json.Marshal(map[string]any{"checkpoint": 1, "script": script, "name": "job.ckpt", "created_at": "2026-01-01T00:00:00Z", "icscript": "0", "api": api})
		return string(h) + "\n"
	}
	noNotes := func() {
		t.Helper()
		for id, n := range ckptNotes(t, sb) {
			if n != 0 {
				t.Fatalf("contact %s got a note from a refused run", id)
			}
		}
	}
	base := flags[1]
	write(header(script, base), `{"start":"id:x"}`+"\n")
	r := icscript(t, dir, env, append(flags, "job.js")...).must(t, exitUsage)
	r.contains(t, ckpt+" exists", "--resume", "delete")
	noNotes()

	write(header(filepath.Join(dir, "other.js"), base))
	icscript(t, dir, env, append(flags, "job.js", "--resume")...).must(t, exitUsage).contains(t, "belongs to another job", "script "+filepath.Join(dir, "other.js"))
	write(header(script, "https://api.intercom.io"))
	icscript(t, dir, env, append(flags, "--resume", "job.js")...).must(t, exitUsage).contains(t, "belongs to another job", "API https://api.intercom.io")
	noNotes()

	// A corrupt line in the middle is an error naming it.
	write(header(script, base), `{"start":"id:x"}`+"\n", "garbage\n", `{"done":"id:x"}`+"\n")
	icscript(t, dir, env, append(flags, "job.js", "--resume")...).must(t, exitUsage).contains(t, "line 3", "garbage")
	noNotes()

	// A torn last line is dropped; what it would have said is not trusted.
	write(header(script, base), `{"done":"id:`)
	r = icscript(t, dir, env, append(flags, "job.js", "--resume")...).must(t, 0)
	r.contains(t, "line 2 was cut short")
	for id, n := range ckptNotes(t, sb) {
		if n != 1 {
			t.Errorf("contact %s has the note %d times after the resume, want 1", id, n)
		}
	}
	if _, err := os.Stat(ckpt); err == nil {
		t.Error("the checkpoint was kept after a complete run")
	}
}

// arrayJob runs fn over the items of --items, failing on --fail, and says
// which it ran.
const arrayJob = `args.declare({items: {default: ""}, fail: {default: ""}});
const items = args.flag("items", "").split(",");
const s = await pool(items, 2, async (x) => {
  console.log("RAN " + x);
  if (x === args.flag("fail", "")) throw new Error("failing " + x);
}, {checkpoint: "arr.ckpt"});
console.log("SUMMARY " + JSON.stringify(s));
`

func ranOf(out string) []string {
	var ran []string
	for _, m := range regexp.MustCompile(`RAN (\S+)`).FindAllStringSubmatch(out, -1) {
		ran = append(ran, m[1])
	}
	sort.Strings(ran)
	return ran
}

// ranOnce checks that the runs together ran every item of want exactly
// once (by the RAN lines of walkJob and its kin), and nothing else.
func ranOnce(t *testing.T, what string, want []string, runs ...result) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range runs {
		for _, id := range ranOf(r.stdout) {
			seen[id]++
		}
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Errorf("%s: %s ran %d times over the runs, want 1", what, id, seen[id])
		}
		delete(seen, id)
	}
	for id := range seen {
		t.Errorf("%s: %s ran, but is not an item of the walk", what, id)
	}
}

// TestCheckpointArrayItemsAndFailures: array items are keyed by position and
// content: a resume runs again the failed item and a changed element, and
// skips the rest; a complete run removes the file; a dry run writes nothing.
func TestCheckpointArrayItemsAndFailures(t *testing.T) {
	dir, _ := writeScript(t, "arr.js", arrayJob)
	ckpt := filepath.Join(dir, "arr.ckpt")

	// A dry run writes no checkpoint.
	icscript(t, dir, nil, "--sandbox", "arr.js", "--items", "a,b", "--dry-run").must(t, 0)
	if _, err := os.Stat(ckpt); err == nil {
		t.Fatal("a dry run wrote a checkpoint")
	}

	r := icscript(t, dir, nil, "--sandbox", "arr.js", "--items", "a,b,c,d", "--fail", "b").must(t, 0)
	if got := strings.Join(ranOf(r.stdout), ","); got != "a,b,c,d" {
		t.Fatalf("first run ran %s", got)
	}
	r.contains(t, "kept (1 failed)", "--resume")
	kept, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}

	// A dry run reads the file (to show what it would skip) and leaves it as it was.
	r = icscript(t, dir, nil, "--sandbox", "--dry-run", "--resume", "arr.js", "--items", "a,b,C,d").must(t, 0)
	if got := strings.Join(ranOf(r.stdout), ","); got != "C,b" {
		t.Errorf("dry resume ran %s, want C,b", got)
	}
	if now, _ := os.ReadFile(ckpt); !bytes.Equal(now, kept) {
		t.Fatalf("a dry run changed the checkpoint:\n%s\nwas:\n%s", now, kept)
	}

	r = icscript(t, dir, nil, "--sandbox", "--resume", "arr.js", "--items", "a,b,C,d").must(t, 0)
	if got := strings.Join(ranOf(r.stdout), ","); got != "C,b" {
		t.Errorf("resume ran %s, want the failed b and the changed C", got)
	}
	if s := summaryOf(t, r); s.Skipped != 2 || s.OK != 2 || s.Failed != 0 {
		t.Errorf("resume summary %+v, want a and d skipped, b and C ok", s)
	}
	if _, err := os.Stat(ckpt); err == nil {
		t.Error("the checkpoint was kept after a complete run")
	}
	// map() refuses a checkpoint rather than returning holes for skipped items.
	icscript(t, dir, nil, "--sandbox", "-e", `await intercom.contacts.list().map((c) => c, {checkpoint: "m.ckpt"})`).
		must(t, exitScriptError).contains(t, "map() takes no checkpoint")
}

// TestCheckpointStopOnErrorRecordsTheItemsStillRunning: with stopOnError
// the pool rejects at the first failure and starts nothing more, but the
// items already running finish: their outcomes are recorded before the
// checkpoint closes (they used to end the run with "checkpoint … is
// closed"), so a resume retries the failure, runs what never started and
// skips them.
func TestCheckpointStopOnErrorRecordsTheItemsStillRunning(t *testing.T) {
	dir, _ := writeScript(t, "stop.js", `args.declare({fail: {default: ""}});
const items = ["a", "b", "c", "d", "e", "f", "g", "h"];
try {
  const s = await pool(items, 4, async (x) => {
    console.log("RAN " + x);
    if (x === args.flag("fail", "")) throw new Error("failing " + x);
    await sleep(x === "a" ? 0 : 300);
  }, {checkpoint: "stop.ckpt", stopOnError: true});
  console.log("SUMMARY " + JSON.stringify(s));
} catch (e) { console.log("CAUGHT " + e.message); }
`)
	r := icscript(t, dir, nil, "--sandbox", "stop.js", "--fail", "a").must(t, 0)
	r.contains(t, "CAUGHT failing a", "kept (1 failed)")
	if got := strings.Join(ranOf(r.stdout), ","); got != "a,b,c,d" {
		t.Fatalf("the stopped run ran %s, want the first four (concurrency 4)", got)
	}
	if strings.Contains(r.stderr, "is closed") {
		t.Fatalf("an item still running at the stop could not record its outcome:\n%s", r.stderr)
	}
	ckpt := filepath.Join(dir, "stop.ckpt")
	if n := countLines(ckpt, `{"done"`); n != 3 {
		t.Errorf("%d done lines, want 3 (b, c, d finished after the stop)", n)
	}
	r = icscript(t, dir, nil, "--sandbox", "--resume", "stop.js").must(t, 0)
	if got := strings.Join(ranOf(r.stdout), ","); got != "a,e,f,g,h" {
		t.Errorf("the resume ran %s, want the failed a and the four never started", got)
	}
	if s := summaryOf(t, r); s.Skipped != 3 || s.OK != 5 {
		t.Errorf("resume summary %+v, want b, c, d skipped and 5 ok", s)
	}
}

// scrollJob walks companies.scroll, stopping at the company --stop-at (by
// position), and says which companies it ran.
const scrollJob = `args.declare({"stop-at": {default: -1}});
const stopAt = args.flag("stop-at", -1);
const s = await intercom.companies.scroll().forEach(async (c, i) => {
  if (i === stopAt) throw new Error("stopping at " + i);
  console.log("RAN " + c.id);
}, {checkpoint: "scroll.ckpt", stopOnError: true});
console.log("SUMMARY " + JSON.stringify(s));
`

// TestCheckpointScrollResume: a scroll walk stopped part way resumes with a
// new scroll (the old scroll_param expires) and runs only the companies
// not done: every company exactly once over the two runs.
func TestCheckpointScrollResume(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 3, Companies: 40, Now: clock})
	env, flags := []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()}, []string{"--base-url", base, "--no-audit"}
	dir, _ := writeScript(t, "scroll.js", scrollJob)
	first := icscript(t, dir, env, append(flags, "scroll.js", "--stop-at", "25")...).must(t, exitScriptError)
	first.contains(t, "stopping at 25", "scroll.ckpt kept (1 failed)")

	// The stopped run's scroll is still open: the resume waits for it to
	// expire (the sandbox's clock is moved past the minute), then walks a
	// new scroll from the start.
	p := startIcscript(t, dir, env, append(flags, "scroll.js", "--resume")...)
	p.waitStderr("waiting for it to expire")
	mu.Lock()
	now = now.Add(61 * time.Second)
	mu.Unlock()
	p.waitOutput(p.done, "the resume never ended")
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("resume exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout.String(), p.stderr.String())
	}
	second := result{0, p.stdout.String(), p.stderr.String()}
	if s := summaryOf(t, second); s.Skipped != 25 || s.OK != 15 {
		t.Errorf("resume summary %+v, want the 25 done skipped and the other 15 run", s)
	}
	all := append(ranOf(first.stdout), ranOf(second.stdout)...)
	seen := map[string]int{}
	for _, id := range all {
		seen[id]++
	}
	companies := snapshotTables(t, sb)["companies"]
	if len(companies) != 40 {
		t.Fatalf("sandbox holds %d companies, want 40", len(companies))
	}
	for _, c := range companies {
		if n := seen[c["id"].(string)]; n != 1 {
			t.Errorf("company %v ran %d times over the two runs, want 1", c["id"], n)
		}
	}
}

// walkJob walks the Pager of --call (a call of intercom, by text), stopping
// at the item --stop-at, and says which items it ran.
const walkJob = `args.declare({"stop-at": {default: -1}, call: {default: ""}});
const stopAt = args.flag("stop-at", -1);
const pager = new Function("intercom", "return intercom." + args.flag("call", ""))(intercom);
const s = await pager.forEach(async (c, i) => {
  if (i === stopAt) throw new Error("stopping at " + i);
  console.log("RAN " + c.id);
}, {checkpoint: "walk.ckpt", stopOnError: true});
console.log("SUMMARY " + JSON.stringify(s));
`

// TestCheckpointCursorPosition: a resumed cursor walk starts at the page of
// the first item left to do; when the script's call changed (another
// per_page) it says so and starts at the first page. Either way every
// contact runs exactly once over the two runs.
func TestCheckpointCursorPosition(t *testing.T) {
	sb, env, flags := servedSandbox(t)
	flags = append(flags, "--no-audit")
	total := len(snapshotTables(t, sb)["contacts"])
	for _, tc := range []struct {
		perPage      string
		skipped      int
		changedNoted bool
	}{
		{"20", 10, false}, // starts at the second page: 20..29 are done
		{"25", 30, true},  // another call: from the first page, 0..29 done
	} {
		dir, _ := writeScript(t, "walk.js", walkJob)
		first := icscript(t, dir, env, append(flags, "walk.js", "--call", "contacts.list({per_page: 20})", "--stop-at", "30")...).must(t, exitScriptError)
		second := icscript(t, dir, env, append(flags, "walk.js", "--resume", "--call", "contacts.list({per_page: "+tc.perPage+"})")...).must(t, 0)
		s := summaryOf(t, second)
		if s.Skipped != tc.skipped || s.OK != total-30 {
			t.Errorf("per_page %s: resume summary %+v, want %d skipped and %d ok", tc.perPage, s, tc.skipped, total-30)
		}
		if got := strings.Contains(second.stderr, "not a page of this call"); got != tc.changedNoted {
			t.Errorf("per_page %s: noted a changed call: %v\nstderr:\n%s", tc.perPage, got, second.stderr)
		}
		var contacts []string
		for _, c := range snapshotTables(t, sb)["contacts"] {
			contacts = append(contacts, c["id"].(string))
		}
		ranOnce(t, "per_page "+tc.perPage, contacts, first, second)
	}
}

// TestCheckpointResumePerPagingStyle resumes a walk stopped part way for
// each paging style besides the contacts list's cursor
// (TestCheckpointCursorPosition) and the companies scroll
// (TestCheckpointScrollResume): a search's body cursor resumes at the page
// holding the first item left to do (per_page 20, stopped at the 31st
// item: the second page, whose first 10 items are done); page-number,
// link and next-cursor walks start again at the first page (every done
// item skipped). Either way every item the listing holds in the sandbox
// runs exactly once over the two runs.
func TestCheckpointResumePerPagingStyle(t *testing.T) {
	sb, env, flags := servedSandbox(t)
	flags = append(flags, "--no-audit")
	ids := func(table string, keep func(map[string]any) bool) []string {
		var out []string
		for _, r := range snapshotTables(t, sb)[table] {
			if keep == nil || keep(r) {
				out = append(out, fmt.Sprint(r["id"]))
			}
		}
		return out
	}
	contact := ids("contacts", func(c map[string]any) bool { return c["role"] == "user" })[0]
	for _, tc := range []struct {
		style, call string
		flags       []string
		prepare     string          // a script run before the walk
		want        func() []string // the items of the listing, from the sandbox's tables after the walk's first run
		stop        int             // the item the first run stops at
		skipped     int             // done items the resumed walk passes over
	}{
		{style: "search", call: `contacts.search({query: {field: "role", operator: "=", value: "user"}, pagination: {per_page: 20}})`,
			want: func() []string { return ids("contacts", func(c map[string]any) bool { return c["role"] == "user" }) },
			stop: 30, skipped: 10},
		{style: "search/conversations", call: `conversations.search({query: {field: "open", operator: "=", value: true}, pagination: {per_page: 20}})`,
			want: func() []string { return ids("conversations", func(c map[string]any) bool { return c["open"] == true }) },
			stop: 30, skipped: 10},
		{style: "search/tickets", call: `tickets.search({query: {field: "created_at", operator: ">", value: 0}, pagination: {per_page: 10}})`,
			want: func() []string { return ids("tickets", nil) }, stop: 15, skipped: 5},
		{style: "page", call: `companies.list({per_page: 20})`,
			want: func() []string { return ids("companies", nil) }, stop: 30, skipped: 30},
		{style: "link", call: `events.list({filter: {intercom_user_id: "` + contact + `"}, type: "user", per_page: 20})`,
			prepare: `for (let i = 0; i < 45; i++) await intercom.events.create({event_name: "ckpt-" + i, created_at: 1700000000 + i, id: "` + contact + `"});`,
			want: func() []string {
				return ids("events", func(e map[string]any) bool { return e["intercom_user_id"] == contact })
			},
			stop: 30, skipped: 30},
		{style: "next-cursor", call: `contacts.listContactMergeHistory("` + contact + `", {per_page: 1})`, flags: []string{"--api-version", "2.16"},
			want: func() []string { return ids("api:/contacts/"+contact+"/merge_history", nil) }, stop: 1, skipped: 1},
	} {
		t.Run(tc.style, func(t *testing.T) {
			flags := append(append([]string(nil), flags...), tc.flags...)
			dir, _ := writeScript(t, "walk.js", walkJob)
			if tc.prepare != "" {
				icscript(t, dir, env, append(flags, "-e", tc.prepare)...).must(t, 0)
			}
			first := icscript(t, dir, env, append(flags, "walk.js", "--call", tc.call, "--stop-at", fmt.Sprint(tc.stop))...).must(t, exitScriptError)
			first.contains(t, fmt.Sprintf("stopping at %d", tc.stop), "walk.ckpt kept (1 failed)")
			want := tc.want()
			if len(want) <= tc.stop+1 {
				t.Fatalf("the sandbox holds %d items for %s: too few to go on after item %d", len(want), tc.call, tc.stop)
			}
			second := icscript(t, dir, env, append(flags, "walk.js", "--call", tc.call, "--resume")...).must(t, 0)
			if s := summaryOf(t, second); s.Skipped != tc.skipped || s.OK != len(want)-tc.stop || s.Failed != 0 {
				t.Errorf("resume summary %+v, want %d skipped and %d ok", s, tc.skipped, len(want)-tc.stop)
			}
			if strings.Contains(second.stderr, "not a page of this call") {
				t.Errorf("the resume took its own call for another:\n%s", second.stderr)
			}
			ranOnce(t, tc.call, want, first, second)
		})
	}
}
