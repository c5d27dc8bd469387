// gdpr-erase — answer erasure requests: find the contacts with the given
// emails, export everything Intercom holds on each (the contact, its notes,
// tags, companies and conversations with their parts) to one JSON file per
// contact, then delete the contacts. Deleting cannot be undone.
//
// Run it with --dry-run first: the exports are written, the plan is printed
// and nothing is deleted. Every contact with a listed email is erased (a lead
// and a user can share one). It asks before deleting; without a terminal it
// refuses unless icscript runs with --yes.
//
// Flags:
//   --emails LIST    comma-separated emails, and/or
//   --file PATH      a file of emails: one per line, or a CSV with an "email" column
//   --out DIR        where the exports go (default gdpr-export; relative paths
//                    land in this script's folder)
//   --concurrency N  requests in flight (default 4)
//
// Example:
//   icscript --dry-run --yes scripts/examples/gdpr-erase.js --emails ann@example.com,bo@example.com --out "$PWD/erasure"
//   icscript scripts/examples/gdpr-erase.js --file "$PWD/requests.csv" --out "$PWD/erasure"

const opts = args.declare({
  emails: { default: "", help: "comma-separated emails" },
  file: { default: "", help: "file of emails (one per line, or CSV with an email column)" },
  out: { default: "gdpr-export", help: "directory for the JSON exports" },
  concurrency: { default: 4, help: "requests in flight" },
}, { description: "Export and delete the contacts with the given emails." });

// The requested emails, lower-cased and de-duplicated.
let emails = opts.emails.split(",");
if (opts.file) {
  emails = emails.concat(opts.file.endsWith(".csv")
    ? fs.readCSV(opts.file).map((r) => r.email || "")
    : [...fs.readLines(opts.file)]);
}
emails = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e.includes("@")))];
if (emails.length === 0) args.usageError("no emails: give --emails or --file");

// The plan: every contact per email.
const found = await Promise.all(emails.map(async (email) => ({
  email,
  contacts: await intercom.contacts.search({ field: "email", operator: "=", value: email }).toArray({ limit: 50 }),
})));
const targets = found.flatMap((f) => f.contacts);
const missing = found.filter((f) => f.contacts.length === 0).map((f) => f.email);

console.log(`Erasure plan: ${targets.length} contacts for ${emails.length} emails`);
if (targets.length > 0) console.table(targets.map((c) => ({ id: c.id, role: c.role, email: c.email, name: c.name ?? "" })));
for (const email of missing) console.log(`  no contact has ${email}`);
if (targets.length === 0) exit(0);

// Export each contact before anything is deleted.
fs.mkdir(opts.out);
async function dossier(c) {
  const [contact, notes, conversationRefs, companies, tags] = await Promise.all([
    intercom.contacts.find(c.id),
    intercom.notes.list(c.id).toArray(),
    intercom.conversations.search({ field: "contact_ids", operator: "=", value: c.id }).toArray(),
    intercom.contacts.listAttachedCompanies(c.id).toArray(),
    intercom.contacts.listAttachedTags(c.id).toArray(),
  ]);
  const conversations = await Promise.all(conversationRefs.map((cv) => intercom.conversations.find(cv.id, { display_as: "plaintext" })));
  return { exported_at: time.format(time.now()), contact, notes, companies, tags, conversations };
}
const exported = await pool(targets, opts.concurrency, async (c) => {
  const d = await dossier(c);
  fs.writeJSON(`${opts.out}/${c.id}.json`, d);
}, { progress: "exporting", stopOnError: true });
console.log(`exported ${exported.ok} contacts to ${opts.out}/`);

if (!(await prompt.confirm(`Delete these ${targets.length} contacts? This cannot be undone.`))) {
  console.log("nothing deleted");
  exit(0);
}

let dryRun = false;
const deleted = await pool(targets, opts.concurrency, async (c) => {
  const r = await intercom.contacts.delete(c.id);
  dryRun = dryRun || Boolean(r && r.dry_run);
}, { progress: "deleting" });

console.log(`${dryRun ? "would have deleted" : "deleted"} ${deleted.ok} contacts, failed ${deleted.failed}; ${missing.length} emails matched no contact`);
for (const e of deleted.errors) console.error(`  contact ${e.id}: ${e.error}`);
if (deleted.failed > 0) exit(1);
