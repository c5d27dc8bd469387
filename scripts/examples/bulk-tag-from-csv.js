// bulk-tag-from-csv — tag (or untag) the contacts listed in a CSV file, found
// by email or by external id. Creates the tag when it does not exist yet, and
// reports the rows that match no contact.
//
// Every contact with a listed email is tagged: a lead and a user sharing an
// email both get the tag.
//
// Flags:
//   --file PATH       CSV file with a header row (required; relative paths are
//                     read from this script's folder, so prefer absolute ones)
//   --tag NAME        the tag to add or remove (required)
//   --column NAME     email or external_id: the CSV column to match contacts by
//                     (default email)
//   --untag           remove the tag instead of adding it
//   --concurrency N   requests in flight (default 8)
//
// Example:
//   icscript --dry-run scripts/examples/bulk-tag-from-csv.js --file "$PWD/vips.csv" --tag vip
//   icscript scripts/examples/bulk-tag-from-csv.js --file "$PWD/churned.csv" --tag vip --untag

const opts = args.declare({
  file: { required: true, help: "CSV file with a header row" },
  tag: { required: true, help: "tag to add (or remove with --untag)" },
  column: { default: "email", help: "column to match contacts by: email or external_id" },
  untag: { default: false, help: "remove the tag instead of adding it" },
  concurrency: { default: 8, help: "requests in flight" },
}, { description: "Tag or untag the contacts listed in a CSV file." });

if (opts.column !== "email" && opts.column !== "external_id") {
  args.usageError(`--column must be email or external_id, not "${opts.column}"`);
}

// The distinct, non-empty keys of the file, in file order.
const rows = fs.readCSV(opts.file);
if (rows.length > 0 && !(opts.column in rows[0])) {
  throw new Error(`${opts.file} has no "${opts.column}" column (columns: ${Object.keys(rows[0]).join(", ")})`);
}
const keys = [...new Set(rows.map((r) => (r[opts.column] || "").trim()).filter((k) => k !== ""))];
console.log(`${keys.length} distinct ${opts.column} values in ${opts.file} (${rows.length} rows)`);

// Find the tag; create it when tagging and it does not exist.
let tag = (await intercom.tags.list().toArray()).find((t) => t.name === opts.tag);
if (!tag && opts.untag) throw new Error(`no tag named "${opts.tag}": nothing to remove`);
if (!tag) {
  tag = await intercom.tags.create({ name: opts.tag });
  console.log(tag.dry_run ? `would create the tag "${opts.tag}"` : `created the tag "${opts.tag}" (${tag.id})`);
  if (tag.dry_run) tag = { id: "<new tag>", name: opts.tag };
}

const notFound = [];
let changed = 0;
let dryRun = false;
const verb = opts.untag ? "untagging" : "tagging";
const summary = await pool(keys.map((key) => ({ id: key })), opts.concurrency, async ({ id: key }) => {
  const matches = await intercom.contacts.search({ field: opts.column, operator: "=", value: key }).toArray({ limit: 20 });
  if (matches.length === 0) {
    notFound.push(key);
    return;
  }
  for (const c of matches) {
    if (opts.untag) {
      if (!c.tags || !c.tags.data.some((t) => t.id === tag.id)) continue;
      const r = await intercom.tags.untagContact(c.id, tag.id);
      dryRun = dryRun || Boolean(r && r.dry_run);
    } else {
      const r = await intercom.tags.tagContact(c.id, { id: tag.id });
      dryRun = dryRun || Boolean(r && r.dry_run);
    }
    changed++;
  }
}, { progress: verb });

const did = (dryRun ? "would have " : "") + (opts.untag ? "untagged" : "tagged");
console.log(`${did} ${changed} contacts "${opts.tag}" from ${keys.length} rows; ${notFound.length} not found, ${summary.failed} failed in ${summary.elapsed}`);
if (notFound.length > 0) {
  console.log(`not found (${notFound.length}):`);
  for (const k of notFound) console.log(`  ${k}`);
}
for (const e of summary.errors) console.error(`  ${e.id}: ${e.error}`);
if (summary.failed > 0) exit(1);
