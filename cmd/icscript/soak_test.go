package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/icscript/icscript/sandbox"
	"github.com/icscript/icscript/sandbox/sandboxtest"
)

// soakFaults is what the soak's sandbox injects: rate limiting, server
// errors, dropped connections, slow answers and truncated bodies.
const soakFaults = "429=0.03,500=0.03,503=0.03,drop=0.02,slow=0.02:1s,truncate=0.02"

// soakScript is the workload, written the way a user should write a bulk
// job against a flaky API: the client retries what is safe; an ambiguous
// failure (a create, a tag attach or a close that may have been applied) is
// resolved by reading the workspace, never by resending blindly; whatever
// still fails is reported with its operation and id.
const soakScript = `
const plan = fs.readJSON("plan.json");
const out = { creates: [], updates: [], tags: [], closes: [], deletes: [], assigns: [], failures: [], listed: [], searched: [], ambiguous: 0, resolved: 0, ambiguousByOp: {} };

// fail reports a failure; ambiguous is the mutation's own flag when the
// failure is that of the read resolving it.
function fail(op, id, e, ambiguous) {
  out.failures.push({ op, id, status: e.status || 0, code: e.code || "", ambiguous: ambiguous === undefined ? !!e.ambiguous : ambiguous, message: String(e.message).slice(0, 300) });
}
function ambiguous(op) { out.ambiguousByOp[op] = (out.ambiguousByOp[op] || 0) + 1; }

// read retries a read on top of the client's own retries: resolving an
// ambiguous failure must not itself be lost to a fault.
async function read(fn) {
  let last;
  for (let i = 0; i < 8; i++) {
    try { return await fn(); } catch (e) {
      last = e;
      if (e.status && e.status !== 429 && e.status < 500) throw e;
    }
  }
  throw last;
}

// once sends a non-idempotent mutation; after an ambiguous failure it asks
// applied() whether the change is there, and only sends again if it is not.
async function once(op, id, send, applied) {
  for (let attempt = 1; attempt <= 8; attempt++) {
    try {
      return { result: await send(), how: attempt === 1 ? "ok" : "resent" };
    } catch (e) {
      if (!e.ambiguous) { fail(op, id, e); return { how: "failed" }; }
      out.ambiguous++;
      ambiguous(op);
      let found;
      try { found = await read(applied); } catch (e2) { fail(op, id, e2, true); return { how: "unknown" }; }
      if (found) { out.resolved++; return { result: found, how: "resolved" }; }
    }
  }
  fail(op, id, { message: "still failing after 8 attempts" }, true);
  return { how: "failed" };
}

let tag = null;
{
  const r = await once("tags.create", plan.tag, () => intercom.tags.create({ name: plan.tag }),
    async () => (await intercom.tags.list().toArray()).find((t) => t.name === plan.tag));
  tag = r.result;
  if (!tag) throw new Error("no tag to attach");
}

await pool(plan.creates, 8, async (ext) => {
  const r = await once("contacts.create", ext,
    () => intercom.contacts.create({ role: "user", external_id: ext, email: ext + "@example.test" }),
    async () => (await intercom.contacts.search({ field: "external_id", operator: "=", value: ext }).toArray())[0]);
  out.creates.push({ ext, how: r.how, id: r.result && r.result.id });
});

await pool(plan.updates, 8, async (id) => {
  try {
    await intercom.contacts.update(id, { name: "Soak " + id });
    out.updates.push({ id, how: "ok" });
  } catch (e) {
    if (e.ambiguous) ambiguous("contacts.update");
    fail("contacts.update", id, e); out.updates.push({ id, how: "failed" });
  }
});

// Deletes: the client resends them; a 404 to the resend resolves as
// probably applied ({deleted: true, ambiguous: true, note}).
await pool(plan.deletes, 8, async (id) => {
  try {
    const r = await intercom.contacts.delete(id);
    if (r.ambiguous) ambiguous("contacts.delete");
    out.deletes.push({ id, how: r.ambiguous ? "probably" : (r.deleted ? "ok" : "odd") });
  } catch (e) {
    if (e.ambiguous) ambiguous("contacts.delete");
    fail("contacts.delete", id, e); out.deletes.push({ id, how: "failed" });
  }
});

// Ticket assignments add a part each time they are applied: never resent by
// the client; resolved by reading the ticket's parts.
const admin = (await read(() => intercom.admins.list().toArray()))[0].id;
await pool(plan.tickets, 8, async (id) => {
  const r = await once("tickets.update", id,
    () => intercom.tickets.update(id, { assignment: { admin_id: admin, assignee_id: admin } }),
    async () => (await intercom.tickets.get(id)).ticket_parts.ticket_parts.find((p) => p.part_type === "assignment" && p.assigned_to && p.assigned_to.id === admin));
  out.assigns.push({ id, how: r.how });
});

await pool(plan.tags, 8, async (id) => {
  const r = await once("tags.tagContact", id, () => intercom.tags.tagContact(id, { id: tag.id }),
    async () => (await intercom.raw("GET", "/contacts/" + id + "/tags")).data.find((t) => t.id === tag.id));
  out.tags.push({ id, how: r.how });
});

await pool(plan.closes, 8, async (id) => {
  const r = await once("conversations.close", id, () => intercom.conversations.close(id, plan.note),
    async () => { const c = await intercom.conversations.find(id); return c.state === "closed" ? c : null; });
  out.closes.push({ id, how: r.how });
});

try {
  for await (const c of intercom.contacts.search({ query: { field: "external_id", operator: "^", value: "soak-" }, pagination: { per_page: 25 } })) out.searched.push(c.id);
} catch (e) { fail("contacts.search", "soak-*", e); out.searched = null; }
try {
  for await (const c of intercom.contacts.list({ per_page: 50 })) out.listed.push(c.id);
} catch (e) { fail("contacts.list", "*", e); out.listed = null; }

fs.writeJSON("result.json", out);
console.log("soak done");
`

type soakResult struct {
	Creates []struct{ Ext, How, ID string } `json:"creates"`
	Updates []struct{ ID, How string }      `json:"updates"`
	Tags    []struct{ ID, How string }      `json:"tags"`
	Closes  []struct{ ID, How string }      `json:"closes"`
	Deletes []struct{ ID, How string }      `json:"deletes"`
	Assigns []struct{ ID, How string }      `json:"assigns"`
	Failure []struct {
		Op, ID, Code, Message string
		Status                int
		Ambiguous             bool
	} `json:"failures"`
	Listed        []string       `json:"listed"`
	Searched      []string       `json:"searched"`
	Ambiguous     int            `json:"ambiguous"`
	Resolved      int            `json:"resolved"`
	AmbiguousByOp map[string]int `json:"ambiguousByOp"`
}

// soakKinds classes the soak's mutations, to count ambiguous outcomes per kind.
var soakKinds = map[string]string{
	"tags.create": "create", "contacts.create": "create",
	"contacts.update": "update", "conversations.close": "update", "tickets.update": "update",
	"contacts.delete": "delete", "tags.tagContact": "attach",
}

// soakFloor is the fewest of n items that must succeed: an item fails only
// when a fault hits the mutation and another the read resolving it (or every
// retry), so at most p² of them with p the rate of failing faults; the floor
// allows that plus four standard deviations.
func soakFloor(n int) int {
	p := 0.0
	for _, kv := range strings.Split(soakFaults, ",") {
		k, v, _ := strings.Cut(kv, "=")
		if k == "slow" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			panic(kv)
		}
		p += f
	}
	q := p * p
	return int(float64(n)*(1-q) - 4*math.Sqrt(float64(n)*q*(1-q)))
}

// TestFaultSoak runs a mixed bulk workload through the real binary against a
// sandbox that injects every kind of fault, then compares the sandbox's
// state with the plan: every change applied exactly once or reported as
// failed with its operation and id; no duplicate creates; no silent loss;
// paginated reads and searches complete. Run by .ci/run in its own step.
func TestFaultSoak(t *testing.T) {
	if os.Getenv("ICSCRIPT_SOAK") != "1" {
		t.Skip("fault soak: set ICSCRIPT_SOAK=1 to run it (a few minutes)")
	}
	sb, base := sandboxtest.Start(t, sandbox.Options{Seed: 42, Contacts: 1200, Conversations: 600, Faults: soakFaults})
	before := soakSnapshot(t, sb)
	const nCreates, nUpdates, nTags, nCloses, nDeletes = 800, 800, 500, 200, 150
	contacts := before.ids("contacts", nil)
	open := before.ids("conversations", func(r map[string]any) bool { return r["state"] == "open" })
	tickets := before.ids("tickets", nil)
	if len(contacts) < nUpdates+nDeletes+nTags-nUpdates/2 || len(open) < 10 || len(tickets) < 10 {
		t.Fatalf("seeded workspace too small: %d contacts, %d open conversations", len(contacts), len(open))
	}
	plan := map[string]any{"tag": "soak-tag", "note": "soak-close"}
	var creates []string
	for i := range nCreates {
		creates = append(creates, fmt.Sprintf("soak-%04d", i))
	}
	plan["creates"] = creates
	plan["updates"] = contacts[:nUpdates]
	plan["deletes"] = contacts[nUpdates : nUpdates+nDeletes]
	plan["tags"] = append(append([]string(nil), contacts[nUpdates+nDeletes:]...), contacts[:nTags-(len(contacts)-nUpdates-nDeletes)]...)
	plan["tickets"] = tickets
	plan["closes"] = open[:min(nCloses, len(open))]

	dir, script := writeScript(t, "soak.js", soakScript)
	writeJSONFile(t, filepath.Join(dir, "plan.json"), plan)
	start := time.Now()
	r := icscript(t, dir, []string{"INTERCOM_ACCESS_TOKEN=" + sb.Token()},
		"--base-url", base, "--yes", "--concurrency", "8", "--timeout", "6m", "--audit", filepath.Join(dir, "audit.jsonl"), script)
	elapsed := time.Since(start)
	if r.code != 0 || !strings.Contains(r.stdout, "soak done") {
		t.Fatalf("the soak run failed: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, tail(r.stderr, 4000))
	}
	var res soakResult
	readJSONFile(t, filepath.Join(dir, "result.json"), &res)
	after := soakSnapshot(t, sb)

	mismatches := 0
	mismatch := func(format string, args ...any) {
		mismatches++
		t.Errorf("state mismatch: "+format, args...)
	}
	reported := map[string]bool{}
	plain := map[string]bool{} // failures reported as not applied (not ambiguous)
	for _, f := range res.Failure {
		if f.Op == "" || f.ID == "" || f.Message == "" {
			t.Errorf("a failure is reported without its operation and id: %+v", f)
		}
		reported[f.Op+" "+f.ID] = true
		if !f.Ambiguous {
			plain[f.Op+" "+f.ID] = true
		}
	}
	// unreported: an applied change reported as a plain (not ambiguous)
	// failure, a change the script was not told about.
	unreported := func(op, id string, applied bool) {
		if applied && plain[op+" "+id] {
			mismatch("%s %s was applied but reported as a failure that was not (not ambiguous)", op, id)
		}
	}
	successes := map[string]int{}

	// Creates: one contact per external_id when reported done; none or one
	// (reported) otherwise; never two.
	byExt := map[string][]string{}
	for _, c := range after.rows("contacts") {
		if ext, _ := c["external_id"].(string); strings.HasPrefix(ext, "soak-") {
			byExt[ext] = append(byExt[ext], str(c["id"]))
		}
	}
	created := 0
	for _, c := range res.Creates {
		n := len(byExt[c.Ext])
		unreported("contacts.create", c.Ext, n > 0)
		switch {
		case n > 1:
			mismatch("%s created %d times", c.Ext, n)
		case c.How == "failed" || c.How == "unknown":
			if !reported["contacts.create "+c.Ext] {
				mismatch("create %s failed silently", c.Ext)
			}
		case n == 0:
			mismatch("create %s reported %s but absent", c.Ext, c.How)
		default:
			created++
			successes["contacts.create"]++
		}
	}
	if len(res.Creates) != nCreates {
		mismatch("%d creates accounted for, %d planned", len(res.Creates), nCreates)
	}
	// Updates: applied when reported ok.
	for _, u := range res.Updates {
		got := str(after.row("contacts", u.ID)["name"])
		unreported("contacts.update", u.ID, got == "Soak "+u.ID)
		if u.How == "ok" && got == "Soak "+u.ID {
			successes["contacts.update"]++
		}
		if u.How == "ok" && got != "Soak "+u.ID {
			mismatch("update %s reported ok, name is %q", u.ID, got)
		}
		if u.How != "ok" && !reported["contacts.update "+u.ID] {
			mismatch("update %s failed silently", u.ID)
		}
	}
	// Tag attaches: the tag is on the contact when reported done.
	tagID := ""
	for _, tg := range after.rows("tags") {
		if tg["name"] == "soak-tag" {
			if tagID != "" {
				mismatch("tag soak-tag created twice")
			}
			tagID = str(tg["id"])
		}
	}
	for _, a := range res.Tags {
		has := strings.Contains(string(mustJSON(after.row("contacts", a.ID)["tags"])), `"`+tagID+`"`)
		unreported("tags.tagContact", a.ID, has)
		if (a.How == "ok" || a.How == "resolved" || a.How == "resent") && has {
			successes["tags.tagContact"]++
		}
		if (a.How == "ok" || a.How == "resolved" || a.How == "resent") && !has {
			mismatch("tag on %s reported %s, not attached", a.ID, a.How)
		}
		if (a.How == "failed" || a.How == "unknown") && !reported["tags.tagContact "+a.ID] {
			mismatch("tag on %s failed silently", a.ID)
		}
	}
	// Closes: closed, with exactly one close part of ours.
	for _, c := range res.Closes {
		cv := after.row("conversations", c.ID)
		parts := 0
		if cp, ok := cv["conversation_parts"].(map[string]any); ok {
			list, _ := cp["conversation_parts"].([]any)
			for _, p := range list {
				pm, _ := p.(map[string]any)
				if pm["part_type"] == "close" && strings.Contains(str(pm["body"]), "soak-close") {
					parts++
				}
			}
		}
		unreported("conversations.close", c.ID, parts > 0)
		switch {
		case c.How == "failed" || c.How == "unknown":
			if !reported["conversations.close "+c.ID] {
				mismatch("close %s failed silently", c.ID)
			}
			if parts > 1 {
				mismatch("close %s applied %d times", c.ID, parts)
			}
		case cv["state"] != "closed" || parts != 1:
			mismatch("close %s reported %s: state %v, %d close parts", c.ID, c.How, cv["state"], parts)
		default:
			successes["conversations.close"]++
		}
	}
	// Deletes: gone when reported done or probably done; a plain failure
	// must have left the contact there.
	for _, d := range res.Deletes {
		gone := len(after.row("contacts", d.ID)) == 0
		unreported("contacts.delete", d.ID, gone)
		switch {
		case d.How == "ok" || d.How == "probably":
			if !gone {
				mismatch("delete %s reported %s, the contact is still there", d.ID, d.How)
			} else {
				successes["contacts.delete"]++
			}
		case !reported["contacts.delete "+d.ID]:
			mismatch("delete %s (%s) failed silently", d.ID, d.How)
		}
	}
	// Ticket assignments: exactly one assignment part of ours when reported
	// done, never two.
	for _, a := range res.Assigns {
		parts := 0
		if tp, ok := after.row("tickets", a.ID)["ticket_parts"].(map[string]any); ok {
			list, _ := tp["ticket_parts"].([]any)
			for _, p := range list {
				if pm, _ := p.(map[string]any); pm["part_type"] == "assignment" {
					parts++
				}
			}
		}
		unreported("tickets.update", a.ID, parts > 0)
		switch {
		case parts > 1:
			mismatch("ticket %s assigned %d times (duplicate assignment parts)", a.ID, parts)
		case a.How == "failed" || a.How == "unknown":
			if !reported["tickets.update "+a.ID] {
				mismatch("assignment of ticket %s failed silently", a.ID)
			}
		case parts != 1:
			mismatch("assignment of ticket %s reported %s, %d assignment parts", a.ID, a.How, parts)
		default:
			successes["tickets.update"]++
		}
	}
	for op, n := range map[string]int{"contacts.create": nCreates, "contacts.update": nUpdates, "tags.tagContact": nTags,
		"conversations.close": len(res.Closes), "contacts.delete": nDeletes, "tickets.update": len(tickets)} {
		if floor := soakFloor(n); successes[op] < floor {
			t.Errorf("%s: %d of %d succeeded, fewer than the floor of %d the fault rates allow", op, successes[op], n, floor)
		}
	}
	if len(res.Deletes) != nDeletes || len(res.Assigns) != len(tickets) {
		mismatch("%d deletes and %d assignments accounted for, %d and %d planned", len(res.Deletes), len(res.Assigns), nDeletes, len(tickets))
	}
	byKind := map[string]int{}
	for op, n := range res.AmbiguousByOp {
		k, ok := soakKinds[op]
		if !ok {
			t.Errorf("ambiguous outcome of an unclassed operation %s", op)
		}
		byKind[k] += n
	}
	// Reads: the list walked every contact once; the search found every
	// soak contact once.
	if res.Listed != nil {
		want := after.ids("contacts", nil)
		if !sameSet(res.Listed, want) {
			mismatch("contacts.list walked %d ids (%d distinct), the workspace has %d", len(res.Listed), len(distinct(res.Listed)), len(want))
		}
	} else if !reported["contacts.list *"] {
		mismatch("contacts.list failed silently")
	}
	if res.Searched != nil {
		var want []string
		for _, ids := range byExt {
			want = append(want, ids...)
		}
		if !sameSet(res.Searched, want) {
			mismatch("search found %d (%d distinct), %d soak contacts exist", len(res.Searched), len(distinct(res.Searched)), len(want))
		}
	} else if !reported["contacts.search soak-*"] {
		mismatch("contacts.search failed silently")
	}

	st := sb.Stats()
	summary := regexp.MustCompile(`icscript: (\d+) requests(.*)`).FindStringSubmatch(r.stderr)
	retries := 0
	if summary != nil {
		if m := regexp.MustCompile(`(\d+) retries`).FindStringSubmatch(summary[2]); m != nil {
			retries, _ = strconv.Atoi(m[1])
		}
	}
	var faults []string
	total := int64(0)
	for _, k := range []string{"429", "500", "503", "drop", "slow", "truncate"} {
		faults = append(faults, fmt.Sprintf("%s=%d", k, st.Faults[k]))
		total += st.Faults[k]
	}
	t.Logf("fault soak (%s) in %s: %d requests served, %d faults injected (%s); client: %s",
		soakFaults, elapsed.Round(time.Second), st.Requests, total, strings.Join(faults, " "), strings.TrimPrefix(firstLine(summary), "icscript: "))
	t.Logf("workload: %d creates (%d applied), %d updates, %d tag attaches, %d closes, %d deletes, %d ticket assignments, search + list of %d contacts; %d retries, %d ambiguous failures resolved by reading (%d had been applied, %d had not and were sent again), %d failures reported, %d state mismatches",
		nCreates, created, len(res.Updates), len(res.Tags), len(res.Closes), len(res.Deletes), len(res.Assigns), len(res.Listed), retries, res.Ambiguous, res.Resolved, res.Ambiguous-res.Resolved, len(res.Failure), mismatches)
	t.Logf("ambiguous outcomes by kind: create %d, update %d, delete %d (resolved as probably applied), attach %d; successes %v",
		byKind["create"], byKind["update"], byKind["delete"], byKind["attach"], successes)
	for _, f := range res.Failure {
		t.Logf("reported failure: %s %s: %s", f.Op, f.ID, f.Message)
	}
	if total == 0 || st.Faults["drop"] == 0 || st.Faults["truncate"] == 0 {
		t.Errorf("the soak injected too few faults to mean anything: %v", st.Faults)
	}
	// Every audit line is complete JSON.
	auditLines(t, filepath.Join(dir, "audit.jsonl"))
}

func firstLine(m []string) string {
	if m == nil {
		return "(no summary line)"
	}
	return m[0]
}

type soakState struct {
	Tables map[string][]map[string]any `json:"Tables"`
}

func soakSnapshot(t *testing.T, sb *sandbox.Sandbox) *soakState {
	t.Helper()
	data, err := sb.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var s soakState
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func (s *soakState) rows(table string) []map[string]any { return s.Tables[table] }

func (s *soakState) row(table, id string) map[string]any {
	for _, r := range s.Tables[table] {
		if str(r["id"]) == id {
			return r
		}
	}
	return map[string]any{}
}

func (s *soakState) ids(table string, keep func(map[string]any) bool) []string {
	var out []string
	for _, r := range s.Tables[table] {
		if keep == nil || keep(r) {
			out = append(out, str(r["id"]))
		}
	}
	return out
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func distinct(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// sameSet: got has no duplicates and the same ids as want.
func sameSet(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	a, b := append([]string(nil), got...), append([]string(nil), want...)
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
