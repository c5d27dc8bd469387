package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestPoolConcurrencyIsBounded: a job asking for unbounded concurrency
// (Infinity, 1e9) runs with at most one worker per item and never more than
// 1000 in flight, instead of exhausting memory; a concurrency that is not a
// number >= 1 is refused with a TypeError naming it. Before the bound,
// pool([1,2,3], Infinity) started workers until memory ran out.
func TestPoolConcurrencyIsBounded(t *testing.T) {
	dir, script := writeScript(t, "bounds.js", `
let inFlight = 0, most = 0;
const job = async (x) => { inFlight++; most = Math.max(most, inFlight); await sleep(1); inFlight--; return x; };
for (const n of [Infinity, 1e9]) {
  const s = await pool([1, 2, 3], n, job);
  console.log("array", n, s.ok, most); most = 0;
}
function* gen() { for (let i = 0; i < 3000; i++) yield i; }
const s = await pool(gen(), Infinity, job);
console.log("generator", s.ok, most); most = 0;
const f = await intercom.contacts.list({ per_page: 50 }).forEach(job, { concurrency: Infinity });
console.log("forEach", f.ok, most <= 1000);
for (const bad of [NaN, "8", 0, -1, null]) {
  try { await pool([1], bad, job); console.log("accepted", bad); } catch (e) { console.log(e.name + ": " + e.message); }
  try { await intercom.contacts.list().forEach(job, { concurrency: bad }); console.log("accepted", bad); } catch (e) { console.log(e.name + ": " + e.message); }
}
`)
	r := icscript(t, dir, nil, "--sandbox", "--max-memory", "256MiB", "--timeout", "60s", script).must(t, 0)
	r.contains(t,
		"array Infinity 3 3", "array 1000000000 3 3", "generator 3000 1000", "forEach 200 true",
		"TypeError: pool(items, n, fn): n must be a number >= 1 (Infinity means 1000), got NaN",
		`TypeError: pool(items, n, fn): n must be a number >= 1 (Infinity means 1000), got "8"`,
		"TypeError: contacts.list.forEach(): concurrency must be a number >= 1 (Infinity means 1000), got 0",
		"got -1", "got null")
	if got := r.stdout; regexp.MustCompile("accepted").MatchString(got) {
		t.Errorf("a bad concurrency was accepted:\n%s", got)
	}
}

// TestBulkErrorsKeepTheirLine: an error thrown inside a forEach or pool
// callback keeps where it came from. In the summary's errors each failed
// item names the script's file:line:column (a thrown Error, a TypeError from
// the engine, an IntercomError from a call, in the script or in a module it
// imports), and with stopOnError the rethrown error shows the line as an
// uncaught top-level error does.
func TestBulkErrorsKeepTheirLine(t *testing.T) {
	dir, script := writeScript(t, "job.js", `import { check } from "./lib/check.js";
const s = await pool([1, 2, 3], 2, async (x) => {
  if (x === 1) throw new Error("one");
  if (x === 2) return x.nope.deeper;
  await intercom.contacts.find("missing");
});
const f = await intercom.contacts.list({ per_page: 2 }).forEach(check);
console.log("forEach failed " + f.failed + " of " + (f.ok + f.failed));
for (const e of [...s.errors, ...f.errors.slice(0, 1)].sort((a, b) => a.at < b.at ? -1 : 1)) console.log("failed at " + e.at + ": " + e.error.split(" [")[0]);
await pool([1], 1, () => { throw new Error("stop here"); }, { stopOnError: true });
`)
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib", "check.js"), []byte("export function check(c) {\n  throw new TypeError(\"bad contact \" + c.type);\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := icscript(t, dir, nil, "--sandbox", script).must(t, 1)
	r.contains(t,
		"failed at job.js:3:22: one",
		"failed at job.js:4:30: Cannot read property 'deeper' of undefined",
		"failed at job.js:5:27: intercom.contacts.find (GET /contacts/missing): 404 not_found",
		"failed at lib/check.js:2:9: bad contact contact",
		"error: stop here\n    at job.js:10:34\n   10 | await pool([1], 1, () => { throw new Error(\"stop here\"); }, { stopOnError: true });")
	r.contains(t, "forEach failed 200 of 200")
}
