// Create or update contacts from a CSV file: email,name,plan
import { readCSV } from "icscript:fs";
import fsModule from "icscript:fs";

const file = args.positional[0] ?? "contacts.csv";
const rows = readCSV(file, { delimiter: "," });
const out: Record<string, string>[] = [];

const summary = await pool(rows, 4, async (row, i) => {
  const found = await intercom.contacts.search({ field: "email", operator: "=", value: row.email }).first();
  try {
    const contact = found
      ? await intercom.contacts.update(found.id, { name: row.name, custom_attributes: { plan: row.plan } })
      : await intercom.contacts.create({ role: "user", email: row.email, name: row.name });
    out.push({ row: String(i), id: contact.id, email: contact.email });
  } catch (err) {
    if (err instanceof IntercomError && err.status === 409) {
      console.warn(`row ${i}: ${err.code} (${err.requestId})`);
      return;
    }
    throw err;
  }
});
console.log(`${summary.ok} ok, ${summary.failed} failed in ${summary.elapsed}`);
fsModule.writeCSV("result.csv", out, { columns: ["row", "id", "email"] });
for (const line of fs.readLines(file)) {
  if (line.startsWith("#")) console.debug(line);
}
