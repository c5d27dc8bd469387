// Walks every contact of the workspace with for await, keeping none: the
// pager's memory stays bounded however many there are (bench/run.sh's walk).
//
//   INTERCOM_ACCESS_TOKEN=… icscript --base-url http://127.0.0.1:4010 walk.js
let n = 0;
for await (const c of intercom.contacts.list({ per_page: 150 })) if (c.id) n++;
console.log(JSON.stringify({ impl: "icscript", walked: n, failed: 0 }));
