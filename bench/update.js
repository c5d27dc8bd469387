// Benchmark (a): icscript updates every contact of the workspace with 16
// calls in flight.
//
//   INTERCOM_ACCESS_TOKEN=… icscript --base-url http://127.0.0.1:4010 update.js [--concurrency 16]
const concurrency = args.flag("concurrency", 16);
const ids = [];
for await (const c of intercom.contacts.list({ per_page: 150 })) ids.push(c.id);

const t0 = Date.now();
const s = await pool(ids, concurrency, (id, i) =>
  intercom.contacts.update(id, { custom_attributes: { plan: "bench-" + (i % 7) } }));
console.log(JSON.stringify({ impl: "icscript", contacts: ids.length, ok: s.ok, failed: s.failed, updateMs: Date.now() - t0 }));
for (const e of s.errors.slice(0, 5)) console.error(e.id, e.error);
if (s.failed > 0) exit(1);
