// data-export — export message content data (who received which message,
// opened, clicked, replied…) for a date range: start an export job, poll it
// until it completes, download it and write the CSV.
//
// Intercom runs one export job at a time per workspace; the job takes from
// seconds to hours, so the script polls with a growing pause, up to
// --max-wait.
//
// Flags:
//   --from DATE      start of the range, a date (2024-01-31) or unix seconds
//                    (default: 30 days ago)
//   --to DATE        end of the range (default: now)
//   --out PATH       the CSV file to write (default content-data.csv;
//                    relative paths land in this script's folder)
//   --poll SECONDS   first pause between polls (default 5)
//   --max-wait MIN   give up (and cancel the job) after this many minutes (default 60)
//
// Example:
//   icscript --sandbox scripts/examples/data-export.js --from 2024-01-01 --out "$PWD/content.csv"
//   icscript scripts/examples/data-export.js --from 2024-06-01 --to 2024-07-01 --out "$PWD/june.csv"

const opts = args.declare({
  from: { default: "", help: "start of the range: a date or unix seconds (default: 30 days ago)" },
  to: { default: "", help: "end of the range (default: now)" },
  out: { default: "content-data.csv", help: "CSV file to write" },
  poll: { default: 5, help: "first pause between polls, in seconds" },
  maxWait: { default: 60, help: "give up after this many minutes" },
}, { description: "Export message content data for a date range to CSV." });

const from = opts.from ? time.unix(/^\d+$/.test(opts.from) ? Number(opts.from) : opts.from) : time.daysAgo(30);
const to = opts.to ? time.unix(/^\d+$/.test(opts.to) ? Number(opts.to) : opts.to) : time.now();
if (from >= to) throw new Error(`--from (${time.format(from)}) must be before --to (${time.format(to)})`);

console.log(`Exporting content data from ${time.format(from)} to ${time.format(to)}…`);
const job = await intercom.dataExport.create({ created_at_after: from, created_at_before: to });
if (job.dry_run) {
  console.log("dry run: no export job started, nothing to download");
  exit(0);
}
// The API spells the job's id "job_identfier" (sic).
const id = job.job_identfier || job.job_identifier;
console.log(`job ${id}: ${job.status}`);

const deadline = Date.now() + opts.maxWait * 60 * 1000;
const bar = progress(0, "waiting for the export");
let status = job.status;
let pause = opts.poll * 1000;
while (status !== "completed") {
  if (["failed", "canceled", "cancelled", "no_data"].includes(status)) {
    bar.done();
    console.error(`the export ended with status "${status}"`);
    exit(status === "no_data" ? 0 : 1);
  }
  if (Date.now() > deadline) {
    bar.done();
    await intercom.dataExport.cancel(id);
    console.error(`the export did not complete within ${opts.maxWait} minutes: canceled job ${id}`);
    exit(1);
  }
  await sleep(pause);
  pause = Math.min(pause * 2, 60000);
  const j = await intercom.dataExport.find(id);
  if (j.status !== status) console.log(`job ${id}: ${j.status}`);
  status = j.status;
  bar.tick();
}
bar.done();

const file = await intercom.dataExport.download(id);
const csv = file.text();
const rows = csv.split("\n").filter((l) => l.trim() !== "").length - 1;
fs.writeText(opts.out, csv);
console.log(`wrote ${Math.max(rows, 0)} rows (${file.size} bytes compressed) to ${opts.out}`);
