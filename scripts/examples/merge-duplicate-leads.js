// merge-duplicate-leads — find leads whose email is also a user's and merge
// each into that user (contacts.mergeLeadInUser). Merging cannot be undone:
// the lead is gone and its conversations, notes and tags move to the user.
//
// The plan (lead → user) is printed first, then the script asks for
// confirmation; without a terminal (cron, CI) it refuses unless icscript
// runs with --yes, which answers yes and allows irreversible calls. An
// email shared by several users is ambiguous: those leads are reported and
// left alone.
//
// Flags:
//   --limit N        merge at most N leads (default 0: all)
//   --concurrency N  requests in flight (default 4)
//
// Example:
//   icscript --dry-run --yes scripts/examples/merge-duplicate-leads.js   # the plan and the calls, nothing merged
//   icscript scripts/examples/merge-duplicate-leads.js --limit 10

const opts = args.declare({
  limit: { default: 0, help: "merge at most N leads (0: all)" },
  concurrency: { default: 4, help: "requests in flight" },
}, { description: "Merge leads into the user who has the same email." });

console.log("Looking for leads that share an email with a user…");
const leads = intercom.contacts.search({
  query: { operator: "AND", value: [
    { field: "role", operator: "=", value: "lead" },
    { field: "email", operator: "!=", value: null },
  ] },
  pagination: { per_page: 150 },
});

// For each lead, the users with its email (searched with the lead's exact email).
const candidates = await leads.map(async (lead) => {
  if (!lead.email) return null;
  const users = await intercom.contacts.search({ query: { operator: "AND", value: [
    { field: "role", operator: "=", value: "user" },
    { field: "email", operator: "=", value: lead.email },
  ] } }).toArray({ limit: 5 });
  return users.length === 0 ? null : { lead, users };
}, { concurrency: opts.concurrency, progress: "searching" });

const plan = [];
const ambiguous = [];
for (const c of candidates) {
  if (!c) continue;
  if (c.users.length > 1) ambiguous.push(c);
  else plan.push({ lead: c.lead.id, email: c.lead.email, user: c.users[0].id, user_name: c.users[0].name ?? "" });
}
if (opts.limit > 0) plan.splice(opts.limit);

for (const a of ambiguous) {
  console.warn(`skipping lead ${a.lead.id} <${a.lead.email}>: ${a.users.length} users have that email (${a.users.map((u) => u.id).join(", ")})`);
}
if (plan.length === 0) {
  console.log("no leads to merge");
  exit(0);
}
console.table(plan);

if (!(await prompt.confirm(`Merge these ${plan.length} leads into their users? This cannot be undone.`))) {
  console.log("nothing merged");
  exit(0);
}

let dryRun = false;
const summary = await pool(plan.map((p) => ({ id: p.lead, ...p })), opts.concurrency, async (p) => {
  const r = await intercom.contacts.mergeLeadInUser({ from: p.lead, into: p.user });
  dryRun = dryRun || Boolean(r && r.dry_run);
}, { progress: "merging" });

console.log(`${dryRun ? "would have merged" : "merged"} ${summary.ok} leads, failed ${summary.failed}, skipped ${ambiguous.length} ambiguous in ${summary.elapsed}`);
for (const e of summary.errors) console.error(`  lead ${e.id}: ${e.error}`);
if (summary.failed > 0) exit(1);
