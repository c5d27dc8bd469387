// sync-company-attributes — create or update companies from a CSV file (one
// row per company, matched by your company_id), setting their standard fields
// and custom attributes. Companies not in the file are left alone.
//
// Columns: company_id (required), then any of name, plan, size, website,
// industry, monthly_spend (whole units: decimals are truncated, as Intercom
// does), remote_created_at; every other column is a custom
// attribute, converted to the attribute's type (integer, float, boolean,
// date). Empty cells are not sent, so they never clear a value. Columns that
// are not company attributes stop the run before any change, unless
// --create-attributes creates them (as strings).
//
// Flags:
//   --file PATH           the CSV file (required; relative paths are read from
//                         this script's folder)
//   --create-attributes   create missing custom attributes
//   --concurrency N       requests in flight (default 8)
//
// Example:
//   icscript --dry-run scripts/examples/sync-company-attributes.js --file "$PWD/accounts.csv"
//   icscript scripts/examples/sync-company-attributes.js --file "$PWD/accounts.csv" --create-attributes

const opts = args.declare({
  file: { required: true, help: "CSV file, one company per row" },
  createAttributes: { default: false, help: "create missing custom attributes (as strings)" },
  concurrency: { default: 8, help: "requests in flight" },
}, { description: "Upsert companies and their custom attributes from a CSV file." });

const rows = fs.readCSV(opts.file);
if (rows.length === 0) {
  console.log(`${opts.file} has no rows`);
  exit(0);
}
const columns = Object.keys(rows[0]);
if (!columns.includes("company_id")) throw new Error(`${opts.file} has no company_id column (columns: ${columns.join(", ")})`);

const standard = new Set(["company_id", "name", "plan", "size", "website", "industry", "monthly_spend", "remote_created_at"]);
const attrs = await intercom.dataAttributes.list({ model: "company" }).toArray();
const custom = new Map(attrs.filter((a) => a.custom && !a.archived).map((a) => [a.name, a.data_type]));
const unknown = columns.filter((c) => !standard.has(c) && !custom.has(c));
if (unknown.length > 0) {
  if (!opts.createAttributes) throw new Error(`not company attributes: ${unknown.join(", ")} (create them in Intercom, or pass --create-attributes)`);
  for (const name of unknown) {
    await intercom.dataAttributes.create({ name, model: "company", data_type: "string", description: `Created by sync-company-attributes from ${opts.file}` });
    custom.set(name, "string");
    console.log(`created company attribute ${name} (string)`);
  }
}

// convert turns a cell into the value its attribute's type wants.
function convert(row, column, type, text) {
  const fail = () => { throw new Error(`row ${row}: ${column} must be ${type}, not "${text}"`); };
  switch (type) {
    case "integer": case "date": {
      const n = type === "date" && !/^\d+$/.test(text) ? time.parse(text) : Number(text);
      return Number.isInteger(n) ? n : fail();
    }
    case "float": { const n = Number(text); return Number.isFinite(n) ? n : fail(); }
    // monthly_spend is whole units: the API takes an integer (and truncates floats).
    case "money": { const n = Number(text); return Number.isFinite(n) ? Math.trunc(n) : fail(); }
    case "boolean": return /^(true|yes|1)$/i.test(text) ? true : /^(false|no|0)$/i.test(text) ? false : fail();
  }
  return text;
}

const types = { size: "integer", monthly_spend: "money", remote_created_at: "date" };
// Build every request first, so that a bad cell stops the run before any change.
const updates = rows.map((r, i) => {
  const body = { custom_attributes: {} };
  for (const col of columns) {
    const text = (r[col] || "").trim();
    if (text === "") continue;
    if (standard.has(col)) body[col] = convert(i + 2, col, types[col] || "string", text);
    else body.custom_attributes[col] = convert(i + 2, col, custom.get(col), text);
  }
  if (!body.company_id) throw new Error(`row ${i + 2}: empty company_id`);
  if (Object.keys(body.custom_attributes).length === 0) delete body.custom_attributes;
  return { id: body.company_id, body };
});

console.log(`Upserting ${updates.length} companies (${columns.length - 1} columns) from ${opts.file}…`);
let dryRun = false;
const summary = await pool(updates, opts.concurrency, async (u) => {
  const r = await intercom.companies.createOrUpdate(u.body);
  dryRun = dryRun || Boolean(r && r.dry_run);
}, { progress: "upserting" });

console.log(`${dryRun ? "would have upserted" : "upserted"} ${summary.ok} companies, failed ${summary.failed} in ${summary.elapsed}`);
for (const e of summary.errors) console.error(`  company ${e.id}: ${e.error}`);
if (summary.failed > 0) exit(1);
