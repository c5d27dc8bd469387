// export-contacts — write the contacts matching a query to a CSV file, with
// the columns you choose: contact fields, custom attributes, company names
// and tag names.
//
// Flags:
//   --role user|lead   only contacts with this role (default: both)
//   --since DAYS       only contacts created in the last DAYS days (default: any)
//   --plan NAME        only contacts whose custom attribute "plan" is NAME
//   --fields LIST      comma-separated columns (default
//                      id,email,name,role,created_at,plan,companies,tags). A
//                      column is a contact field ("email", "location.city"), a
//                      custom attribute ("plan" or "custom_attributes.plan"),
//                      "companies" (their names) or "tags" (their names); dates
//                      (*_at) are written as RFC 3339.
//   --out PATH         the CSV file to write (default contacts.csv; relative
//                      paths land in this script's folder)
//   --concurrency N    requests in flight to look up companies (default 8)
//
// Example:
//   icscript --sandbox scripts/examples/export-contacts.ts --role user --plan pro --out "$PWD/pro-users.csv"
//   icscript scripts/examples/export-contacts.ts --since 7 --fields email,name,companies,seats --out "$PWD/new.csv"

const opts = args.declare({
  role: { default: "", help: "user or lead (default: both)" },
  since: { default: 0, help: "only contacts created in the last DAYS days (0: any)" },
  plan: { default: "", help: "only contacts with custom attribute plan = NAME" },
  fields: { default: "id,email,name,role,created_at,plan,companies,tags", help: "comma-separated columns" },
  out: { default: "contacts.csv", help: "CSV file to write" },
  concurrency: { default: 8, help: "requests in flight" },
}, { description: "Export the contacts matching a query to CSV." });

type Filter = { field: string; operator: "=" | ">"; value: string | number };
const filters: Filter[] = [];
if (opts.role) {
  if (opts.role !== "user" && opts.role !== "lead") args.usageError(`--role must be user or lead, not "${opts.role}"`);
  filters.push({ field: "role", operator: "=", value: opts.role });
}
if (opts.since > 0) filters.push({ field: "created_at", operator: ">", value: time.daysAgo(opts.since) });
if (opts.plan) filters.push({ field: "custom_attributes.plan", operator: "=", value: opts.plan });

const columns = opts.fields.split(",").map((f) => f.trim()).filter((f) => f !== "");
if (columns.length === 0) throw new Error("--fields lists no columns");

const contacts: Pager<Intercom.Contact> = filters.length === 0
  ? intercom.contacts.list({ per_page: 150 })
  : intercom.contacts.search({ query: { operator: "AND", value: filters }, pagination: { per_page: 150 } });

// Tag and company names, looked up once each.
const tagNames = new Map<string, string>();
if (columns.includes("tags")) {
  for (const t of await intercom.tags.list().toArray()) tagNames.set(String(t.id), t.name);
}
const companyNames = new Map<string, Promise<string>>();
function companyName(id: string): Promise<string> {
  let name = companyNames.get(id);
  if (!name) {
    name = intercom.companies.find(id).then((co) => co.name ?? id, () => id);
    companyNames.set(id, name);
  }
  return name;
}

function cell(c: Intercom.Contact, column: string): unknown {
  let v: unknown = column in c ? c[column] : json.get(c, column);
  if (v === undefined && !column.includes(".")) v = c.custom_attributes[column];
  if (typeof v === "number" && /_at$|_date$/.test(column) && v > 0) return time.format(v);
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return v ?? "";
}

async function row(c: Intercom.Contact): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const col of columns) {
    if (col === "companies") {
      const ids = (c.companies?.data ?? []).map((co) => String(co.id));
      out[col] = (await Promise.all(ids.map(companyName))).join("; ");
    } else if (col === "tags") {
      out[col] = (c.tags?.data ?? []).map((t) => tagNames.get(String(t.id)) ?? t.id).join("; ");
    } else {
      out[col] = cell(c, col);
    }
  }
  return out;
}

console.log(filters.length === 0 ? "Exporting every contact…" : `Exporting contacts where ${filters.map((f) => `${f.field} ${f.operator} ${f.value}`).join(" and ")}…`);
const rows = await contacts.map(row, { concurrency: opts.concurrency, progress: "exporting" });
fs.writeCSV(opts.out, rows, { columns });
console.log(`wrote ${rows.length} contacts, ${columns.length} columns to ${opts.out}`);
