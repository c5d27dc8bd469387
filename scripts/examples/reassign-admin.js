// reassign-admin — move every open conversation assigned to an admin (someone
// leaving, or going on holiday) to a team or to another admin, leaving an
// internal note on each that says why. Open includes snoozed conversations.
//
// With --to-team the conversations also stop being assigned to the admin,
// so they land in the team's unassigned queue.
//
// Flags:
//   --from ID        the admin whose conversations move (required)
//   --to-team ID     the team to move them to, or
//   --to-admin ID    the admin to move them to
//   --note TEXT      the internal note (default names both sides)
//   --concurrency N  requests in flight (default 8)
//
// Example:
//   icscript --sandbox scripts/examples/reassign-admin.js --from 991267002 --to-team 5017001
//   icscript --dry-run scripts/examples/reassign-admin.js --from 123 --to-admin 456

const opts = args.declare({
  from: { required: true, help: "admin id whose open conversations move" },
  toTeam: { default: "", help: "team id to move them to" },
  toAdmin: { default: "", help: "admin id to move them to" },
  note: { default: "", help: "internal note left on each conversation" },
  concurrency: { default: 8, help: "requests in flight" },
}, { description: "Move an admin's open conversations to a team or another admin." });

if (!opts.toTeam === !opts.toAdmin) args.usageError("give exactly one of --to-team and --to-admin");

// Check every id before changing anything: a typo should stop the run here.
const from = await intercom.admins.find(opts.from);
const to = opts.toTeam ? await intercom.teams.find(opts.toTeam) : await intercom.admins.find(opts.toAdmin);
if (opts.toAdmin && String(to.id) === String(from.id)) throw new Error("--from and --to-admin are the same admin");
const toLabel = `${opts.toTeam ? "team" : "admin"} ${to.name} (${to.id})`;
const note = opts.note || `Reassigned from ${from.name} to ${to.name} by reassign-admin.`;
const me = await intercom.me;

const conversations = intercom.conversations.search({ query: { operator: "AND", value: [
  { field: "admin_assignee_id", operator: "=", value: Number(from.id) },
  { field: "open", operator: "=", value: true },
] }, pagination: { per_page: 150 } });

// Collect first: the moves change the very field the search filters on, and
// a cursor over a changing result set could skip conversations.
const todo = await conversations.toArray();
console.log(`${todo.length} open conversations of ${from.name} (${from.id}) → ${toLabel}`);

let dryRun = false;
const summary = await pool(todo, opts.concurrency, async (c) => {
  const r = await intercom.conversations.reply(c.id, { message_type: "note", type: "admin", admin_id: me.id, body: note });
  dryRun = dryRun || Boolean(r && r.dry_run);
  if (opts.toTeam) {
    await intercom.conversations.assign(c.id, { type: "team", id: to.id });
    await intercom.conversations.assign(c.id, { type: "admin", id: 0 }); // unassign the admin
  } else {
    await intercom.conversations.assign(c.id, { type: "admin", id: to.id });
  }
}, { progress: "reassigning" });

console.log(`${dryRun ? "would have moved" : "moved"} ${summary.ok} conversations to ${toLabel}, failed ${summary.failed} in ${summary.elapsed}`);
for (const e of summary.errors) console.error(`  conversation ${e.id}: ${e.error}`);
if (summary.failed > 0) exit(1);
