// Close open conversations nobody has touched for --days days, with a note.
import { staleQuery } from "./lib/queries.ts";

const days = args.flag("days", 30);
const dryRun = args.flag("dry-run", false);
const note = args.flag("note", "Closing: no activity for a while.");

let closed = 0;
for await (const conv of intercom.conversations.search({ query: staleQuery(days), pagination: { per_page: 50 } })) {
  if (dryRun) {
    console.log("would close", conv.id, conv.title ?? "");
    continue;
  }
  const after = await intercom.conversations.close(conv.id, note);
  if (after.state === "closed") closed++;
}
console.log(`closed ${closed} conversations older than ${days} days`);

// The same, several at a time, with a summary.
const pager = intercom.conversations.search(staleQuery(days));
const summary = await pager.forEach((c) => intercom.conversations.close(c.id), { concurrency: 8, progress: "closing" });
console.log(summary.ok, summary.failed, summary.elapsed);
for (const e of summary.errors) console.error(e.id, e.status, e.error);
