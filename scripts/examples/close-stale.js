// close-stale — close open conversations with no activity for N days,
// leaving a closing note, optionally only those carrying a tag.
//
// Flags:
//   --days N        inactivity threshold in days (default 30)
//   --tag NAME      only conversations tagged NAME
//   --note TEXT     the closing note
//   --concurrency N requests in flight (default 8)
//
// Example:
//   icscript --sandbox scripts/examples/close-stale.js --days 30
//   icscript --dry-run scripts/examples/close-stale.js --days 60 --tag spam

args.declare({
  days: { default: 30, help: "inactivity threshold in days" },
  tag: { default: "", help: "only conversations with this tag" },
  note: { default: "", help: "closing note (default mentions the threshold)" },
  concurrency: { default: 8, help: "requests in flight" },
});
const days = args.flag("days", 30);
const tagName = args.flag("tag", "");
const note = args.flag("note", "") || `Closing this conversation: no activity in ${days} days. Reply any time to reopen it.`;

const filters = [
  { field: "state", operator: "=", value: "open" },
  { field: "updated_at", operator: "<", value: time.daysAgo(days) },
];
if (tagName) {
  const tag = (await intercom.tags.list().toArray()).find((t) => t.name === tagName);
  if (!tag) throw new Error(`no tag named "${tagName}"`);
  filters.push({ field: "tag_ids", operator: "=", value: tag.id });
}

const stale = intercom.conversations.search({ query: { operator: "AND", value: filters } });
console.log(`Closing open conversations untouched since ${time.format(time.daysAgo(days), "date")}${tagName ? ` tagged "${tagName}"` : ""}…`);
const summary = await stale.forEach((c) => intercom.conversations.close(c.id, note), {
  concurrency: args.flag("concurrency", 8),
  progress: "closing",
});
console.log(`closed ${summary.ok}, failed ${summary.failed} in ${summary.elapsed}`);
for (const e of summary.errors) console.error(`  conversation ${e.id}: ${e.error}`);
if (summary.failed > 0) exit(1);
