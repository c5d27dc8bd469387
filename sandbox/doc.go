// Package sandbox is a stateful, seeded fake Intercom workspace that speaks the
// Intercom REST API, every version from 2.10 to 2.16, over real HTTP, so that
// icscript's scripts and tests run offline, fast and without risk.
//
// # What it emulates
//
//   - Every operation of API 2.10 (and those of 2.11 to 2.16, below), routed from the operation catalogue
//     (intercom/catalog): every operation has a handler with Intercom's
//     semantics on an in-memory store safe under concurrent requests. Ids are
//     strings (24 hex digits for contacts, companies, segments…, decimal for
//     conversations, tags, tickets…), times are unix seconds.
//   - Resources and their relations: admins (away mode, activity logs), teams,
//     contacts (users and leads, archive, merge a lead into a user, custom
//     attributes checked against the data attributes), companies
//     (create-or-update by company_id, contacts, segments, scroll), conversations
//     (create, replies by admins and contacts, notes, close/open/snooze/assign,
//     assignment rules, participants, redaction, conversion to a ticket, parts
//     with authors and timestamps, state, statistics and updated_at as Intercom
//     moves them), tags (attached to contacts, companies, conversations and
//     tickets; deleting one still attached is refused with
//     tag_has_dependent_objects), notes, segments (each a rule over contacts),
//     subscription types, data attributes, data events and summaries, data
//     exports (each poll moves a job one step: pending, in_progress, completed;
//     the download is a gzipped CSV of the messages sent in its range),
//     messages, news items and newsfeeds, help centers, collections, articles
//     (with search), ticket types and attributes, tickets, visitors, phone call
//     redirects.
//   - Search with the full query language of package search (nested AND/OR and
//     every operator) for contacts, conversations and tickets, paged by body
//     cursor, with Intercom's 400 errors for invalid queries.
//   - Every pagination style of FACTS.md, each stable under concurrent writes
//     (a walk serves every record that exists throughout it exactly once, and
//     ends): cursor (opaque starting_after naming the last id; pages.page counts
//     the walk's pages, next iff page < total_pages; the cursor wins over page),
//     search (unsorted by id cursor; sorted through a walk the sandbox holds,
//     see walks), page number, link and pages-only (page 1 starts a held walk
//     that later pages of the same request read), scroll (one open scroll per
//     workspace, by id; the last page is empty and the scroll_param keeps
//     answering empty pages until a minute idle). page and per_page must be
//     positive integers (400 otherwise); per_page is clamped to 150.
//   - Errors in Intercom's error.list shape with Intercom's codes and a request
//     id (also in X-Request-Id); bearer auth (401 unauthorized); request bodies
//     and query parameters checked against the catalogue (required members,
//     types, enums, oneOf/anyOf dispatch) before anything changes.
//   - X-RateLimit-Limit/Remaining/Reset on every response, optional enforcement
//     (429 rate_limit_exceeded with Retry-After), seeded faults (429, 500, 503,
//     dropped connections, slow and truncated answers), added latency.
//   - API versions (versions.go, generic.go): the Intercom-Version header
//     picks the catalogue (catalog.For) a request is routed and checked by;
//     none means 2.10, an unknown version is a 400 intercom_version_invalid
//     listing the served ones, and a route only other versions have is a 404
//     naming them (catalog.Span). Each version's router and operation table
//     is built once, on its first request, and shared by every Sandbox. An
//     operation with the method and path of a 2.10 one keeps its 2.10 handler
//     (path parameters renamed: {admin_id} is 2.10's {id}), its answer
//     conformed to the version's response schema (invalid members and missing
//     required ones generated, valid ones kept). The operations 2.10 lacks
//     are answered by hGeneric, a resource handler driven by the version's
//     catalogue and stateful in tables "api:<collection path>"; deleting
//     conversations and tickets and finding a contact by external_id act on
//     the workspace's own tables (their handlers are registered in
//     conversations.go, tickets.go and contacts.go).
//   - A deterministic seed: the same Options.Seed (and clock) gives the same
//     workspace, ids included. The default is a small realistic workspace: six
//     admins (the token's own is "Ana Silva" of the app "Acme (sandbox)"), four
//     teams, 200 contacts (3 users for 1 lead, some leads sharing a user's email),
//     50 companies, 300 conversations over 90 days in every state, tickets,
//     tags, segments, articles, news and events. Seeded visitors have the user_ids
//     sandbox-visitor-0001 to sandbox-visitor-0010. Larger sizes serve benchmarks.
//   - StateFile: the workspace as JSON, loaded at start and saved on Close
//     (a SeedLazily sandbox that served nothing has no workspace to save).
//
// # What it does not emulate
//
//   - Anything outside the operations of API 2.10 to 2.16: webhooks, OAuth, the Messenger,
//     email delivery, attachments' bytes, AI features, workflows and bots.
//   - Intercom's eventual consistency: a change is visible to the next request,
//     including in search (Intercom's search index lags by a few seconds).
//   - Exact texts and some codes of Intercom's errors for cases the description
//     leaves open: the sandbox's messages are its own, constant and explicit.
//   - Permissions and plans (no 403 api_plan_restricted), other regions.
//   - The later versions' own semantics beyond storing and answering their
//     records: a call's recording, a reporting export's contents and Fin's
//     replies are placeholders, and a sub-resource's parent is not checked.
//   - Rate limits per workspace and per app together; the enforced limit is one
//     fixed window (RateWindow, default a minute) counted on the real clock.
//   - Data exports progress by polls, not by time; the download does not need
//     Accept: application/octet-stream.
//
// Faults on a mutation: 429, 500 and 503 are answered before the change is
// made (nothing changed); drop and truncate happen after it was applied, the
// ambiguous failures after which a client must not blindly retry a
// non-idempotent operation.
//
// The sandbox imports no icscript package but intercom/catalog and
// sandbox/search, and uses no HTTP client.
package sandbox
