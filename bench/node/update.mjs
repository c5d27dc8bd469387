// Benchmark (c): the official Intercom Node SDK (intercom-client 7.x) updates
// every contact of the workspace with 16 promises in flight.
//
//   INTERCOM_ACCESS_TOKEN=… BASE_URL=http://127.0.0.1:4010 node update.mjs [concurrency]
import { IntercomClient } from "intercom-client";

const token = process.env.INTERCOM_ACCESS_TOKEN;
const baseUrl = process.env.BASE_URL;
const concurrency = Number(process.argv[2] || 16);
if (!token || !baseUrl) {
  console.error("set INTERCOM_ACCESS_TOKEN and BASE_URL");
  process.exit(2);
}
const client = new IntercomClient({ token, baseUrl, version: "2.10" });

const ids = [];
for await (const c of await client.contacts.list({ per_page: 150 })) ids.push(c.id);

const t0 = Date.now();
let next = 0, ok = 0, failed = 0;
async function worker() {
  while (next < ids.length) {
    const i = next++;
    try {
      await client.contacts.update({ contact_id: ids[i], custom_attributes: { plan: "bench-" + (i % 7) } });
      ok++;
    } catch (err) {
      failed++;
      if (failed <= 5) console.error(ids[i], err.message);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ impl: "node-sdk", contacts: ids.length, ok, failed, updateMs: Date.now() - t0 }));
if (failed > 0) process.exit(1);
