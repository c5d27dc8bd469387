// ticket-sla-breaches — find tickets still open after N hours, tag them, and
// post a summary to a webhook (Slack, Teams, or anything taking JSON).
//
// A ticket breaches when it is open and was created more than --hours ago.
// Tickets already carrying the tag are counted but not tagged again. Under
// --dry-run nothing is tagged and the webhook is not called: the summary is
// printed instead.
//
// Flags:
//   --hours N        the SLA in hours (default 24)
//   --tag NAME       the tag for breaching tickets (default sla-breach; created
//                    if missing)
//   --webhook URL    where to POST the summary as JSON ({text, breaches, ...});
//                    without it the summary is only printed
//   --concurrency N  requests in flight (default 8)
//
// Example:
//   icscript --sandbox scripts/examples/ticket-sla-breaches.js --hours 48
//   icscript scripts/examples/ticket-sla-breaches.js --hours 24 --webhook "$SLACK_WEBHOOK_URL"

const opts = args.declare({
  hours: { default: 24, help: "SLA in hours" },
  tag: { default: "sla-breach", help: "tag for breaching tickets" },
  webhook: { default: "", help: "URL to POST the summary to" },
  concurrency: { default: 8, help: "requests in flight" },
}, { description: "Tag tickets open longer than the SLA and report them to a webhook." });

const cutoff = time.hoursAgo(opts.hours);
const breaches = await intercom.tickets.search({ query: { operator: "AND", value: [
  { field: "open", operator: "=", value: true },
  { field: "created_at", operator: "<", value: cutoff },
] }, pagination: { per_page: 150 } }).toArray();
console.log(`${breaches.length} open tickets created before ${time.format(cutoff)} (${opts.hours}h SLA)`);

let tag = (await intercom.tags.list().toArray()).find((t) => t.name === opts.tag);
let dryRun = false;
if (!tag && breaches.length > 0) {
  tag = await intercom.tags.create({ name: opts.tag });
  if (tag.dry_run) {
    dryRun = true;
    tag = { id: "<new tag>", name: opts.tag };
  }
}
const me = await intercom.me;
const untagged = breaches.filter((t) => !(t.tags && t.tags.tags || []).some((x) => String(x.id) === String(tag.id)));
const summary = await pool(untagged, opts.concurrency, async (t) => {
  const r = await intercom.tags.tagTicket(t.id, { id: tag.id, admin_id: me.id });
  dryRun = dryRun || Boolean(r && r.dry_run);
}, { progress: "tagging" });

const now = time.now();
const list = breaches
  .map((t) => ({
    id: t.id,
    ticket_id: t.ticket_id,
    title: (t.ticket_attributes && t.ticket_attributes._default_title_) || "",
    type: t.ticket_type ? t.ticket_type.name : "",
    state: t.ticket_state,
    age_hours: Math.floor((now - t.created_at) / 3600),
    admin_assignee_id: t.admin_assignee_id && t.admin_assignee_id !== "0" ? t.admin_assignee_id : null,
  }))
  .sort((a, b) => b.age_hours - a.age_hours);
const byType = {};
for (const b of list) byType[b.type] = (byType[b.type] || 0) + 1;
const text = list.length === 0
  ? `No tickets open longer than ${opts.hours}h.`
  : `${list.length} tickets open longer than ${opts.hours}h (oldest: #${list[0].ticket_id} "${list[0].title}", ${list[0].age_hours}h). ` +
    Object.entries(byType).map(([type, n]) => `${type}: ${n}`).join(", ") + ".";
console.log(text);
if (list.length > 0) console.table(list.slice(0, 20));

const report = { text, sla_hours: opts.hours, count: list.length, by_type: byType, breaches: list };
if (opts.webhook && !dryRun) {
  const res = await fetch(opts.webhook, { method: "POST", body: report, timeout: 15000 });
  if (!res.ok) {
    console.error(`webhook answered ${res.status} ${res.statusText}: ${(await res.text()).slice(0, 200)}`);
    exit(1);
  }
  console.log(`posted the summary to the webhook (${res.status})`);
} else if (opts.webhook) {
  console.log("dry run: the webhook was not called");
}
console.log(`${dryRun ? "would have tagged" : "tagged"} ${summary.ok} tickets "${opts.tag}" (${breaches.length - untagged.length} already tagged), failed ${summary.failed}`);
for (const e of summary.errors) console.error(`  ticket ${e.id}: ${e.error}`);
if (summary.failed > 0) exit(1);
