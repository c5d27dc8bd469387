// sdk-smoke.mjs — the official Intercom Node SDK (intercom-client 7.x)
// against a served icscript sandbox: contacts, conversations, tags,
// companies and tickets, the way the SDK's own README uses them.
//
//   INTERCOM_BASE_URL=http://127.0.0.1:4010 INTERCOM_ACCESS_TOKEN=… node sdk-smoke.mjs
//
// Prints "ok <step>" per step and "sdk smoke ok" at the end; exits 1 at the
// first failure, naming the step and the SDK's error.
import { IntercomClient } from "intercom-client";

const baseUrl = process.env.INTERCOM_BASE_URL;
const token = process.env.INTERCOM_ACCESS_TOKEN;
if (!baseUrl || !token) {
  console.error("set INTERCOM_BASE_URL and INTERCOM_ACCESS_TOKEN");
  process.exit(2);
}
const client = new IntercomClient({ token, baseUrl, version: "2.10" });

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

async function step(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (err) {
    console.error(`FAILED ${name}: ${err && err.message}`);
    if (err && err.body !== undefined) console.error(`  status ${err.statusCode}, body ${JSON.stringify(err.body).slice(0, 500)}`);
    process.exit(1);
  }
}

const stamp = Date.now();
let me, contact, conversationId, tag, company, ticket;

await step("admins.identify", async () => {
  me = await client.admins.identify();
  check(me.type === "admin" && me.id, "identify returns the token's admin");
});

await step("contacts.create", async () => {
  contact = await client.contacts.create({ role: "user", email: `sdk-${stamp}@example.com`, external_id: `sdk-${stamp}`, name: "SDK Smoke" });
  check(contact.id && contact.email === `sdk-${stamp}@example.com`, "created contact echoes its email");
});

await step("contacts.find", async () => {
  const found = await client.contacts.find({ contact_id: contact.id });
  check(found.id === contact.id && found.external_id === `sdk-${stamp}`, "find returns the contact");
});

await step("contacts.update", async () => {
  const updated = await client.contacts.update({ contact_id: contact.id, name: "SDK Renamed", custom_attributes: { plan: "pro" } });
  check(updated.name === "SDK Renamed" && updated.custom_attributes.plan === "pro", "update changes name and custom attribute");
});

await step("contacts.search", async () => {
  const page = await client.contacts.search({ query: { field: "email", operator: "=", value: `sdk-${stamp}@example.com` } });
  check(page.data.length === 1 && page.data[0].id === contact.id, "search finds the new contact");
});

await step("contacts.list pagination", async () => {
  const page = await client.contacts.list({ per_page: 25 });
  check(page.data.length === 25, "first page has per_page items");
  check(page.hasNextPage(), "a 200-contact workspace has a second page");
  const seen = new Set();
  for await (const c of page) {
    check(!seen.has(c.id), `contact ${c.id} seen twice while paging`);
    seen.add(c.id);
  }
  check(seen.size >= 200, `the Page iterator walked ${seen.size} contacts, want all (200+)`);
});

await step("tags.create and tagContact", async () => {
  tag = await client.tags.create({ name: `sdk-${stamp}` });
  check(tag.id && tag.name === `sdk-${stamp}`, "tag created");
  const tagged = await client.tags.tagContact({ contact_id: contact.id, id: tag.id });
  check(tagged.id === tag.id, "tagContact returns the tag");
  const list = await client.contacts.listAttachedTags({ contact_id: contact.id });
  check(list.data.some((t) => t.id === tag.id), "the contact lists the tag");
  const all = await client.tags.list();
  check(all.data.some((t) => t.name === `sdk-${stamp}`), "tags.list has the tag");
});

await step("conversations.create", async () => {
  const msg = await client.conversations.create({ from: { type: "user", id: contact.id }, body: "Hello from the SDK" });
  conversationId = msg.conversation_id;
  check(conversationId, "create returns conversation_id");
  const cv = await client.conversations.find({ conversation_id: conversationId });
  check(cv.state === "open", "a new conversation is open");
});

await step("conversations.reply", async () => {
  const cv = await client.conversations.reply({ conversation_id: conversationId, body: { message_type: "comment", type: "admin", admin_id: me.id, body: "Thanks, looking into it" } });
  const parts = cv.conversation_parts.conversation_parts;
  check(parts.some((p) => p.part_type === "comment" && p.author.type === "admin"), "the reply is a part");
});

await step("conversations.manage close", async () => {
  const cv = await client.conversations.manage({ conversation_id: conversationId, body: { message_type: "close", type: "admin", admin_id: me.id, body: "Closing" } });
  check(cv.state === "closed", `state is ${cv.state}, want closed`);
});

await step("conversations.search", async () => {
  const page = await client.conversations.search({ query: { field: "id", operator: "=", value: conversationId } });
  check(page.data.length === 1 && page.data[0].state === "closed", "search finds the closed conversation");
});

await step("companies.createOrUpdate", async () => {
  company = await client.companies.createOrUpdate({ company_id: `sdk-${stamp}`, name: "SDK Co", custom_attributes: { tier: "premium" } });
  check(company.id && company.company_id === `sdk-${stamp}`, "company created");
  const again = await client.companies.createOrUpdate({ company_id: `sdk-${stamp}`, name: "SDK Co Renamed" });
  check(again.id === company.id && again.name === "SDK Co Renamed", "the same company_id updates");
  const found = await client.companies.find({ company_id: company.id });
  check(found.name === "SDK Co Renamed", "find returns the update");
  await client.companies.attachContact({ contact_id: contact.id, id: company.id });
  const attached = await client.contacts.listAttachedCompanies({ contact_id: contact.id });
  check(attached.data.some((c) => c.id === company.id), "the contact lists the company");
});

await step("tickets.create and search", async () => {
  const types = await client.ticketTypes.list();
  // The SDK reads `data` (as the description's example has it); the 2.10
  // schema says `ticket_types`. Accept either, and say which one came.
  if (!types.data && types.ticket_types) console.log("divergence: ticketTypes.list answered `ticket_types`; the SDK's TicketTypeList reads `data` (types.data is undefined)");
  const type = (types.data ?? types.ticket_types ?? []).find((t) => t.category === "Customer");
  check(type, "a Customer ticket type exists");
  ticket = await client.tickets.create({ ticket_type_id: type.id, contacts: [{ id: contact.id }], ticket_attributes: { _default_title_: "SDK ticket", _default_description_: "Opened by the SDK" } });
  check(ticket && ticket.id, "ticket created");
  const page = await client.tickets.search({ query: { field: "contact_ids", operator: "=", value: contact.id } });
  check(page.data.some((t) => t.id === ticket.id), "search finds the ticket");
});

console.log("sdk smoke ok");
