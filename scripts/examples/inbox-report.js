// inbox-report — how the inbox stands: conversations open, snoozed and closed
// per team and per admin, with the median time to first response, printed as
// tables and written as JSON.
//
// First response time is the time from a conversation's start to the first
// admin reply: from its statistics (first_admin_reply_at) when Intercom has
// them, else from its parts (one extra request per such conversation).
//
// Flags:
//   --days N         only conversations created in the last N days (default 0: all)
//   --out PATH       the JSON file to write (default inbox-report.json;
//                    relative paths land in this script's folder)
//   --concurrency N  requests in flight to read parts (default 8)
//
// Example:
//   icscript --sandbox scripts/examples/inbox-report.js --out "$PWD/inbox.json"
//   icscript scripts/examples/inbox-report.js --days 7 --out "$PWD/last-week.json"

const opts = args.declare({
  days: { default: 0, help: "only conversations created in the last N days (0: all)" },
  out: { default: "inbox-report.json", help: "JSON file to write" },
  concurrency: { default: 8, help: "requests in flight" },
}, { description: "Conversation counts and first-response times per team and admin." });

const teams = new Map((await intercom.teams.list().toArray()).map((t) => [String(t.id), t.name]));
const admins = new Map((await intercom.admins.list().toArray()).map((a) => [String(a.id), a.name]));

const conversations = opts.days > 0
  ? intercom.conversations.search({ query: { field: "created_at", operator: ">", value: time.daysAgo(opts.days) }, pagination: { per_page: 150 } })
  : intercom.conversations.list({ per_page: 150 });

// firstResponse is the seconds to the first admin reply, or null if none.
async function firstResponse(c) {
  const s = c.statistics || {};
  if (typeof s.time_to_admin_reply === "number") return s.time_to_admin_reply;
  if (typeof s.first_admin_reply_at === "number") return s.first_admin_reply_at - c.created_at;
  if (!s.last_admin_reply_at) return null; // no admin has replied
  const full = await intercom.conversations.find(c.id);
  const parts = (full.conversation_parts && full.conversation_parts.conversation_parts) || [];
  const reply = parts.find((p) => p.part_type === "comment" && p.author && p.author.type === "admin");
  return reply ? reply.created_at - c.created_at : null;
}

const rows = await conversations.map(async (c) => ({
  state: c.state,
  team: c.team_assignee_id ? String(c.team_assignee_id) : "",
  admin: c.admin_assignee_id ? String(c.admin_assignee_id) : "",
  firstResponse: await firstResponse(c),
}), { concurrency: opts.concurrency, progress: "reading" });

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

function duration(secs) {
  if (secs === null) return "-";
  if (secs < 3600) return `${Math.round(secs / 60)}m`;
  if (secs < 86400) return `${(secs / 3600).toFixed(1)}h`;
  return `${(secs / 86400).toFixed(1)}d`;
}

// group counts rows by a key and names each group.
function group(key, names, none) {
  const groups = new Map();
  for (const r of rows) {
    const id = r[key];
    if (!groups.has(id)) groups.set(id, { id: id || null, name: id ? names.get(id) || `#${id}` : none, open: 0, snoozed: 0, closed: 0, total: 0, responses: [] });
    const g = groups.get(id);
    g[r.state] = (g[r.state] || 0) + 1;
    g.total++;
    if (r.firstResponse !== null) g.responses.push(r.firstResponse);
  }
  return [...groups.values()]
    .sort((a, b) => b.total - a.total)
    .map(({ responses, ...g }) => ({ ...g, median_first_response_seconds: median(responses), replied: responses.length }));
}

const byTeam = group("team", teams, "(no team)");
const byAdmin = group("admin", admins, "(unassigned)");
const all = rows.map((r) => r.firstResponse).filter((x) => x !== null);
const totals = { open: 0, snoozed: 0, closed: 0 };
for (const r of rows) totals[r.state] = (totals[r.state] || 0) + 1;

const show = (gs) => gs.map((g) => ({ name: g.name, open: g.open, snoozed: g.snoozed, closed: g.closed, total: g.total, "median 1st response": duration(g.median_first_response_seconds) }));
console.log("Per team");
console.table(show(byTeam));
console.log("Per admin");
console.table(show(byAdmin));
console.log(`${rows.length} conversations: ${totals.open} open, ${totals.snoozed} snoozed, ${totals.closed} closed; median first response ${duration(median(all))} over ${all.length} replied`);

fs.writeJSON(opts.out, {
  generated_at: time.format(time.now()),
  days: opts.days || null,
  totals: { ...totals, conversations: rows.length, median_first_response_seconds: median(all), replied: all.length },
  teams: byTeam,
  admins: byAdmin,
});
console.log(`wrote ${opts.out}`);
