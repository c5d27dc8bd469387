// The scenario the Prism-proxy conformance test runs through
// `prism proxy intercom-2.10.yaml <served sandbox>`: the everyday calls of
// ops scripts, each response checked by Prism against the description.
// Pages are small (per_page 2) so that Prism's sl-violations header stays
// whole.
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    console.log(`STEP ${name} ok`);
  } catch (e) {
    failed++;
    console.log(`STEP ${name} FAILED ${e && e.message}`);
  }
}
function check(cond, what) { if (!cond) throw new Error("check failed: " + what); }
async function twoPages(pager) {
  let n = 0;
  for await (const page of pager.pages()) if (++n === 2) break;
  return n;
}

const stamp = Date.now();
let me, admin, team, contact, lead, tag, company, conversationId, ticketType, ticket, article;

await step("admins", async () => {
  me = await intercom.me;
  check(me.type === "admin", "me is an admin");
  const admins = await intercom.admins.list().toArray();
  admin = admins[1];
  await intercom.admins.find(admin.id);
  team = (await intercom.teams.list().toArray())[0];
  await intercom.teams.find(team.id);
  await intercom.admins.listAllActivityLogs({ created_at_after: String(time.daysAgo(30)) }).first();
});

await step("contacts create/find/update", async () => {
  contact = await intercom.contacts.create({ role: "user", email: `conformance-${stamp}@example.com`, external_id: `conf-${stamp}`, name: "Conformance User", custom_attributes: { plan: "pro" } });
  check(contact.id, "created contact has an id");
  const found = await intercom.contacts.find(contact.id);
  check(found.email === contact.email, "find returns the contact");
  const updated = await intercom.contacts.update(contact.id, { name: "Conformance Renamed", custom_attributes: { seats: 3 } });
  check(updated.name === "Conformance Renamed", "update renames");
  lead = await intercom.contacts.create({ role: "lead", name: "Conformance Lead" });
});

await step("contacts search and list pages", async () => {
  const hits = await intercom.contacts.search({ query: { field: "email", operator: "=", value: contact.email }, pagination: { per_page: 2 } }).toArray();
  check(hits.length === 1, "search finds the contact");
  check(await twoPages(intercom.contacts.search({ query: { field: "role", operator: "=", value: "user" }, pagination: { per_page: 2 } })) === 2, "two search pages");
  check(await twoPages(intercom.contacts.list({ per_page: 2 })) === 2, "two list pages");
});

await step("contacts archive/unarchive", async () => {
  await intercom.contacts.archive(lead.id);
  await intercom.contacts.unarchive(lead.id);
});

await step("contact attachments", async () => {
  await intercom.contacts.listAttachedSegments(contact.id).toArray();
  await intercom.contacts.listAttachedSubscriptions(contact.id).toArray();
  const note = await intercom.notes.create(contact.id, { body: "A conformance note", admin_id: me.id });
  await intercom.notes.find(note.id);
  check((await intercom.notes.list(contact.id).toArray()).length >= 1, "notes listed");
});

await step("tags", async () => {
  tag = await intercom.tags.create({ name: `conformance-${stamp}` });
  await intercom.tags.find(tag.id);
  await intercom.tags.tagContact(contact.id, { id: tag.id });
  check((await intercom.contacts.listAttachedTags(contact.id).toArray()).some((t) => t.id === tag.id), "contact tagged");
  await intercom.tags.untagContact(contact.id, tag.id);
  await intercom.tags.list().toArray();
});

await step("companies", async () => {
  company = await intercom.companies.createOrUpdate({ company_id: `conf-${stamp}`, name: "Conformance Co", size: 12, custom_attributes: { tier: "premium" } });
  await intercom.companies.find(company.id);
  await intercom.companies.update(company.id, { name: "Conformance Co 2" });
  await intercom.companies.attachContact(contact.id, { id: company.id });
  check((await intercom.companies.listAttachedContacts(company.id).toArray()).some((c) => c.id === contact.id), "contact attached");
  check((await intercom.contacts.listAttachedCompanies(contact.id).toArray()).length === 1, "company listed on the contact");
  await intercom.companies.listAttachedSegments(company.id).toArray();
  await intercom.companies.detachContact(contact.id, company.id);
  check(await twoPages(intercom.companies.list({ per_page: 2 })) === 2, "two company pages");
  await intercom.companies.retrieve({ per_page: 2 }).first();
});

await step("conversations create/reply/manage", async () => {
  const msg = await intercom.conversations.create({ from: { type: "user", id: contact.id }, body: "Hello from the conformance suite" });
  conversationId = msg.conversation_id;
  check(conversationId, "create returns conversation_id");
  await intercom.conversations.find(conversationId);
  await intercom.conversations.reply(conversationId, { message_type: "comment", type: "user", intercom_user_id: contact.id, body: "More details" });
  await intercom.conversations.reply(conversationId, { message_type: "comment", type: "admin", admin_id: me.id, body: "We are on it" });
  await intercom.conversations.reply(conversationId, { message_type: "note", type: "admin", admin_id: me.id, body: "Internal note" });
  await intercom.conversations.assign(conversationId, { type: "team", id: team.id });
  await intercom.conversations.assign(conversationId, admin.id);
  await intercom.conversations.snooze(conversationId, time.now() + 3600);
  await intercom.conversations.open(conversationId);
  const closed = await intercom.conversations.close(conversationId, "Solved");
  check(closed.state === "closed", "closed");
  await intercom.conversations.update(conversationId, { read: true });
  await intercom.tags.tagConversation(conversationId, { id: tag.id, admin_id: me.id });
  await intercom.tags.untagConversation(conversationId, tag.id, { admin_id: me.id });
});

await step("conversations list and search pages", async () => {
  check(await twoPages(intercom.conversations.list({ per_page: 2 })) === 2, "two list pages");
  check(await twoPages(intercom.conversations.search({ query: { field: "state", operator: "=", value: "open" }, pagination: { per_page: 2 } })) === 2, "two search pages");
});

await step("tickets", async () => {
  ticketType = (await intercom.ticketTypes.list().toArray()).find((t) => t.category === "Customer");
  await intercom.ticketTypes.get(ticketType.id);
  ticket = await intercom.tickets.create({ ticket_type_id: ticketType.id, contacts: [{ id: contact.id }], ticket_attributes: { _default_title_: "Conformance ticket", _default_description_: "Opened by the suite" } });
  await intercom.tickets.get(ticket.id);
  await intercom.tickets.update(ticket.id, { state: "in_progress", assignment: { admin_id: me.id, assignee_id: admin.id } });
  await intercom.tickets.reply(ticket.id, { message_type: "comment", type: "admin", admin_id: me.id, body: "Looking into it" });
  await intercom.tags.tagTicket(ticket.id, { id: tag.id, admin_id: me.id });
  await intercom.tags.untagTicket(ticket.id, tag.id, { admin_id: me.id });
  check(await twoPages(intercom.tickets.search({ query: { field: "open", operator: "=", value: true }, pagination: { per_page: 2 } })) === 2, "two ticket pages");
});

await step("articles and help center", async () => {
  const collections = await intercom.helpCenters.collections.list().toArray();
  article = await intercom.articles.create({ title: `Conformance ${stamp}`, author_id: Number(me.id), body: "<p>Hi</p>", state: "draft", parent_id: Number(collections[0].id), parent_type: "collection" });
  await intercom.articles.find(article.id);
  await intercom.articles.update(article.id, { title: `Conformance ${stamp} (edited)`, state: "published" });
  await intercom.articles.list().first();
  await intercom.articles.search({ phrase: "Conformance" }).first();
  await intercom.articles.delete(article.id);
  const hc = await intercom.helpCenters.list().first();
  await intercom.helpCenters.find(hc.id);
  await intercom.helpCenters.collections.find(collections[0].id);
});

await step("data attributes, segments, subscriptions, news", async () => {
  await intercom.dataAttributes.list({ model: "contact" }).toArray();
  const seg = await intercom.segments.list().first();
  await intercom.segments.find(seg.id);
  await intercom.subscriptionTypes.list().toArray();
  await intercom.news.items.list().first();
  const feed = await intercom.news.feeds.list().first();
  await intercom.news.feeds.find(feed.id);
  await intercom.news.feeds.listItems(feed.id).first();
  await intercom.events.create({ event_name: "conformance-ran", created_at: time.now(), user_id: contact.external_id });
});

await step("merge and delete", async () => {
  const other = await intercom.contacts.create({ role: "lead", email: `lead-${stamp}@example.com` });
  await intercom.contacts.mergeLeadInUser({ from: other.id, into: contact.id });
  await intercom.contacts.delete(lead.id);
  await intercom.companies.delete(company.id);
});

console.log(failed === 0 ? "SCENARIO ok" : `SCENARIO ${failed} steps failed`);
if (failed > 0) exit(1);
