package main

import (
	"strings"
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
	if got := r.stdout; strings.Contains(got, "accepted") {
		t.Errorf("a bad concurrency was accepted:\n%s", got)
	}
}
